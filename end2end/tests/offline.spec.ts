import { expect, test, type Page } from "./fixtures";
import { logInWithCode, logOut, registerCitizen } from "./support";

// A citizen on a train: the connection drops as they press "Save and continue". The answers
// wait on the phone and reach the server once it is back; logging out leaves nothing behind.
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "offline drafts need JavaScript, on the phone");
});

const NYAMBURA = { id: "30038705", first: "Nyambura", year: "1975", email: "nyambura@example.com", phone: "0722 300 387", e164: "+254722300387" };
const PASSWORD = "matatu stage at dawn";

const keptDrafts = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("raia-draft:")).length);

async function fillFirstStep(page: Page, occupation: string) {
  await page.getByLabel("Date of birth").fill("1975-03-14");
  await page.getByLabel("Place of birth").fill("Eldoret");
  await page.getByLabel("Marital status").selectOption("married");
  await page.getByLabel("Occupation").fill(occupation);
}

test("a draft step saved without a connection is sent when the phone is back online, and logging out clears the phone", async ({ page, context }) => {
  await registerCitizen(page, NYAMBURA, PASSWORD);
  await logInWithCode(page, NYAMBURA.id, PASSWORD, NYAMBURA.e164);
  await page.goto("/services/passport");
  await page.getByRole("link", { name: "Apply now" }).click();
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
  await fillFirstStep(page, "Tailor");

  await context.setOffline(true);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved on this phone. We will send it when you are back online." })).toBeVisible();
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
  expect(await keptDrafts(page)).toBe(1);

  await context.setOffline(false);
  // (Not "back online" alone: the first message says "when you are back online".)
  await expect(page.getByRole("status").filter({ hasText: "the answers saved on this phone are now saved in your application" })).toBeVisible();
  expect(await keptDrafts(page)).toBe(0);
  // What the step shows now comes from the server: nothing is left on the phone.
  await page.goto("/services/passport/apply?step=1");
  await expect(page.getByLabel("Occupation")).toHaveValue("Tailor");
  await expect(page.getByLabel("Place of birth")).toHaveValue("Eldoret");

  // Lost again (this request only), and the citizen logs out before the phone sends it.
  await page.route("**/api/applications/save-step", (route) => route.abort("internetdisconnected"));
  await page.getByLabel("Occupation").fill("Fundi");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved on this phone." })).toBeVisible();
  expect(await keptDrafts(page)).toBe(1);
  await page.unroute("**/api/applications/save-step");
  await logOut(page);
  expect(await keptDrafts(page)).toBe(0);

  // Logged in again: the answers kept before logging out were never sent.
  await logInWithCode(page, NYAMBURA.id, PASSWORD, NYAMBURA.e164);
  await page.goto("/services/passport/apply?step=1");
  await expect(page.getByLabel("Occupation")).toHaveValue("Tailor");
});

test("the offline page says what still works", async ({ page }) => {
  await page.goto("/offline");
  await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
  await expect(page.getByText("Answers you type in an application form are kept on this phone")).toBeVisible();
});
