import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";

/** WCAG levels Raia holds itself to; any violation tagged with one fails the test. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Runs axe-core on the page as it is now and fails with a readable list of violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const problems = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
  );
  expect(problems, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** Waits until the WASM has hydrated the page (the entry point marks <body>). */
export async function waitForHydration(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Chooses the language through the header switcher, as a citizen would, and waits for
 *  the page to come back in it (the link goes through `/lang/<code>` and back). */
export async function chooseLanguage(page: Page, name: "English" | "Kiswahili") {
  const link = page.getByRole("navigation", { name: /Language|Lugha/ }).getByRole("link", { name });
  await link.click();
  await expect(page.locator("html")).toHaveAttribute("lang", name === "English" ? "en" : "sw");
}

/** The newest one-time code sent to `to`, read from the development outbox (asked again
 *  until a message with a code is there). */
export async function latestCode(page: Page, to: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/dev/outbox.json?to=${encodeURIComponent(to)}`);
        if (response.status() !== 200) return `outbox answered ${response.status()}`;
        const messages: { body: string }[] = await response.json();
        code = messages[0]?.body.match(/\b(\d{6})\b/)?.[1];
        return code ?? messages[0]?.body ?? "no message yet";
      },
      { message: `a one-time code sent to ${to}` },
    )
    .toMatch(/^\d{6}$/);
  return code!;
}

/** Someone in the population registry, with the contacts they register with. */
export type Citizen = { id: string; first: string; year: string; email: string; phone: string };

/** Registers `person` through both steps of `/register` and waits for the login page that
 *  says the account was made. */
export async function registerCitizen(page: Page, person: Citizen, password: string) {
  await page.goto("/register");
  await waitForHydration(page);
  await page.getByLabel("Kenyan citizen").check();
  await page.getByLabel("ID number or alien card number").fill(person.id);
  await page.getByLabel("First name").fill(person.first);
  await page.getByLabel("Year of birth").fill(person.year);
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page).toHaveURL(/\/register\/details/);
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Mobile phone number").fill(person.phone);
  await page.getByLabel("Create a password").fill(password);
  await page.getByLabel("Type the password again").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/login\?registered=1/);
}

/** Logs in from `/login` (password, then a code by SMS) and waits for the dashboard, so
 *  the next `goto` cannot overtake the login. */
export async function logInWithCode(page: Page, identifier: string, password: string, phone: string) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("ID number, email or phone number").fill(identifier);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it is you");
  await expectAccessible(page);
  await page.getByLabel(/Text message to \+2547\*{5}\d{3}/).check();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your code");
  const code = page.getByLabel("Code", { exact: true });
  await expect(code).toHaveAttribute("inputmode", "numeric");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await expectAccessible(page);
  await code.fill(await latestCode(page, phone));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welcome, /);
}

/** The phone menu's toggle: the `<summary>` of the header's `<details>`. */
export const menuToggle = (page: Page) => page.locator(".site-menu > summary");

/** Unfolds the header menu where it is folded (on a phone); plain HTML, no script needed. */
export async function openMenu(page: Page) {
  if (await menuToggle(page).isVisible()) {
    if ((await page.locator(".site-menu").getAttribute("open")) === null) await menuToggle(page).click();
    await expect(page.locator(".site-menu")).toHaveAttribute("open", "");
  }
}

/** Logs out through the header menu and waits for the login page that says so. The menu is
 *  plain HTML, so this is the same with JavaScript or without. */
export async function logOut(page: Page, { javaScript = true }: { javaScript?: boolean } = {}) {
  if (javaScript) await waitForHydration(page);
  await openMenu(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login\?logged_out=1/);
}

/** The code an authenticator app shows (RFC 6238: SHA-1, 6 digits, 30 s) for a base32
 *  secret as Raia prints it (in groups of four), at `at` milliseconds. */
export function authenticatorCode(secret: string, at: number = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(Array.from({ length: Math.floor(bits.length / 8) }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const hash = createHmac("sha1", key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0xf;
  const number = (((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3]) % 1_000_000;
  return number.toString().padStart(6, "0");
}

/** Opens an application from the officer's queue, as an officer would: the queue lists the
 *  oldest first, 50 to a page, so a new application may be a few "Next page" links away
 *  (the suite's server has the made-up demo history waiting too). */
export async function openFromQueue(page: Page, reference: string) {
  const link = page.getByRole("link", { name: reference });
  for (let pages = 0; pages < 20 && !(await link.isVisible()); pages++) {
    const heading = await page.locator("main").innerText();
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page.locator("main")).not.toHaveText(heading);
  }
  await link.click();
}
