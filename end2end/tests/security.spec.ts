import { expect, test, type Page } from "./fixtures";
import { latestCode, registerCitizen, waitForHydration } from "./support";

// Attacks a citizen could try from their own browser. They register accounts in the shared
// test database, so they run once, on the phone.
test.describe.configure({ mode: "serial" });
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "attack journeys run on the phone viewport only");
});

const PASSWORD = "maize fields after the long rains";
const ATTACKER = { id: "45678901", first: "Kiprono", year: "1978", email: "kiprono@example.com", phone: "0722 451 001", e164: "+254722451001" };
const VICTIM = { id: "39116641", first: "Kamande", year: "1982", email: "kamande@example.com", phone: "0722 451 002", e164: "+254722451002" };

async function startReset(page: Page, identifier: string) {
  await page.goto("/forgot-password");
  await waitForHydration(page);
  await page.getByLabel("ID number, email or phone number").fill(identifier);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("If an account exists")).toBeVisible();
}

test("a reset code sent for my account cannot reset someone else's password", async ({ page }) => {
  await registerCitizen(page, ATTACKER, PASSWORD);
  await registerCitizen(page, VICTIM, PASSWORD);

  // The attacker asks for a reset code for his own account, on his own phone.
  await startReset(page, ATTACKER.id);
  await page.getByLabel("Text message to the registered phone").check();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  const myCode = await latestCode(page, ATTACKER.e164);

  // In the same browser he starts a reset for the victim and types his own code.
  await startReset(page, VICTIM.id);
  await page.goto("/forgot-password/code");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  await page.getByLabel("Code", { exact: true }).fill(myCode);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".error-summary")).toContainText("The code is not right");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");

  // There is no way on to choosing the victim's password.
  await page.goto("/forgot-password/new-password");
  await expect(page.getByLabel("Create a password")).toHaveCount(0);

  // The victim's password is unchanged: it still reaches "Confirm it is you".
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("ID number, email or phone number").fill(VICTIM.id);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it is you");
});

test("a script slipped into a page does not run: the Content-Security-Policy refuses it", async ({ page, cspViolations }) => {
  await page.goto("/services");
  await waitForHydration(page);
  // As if a stored name had escaped escaping: an inline script and an event handler, neither
  // with the page's nonce. The page's own scripts ran (it hydrated); these must not.
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.injected = 'script'";
    document.body.append(script);
    const image = document.createElement("img");
    image.setAttribute("src", "/no-such-image.png");
    image.setAttribute("onerror", "window.injected = 'handler'");
    document.body.append(image);
  });
  await expect.poll(() => cspViolations.length).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => (window as unknown as { injected?: string }).injected)).toBeUndefined();
  // The refusals were the point of this test; any other would still fail it.
  expect(cspViolations.every((violation) => /script-src/.test(violation))).toBe(true);
  cspViolations.length = 0;
});
