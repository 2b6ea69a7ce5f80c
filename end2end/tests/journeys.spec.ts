import { expect, test, type Page, type TestInfo } from "./fixtures";
import { expectAccessible, latestCode, logOut as logOutThroughMenu, openFromQueue } from "./support";

// One set of citizen and officer journeys, run twice: in the phone's browser with
// JavaScript ("mobile") and with JavaScript off ("no-js"). Nothing here waits for the
// WASM: every step, the phone's menu included, must work from the HTML the server sends. Each run registers its own
// person in the shared test database, so the two never meet.
test.describe.configure({ mode: "serial" });
test.beforeEach(({}, testInfo) => {
  test.skip(!["mobile", "no-js"].includes(testInfo.project.name), "journeys run on the phone, with and without JavaScript");
});

const PHOTO = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const PEOPLE = {
  mobile: { id: "32905643", first: "Wairimu", surname: "Mwangi", year: "1992", email: "wairimu@example.com", phone: "0722 329 056", e164: "+254722329056" },
  "no-js": { id: "22093942", first: "Mohamed", surname: "Kamau", year: "1990", email: "mohamed@example.com", phone: "0722 220 939", e164: "+254722220939" },
};
const PASSWORD = "kettle lantern river songbird";
const NEW_PASSWORD = "baobab shade at noon";
const OFFICER = { id: "30000001", phone: "+254700000101", password: "Raia staff demo 2026" };

function person(testInfo: TestInfo) {
  return PEOPLE[testInfo.project.name as keyof typeof PEOPLE];
}

async function logIn(page: Page, identifier: string, password: string, phone: string) {
  await page.goto("/login");
  await page.getByLabel("ID number, email or phone number").fill(identifier);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it is you");
  await page.getByLabel(/Text message to \+2547\*{5}\d{3}/).check();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  await page.getByLabel("Code", { exact: true }).fill(await latestCode(page, phone));
  await page.getByRole("button", { name: "Continue" }).click();
  // Landed on the dashboard: the next `goto` cannot overtake the login.
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welcome, /);
}

async function logOut(page: Page, testInfo: TestInfo) {
  // The phone menu is folded away, with JavaScript or without; it unfolds as plain HTML.
  await logOutThroughMenu(page, { javaScript: testInfo.project.name !== "no-js" });
}

// The passport application of this run: made in one test, decided and paid in the next.
let reference = "";

