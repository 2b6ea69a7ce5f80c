import { expect, test, type Page } from "./fixtures";
import { authenticatorCode, chooseLanguage, expectAccessible, latestCode, logInWithCode, logOut, registerCitizen, waitForHydration, type Citizen } from "./support";

// Each journey registers its own citizen, once, on the phone.
test.beforeEach(async ({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "each citizen registers once; the journeys run on the phone");
});

const WAFULA: Citizen = { id: "37406090", first: "Wafula", year: "1973", email: "wafula@example.com", phone: "0711000403" };
const ONYANGO: Citizen = { id: "38604288", first: "Onyango", year: "1967", email: "onyango@example.com", phone: "0711000404" };
const PASSWORD = "nyota njema huonekana asubuhi";

/** Login's first step, up to "Confirm it is you". */
async function passwordStep(page: Page, identifier: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("ID number, email or phone number").fill(identifier);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it is you");
}

test("a citizen switches on an authenticator app, logs in with it, and sees it in the activity", async ({ page }) => {
  await registerCitizen(page, WAFULA, PASSWORD);
  await logInWithCode(page, WAFULA.id, PASSWORD, "+254711000403");
  await page.goto("/account");
  await page.getByRole("link", { name: /Authenticator app, where codes go/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Login and security");
  await expectAccessible(page);

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up an authenticator app");
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await expect(page.locator(".backup-codes li")).toHaveCount(10);
  await expectAccessible(page);
  const secret = (await page.getByTestId("authenticator-secret").textContent()) ?? "";
  const backupCode = (await page.locator(".backup-codes li").first().textContent()) ?? "";
  await page.getByLabel("Code from the app").fill(authenticatorCode(secret));
  await page.getByRole("button", { name: "Switch on the app" }).click();
  await expect(page.getByRole("status")).toHaveText(/Your authenticator app is on/);
  await expect(page.getByText("You have 10 unused backup codes.")).toBeVisible();

  // Next login: the app is offered first. The code that switched it on is used up, so
  // the test types the next one (a phone one step ahead is accepted).
  await logOut(page);
  await passwordStep(page, WAFULA.id);
  await expect(page.getByLabel(/authenticator app/)).toBeChecked();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  await expect(page.getByText(/Open your authenticator app/)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Code", { exact: true }).fill(authenticatorCode(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // A backup code works once, when the phone is not at hand.
  await logOut(page);
  await passwordStep(page, WAFULA.id);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Code", { exact: true }).fill(backupCode);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/account/activity");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Account activity");
  await expect(page.getByRole("cell", { name: "Logged in with a backup code" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Authenticator app switched on" })).toBeVisible();
  await expectAccessible(page);
  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Shughuli za akaunti");
  await expectAccessible(page);
  await page.goto("/account/security");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kuingia na usalama");
  await expectAccessible(page);
  await chooseLanguage(page, "English");
});

test("a citizen changes their email with a code sent to the new address", async ({ page }) => {
  await registerCitizen(page, ONYANGO, PASSWORD);
  await logInWithCode(page, ONYANGO.id, PASSWORD, "+254711000404");
  await page.goto("/account");
  await page.getByRole("link", { name: /^Change email$/i }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Change your email address");
  await expectAccessible(page);
  await page.getByLabel("New email address").fill("onyango.mutua@example.com");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Send a code to the new one" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  await expect(page.getByText(/We sent a 6-digit code to o\*+@example\.com/)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Code", { exact: true }).fill(await latestCode(page, "onyango.mutua@example.com"));
  await page.getByRole("button", { name: "Confirm the change" }).click();
  await expect(page.getByRole("status")).toHaveText("Your email address was changed. We told your old address.");
  await expect(page.getByText("onyango.mutua@example.com")).toBeVisible();
  const outbox = await page.request.get(`/dev/outbox.json?to=${encodeURIComponent("onyango@example.com")}`);
  const [notice] = (await outbox.json()) as { body: string }[];
  expect(notice.body).toContain("was changed to o*****@example.com");

  await page.goto("/notifications");
  await expect(page.getByRole("link", { name: "Your email address was changed" })).toBeVisible();
  await chooseLanguage(page, "Kiswahili");
  await page.goto("/account/email");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Badilisha barua pepe yako");
  await expectAccessible(page);
  await chooseLanguage(page, "English");
});
