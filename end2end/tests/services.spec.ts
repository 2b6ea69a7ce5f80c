import { expect, test, type Page } from "./fixtures";
import { chooseLanguage, expectAccessible, logInWithCode, logOut, registerCitizen, waitForHydration, openFromQueue } from "./support";

// A 1×1 PNG: the server checks the content, not the name.
const PHOTO = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const CITIZEN = { id: "23456789", first: "Otieno", year: "1985", email: "otieno@example.com", phone: "0733 444 555", e164: "+254733444555" };
const PASSWORD = "maasai mara at dawn";
const OFFICER = { id: "30000001", phone: "+254700000101", password: "Raia staff demo 2026" };

test("the catalogue finds services by keyword and agency, with or without JavaScript", async ({ page, browser }) => {
  await page.goto("/services");
  await waitForHydration(page);
  await expectAccessible(page);
  await page.getByLabel("Search services").fill("passport");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/services\?q=passport/);
  await expect(page.getByRole("link", { name: "Ordinary passport" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Register a business name" })).toHaveCount(0);

  await page.getByRole("link", { name: "Ordinary passport" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ordinary passport");
  await expect(page.getByRole("cell", { name: "KES 4,550" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Apply now" })).toBeVisible();
  await expectAccessible(page);

  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pasipoti ya kawaida");
  await chooseLanguage(page, "English");

  // The filter is a plain form: it works in a browser without JavaScript too.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto("/services");
  await plain.getByLabel("Agency").selectOption({ label: "National Transport and Safety Authority" });
  await plain.getByRole("button", { name: "Search" }).click();
  await expect(plain.getByRole("status")).toHaveText("4 services");
  await expect(plain.getByRole("link", { name: "Renew a driving licence" })).toBeVisible();
  await context.close();
});

test.describe("applying and reviewing", () => {
  // These journeys change the shared test database, so they run once, on the phone.
  test.describe.configure({ mode: "serial" });
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.name !== "mobile", "account journeys run on the phone viewport only");
  });

  // The passport application the first journey makes, paid for in the next.
  let reference = "";

  /** Saves a step of the form and waits for where it leads: the page of `next` ("2",
   *  "declaration", "check"), or, when `next` is "problem", the error summary. */
  async function continueStep(page: Page, next: string) {
    await page.getByRole("button", { name: "Save and continue" }).click();
    if (next === "problem") {
      await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    } else {
      await expect(page).toHaveURL(new RegExp(`[?&]step=${next}(&|#|$)`));
    }
  }

  test("a citizen applies for a passport; the officer asks for a correction, then approves", async ({ page }) => {
    await registerCitizen(page, CITIZEN, PASSWORD);
    await logInWithCode(page, CITIZEN.id, PASSWORD, CITIZEN.e164);
    await expect(page).toHaveURL(/\/dashboard$/);

    // Find the service by search, as a citizen would.
    await page.goto("/services?q=passport");
    await page.getByRole("link", { name: "Ordinary passport" }).click();
    await page.getByRole("link", { name: "Apply now" }).click();
    await expect(page.getByText("Step 1 of 4")).toBeVisible();
    await waitForHydration(page);
    await expectAccessible(page);

    // A mistake is named next to its field.
    await page.getByLabel("Date of birth").fill("2030-01-01");
    await continueStep(page, "problem");
    await expect(page.locator("#date_of_birth-error")).toContainText("must be in the past");
    await expect(page.locator("#occupation-error")).toContainText("Enter this information");
    await expectAccessible(page);
    await page.getByLabel("Date of birth").fill("1985-03-14");
    await page.getByLabel("Place of birth").fill("Kisumu");
    await page.getByLabel("Marital status").selectOption("married");
    await page.getByLabel("Occupation").fill("Engineer");
    await continueStep(page, "2");

    await expect(page.getByText("Step 2 of 4")).toBeVisible();
    await page.getByLabel("34 pages: KES 4,550").check();
    await page.getByLabel("No, this is my first").check();
    await continueStep(page, "3");

    await expect(page.getByText("Step 3 of 4")).toBeVisible();
    await page.getByLabel("Emergency contact's full name").fill("Akinyi Odhiambo");
    await page.getByLabel("Emergency contact's phone number").fill("0711 222 333");
    await page.getByLabel("Where will you collect your passport?").selectOption({ label: "Nyayo House, Nairobi" });
    await continueStep(page, "4");

    // Documents: a program named like a photo is refused; a real photo and a PDF are kept.
    await expect(page.getByText("Step 4 of 4")).toBeVisible();
    await expectAccessible(page);
    const photoForm = page.locator("form.upload").filter({ has: page.getByText("Passport photo", { exact: true }) });
    await photoForm.locator("input[type=file]").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("MZ this is a program") });
    await photoForm.getByRole("button", { name: "Upload file" }).click();
    await expect(page.getByText("The file must be a JPEG, PNG or PDF")).toBeVisible();
    await photoForm.locator("input[type=file]").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PHOTO });
    await photoForm.getByRole("button", { name: "Upload file" }).click();
    await expect(photoForm.getByText("photo.png")).toBeVisible();
    const idForm = page.locator("form.upload").filter({ has: page.getByText("Copy of your national ID", { exact: true }) });
    await idForm.locator("input[type=file]").setInputFiles({ name: "id.pdf", mimeType: "application/pdf", buffer: PDF });
    await idForm.getByRole("button", { name: "Upload file" }).click();
    await expect(idForm.getByText("id.pdf")).toBeVisible();
    await waitForHydration(page);
    await continueStep(page, "declaration");

    // Declaration, then check the answers (the preview), then submit.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Declaration");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#declaration-error")).toContainText("Confirm the declaration");
    await page.getByLabel("I confirm the declaration above").check();
    await continueStep(page, "check");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before you submit");
    await expect(page.getByText("Engineer")).toBeVisible();
    await expect(page.getByText("Nyayo House, Nairobi")).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Submit application" }).click();

    await expect(page).toHaveURL(/\/applications\/PSP-\d{4}-\d{6}\?submitted=1/);
    reference = (await page.locator(".banner .mono").textContent())!.trim();
    await expect(page.locator(".status-panel .badge")).toHaveText("Submitted");
    await expect(page.locator(".status-panel .badge")).toHaveClass(/badge--pending/);
    await expectAccessible(page);
    await logOut(page);

    // The Immigration officer claims it and asks for a correction.
    await logInWithCode(page, OFFICER.id, OFFICER.password, OFFICER.phone);
    // What waits for an officer: the queue filtered to submitted applications.
    await page.goto("/officer?status=submitted");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Applications queue");
    await expectAccessible(page);
    await openFromQueue(page, reference);
    await expect(page.getByText("Engineer")).toBeVisible();
    await page.getByRole("button", { name: "Start review" }).click();
    await expect(page.getByRole("button", { name: "Ask for a correction" })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("What should the citizen correct?").fill("Your occupation must match your ID: please check it.");
    await page.getByRole("button", { name: "Ask for a correction" }).click();
    await expect(page.locator(".status-panel .badge")).toHaveText("Action required");
    await logOut(page);

    // The citizen sees the red badge, corrects and resubmits.
    await logInWithCode(page, CITIZEN.id, PASSWORD, CITIZEN.e164);
    await expect(page.getByRole("link", { name: "Correct your application" }).first()).toBeVisible();
    await page.goto(`/applications/${reference}`);
    await expect(page.locator(".status-panel .badge")).toHaveClass(/badge--attention/);
    await expect(page.locator(".status-panel__note")).toContainText("Your occupation must match your ID");
    await page.getByRole("link", { name: "Correct your application" }).click();
    await expect(page).toHaveURL(new RegExp(`/applications/${reference}/edit`));
    await page.goto(`/applications/${reference}/edit?step=1`);
    await waitForHydration(page);
    await page.getByLabel("Occupation").fill("Civil engineer");
    await continueStep(page, "2");
    await page.goto(`/applications/${reference}/edit?step=declaration`);
    await waitForHydration(page);
    await page.getByLabel("I confirm the declaration above").check();
    await continueStep(page, "check");
    await page.getByRole("button", { name: "Send corrected application" }).click();
    await expect(page).toHaveURL(new RegExp(`/applications/${reference}`));
    await expect(page.locator(".status-panel .badge")).toHaveText("Submitted");
    await logOut(page);

    // The officer reviews again and approves.
    await logInWithCode(page, OFFICER.id, OFFICER.password, OFFICER.phone);
    await page.goto(`/officer/applications/${reference}`);
    await expect(page.getByText("Civil engineer")).toBeVisible();
    await page.getByRole("button", { name: "Start review" }).click();
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.locator(".status-panel .badge")).toHaveText("Awaiting payment");
    await logOut(page);

    // The citizen sees the new status, what to pay, and the SMS in the outbox.
    await logInWithCode(page, CITIZEN.id, PASSWORD, CITIZEN.e164);
    await page.goto(`/applications/${reference}`);
    await expect(page.locator(".status-panel .badge")).toHaveText("Awaiting payment");
    await expect(page.locator(".status-panel")).toContainText("KES 4,550");
    await expect(page.locator(".timeline__item")).toHaveCount(6);
    await expectAccessible(page);
    const outbox = await page.request.get(`/dev/outbox.json?to=${encodeURIComponent(CITIZEN.e164)}`);
    const messages: { body: string }[] = await outbox.json();
    expect(messages.map((m) => m.body)).toContainEqual(expect.stringContaining(`${reference} was approved. Pay KES 4,550`));
  });

  test("the citizen pays by M-Pesa: cancelled first, then paid; the receipt verifies anywhere", async ({ page, browser }) => {
    await logInWithCode(page, CITIZEN.id, PASSWORD, CITIZEN.e164);
    await page.goto(`/applications/${reference}`);
    await page.getByRole("link", { name: "Pay KES 4,550" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pay for your application");
    await waitForHydration(page);
    await expect(page.getByRole("row", { name: /Service fee\s+KES 4,500/ })).toBeVisible();
    await expect(page.getByRole("row", { name: /Convenience fee\s+KES 50/ })).toBeVisible();
    await expect(page.getByLabel("M-Pesa phone number")).toHaveValue("+254733444555");
    await expectAccessible(page);

    // A phone ending 0002 cancels the request: a plain-language failure, then "Try again".
    await page.getByLabel("M-Pesa phone number").fill("0700 000 002");
    await page.getByRole("button", { name: "Pay KES 4,550" }).click();
    await expect(page.getByRole("heading", { name: "Check your phone and enter your M-Pesa PIN" })).toBeVisible();
    await expectAccessible(page);
    await expect(page.getByRole("heading", { name: "The payment was not completed" })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText("The payment was cancelled on the phone.")).toBeVisible();

    await page.getByLabel("M-Pesa phone number").fill("0733 444 555");
    await page.getByRole("button", { name: "Pay KES 4,550" }).click();
    await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible({ timeout: 15_000 });
    await page.getByRole("link", { name: "View your receipt" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment receipt");
    await expect(page.locator(".receipt")).toContainText(reference);
    await expect(page.locator(".receipt")).toContainText("KES 4,550");
    await expect(page.locator(".receipt__qr svg")).toBeVisible();
    await expectAccessible(page);
    const verifyUrl = (await page.locator(".receipt__qr a").getAttribute("href"))!;

    await page.goto(`/applications/${reference}`);
    await expect(page.locator(".status-panel .badge")).toHaveText("Paid");
    await expect(page.locator(".status-panel .badge")).toHaveClass(/badge--done/);

    // Anyone can check the receipt, without an account; only non-sensitive facts show.
    const stranger = await browser.newContext();
    const other = await stranger.newPage();
    await other.goto(verifyUrl);
    await expect(other.getByRole("heading", { name: "This receipt is genuine" })).toBeVisible();
    await expect(other.getByText("Otieno O.")).toBeVisible();
    await expect(other.getByText("Odhiambo")).toHaveCount(0);
    await expectAccessible(other);
    await other.goto(verifyUrl.replace(/\/verify\/.*/, "/verify/AAAAAAAAAAAAAAAA"));
    await expect(other.getByRole("heading", { name: "We could not find a receipt with this code" })).toBeVisible();
    await stranger.close();
  });

  test("a citizen never reaches the back office", async ({ page }) => {
    await logInWithCode(page, CITIZEN.id, PASSWORD, CITIZEN.e164);
    await page.goto("/officer");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You do not have access to this page");
    const direct = await page.request.post("/api/officer/queue", { form: { service: "", status: "", after: "", return_to: "/officer" } });
    expect(direct.status()).toBe(403);
  });
});
