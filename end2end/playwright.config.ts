import { defineConfig, devices } from "@playwright/test";

// The server is started by `./dev.sh test` (a release build on a free port, fresh database).
const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    ...(isRoot ? ["--no-sandbox"] : []),
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL,
    locale: "en-GB",
    trace: "off",
    launchOptions,
  },
  projects: [
    {
      name: "mobile",
      use: {
        browserName: "chromium",
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        launchOptions,
      },
    },
    {
      // The same phone with JavaScript off: every journey must work from the server's HTML.
      name: "no-js",
      testMatch: /journeys\.spec\.ts/,
      use: {
        browserName: "chromium",
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        javaScriptEnabled: false,
        launchOptions,
      },
    },
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], channel: undefined, viewport: { width: 1280, height: 800 }, launchOptions },
    },
  ],
});
