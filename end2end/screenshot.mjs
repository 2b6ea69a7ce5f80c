// Screenshots of pages at phone and desktop width, in both languages, for a person to look at:
//   node screenshot.mjs BASE_URL OUT_DIR PATH [PATH...]
// A path may carry a cookie to send first: "/register/details|raia_session=...".
import { chromium } from "playwright";

const [base, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const [width, height] of [[360, 740], [1280, 800]]) {
  for (const lang of ["en", "sw"]) {
    const context = await browser.newContext({ viewport: { width, height } });
    await context.addCookies([{ name: "i18n_pref_locale", value: lang, url: base }]);
    const page = await context.newPage();
    for (const entry of paths) {
      const [path, cookie] = entry.split("|");
      if (cookie) {
        const [name, ...value] = cookie.split("=");
        await context.addCookies([{ name, value: value.join("="), url: base }]);
      }
      await page.goto(base + path);
      const name = `${path.replace(/[^a-z0-9]+/gi, "_")}_${width}_${lang}.png`;
      await page.screenshot({ path: `${out}/${name}`, fullPage: true });
      console.log(`${out}/${name}`);
    }
    await context.close();
  }
}
await browser.close();
