import { expect, test } from "./fixtures";
import { chooseLanguage, expectAccessible, logInWithCode, logOut } from "./support";

test.beforeEach(async ({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "one notice, posted once, on the phone");
});

/** A time as a `datetime-local` field holds it, in East Africa Time (UTC+3). */
function eat(offsetMinutes: number): string {
  return new Date(Date.now() + 3 * 3600_000 + offsetMinutes * 60_000).toISOString().slice(0, 16);
}

test("an admin posts an outage notice; citizens see it on every page and on /status, and can hide it", async ({ browser, page }) => {
  await logInWithCode(page, "30000000", "Raia staff demo 2026", "+254700000100");
  await page.goto("/admin");
  await page.getByRole("link", { name: "Post a service notice" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Post a service notice");
  await expectAccessible(page);

  // A notice that ends before its start is refused beside the field.
  await page.getByLabel("Outage").check();
  await page.getByLabel("Title in English").fill("M-Pesa payments are delayed");
  await page.getByLabel("Title in Kiswahili").fill("Malipo ya M-Pesa yanachelewa");
  await page.getByLabel("Text in English").fill("Payments may take a few minutes to show. Please do not pay twice.");
  await page.getByLabel("Text in Kiswahili").fill("Malipo yanaweza kuchukua dakika chache kuonekana. Tafadhali usilipe mara mbili.");
  await page.getByLabel("Starts (East Africa Time)").fill(eat(-1));
  await page.getByLabel("Ends (optional)").fill(eat(-2));
  await page.getByRole("button", { name: "Post notice" }).click();
  await expect(page.getByRole("alert")).toContainText("The end must be after the start");

  // Over in two minutes, so the rest of the suite is not shown it.
  await page.getByLabel("Outage").check();
  await page.getByLabel("Title in English").fill("M-Pesa payments are delayed");
  await page.getByLabel("Title in Kiswahili").fill("Malipo ya M-Pesa yanachelewa");
  await page.getByLabel("Text in English").fill("Payments may take a few minutes to show. Please do not pay twice.");
  await page.getByLabel("Text in Kiswahili").fill("Malipo yanaweza kuchukua dakika chache kuonekana. Tafadhali usilipe mara mbili.");
  await page.getByLabel("Starts (East Africa Time)").fill(eat(-1));
  await page.getByLabel("Ends (optional)").fill(eat(2));
  await page.getByRole("button", { name: "Post notice" }).click();
  await expect(page.getByRole("status")).toContainText("The notice was posted.");
  await logOut(page);

  // Anyone, logged in or not, on any page.
  const citizen = await (await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 740 } })).newPage();
  await citizen.goto("/services");
  const notice = citizen.getByRole("region", { name: "M-Pesa payments are delayed" });
  await expect(notice).toContainText("Please do not pay twice.");
  await expectAccessible(citizen);
  await citizen.goto("/");
  await expect(notice).toBeVisible();
  await chooseLanguage(citizen, "Kiswahili");
  await expect(citizen.getByRole("region", { name: "Malipo ya M-Pesa yanachelewa" })).toBeVisible();
  await chooseLanguage(citizen, "English");

  await notice.getByRole("link", { name: "Service status" }).click();
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("Service status");
  await expect(citizen.locator(".notice-item")).toContainText("M-Pesa payments are delayed");
  await expectAccessible(citizen);

  await notice.getByRole("button", { name: "Hide this notice" }).click();
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("Service status");
  await expect(notice).toHaveCount(0);
  await citizen.goto("/services");
  await expect(citizen.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(notice).toHaveCount(0);
  await citizen.context().close();
});
