import { expect, test, type Page } from "./fixtures";
import { logInWithCode, openMenu, registerCitizen, waitForHydration } from "./support";

// What a phone downloads, and that moving between pages does not start over. Sizes are
// stable from run to run, unlike timings (those are in `./dev.sh bench`).

const KB = 1024;
/** Issue 25's budget for a page with nothing that moves (no island, so no WASM at all),
 *  and issue 10's for a page with an island: everything a first visit transfers, compressed. */
const READING_PAGE_BUDGET = 40 * KB;
const PUBLIC_PAGE_BUDGET = 150 * KB;
const ACCOUNT_PAGE_BUDGET = 250 * KB;

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "sizes and navigation are measured once, on the phone");
});

type Transfer = { url: string; bytes: number };

/** Every response the page loads while `visit` runs and until its islands are live, with
 *  the bytes that crossed the network (headers and compressed body). */
async function transfers(page: Page, visit: () => Promise<unknown>, { islands = true } = {}): Promise<Transfer[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const urls = new Map<string, string>();
  const done: Transfer[] = [];
  cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
  // A request that began before `visit` (the previous page's last fetch) is not this page's.
  cdp.on("Network.loadingFinished", (event) => {
    const url = urls.get(event.requestId);
    if (url) done.push({ url, bytes: event.encodedDataLength });
  });
  await visit();
  await waitForHydration(page);
  // The WASM's own "finished" event may trail the moment it starts running by a tick.
  if (islands) await expect.poll(() => done.some((t) => t.url.endsWith(".wasm")), { message: "the WASM was downloaded" }).toBe(true);
  await cdp.detach();
  return done;
}

function describe(list: Transfer[]) {
  return list.map((t) => `${(t.bytes / KB).toFixed(1)} KB ${new URL(t.url).pathname}`).join("\n");
}

const total = (list: Transfer[]) => list.reduce((sum, t) => sum + t.bytes, 0);

for (const path of ["/", "/services", "/services/passport", "/status", "/help", "/performance"]) {
  test(`a first visit to ${path} loads no WASM and no framework script, at most 40 KB`, async ({ page }) => {
    const list = await transfers(page, () => page.goto(path), { islands: false });
    const bundle = list.filter((t) => /\/pkg\/.*\.(wasm|js)$/.test(new URL(t.url).pathname));
    expect(bundle, `nothing of the browser bundle on ${path}:\n${describe(list)}`).toEqual([]);
    expect(total(list), `first visit to ${path}:\n${describe(list)}`).toBeLessThanOrEqual(READING_PAGE_BUDGET);
  });
}

test("a first visit to /login, whose password field has an island, downloads at most 150 KB", async ({ page }) => {
  const list = await transfers(page, () => page.goto("/login"));
  expect(total(list), `first visit to /login:\n${describe(list)}`).toBeLessThanOrEqual(PUBLIC_PAGE_BUDGET);
});

/** A citizen of its own (the demo account's password is changed by identity.spec.ts). */
const KIBET = { id: "37362553", first: "Kibet", year: "1980", email: "kibet@example.com", phone: "0733 111 222", e164: "+254733111222" };
const KIBET_PASSWORD = "jacaranda blossoms in october";

test("the dashboard, reached by logging in, stays within 250 KB", async ({ page }) => {
  await registerCitizen(page, KIBET, KIBET_PASSWORD);
  await logInWithCode(page, KIBET.id, KIBET_PASSWORD, KIBET.e164);
  const list = await transfers(page, () => page.goto("/dashboard"), { islands: false });
  expect(total(list), `dashboard:\n${describe(list)}`).toBeLessThanOrEqual(ACCOUNT_PAGE_BUDGET);
});

test("after the first page, links and forms swap the page in place: the WASM loads once, when a page first needs it", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith(".wasm")) wasm.push(request.url());
  });
  await page.goto("/");
  await waitForHydration(page);
  // A full page load would wipe this.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const stillSameDocument = () => page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere === true);

  // A link.
  await page.getByRole("main").getByRole("link", { name: "See all government services" }).click();
  await expect(page).toHaveURL(/\/services$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Government services");
  expect(await stillSameDocument()).toBe(true);

  expect(wasm, "no island so far, so no WASM").toEqual([]);

  // A swapped-in page with an island fetches the WASM then, and its island works.
  await openMenu(page);
  await page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Show password").check();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("type", "text");
  expect(await stillSameDocument()).toBe(true);
  expect(wasm, "the WASM came with the first page that needed it").toHaveLength(1);

  // A form that comes back with a problem: the summary has the focus, the field its message.
  await page.goto("/login");
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await page.getByLabel("ID number, email or phone number").fill("12345678");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page.locator("#password-error")).toContainText("Enter this information");
  expect(await stillSameDocument()).toBe(true);

  // The islands of a swapped-in page work: "Show password" unmasks the field.
  const password = page.getByLabel("Password", { exact: true });
  await expect(password).toHaveAttribute("type", "password");
  await page.getByLabel("Show password").check();
  await expect(password).toHaveAttribute("type", "text");

  // Back goes to the page before, still without a reload.
  await page.getByRole("main").getByRole("link", { name: "Register" }).click();
  await expect(page).toHaveURL(/\/register$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log in");
  expect(await stillSameDocument()).toBe(true);

  expect(wasm, "the WASM is fetched once per full page load, never per navigation").toHaveLength(2);
});

test("a submit button says 'Please wait' and cannot be pressed twice while its form is on its way", async ({ page }) => {
  await page.goto("/login");
  await waitForHydration(page);
  // Hold the form's request, so the pending state can be seen.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/**", async (route) => {
    await held;
    await route.continue();
  });
  await page.getByLabel("ID number, email or phone number").fill("12345678");
  await page.getByLabel("Password", { exact: true }).fill("not the password at all");
  const button = page.getByRole("button", { name: "Continue" });
  await button.click();
  const waiting = page.getByRole("button", { name: "Please wait" });
  await expect(waiting).toBeDisabled();
  await expect(waiting).toHaveAttribute("aria-busy", "true");
  release();
  await expect(page.getByRole("alert")).toContainText("The ID number, email or phone number, or the password, is not right");
});
