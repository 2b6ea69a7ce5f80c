import { expect, test, type Page } from "./fixtures";
import { expectAccessible, latestCode, logInWithCode, registerCitizen, type Citizen } from "./support";

// Two citizens transfer a vehicle: the owner starts it from "My vehicles", the buyer accepts
// it in their own account with a code sent to their phone, the owner pays, an NTSA officer
// approves, NTSA's register records the buyer as the owner, and the old owner has lost the
// vehicle's record while the new one has it.
test.describe.configure({ mode: "serial" });
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "one run on the phone");
});

// Amina Hassan owns KCZ 321Z in NTSA's demo register; neither she nor Juma has an account yet.
const SELLER: Citizen = { id: "34567890", first: "Amina", year: "2001", email: "amina.hassan@example.com", phone: "0711000602" };
const SELLER_PHONE = "+254711000602";
const BUYER: Citizen = { id: "34644716", first: "Juma", year: "1988", email: "juma.simiyu@example.com", phone: "0711000601" };
const BUYER_PHONE = "+254711000601";
const PASSWORD = "a lorry full of sukuma wiki";
const NTSA_OFFICER = { id: "30000003", phone: "+254700000103", password: "Raia staff demo 2026" };

async function newPage(page: Page): Promise<Page> {
  return (await page.context().browser()!.newContext()).newPage();
}

test("two citizens transfer a vehicle, and NTSA's register changes its owner", async ({ page }) => {
  const buyer = await newPage(page);
  await registerCitizen(buyer, BUYER, PASSWORD);
  await registerCitizen(page, SELLER, PASSWORD);

  // The owner starts from the vehicles NTSA's register gives her.
  await logInWithCode(page, SELLER.id, PASSWORD, SELLER_PHONE);
  await page.goto("/my-vehicles");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My vehicles");
  await expect(page.locator(".application-list")).toContainText("KCZ 321Z");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Transfer a vehicle to someone" }).click();
  await page.getByRole("link", { name: "Apply now" }).click();
  // Not hers: refused beside the field.
  await page.getByLabel("Registration number of your vehicle").fill("KDB 789C");
  await page.getByLabel("The buyer's ID number").fill(BUYER.id);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.locator(".error-summary")).toContainText("NTSA's register does not give this vehicle to you");
  await page.getByLabel("Registration number of your vehicle").fill("kcz 321z");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Declaration");
  await page.getByLabel("I confirm the declaration above").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before you submit");
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/applications\/VTR-\d{4}-\d{6}\?submitted=1/);
  const reference = (await page.locator(".banner .mono").textContent())!.trim();
  const application = `/applications/${reference}`;
  await expect(page.locator(".status-panel .badge")).toHaveText("Waiting for the buyer");
  await expect(page.locator(".summary-list")).toContainText("Mazda Demio (2014), Red");
  await expect(page.locator(".summary-list")).toContainText("Juma Simiyu");

  // The buyer accepts in his own account, with the code sent to his phone.
  await logInWithCode(buyer, BUYER.id, PASSWORD, BUYER_PHONE);
  await buyer.goto("/my-vehicles");
  await buyer.getByRole("region", { name: "Vehicles being transferred to you" }).getByRole("link", { name: "Open the transfer" }).click();
  await expect(buyer).toHaveURL(new RegExp(`/transfers/${reference}$`));
  await expect(buyer.getByRole("heading", { level: 1 })).toHaveText("Vehicle transfer");
  await expect(buyer.locator(".summary-list")).toContainText("KCZ 321Z · Mazda Demio (2014), Red");
  await expect(buyer.locator(".summary-list")).toContainText("Amina Hassan");
  await expectAccessible(buyer);
  await buyer.getByRole("button", { name: "Send me a code" }).click();
  await expect(buyer).toHaveURL(/\?sent=1$/);
  await buyer.getByLabel("Code from the SMS").fill(await latestCode(buyer, BUYER_PHONE));
  await buyer.getByRole("button", { name: "Accept the transfer" }).click();
  await expect(buyer.getByRole("status")).toContainText("You accepted the transfer");

  // The owner pays; an NTSA officer approves.
  await page.goto(application);
  await page.getByRole("link", { name: "Pay KES 1,550" }).click();
  await page.locator("summary", { hasText: "Pay by card" }).click();
  const card = page.locator("form").filter({ has: page.getByLabel("Card number") });
  await card.getByLabel("Card number").fill("4242 4242 4242 4242");
  await card.getByLabel("Expiry date").fill("12/30");
  await card.getByLabel("Security code").fill("123");
  await card.getByRole("button", { name: "Pay KES 1,550" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();

  const desk = await newPage(page);
  await logInWithCode(desk, NTSA_OFFICER.id, NTSA_OFFICER.password, NTSA_OFFICER.phone);
  await desk.goto(`/officer/applications/${reference}`);
  await desk.getByRole("button", { name: "Start review" }).click();
  await desk.getByRole("button", { name: "Approve" }).click();
  await expect(desk.locator(".status-panel .badge")).toHaveText("Approved");

  // The register worker changes the owner within seconds; the transfer then completes.
  await expect(async () => {
    await page.goto(application);
    await expect(page.locator(".status-panel .badge")).toHaveText("Completed", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await buyer.goto("/my-vehicles");
  await expect(buyer.locator(".application-list")).toContainText("KCZ 321Z");
  await buyer.getByRole("link", { name: "Full record KCZ 321Z" }).click();
  await expect(buyer.locator(".summary-list")).toContainText("Juma Simiyu");

  // The old owner has lost the vehicle's record.
  await page.goto("/my-vehicles");
  await expect(page.getByText("NTSA's register has no vehicle in your name.")).toBeVisible();
  const response = await page.goto("/my-vehicles/KCZ321Z");
  expect(response!.status()).toBe(404);
});
