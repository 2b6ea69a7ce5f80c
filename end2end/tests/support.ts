import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

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

/** Chooses the language through the header switcher, as a citizen would. */
export async function chooseLanguage(page: Page, name: "English" | "Kiswahili") {
  const link = page.getByRole("navigation", { name: /Language|Lugha/ }).getByRole("link", { name });
  await link.click();
}
