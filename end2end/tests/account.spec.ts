import { expect, test } from "./fixtures";
import { chooseLanguage, expectAccessible, logInWithCode, registerCitizen, waitForHydration, type Citizen } from "./support";

// Each journey registers its own citizen, once, on the phone.
test.beforeEach(async ({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "each citizen registers once; the journeys run on the phone");
});

const NEKESA: Citizen = { id: "25747011", first: "Nekesa", year: "1977", email: "nekesa@example.com", phone: "0711000401" };
const WAMBUI: Citizen = { id: "36516606", first: "Wambui", year: "1964", email: "wambui@example.com", phone: "0711000402" };
const PASSWORD = "mvua ya masika inanyesha";

test("a citizen who chooses Kiswahili for messages gets the next code in Kiswahili", async ({ page }) => {
  await registerCitizen(page, NEKESA, PASSWORD);
  await logInWithCode(page, NEKESA.id, PASSWORD, "+254711000401");
  await page.getByRole("link", { name: "Account settings" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Account settings");
  await expect(page.getByText("nekesa@example.com")).toBeVisible();
  await expect(page.getByLabel("English")).toBeChecked();
  await expectAccessible(page);
  await page.getByLabel("Kiswahili").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Your language for messages was saved.");
  await expect(page.getByLabel("Kiswahili")).toBeChecked();

  // The page stays in English; the account's messages are now in Kiswahili.
  await page.context().clearCookies();
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("ID number, email or phone number").fill(NEKESA.id);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel(/Text message to/).check();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  const outbox = await page.request.get(`/dev/outbox.json?to=${encodeURIComponent("+254711000401")}`);
  const [latest] = (await outbox.json()) as { body: string; language: string }[];
  expect(latest.body).toMatch(/^Msimbo wako wa kuingia Raia ni \d{6}\./);

  await chooseLanguage(page, "Kiswahili");
  await expectAccessible(page);
});

test("a citizen logs out a session they do not recognise, and it stops working", async ({ browser, page }) => {
  await registerCitizen(page, WAMBUI, PASSWORD);
  await logInWithCode(page, WAMBUI.id, PASSWORD, "+254711000402");

  // The same account on another browser: the one to end.
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL, userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36" });
  const stranger = await other.newPage();
  await logInWithCode(stranger, WAMBUI.id, PASSWORD, "+254711000402");

  await page.goto("/account/sessions");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Where you are logged in");
  await expect(page.locator(".session")).toHaveCount(2);
  await expect(page.locator(".session", { hasText: "This browser" })).toHaveCount(1);
  await expectAccessible(page);
  const strangers = page.locator(".session", { hasText: "Windows" });
  await strangers.getByRole("button", { name: /Log out/ }).click();
  await expect(page.getByRole("status")).toHaveText("That browser was logged out.");
  await expect(page.locator(".session")).toHaveCount(1);
  await expect(page.getByText("Only this browser is logged in.")).toBeVisible();

  await stranger.goto("/dashboard");
  await expect(stranger).toHaveURL(/\/login\?next=/);
  await other.close();

  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mahali ulipoingia");
  await expectAccessible(page);
  await chooseLanguage(page, "English");

  // Changing the password asks for the current one first.
  await page.goto("/account");
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel("New password", { exact: true }).fill("jua kali la mchana mwema");
  await page.getByLabel("Type the new password again").fill("jua kali la mchana mwema");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert")).toContainText("This is not your current password");
  await expectAccessible(page);
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("jua kali la mchana mwema");
  await page.getByLabel("Type the new password again").fill("jua kali la mchana mwema");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText("Your password was changed. Every other browser was logged out.");
});

test("an admin sees where each message stands, never a one-time code", async ({ page }) => {
  await logInWithCode(page, "30000000", "Raia staff demo 2026", "+254700000100");
  await page.goto("/admin/messages");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Messages to citizens");
  await expect(page.getByText("A one-time code: not shown.").first()).toBeVisible();
  await expect(page.locator("td", { hasText: /Your Raia login code is \d{6}/ })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByLabel("Show").selectOption("sent");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=sent/);
  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ujumbe kwa wananchi");
  await expectAccessible(page);
});
