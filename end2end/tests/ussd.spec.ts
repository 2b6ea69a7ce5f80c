import { expect, test, type Page } from "./fixtures";
import { chooseLanguage, expectAccessible } from "./support";

// /dev/ussd: a feature phone's USSD dialog, each step posted to the real callback. Plain
// forms, so it works the same with and without JavaScript.

const screen = (page: Page) => page.locator("output.ussd-phone__screen");

async function answer(page: Page, text: string, button: "Send" | "Tuma" = "Send") {
  await page.getByLabel(/Your answer|Jibu lako/).fill(text);
  await page.getByRole("button", { name: button }).click();
}

test("a feature phone dials Raia, reads its applications and goes back to the menu", async ({ page }) => {
  await page.goto("/dev/ussd");
  await expect(page.getByRole("heading", { level: 1, name: "USSD on a feature phone" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Dial *384*1234#" }).click();
  await expect(screen(page)).toContainText("1 My applications");
  await expectAccessible(page);
  await answer(page, "1");
  await expect(screen(page)).toContainText(/My applications|You have no applications yet\./);
  await answer(page, "0");
  await expect(screen(page)).toContainText("3 Language");
  await answer(page, "7");
  await expect(screen(page)).toContainText("Choose a number from the list.");
  await answer(page, "0");
  await expect(screen(page)).toHaveText("Thank you for using Raia.");
  await expect(page.getByRole("button", { name: "Dial *384*1234#" })).toBeVisible();
});

test("the dialog and its page read in Kiswahili", async ({ page }) => {
  await page.goto("/dev/ussd");
  await chooseLanguage(page, "Kiswahili");
  await expect(page.getByRole("heading", { level: 1, name: "USSD kwenye simu ya kawaida" })).toBeVisible();
  await expectAccessible(page);
  // A phone with no account is told where Raia is, whatever the page's language.
  await page.getByLabel("Nambari ya simu").fill("+254799000111");
  await page.getByRole("button", { name: "Piga *384*1234#" }).click();
  await expect(screen(page)).toContainText("Raia: omba huduma za serikali kwenye");
  await expectAccessible(page);
  await chooseLanguage(page, "English");
});
