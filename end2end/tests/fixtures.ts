import { expect, test as base, type BrowserContext } from "@playwright/test";
import { appendFileSync } from "node:fs";

// Every test fails if the browser refused anything under Raia's Content-Security-Policy:
// a script without the response's nonce, a style or image from elsewhere, a blocked fetch.
// The policy is only as good as the proof that the real pages live within it.

const violationPattern = /Content[- ]Security[- ]Policy|CSP violation/i;

const watched = new WeakSet<BrowserContext>();

function watch(context: BrowserContext, violations: string[]) {
  if (watched.has(context)) return;
  watched.add(context);
  recordSessions(context);
  // Chromium reports most refusals in the console; the DOM event catches the rest.
  context.on("console", (message) => {
    if (violationPattern.test(message.text())) violations.push(`${message.page()?.url() ?? ""}: ${message.text()}`);
  });
  void context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
    });
  });
}

// Every session token the server issues, for check-logs.mjs to look for in the server's log
// once the suite is done (./dev.sh test sets the file).
function recordSessions(context: BrowserContext) {
  const file = process.env.RAIA_SESSIONS_FILE;
  if (!file) return;
  context.on("response", async (response) => {
    const cookies = await response.headerValue("set-cookie").catch(() => null);
    for (const [, token] of (cookies ?? "").matchAll(/raia_session=([^;\s]+)/g)) appendFileSync(file, `${token}\n`);
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ browser }, use) => {
      const violations: string[] = [];
      // Contexts a test opens itself (a second citizen, JavaScript off) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const context = await newContext(...args);
        watch(context, violations);
        return context;
      };
      await use(violations);
      browser.newContext = newContext;
      expect(violations, "the browser refused something under the Content-Security-Policy").toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, cspViolations }, use) => {
    watch(context, cspViolations);
    await use(context);
  },
});

export { expect };
export type { Page, TestInfo } from "@playwright/test";
