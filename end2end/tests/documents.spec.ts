import { expect, test, type Page } from "./fixtures";
import { latestCode } from "./support";

// What services deliver, on the phone: a fine paid by its notice number (the amount comes
// from NTSA's record), a vehicle search answered by the register with its PDF, and a
// certificate of good conduct issued, checked by a stranger, revoked, and shown as revoked.
test.describe.configure({ mode: "serial" });
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "one run on the phone");
});

const CITIZEN = { id: "12345678", phone: "+254712345678", password: "Harambee demo 2026" };
const DCI_OFFICER = { id: "30000004", phone: "+254700000104", password: "Raia staff demo 2026" };

async function logIn(page: Page, who: { id: string; phone: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("ID number, email or phone number").fill(who.id);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it is you");
  await page.getByLabel(/Text message to \+2547\*{5}\d{3}/).check();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  await page.getByLabel("Code", { exact: true }).fill(await latestCode(page, who.phone));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

async function declareAndSubmit(page: Page) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Declaration");
  await page.getByLabel("I confirm the declaration above").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before you submit");
}

async function payByCard(page: Page, amount: string) {
  await page.getByRole("link", { name: `Pay ${amount}` }).click();
  await page.locator("summary", { hasText: "Pay by card" }).click();
  const card = page.locator("form").filter({ has: page.getByLabel("Card number") });
  await card.getByLabel("Card number").fill("4242 4242 4242 4242");
  await card.getByLabel("Expiry date").fill("12/30");
  await card.getByLabel("Security code").fill("123");
  await card.getByRole("button", { name: `Pay ${amount}` }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
}

test("pay a traffic fine by its notice number: the amount is the notice's", async ({ page }) => {
  await logIn(page, CITIZEN);
  await page.goto("/services/ntsa-fines");
  await expect(page.getByText("The amount on your fine notice")).toBeVisible();
  await page.getByRole("link", { name: "Apply now" }).click();
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("radio")).toHaveCount(0);
  await page.getByLabel("Notice number").fill("NTSA9999999");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.locator(".error-summary")).toContainText("No fine has this notice number");
  await page.getByLabel("Notice number").fill("NTSA0010005");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.locator(".error-summary")).toContainText("This fine has already been paid");
  await page.getByLabel("Notice number").fill("ntsa 0010003");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await declareAndSubmit(page);
  await expect(page.locator(".panel--confirm")).toContainText("KES 1,050");
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/applications\/FNE-\d{4}-\d{6}\?submitted=1/);
  await expect(page.locator(".summary-list")).toContainText("Driving without carrying a licence");
  await payByCard(page, "KES 1,050");
});

test("search a vehicle: the register answers at once, with a PDF result", async ({ page }) => {
  await logIn(page, CITIZEN);
  await page.goto("/services/vehicle-search/apply");
  await page.getByLabel("Registration number").fill("KZZ 999Z");
  await page.getByLabel("Why do you need the record?").selectOption("buying");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.locator(".error-summary")).toContainText("NTSA has no vehicle with this registration number");
  await page.getByLabel("Registration number").fill("kdb789c");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await declareAndSubmit(page);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/applications\/VHS-\d{4}-\d{6}\?submitted=1/);
  const application = page.url().replace(/\?.*$/, "");
  await payByCard(page, "KES 550");
  // The register worker answers within seconds; the page shows it once it has.
  await expect(async () => {
    await page.goto(application);
    await expect(page.locator(".status-panel .badge")).toHaveText("Completed", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  const panel = page.getByRole("region", { name: "Your document" });
  await expect(panel).toContainText("Official vehicle search result");
  const download = page.waitForEvent("download");
  await panel.getByRole("link", { name: "Download (PDF)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^DOC-\d{4}-\d{6}\.pdf$/);
  const bytes = await (await import("node:fs/promises")).readFile((await file.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  expect(bytes.toString("latin1")).toContain("Isuzu D-Max");
  await page.goto("/my-documents");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My documents");
  await expect(page.locator(".application-list")).toContainText("Official vehicle search result");
});

let certificate = "";
let goodConduct = "";
test("a certificate of good conduct is issued on approval", async ({ page }) => {
  await logIn(page, CITIZEN);
  await page.goto("/services/good-conduct/apply");
  await page.getByLabel("What do you need the certificate for?").selectOption("employment");
  await page.getByLabel("County where you live").fill("Nairobi");
  await page.getByLabel("Where will you have your fingerprints taken?").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Save and continue" }).click();
  await declareAndSubmit(page);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/applications\/GCC-\d{4}-\d{6}\?submitted=1/);
  goodConduct = (await page.locator(".banner .mono").textContent())!.trim();
  await payByCard(page, "KES 1,050");

  const officer = await page.context().browser()!.newContext();
  const desk = await officer.newPage();
  await logIn(desk, DCI_OFFICER);
  await desk.goto(`/officer/applications/${goodConduct}`);
  await desk.getByRole("button", { name: "Start review" }).click();
  await desk.getByRole("button", { name: "Approve" }).click();
  const panel = desk.getByRole("region", { name: "Your document" });
  await expect(panel).toContainText("Police clearance certificate");
  certificate = (await panel.locator(".mono").textContent())!.trim();
  await officer.close();

  await page.goto("/my-documents");
  await expect(page.locator(".application-list")).toContainText(certificate);
  await expect(page.locator(".application-list")).toContainText("Valid");
});

test("a stranger checks the certificate; DCI revokes it; the stranger sees it revoked", async ({ browser }) => {
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto("/verify/document");
  await stranger.getByLabel("Document number").fill(certificate);
  await stranger.getByRole("button", { name: "Check" }).click();
  await expect(stranger.getByRole("heading", { name: "Genuine and valid" })).toBeVisible();
  await expect(stranger.getByText("WAN**** KAM**")).toBeVisible();

  const desk = await (await browser.newContext()).newPage();
  await logIn(desk, DCI_OFFICER);
  await desk.goto(`/officer/applications/${goodConduct}`);
  await desk.locator("summary", { hasText: "Revoke or suspend this document" }).click();
  await desk.getByLabel("Revoke (for good)").check();
  await desk.getByLabel("Reason (shown to anyone who checks it)").fill("Issued on a false declaration");
  await desk.getByRole("button", { name: "Save the document's status" }).click();
  await expect(desk.getByRole("region", { name: "Your document" })).toContainText("Revoked");

  await stranger.reload();
  await expect(stranger.getByRole("heading", { name: "Genuine, but revoked by the agency" })).toBeVisible();
  await expect(stranger.getByText("Issued on a false declaration")).toBeVisible();
});
