import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { chooseLanguage, expectAccessible, latestCode, logInWithCode, registerCitizen } from "./support";

// A citizen's data rights (issue 26): an officer who opens an application outside their
// queue must say why; the citizen sees who looked, when and why at /account/data, and
// downloads everything Raia holds about them as a JSON file. The page works without
// JavaScript, in English and Kiswahili.
test.describe.configure({ mode: "serial" });
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "one run on the phone");
});

const LANGAT = { id: "23404695", first: "Langat", year: "1978", email: "langat.kariuki@example.com", phone: "+254722340469" };
const PASSWORD = "Kericho tea fields at dawn";
const DCI_OFFICER = { id: "30000004", phone: "+254700000104", password: "Raia staff demo 2026" };
const REASON = "Checking complaint 7781 about this application";

let reference = "";

test("an officer opening an application outside their queue gives a reason", async ({ page, browser }) => {
  await registerCitizen(page, LANGAT, PASSWORD);
  await logInWithCode(page, LANGAT.id, PASSWORD, LANGAT.phone);
  await page.goto("/services/good-conduct/apply");
  await page.getByLabel("What do you need the certificate for?").selectOption("employment");
  await page.getByLabel("County where you live").fill("Kericho");
  await page.getByLabel("Where will you have your fingerprints taken?").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Declaration");
  await page.getByLabel("I confirm the declaration above").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/applications\/GCC-\d{4}-\d{6}\?submitted=1/);
  reference = (await page.locator(".banner .mono").textContent())!.trim();

  // Waiting for the citizen's payment, it is nothing DCI's officer has to do.
  const desk = await (await browser.newContext()).newPage();
  await desk.goto("/login");
  await desk.getByLabel("ID number, email or phone number").fill(DCI_OFFICER.id);
  await desk.getByLabel("Password", { exact: true }).fill(DCI_OFFICER.password);
  await desk.getByRole("button", { name: "Continue" }).click();
  await desk.getByLabel(/Text message to \+2547\*{5}\d{3}/).check();
  await desk.getByRole("button", { name: "Send code" }).click();
  await desk.getByLabel("Code", { exact: true }).fill(await latestCode(desk, DCI_OFFICER.phone));
  await desk.getByRole("button", { name: "Continue" }).click();
  await expect(desk).toHaveURL(/\/dashboard$/);
  await desk.goto(`/officer/applications/${reference}`);
  await expect(desk.getByRole("heading", { level: 1 })).toHaveText("Why are you opening this application?");
  await expect(desk.getByText(reference)).toHaveCount(0);
  await expectAccessible(desk);
  await desk.getByLabel("Reason (the applicant sees it)").fill(REASON);
  await desk.getByRole("button", { name: "Open the application" }).click();
  await expect(desk).toHaveURL(/\?reason=/);
  await expect(desk.getByText(reference).first()).toBeVisible();
  await desk.context().close();
});

test("the citizen sees who looked and downloads everything Raia holds", async ({ page }) => {
  await logInWithCode(page, LANGAT.id, PASSWORD, LANGAT.phone);
  await page.goto("/account");
  await page.getByRole("link", { name: /See everything Raia holds about you/ }).click();
  await expect(page).toHaveURL(/\/account\/data$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your data");
  const looked = page.getByRole("table", { name: "Who looked at your data" });
  await expect(looked).toContainText("Officer, DCI");
  await expect(looked).toContainText(`Application: ${reference}`);
  await expect(looked).toContainText(REASON);
  await expect(page.getByRole("table", { name: "What Raia holds about you" })).toContainText("Applications, with your answers");
  await expectAccessible(page);

  const saved = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data (JSON)" }).click();
  const file = await saved;
  expect(file.suggestedFilename()).toBe("raia-my-data.json");
  const data = JSON.parse(await readFile((await file.path())!, "utf8"));
  expect(data.data.account[0].id_number).toBe(LANGAT.id);
  expect(data.data.applications[0].reference).toBe(reference);
  expect(data.data.applications[0].answers.county_of_residence).toBe("Kericho");
  expect(data.data.who_looked_at_my_data[0].reason).toBe(REASON);
  expect(JSON.stringify(data)).not.toContain("$argon2");

  // The download is in the account's activity, where a stranger taking it would show.
  await page.goto("/account/activity");
  await expect(page.getByRole("table")).toContainText("Your data was downloaded");

  await chooseLanguage(page, "Kiswahili");
  await page.goto("/account/data");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Data yako");
  await expect(page.getByRole("table", { name: "Nani aliangalia data yako" })).toContainText("Afisa, DCI");
  await expectAccessible(page);
  await chooseLanguage(page, "English");
});

test("the data page works without JavaScript and loads no WebAssembly", async ({ browser, page }) => {
  await logInWithCode(page, LANGAT.id, PASSWORD, LANGAT.phone);
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noScript = await plain.newPage();
  const bundles: string[] = [];
  noScript.on("request", (request) => {
    if (/\/pkg\/.*\.(js|wasm)$/.test(request.url())) bundles.push(request.url());
  });
  await noScript.goto("/account/data");
  await expect(noScript.getByRole("heading", { level: 1 })).toHaveText("Your data");
  await expect(noScript.getByRole("table", { name: "Who looked at your data" })).toContainText(REASON);
  expect(bundles).toEqual([]);
  await plain.close();
});