test("register: a registry mismatch and a guessable password are refused, then the account is made and logged in", async ({ page }, testInfo) => {
  const me = person(testInfo);
  await page.goto("/register");
  await page.getByLabel("Kenyan citizen").check();
  await page.getByLabel("ID number or alien card number").fill(me.id);
  await page.getByLabel("First name").fill("Someone");
  await page.getByLabel("Year of birth").fill(me.year);
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.locator("#id_number-error")).toContainText("do not match the population registry");

  // Without JavaScript the page comes back from the server: choose and type again.
  await page.getByLabel("Kenyan citizen").check();
  await page.getByLabel("ID number or alien card number").fill(me.id);
  await page.getByLabel("First name").fill(me.first);
  await page.getByLabel("Year of birth").fill(me.year);
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page).toHaveURL(/\/register\/details/);
  await expect(page.getByText(`${me.first} ${me.surname}`)).toBeVisible();

  await page.getByLabel("Email address").fill(me.email);
  await page.getByLabel("Mobile phone number").fill(me.phone);
  await page.getByLabel("Create a password").fill("password1234");
  await page.getByLabel("Type the password again").fill("password1234");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#password-error")).toContainText("too close to passwords many people use");

  await page.getByLabel("Email address").fill(me.email);
  await page.getByLabel("Mobile phone number").fill(me.phone);
  await page.getByLabel("Create a password").fill(PASSWORD);
  await page.getByLabel("Type the password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/login\?registered=1/);
  await expect(page.getByRole("status")).toContainText("Your account has been created");

  await logIn(page, me.id, PASSWORD, me.e164);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${me.first} ${me.surname}`);
});

test("apply for a passport with a photo and a document, then submit", async ({ page }, testInfo) => {
  const me = person(testInfo);
  await logIn(page, me.id, PASSWORD, me.e164);
  await page.goto("/services/passport");
  await page.getByRole("link", { name: "Apply now" }).click();
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
  await page.getByLabel("Date of birth").fill("1990-06-01");
  await page.getByLabel("Place of birth").fill("Nyeri");
  await page.getByLabel("Marital status").selectOption("single");
  await page.getByLabel("Occupation").fill("Teacher");
  await page.getByRole("button", { name: "Save and continue" }).click();

  await expect(page.getByText("Step 2 of 4")).toBeVisible();
  await page.getByLabel("34 pages: KES 4,550").check();
  await page.getByLabel("No, this is my first").check();
  await page.getByRole("button", { name: "Save and continue" }).click();

  await expect(page.getByText("Step 3 of 4")).toBeVisible();
  await page.getByLabel("Emergency contact's full name").fill("Njoki Wanjiru");
  await page.getByLabel("Emergency contact's phone number").fill("0711 222 444");
  await page.getByLabel("Where will you collect your passport?").selectOption({ label: "Nyayo House, Nairobi" });
  await page.getByRole("button", { name: "Save and continue" }).click();

  await expect(page.getByText("Step 4 of 4")).toBeVisible();
  const photoForm = page.locator("form.upload").filter({ has: page.getByText("Passport photo", { exact: true }) });
  await photoForm.locator("input[type=file]").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PHOTO });
  await photoForm.getByRole("button", { name: "Upload file" }).click();
  await expect(page.locator("form.upload").filter({ has: page.getByText("Passport photo", { exact: true }) }).getByText("photo.png")).toBeVisible();
  const idForm = page.locator("form.upload").filter({ has: page.getByText("Copy of your national ID", { exact: true }) });
  await idForm.locator("input[type=file]").setInputFiles({ name: "id.pdf", mimeType: "application/pdf", buffer: PDF });
  await idForm.getByRole("button", { name: "Upload file" }).click();
  await expect(page.locator("form.upload").filter({ has: page.getByText("Copy of your national ID", { exact: true }) }).getByText("id.pdf")).toBeVisible();
  await page.getByRole("button", { name: "Save and continue" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Declaration");
  await page.getByLabel("I confirm the declaration above").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before you submit");
  await expect(page.getByText("Teacher")).toBeVisible();
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/applications\/PSP-\d{4}-\d{6}\?submitted=1/);
  reference = (await page.locator(".banner .mono").textContent())!.trim();
  await expect(page.locator(".status-panel .badge")).toHaveText("Submitted");
});

test("the Immigration officer starts the review and approves", async ({ page }, testInfo) => {
  await logIn(page, OFFICER.id, OFFICER.password, OFFICER.phone);
  // What waits for an officer: the queue filtered to submitted applications.
  await page.goto("/officer?status=submitted");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Applications queue");
  await openFromQueue(page, reference);
  await expect(page.getByText("Teacher")).toBeVisible();
  await page.getByRole("button", { name: "Start review" }).click();
  await expect(page.getByRole("button", { name: "Approve" })).toBeVisible();
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.locator(".status-panel .badge")).toHaveText("Awaiting payment");
  await logOut(page, testInfo);
});

test("pay by card, open the receipt, verify it, read the notifications, log out", async ({ page }, testInfo) => {
  const me = person(testInfo);
  await logIn(page, me.id, PASSWORD, me.e164);
  await page.goto(`/applications/${reference}`);
  await page.getByRole("link", { name: "Pay KES 4,550" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pay for your application");
  await page.locator("summary", { hasText: "Pay by card" }).click();
  const card = page.locator("form").filter({ has: page.getByLabel("Card number") });
  await card.getByLabel("Card number").fill("4242 4242 4242 4242");
  await card.getByLabel("Expiry date").fill("12/30");
  await card.getByLabel("Security code").fill("123");
  await card.getByRole("button", { name: "Pay KES 4,550" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await page.getByRole("link", { name: "View your receipt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment receipt");
  await expect(page.locator(".receipt")).toContainText(reference);
  const verifyUrl = (await page.locator(".receipt__qr a").getAttribute("href"))!;

  await page.goto(verifyUrl);
  await expect(page.getByRole("heading", { name: "This receipt is genuine" })).toBeVisible();
  await expect(page.getByText(`${me.first} ${me.surname[0]}.`)).toBeVisible();

  await page.goto("/dashboard");
  const notifications = page.getByRole("region", { name: "Notifications" });
  await expect(notifications).toContainText(reference);
  await expect(notifications).toContainText("Approved");
  await expect(notifications).toContainText("Payment received");

  // The notification centre: unread ones counted in the menu, marked read one by one or all at once.
  await page.goto("/notifications");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notifications");
  // On a phone the menu is folded away: its count is read from the page as sent.
  const count = page.locator('#site-nav a[href="/notifications"] .count');
  const unread = Number((await count.textContent())!.match(/\d+/)![0]);
  expect(unread).toBeGreaterThan(2);
  await expect(page.locator(".notification--unread")).toHaveCount(unread);
  // axe runs in the page: only where JavaScript is on.
  if (testInfo.project.name !== "no-js") await expectAccessible(page);
  await page.locator(".notification--unread").first().getByRole("button", { name: /Mark as read/ }).click();
  await expect(page.locator(".notification--unread")).toHaveCount(unread - 1);
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.locator(".notification--unread")).toHaveCount(0);
  await expect(count).toHaveCount(0);
  await logOut(page, testInfo);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=\/dashboard/);
});

test("reset the forgotten password with a code, then log in with the new one", async ({ page }) => {
  const me = PEOPLE[test.info().project.name as keyof typeof PEOPLE];
  await page.goto("/forgot-password");
  await page.getByLabel("ID number, email or phone number").fill(me.email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("If an account exists")).toBeVisible();
  await page.getByLabel("Text message to the registered phone").check();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  await page.getByLabel("Code", { exact: true }).fill(await latestCode(page, me.e164));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
  await page.getByLabel("Create a password").fill("Nairobi2026!!");
  await page.getByLabel("Type the password again").fill("Nairobi2026!!");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.locator("#password-error")).toContainText("too easy to guess");
  await page.getByLabel("Create a password").fill(NEW_PASSWORD);
  await page.getByLabel("Type the password again").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);
  await logIn(page, me.id, NEW_PASSWORD, me.e164);
  await expect(page).toHaveURL(/\/dashboard$/);
});
