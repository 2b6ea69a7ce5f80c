// Page weight: every byte a first visit receives, measured in a real browser (Debian's
// Chromium driven by the Playwright the browser tests already install). Each page gets a
// fresh browser context, so nothing is cached; the page's requests and its service
// worker's (the app-shell precache a first visit also pays for) are both counted, as
// response headers plus the body as sent (brotli when the server precompressed it).
//
// usage: node bench/page-weight.mjs BASE_URL [--cookie NAME=VALUE] PAGE... [--logged-in PAGE...]
// Prints a JSON array, one entry per page, on stdout.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Service-worker requests are reported on the context only with this switch (Chromium).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = "1";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { chromium } = createRequire(path.join(root, "end2end", "package.json"))("@playwright/test");

const QUIET_MS = 1000; // no request in flight for this long: the visit is over
const WAIT_LIMIT_MS = 20000;

function parseArgs(argv) {
  const [base, ...rest] = argv;
  if (!base) throw new Error("usage: page-weight.mjs BASE_URL [--cookie NAME=VALUE] PAGE... [--logged-in PAGE...]");
  const pages = [];
  let cookie = null;
  let loggedIn = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--cookie") cookie = rest[++i];
    else if (rest[i] === "--logged-in") loggedIn = true;
    else pages.push({ path: rest[i], loggedIn });
  }
  return { base: base.replace(/\/$/, ""), cookie, pages };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function weigh(browser, base, cookie, { path: pagePath, loggedIn }) {
  const context = await browser.newContext({ serviceWorkers: "allow" });
  if (loggedIn) {
    if (!cookie) throw new Error(`${pagePath} needs --cookie`);
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name, value: value.join("="), url: base }]);
  }
  const files = [];
  const pending = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  context.on("request", () => {
    inFlight++;
    lastActivity = Date.now();
  });
  context.on("requestfailed", (request) => {
    inFlight--;
    lastActivity = Date.now();
    files.push({ url: request.url(), type: request.resourceType(), bytes: 0, failed: request.failure()?.errorText ?? "failed" });
  });
  context.on("requestfinished", (request) => {
    pending.push(
      (async () => {
        const sizes = await request.sizes();
        const response = await request.response();
        const headers = response ? await response.allHeaders() : {};
        files.push({
          url: request.url(),
          type: request.resourceType(),
          status: response?.status() ?? 0,
          bytes: sizes.responseHeadersSize + sizes.responseBodySize,
          encoding: headers["content-encoding"] ?? "",
          acceptEncoding: (await request.allHeaders())["accept-encoding"] ?? "",
          serviceWorker: Boolean(request.serviceWorker()),
        });
      })().finally(() => {
        inFlight--;
        lastActivity = Date.now();
      }),
    );
  });

  const page = await context.newPage();
  const started = Date.now();
  const response = await page.goto(base + pagePath, { waitUntil: "load" });
  const finalUrl = page.url();
  // The WASM is fetched in requestIdleCallback after load: when the page preloads it, wait
  // for it (and for hydration, which follows), not just for the load event.
  const wasm = await page.evaluate(() => {
    const link = document.querySelector('link[rel=preload][as=fetch][href$=".wasm"], link[rel=preload][href$=".wasm"]');
    return link ? new URL(link.getAttribute("href"), location.href).href : null;
  });
  let hydrated = false;
  if (wasm) {
    while (Date.now() - started < WAIT_LIMIT_MS && !files.some((f) => f.url === wasm)) await sleep(50);
    hydrated = await page
      .waitForFunction(() => document.body.dataset.hydrated === "true", null, { timeout: 5000 })
      .then(() => true)
      .catch(() => false);
  }
  // Then until nothing is in flight for a moment (the service worker's precache included).
  while (Date.now() - started < WAIT_LIMIT_MS && (inFlight > 0 || Date.now() - lastActivity < QUIET_MS)) await sleep(50);
  hydrated ||= await page.evaluate(() => document.body?.dataset.hydrated === "true").catch(() => false);
  await Promise.allSettled(pending);
  await context.close();

  const sum = (list) => list.reduce((total, f) => total + f.bytes, 0);
  const pageFiles = files.filter((f) => !f.serviceWorker);
  const workerFiles = files.filter((f) => f.serviceWorker);
  return {
    path: pagePath,
    loggedIn,
    status: response?.status() ?? 0,
    finalUrl,
    wasm,
    wasmFetched: wasm ? files.some((f) => f.url === wasm) : null,
    hydrated,
    waitedMs: Date.now() - started,
    totalBytes: sum(files),
    pageBytes: sum(pageFiles),
    serviceWorkerBytes: sum(workerFiles),
    requests: files.length,
    files: files.sort((a, b) => b.bytes - a.bytes),
  };
}

const { base, cookie, pages } = parseArgs(process.argv.slice(2));
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || "/usr/bin/chromium", args: ["--no-sandbox"] });
const results = [];
try {
  for (const page of pages) {
    try {
      results.push(await weigh(browser, base, cookie, page));
    } catch (error) {
      results.push({ path: page.path, loggedIn: page.loggedIn, error: String(error?.message ?? error) });
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results, null, 2));
