import { expect, test } from "./fixtures";
import { chooseLanguage, expectAccessible, menuToggle, openMenu, waitForHydration } from "./support";

test.describe("home page", () => {
  test("renders complete HTML without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Government services in one place");
    await expect(page.locator("h1")).toHaveCount(1);
    await expect(page.getByRole("link", { name: "Create an account" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Passport" })).toBeVisible();
    // The menu is plain HTML: shown on a wide screen, one tap away on a phone, no script needed.
    await openMenu(page);
    await expect(page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Services" })).toBeVisible();
    // (axe-core needs JavaScript; the same page is checked with it in the tests below.)
    await context.close();
  });

  test("switching to Kiswahili changes the text and lang, and back", async ({ page }) => {
    await page.goto("/");
    await expectAccessible(page);
    await chooseLanguage(page, "Kiswahili");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "sw");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Huduma za serikali mahali pamoja");
    await expect(page.getByRole("link", { name: "Jisajili" }).first()).toBeVisible();
    await expectAccessible(page);

    // The choice is remembered on the next page too.
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ukurasa haukupatikana");
    await expectAccessible(page);

    await chooseLanguage(page, "English");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  });

  test("the language switcher works without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/");
    await chooseLanguage(page, "Kiswahili");
    await expect(page.locator("html")).toHaveAttribute("lang", "sw");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Huduma za serikali mahali pamoja");
    await context.close();
  });

  test("a browser that prefers Kiswahili gets Kiswahili first", async ({ browser }) => {
    const context = await browser.newContext({ locale: "sw-KE" });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "sw");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Huduma za serikali mahali pamoja");
    await context.close();
  });

  for (const javaScript of [true, false]) {
    test(`the phone menu opens and closes ${javaScript ? "with" : "without"} JavaScript, and loads no WASM`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      const bundle: string[] = [];
      page.on("request", (request) => {
        if (/\/pkg\/.*\.(wasm|js)$/.test(new URL(request.url()).pathname)) bundle.push(request.url());
      });
      await page.goto("/");
      if (javaScript) await waitForHydration(page);
      const menu = page.locator(".site-menu");
      const services = page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Services" });
      await expect(menu).not.toHaveAttribute("open");
      await expect(services).toBeHidden();
      await menuToggle(page).click();
      await expect(menu).toHaveAttribute("open", "");
      await expect(services).toBeVisible();
      if (javaScript) await expectAccessible(page);
      await menuToggle(page).click();
      await expect(services).toBeHidden();
      expect(bundle, "the home page has no island").toEqual([]);
      await context.close();
    });
  }

  test("nothing scrolls sideways at 320 px", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ["/", "/no-such-page", "/offline"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    }
  });

  test("a skip link leads to the main content", async ({ page }) => {
    await page.goto("/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
  });
});

test("an unknown address gets a real 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  await expectAccessible(page);
});

test.describe("installable app", () => {
  test("the manifest is linked and valid, with its icons", async ({ page, request }) => {
    await page.goto("/");
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBe("/manifest.webmanifest");
    await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute("content", /^#[0-9a-f]{6}$/i);
    await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", /\.png$/);

    const response = await request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("manifest+json");
    const manifest = await response.json();
    expect(manifest.name).toContain("Raia");
    expect(manifest.short_name).toBe("Raia");
    expect(manifest.display).toBe("standalone");
    expect(manifest.start_url).toMatch(/^\//);
    expect(manifest.theme_color).toMatch(/^#/);
    expect(manifest.background_color).toMatch(/^#/);

    const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
    expect(sizes).toContain("192x192");
    expect(sizes).toContain("512x512");
    expect(manifest.icons.some((icon: { purpose?: string }) => icon.purpose?.includes("maskable"))).toBe(true);
    for (const icon of manifest.icons) {
      const image = await request.get(icon.src);
      expect(image.status(), icon.src).toBe(200);
      const bytes = await image.body();
      // PNG: width and height are big-endian at bytes 16..24.
      const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
  });

  test("the service worker becomes ready, and offline reloads show the offline page", async ({ page, context }) => {
    await page.goto("/");
    await waitForHydration(page);
    const active = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.active?.scriptURL ?? null;
    });
    expect(active).toMatch(/\/sw\.js$/);
    // Once the worker controls the page, it answers for it when the network is gone.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are offline");
    await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/");
    await expectAccessible(page);
    await context.setOffline(false);

    await page.getByRole("link", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Government services in one place");
  });

  test("the service worker never caches server functions", async ({ request }) => {
    const response = await request.get("/sw.js");
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toContain("no-cache");
    const script = await response.text();
    expect(script).toContain('url.pathname.startsWith("/api/")');
    // This build's hashed WASM is in the shell it caches.
    expect(script).toMatch(/"\/pkg\/raia\.[^"]+\.wasm"/);
  });
});
