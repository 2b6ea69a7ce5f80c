import { expect, test } from "./fixtures";
import { chooseLanguage, expectAccessible, logInWithCode, logOut, registerCitizen, type Citizen } from "./support";

// One citizen registers once and opens one request, on the phone.
test.beforeEach(async ({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "the citizen registers once; the journey runs on the phone");
});

const JELIMO: Citizen = { id: "23636225", first: "Jelimo", year: "1952", email: "jelimo@example.com", phone: "0711000501" };
const PASSWORD = "jua kali la mchana mjini";

/** A 1×1 PNG, as a phone's screenshot would be (only smaller). */
const SCREENSHOT = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

test("help reads well in both languages", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("contentinfo").getByRole("link", { name: "Help and questions" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Help");
  await expect(page.getByRole("heading", { level: 2, name: "My one-time code has not arrived" })).toBeVisible();
  await expectAccessible(page);
  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Msaada");
  await expect(page.getByRole("heading", { level: 2, name: "Nimesahau nenosiri langu" })).toBeVisible();
  await expectAccessible(page);
  await chooseLanguage(page, "English");
});

test("a citizen opens a support request, an admin answers, and the citizen reads the answer", async ({ browser, page }) => {
  await registerCitizen(page, JELIMO, PASSWORD);
  await logInWithCode(page, JELIMO.id, PASSWORD, "+254711000501");

  await page.goto("/help");
  await page.getByRole("link", { name: "Contact support" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Contact support");
  await expectAccessible(page);

  // Nothing chosen, nothing written: each problem beside its field.
  await page.getByRole("button", { name: "Send to support" }).click();
  await expect(page.getByRole("alert")).toContainText("There is a problem");
  await expect(page.locator("#message-error")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Logging in and codes").check();
  await page.getByLabel("Your message").fill("The login code reaches my phone after it has expired. What can I do?");
  await page.getByLabel("Screenshot (optional)").setInputFiles({ name: "screen.png", mimeType: "image/png", buffer: SCREENSHOT });
  await page.getByRole("button", { name: "Send to support" }).click();
  await expect(page).toHaveURL(/\/support\/TKT-\d{4}-\d{6}\?opened=1$/);
  await expect(page.getByRole("status")).toContainText("Request sent");
  const reference = (await page.locator(".panel__value").textContent())!.trim();
  expect(reference).toMatch(/^TKT-\d{4}-\d{6}$/);
  await expect(page.getByRole("link", { name: "screen.png" })).toBeVisible();
  await expectAccessible(page);

  await page.goto("/support");
  await expect(page.getByRole("link", { name: reference })).toBeVisible();
  await expect(page.getByText("Waiting for support")).toBeVisible();
  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Wasiliana na msaada");
  await expectAccessible(page);
  await page.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Tiketi ${reference}`);
  await expectAccessible(page);
  await chooseLanguage(page, "English");

  // The admin finds it waiting at the top of the desk and answers.
  const staff = await (await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 740 } })).newPage();
  await logInWithCode(staff, "30000000", "Raia staff demo 2026", "+254700000100");
  await staff.goto("/admin");
  await staff.getByRole("link", { name: "Support requests" }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText("Support requests");
  await expectAccessible(staff);
  await staff.getByRole("link", { name: reference }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText(`Request ${reference}`);
  await expect(staff.getByText("The login code reaches my phone after it has expired.")).toBeVisible();
  await staff.getByLabel("Your answer").fill("Ask for the code by email instead: choose “Email” on the code page.");
  await staff.getByRole("button", { name: "Send answer" }).click();
  await expect(staff.getByRole("status")).toHaveText("Your answer was sent to the citizen.");
  await expectAccessible(staff);
  await logOut(staff);
  await staff.context().close();

  // The citizen reads it in their account, and got it by email.
  await page.goto(`/support/${reference}`);
  await expect(page.locator(".conversation__message--staff")).toContainText("Ask for the code by email instead");
  await expect(page.getByText("Answered")).toBeVisible();
  const outbox = await page.request.get(`/dev/outbox.json?to=${encodeURIComponent(JELIMO.email)}`);
  const [email] = (await outbox.json()) as { subject: string; body: string }[];
  expect(email.subject).toContain(reference);
  expect(email.body).toContain("Ask for the code by email instead");

  // A reply puts it back in the desk's queue.
  await page.getByLabel("Reply").fill("Thank you, that worked.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByRole("status")).toHaveText("Your reply was sent.");
  await expect(page.getByText("Waiting for support")).toBeVisible();
  await expectAccessible(page);
});
