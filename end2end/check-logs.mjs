// After the Playwright suite: the server's log for the whole run must hold no secret the
// suite handled. Run by `./dev.sh test` while the server still runs:
//
//   node check-logs.mjs SERVER_LOG SESSIONS_FILE BASE_URL CALLBACK_SECRET
//
// Searched for: every password in the specs, every one-time code the server sent (read
// back from the dev outbox), every session token it issued (recorded by tests/fixtures.ts),
// the test card numbers, and the M-Pesa callback secret (part of the callback's URL).
import { readFileSync, readdirSync } from "node:fs";

const [logFile, sessionsFile, baseUrl, callbackSecret] = process.argv.slice(2);
const log = readFileSync(logFile, "utf8");
const specs = readdirSync("tests").map((name) => readFileSync(`tests/${name}`, "utf8")).join("\n");

const secrets = [];
const add = (kind, value) => value && secrets.push({ kind, value });

for (const [, password] of specs.matchAll(/(?:PASSWORD|password)\w*\s*[=:]\s*"([^"]{8,})"/g)) add("password", password);
for (const password of ["Harambee demo 2026", "Raia staff demo 2026"]) add("password", password);
for (const [card] of specs.matchAll(/\b\d{4} \d{4} \d{4} \d{4}\b/g)) {
  add("card number", card);
  add("card number", card.replaceAll(" ", ""));
}
add("callback secret", callbackSecret);
for (const token of readFileSync(sessionsFile, "utf8").split("\n")) add("session token", token.trim());

const outbox = await (await fetch(`${baseUrl}/dev/outbox.json`)).json();
const codes = new Set();
// Six digits standing alone: a reference's counter (`PP-2026-000001`) is no code.
const standalone = /(?<![\w-])(\d{6})(?![\w-])/g;
for (const message of outbox.filter((message) => /code|msimbo/i.test(`${message.body}`))) for (const [, code] of `${message.body}`.matchAll(standalone)) codes.add(code);

const leaks = [];
for (const { kind, value } of secrets) if (log.includes(value)) leaks.push(`${kind} "${value.slice(0, 12)}…"`);
// A code must not stand alone anywhere in the log (a timestamp's microseconds follow a '.',
// a reference's counter a '-': neither is taken for one).
for (const code of codes) if (new RegExp(`(?<![\\w.:-])${code}(?![\\w-])`).test(log)) leaks.push(`one-time code ${code}`);

const sessions = secrets.filter((secret) => secret.kind === "session token").length;
console.log(`searched ${log.length} bytes of server log for ${secrets.length} secrets (${sessions} session tokens) and ${codes.size} codes`);
if (sessions === 0 || codes.size === 0) {
  console.error("nothing to search for: the suite recorded no session token or sent no code");
  process.exit(1);
}
if (leaks.length > 0) {
  console.error(`the server log holds secrets:\n  ${leaks.join("\n  ")}`);
  process.exit(1);
}
