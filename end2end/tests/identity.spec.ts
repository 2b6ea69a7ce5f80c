import { expect, test } from "./fixtures";
import { chooseLanguage, expectAccessible, latestCode, logInWithCode, openMenu, waitForHydration } from "./support";

// These journeys change accounts in the shared test database, so they run once, on the phone.
test.describe.configure({ mode: "serial" });
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "account journeys run on the phone viewport only");
});

const PASSWORD = "sunrise over the rift valley";

test("register Baraka Mutua, log in with a code, see the dashboard, log out", async ({ page }) => {
  await page.goto("/register");
  await waitForHydration(page);
  await expectAccessible(page);

  // A mismatch says so without saying which detail was wrong, next to the field and in the summary.
  await page.getByLabel("Kenyan citizen").check();
  await page.getByLabel("ID number or alien card number").fill("67890123");
  await page.getByLabel("First name").fill("Barak");
  await page.getByLabel("Year of birth").fill("1995");
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expect(page.locator("#id_number-error")).toContainText("do not match the population registry");
  await expect(page.getByLabel("ID number or alien card number")).toHaveAttribute("aria-describedby", /id_number-error/);
  await expectAccessible(page);

  await page.getByLabel("First name").fill("  baraka ");
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByText("Baraka Mutua")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Email address").fill("baraka@example.com");
  await page.getByLabel("Mobile phone number").fill("0722 000 333");
  await page.getByLabel("Create a password").fill("password");
  await page.getByLabel("Type the password again").fill("password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#password-error")).toContainText("at least 12 characters");
  // Focus moves to the error summary, so a screen reader announces the problem first.
  await expect(page.locator(".error-summary")).toBeFocused();

  await page.getByLabel("Create a password").fill(PASSWORD);
  await page.getByLabel("Type the password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/login\?registered=1/);
  await expect(page.getByRole("status")).toContainText("Your account has been created");

  await logInWithCode(page, "67890123", PASSWORD, "+254722000333");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Baraka Mutua");
  await expect(page.getByText("67****23")).toBeVisible();
  await expectAccessible(page);

  // Logging out is in the menu, as on every page once logged in.
  await openMenu(page);
  await expect(page.getByRole("link", { name: "Your account" })).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login\?logged_out=1/);
  await openMenu(page);
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=\/dashboard/);
});

test("five wrong passwords lock the account; a password reset unlocks it and replaces the password", async ({ page }) => {
  await page.goto("/login");
  await waitForHydration(page);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("ID number, email or phone number").fill("12345678");
    await page.getByLabel("Password", { exact: true }).fill("not my password at all");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    // The answer is in when the page is back with the password cleared (it is never kept).
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
    await expect(page.getByRole("button", { name: "Continue" })).toBeEnabled();
  }
  await expect(page.locator(".error-summary")).toContainText("Your account is locked for 15 minutes");
  await expect(page.locator(".error-summary")).toContainText("Reset your password");

  // Forgot password: same answer for anyone, code by SMS, then a new password.
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reset your password");
  await expectAccessible(page);
  await page.getByLabel("ID number, email or phone number").fill("wanjiku@example.com");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("If an account exists")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Text message to the registered phone").check();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  await page.getByLabel("Code", { exact: true }).fill(await latestCode(page, "+254712345678"));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
  await expectAccessible(page);
  const fresh = "a quiet morning in nyeri";
  await page.getByLabel("Create a password").fill(fresh);
  await page.getByLabel("Type the password again").fill(fresh);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);

  // The old password no longer works...
  await page.getByLabel("ID number, email or phone number").fill("12345678");
  await page.getByLabel("Password", { exact: true }).fill("Harambee demo 2026");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".error-summary")).toContainText("is not right");

  // ...and the new one does, through to the dashboard.
  await logInWithCode(page, "12345678", fresh, "+254712345678");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Wanjiku Kamau");
});

test("the login page works in Kiswahili and without JavaScript", async ({ page, browser }) => {
  await page.goto("/login");
  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ingia");
  await expectAccessible(page);

  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto("/login");
  await plain.getByLabel("ID number, email or phone number").fill("12345678");
  await plain.getByLabel("Password", { exact: true }).fill("wrong password here");
  await plain.getByRole("button", { name: "Continue" }).click();
  await expect(plain).toHaveURL(/\/login/);
  await expect(plain.locator(".error-summary")).toContainText("is not right");
  await context.close();
});
