import { expect, test } from "./fixtures";
import { chooseLanguage, expectAccessible } from "./support";

// /performance: public figures per agency and service, with server-drawn SVG charts and the
// same numbers in tables. The suite's server runs with DEMO_HISTORY=true, so passports have
// real figures and driving-licence renewals (4 applications) show "Fewer than 5".

test("anyone reads the service performance page in English and Kiswahili, accessibly", async ({ page }) => {
  await page.goto("/");
  await page.locator("footer").getByRole("link", { name: "Service performance" }).click();
  await expect(page).toHaveURL(/\/performance$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service performance");

  const immigration = page.getByRole("region", { name: /Immigration/ }).first();
  await expect(page.getByRole("img", { name: /Immigration.*median and 90th percentile time to complete/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Immigration.*share completed within the promised time/ })).toBeVisible();
  await expect(immigration.getByRole("rowheader", { name: "Ordinary passport" }).first()).toBeVisible();
  const licence = page.locator("#service-driving-licence-renewal");
  await expect(licence).toContainText("Fewer than 5");
  // The charts fit a phone: no sideways scrolling of the page.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);

  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Utendaji wa huduma");
  await expect(licence).toContainText("Chini ya 5");
  await expect(page.getByRole("img", { name: /wastani wa kati/ }).first()).toBeVisible();
  await expectAccessible(page);
  await chooseLanguage(page, "English");
});

test("the figures are in the page without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: test.info().project.use.baseURL });
  const plain = await context.newPage();
  await plain.goto("/performance");
  await expect(plain.getByRole("heading", { level: 1 })).toHaveText("Service performance");
  await expect(plain.locator("svg.chart").first()).toBeVisible();
  await expect(plain.locator("#service-passport td").first()).not.toHaveText("Fewer than 5");
  await context.close();
});
