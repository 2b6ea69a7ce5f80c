#!/usr/bin/env python3
"""Writes BENCHMARKS.md from what bench/run.sh measured.

usage: report.py RESULTS_DIR OUTPUT.md [soak]

With `soak`, only the soak is reported (`bench/run.sh soak`), under a heading that says so.

Every figure comes from a file in RESULTS_DIR (raia-bench's JSON, wrk's and Lighthouse's own
reports); a measurement with no file has a NAME.why instead and is shown as "not measured".
Every budget is judged here, in one table (BUDGETS below is the issue's text as numbers).
"""

import datetime
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = 1000  # the stricter reading of "KB"

PUBLIC_PAGES = ["/", "/services", "/services/passport", "/status", "/help", "/performance", "/login"]
# Issue 25: a page with nothing that moves loads no WASM and weighs at most 40 KB; a page
# with an island (the login form's "Show password") keeps issue 10's 150 KB.
READING_PAGE_KB = 40
PAGES_WITH_ISLANDS = ["/login"]
PUBLIC_PAGE_KB = 150
LOGGED_IN_PAGE_KB = 250
LIGHTHOUSE_PAGES = [("home", "/"), ("services", "/services"), ("passport", "/services/passport"), ("status", "/status"), ("help", "/help"), ("performance", "/performance"), ("login", "/login"), ("dashboard", "/dashboard"), ("pay", "pay page")]
LIGHTHOUSE = {"performance": 95, "lcp_s": 1.2, "tbt_ms": 50, "cls": 0.02, "accessibility": 100, "best_practices": 100}
ALL_LIGHTHOUSE_BUDGETS = "performance ≥ 95, LCP ≤ 1.2 s, TBT ≤ 50 ms, CLS ≤ 0.02, accessibility 100, best practices 100"
CATALOGUE_SHARE_OF_STATIC = 0.30
P99_MS = 25
DASHBOARD_16_P99_MS = 20
STATIC_ONE_CONNECTION_MEDIAN_MS = 2
LOGINS_SHARE_OF_HASHES = 0.80
P99_DURING_RUSH_MS = 50
# Growth of the server's resident memory after the warm-up, by least squares: a leak of a
# kilobyte per request at the soak's rate would show as about 6 MiB in 10 minutes.
SOAK_GROWTH_MIB_PER_10_MINUTES = 5
# /performance recounts every service's figures at most every 5 minutes per process (the
# visitors in between are served what was counted): over a million applications (two years
# of a busy portal), one recount must stay well inside a page's time.
PERFORMANCE_APPLICATIONS = 1_000_000
PERFORMANCE_QUERY_MS = 300
# Issued documents: drawing one (on issue, and again on each download) and checking a QR code offline.
DOCUMENT_P99_MS = 50
VERIFICATIONS_PER_SECOND = 5_000
SOAK_BUDGETS = ("zero errors other than intended 429s",
                f"flat memory: growth after the warm-up < {SOAK_GROWTH_MIB_PER_10_MINUTES} MiB per 10 minutes",
                "database counts match what the load generator did")


class Results:
    """The files of one run, read on demand."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def path(self, name):
        return self.folder / name

    def why(self, name):
        file = self.path(f"{name}.why")
        if file.exists():
            return file.read_text().strip() or "failed without a message"
        return None

    def text(self, name):
        file = self.path(name)
        return file.read_text() if file.exists() else None

    def json(self, name):
        text = self.text(f"{name}.json")
        if text is None:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            return {"_invalid": f"{name}.json is not JSON ({error})"}

    def number(self, name):
        text = self.text(name)
        try:
            return float(text.strip()) if text and text.strip() else None
        except ValueError:
            return None


class NotMeasured(Exception):
    pass


def fail(error):
    """`raise` as an expression, for the lambdas handed to `Report.budget`."""
    raise error


def missing(results, name, fallback):
    return NotMeasured(results.why(name) or fallback)


# ---------------------------------------------------------------- formatting


def kb(n):
    return f"{n / KB:,.1f} KB"


def ms(n):
    return "–" if n is None else f"{n:,.2f} ms"


def mib(kb_value):
    return "–" if kb_value is None else f"{kb_value / 1024:,.1f} MiB"


def verdict(ok):
    return "met" if ok else "**NOT met**"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------- machine


def machine():
    cpu, cores, ram = platform.processor() or "unknown CPU", os.cpu_count(), None
    try:
        info = Path("/proc/cpuinfo").read_text()
        names = re.findall(r"^model name\s*:\s*(.+)$", info, re.M)
        cpu = names[0].strip() if names else cpu
        cores = len(re.findall(r"^processor\s*:", info, re.M)) or cores
        total = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        ram = int(total.group(1)) if total else None
    except OSError:
        pass
    return cpu, cores, ram


def commit():
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"`{head}`" + (" with uncommitted changes" if dirty else "")


# ---------------------------------------------------------------- parsers


def parse_wrk(text):
    """Requests/s, latency percentiles (ms) and errors from `wrk --latency`'s report."""
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not rate:
        raise NotMeasured("wrk printed no Requests/sec")
    percentiles = {int(p): float(v) * unit[u] for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    total = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(int(g) for g in sockets.groups()) if sockets else 0)
    return {
        "rate": float(rate.group(1)),
        "p50": percentiles.get(50),
        "p99": percentiles.get(99),
        "errors": errors,
        "requests": int(total.group(1)) if total else None,
        "duration": total.group(2) if total else "?",
    }


def wrk(results, name):
    text = results.text(f"{name}.txt")
    if text is None:
        raise missing(results, name, "wrk did not run")
    return parse_wrk(text)


def lighthouse(results, name):
    report = results.json(f"lighthouse-{name}")
    if report is None:
        raise missing(results, f"lighthouse-{name}", "Lighthouse did not run")
    if "_invalid" in report:
        raise NotMeasured(report["_invalid"])
    if report.get("runtimeError", {}).get("code"):
        raise NotMeasured(f"Lighthouse: {report['runtimeError'].get('message', report['runtimeError']['code'])}")
    categories, audits = report.get("categories", {}), report.get("audits", {})

    def score(category):
        value = categories.get(category, {}).get("score")
        return None if value is None else round(value * 100)

    def audit(name):
        return audits.get(name, {}).get("numericValue")

    lcp = audit("largest-contentful-paint")
    return {
        "performance": score("performance"),
        "lcp_s": None if lcp is None else lcp / 1000,
        "tbt_ms": audit("total-blocking-time"),
        "cls": audit("cumulative-layout-shift"),
        "accessibility": score("accessibility"),
        "best_practices": score("best-practices"),
        "url": report.get("finalDisplayedUrl") or report.get("finalUrl") or "",
        "requested": report.get("requestedUrl", ""),
        "failing": sorted(
            audit_id
            for category in ("accessibility", "best-practices")
            for ref in categories.get(category, {}).get("auditRefs", [])
            for audit_id in [ref.get("id")]
            if ref.get("weight", 0) > 0 and audits.get(audit_id, {}).get("score") not in (None, 1)
        ),
    }


# ---------------------------------------------------------------- sections


class Report:
    def __init__(self, results):
        self.results = results
        self.budgets = []  # (area, budget, figure, result)
        self.sections = []

    def budget(self, area, text, measure):
        """Judges one budget: `measure` returns (figure, ok) or raises NotMeasured."""
        try:
            figure, ok = measure()
            self.budgets.append((area, text, figure, verdict(ok)))
        except NotMeasured as why:
            self.budgets.append((area, text, "–", f"not measured: {why}"))

    # 1 ------------------------------------------------------------ page weight

    def page_weight(self):
        r = self.results
        pages = r.json("page-weight")
        lines = ["## 1. Page weight", "",
                 "A first visit with an empty cache in Chromium (a fresh browser context per page): every response "
                 "the page and its service worker received, headers plus bodies as sent (brotli when the browser "
                 "asks for it and a `.br` file exists). Waited for the load event, the WASM the page preloads and "
                 "hydration, then for the network to be quiet for a second.", ""]
        by_path = {}
        if pages is None or "_invalid" in (pages if isinstance(pages, dict) else {}):
            why = r.why("page-weight") or (pages or {}).get("_invalid", "the page-weight script did not run")
            lines.append(f"Not measured: {why}")
        else:
            by_path = {p["path"]: p for p in pages}
            rows = []
            for page in pages:
                if "error" in page:
                    rows.append([f"`{page['path']}`", "–", "–", "–", "–", "–", f"error: {page['error']}"])
                    continue
                wasm_file = next((f for f in page["files"] if page.get("wasm") and f["url"] == page["wasm"]), None)
                rows.append([
                    f"`{page['path']}`" + (" (logged in)" if page["loggedIn"] else ""),
                    kb(page["totalBytes"]), kb(page["pageBytes"]), kb(page["serviceWorkerBytes"]), page["requests"],
                    "yes" if page.get("hydrated") else ("no" if page.get("wasm") else "no WASM on this page"),
                    f"WASM {wasm_file['encoding'] or 'uncompressed'}" if wasm_file else "",
                ])
            lines.append(table(["page", "total", "page itself", "service worker", "requests", "hydrated", "note"], rows))
            asked = next((f.get("acceptEncoding") for p in pages if "error" not in p for f in p["files"] if f.get("acceptEncoding")), None)
            if asked:
                lines += ["", f"Chromium sent `Accept-Encoding: {asked}`."]
            for page in pages:
                if "error" in page:
                    continue
                lines += ["", f"<details><summary>{page['path']}: every file</summary>", "",
                          table(["file", "type", "bytes", "encoding"],
                                [[f"`{short_url(f['url'])}`" + (" (service worker)" if f.get("serviceWorker") else ""), f["type"],
                                  f"{f['bytes']:,}" + (f" (failed: {f['failed']})" if f.get("failed") else ""), f.get("encoding", "")]
                                 for f in page["files"]]),
                          "", "</details>"]

        def judge(path, limit):
            def measure():
                page = by_path.get(path)
                if page is None:
                    raise NotMeasured(r.why("page-weight") or r.why("session") or "not weighed")
                if "error" in page:
                    raise NotMeasured(page["error"])
                landed = short_url(page.get("finalUrl", ""))
                if landed and landed.split("?")[0] != path:
                    raise NotMeasured(f"the browser landed on {landed}, not {path}")
                return kb(page["totalBytes"]), page["totalBytes"] <= limit * KB
            return measure

        for path in PUBLIC_PAGES:
            limit = PUBLIC_PAGE_KB if path in PAGES_WITH_ISLANDS else READING_PAGE_KB
            self.budget("1. Page weight", f"`{path}` ≤ {limit} KB", judge(path, limit))
        for path in [p["path"] for p in (pages or []) if isinstance(pages, list) and p.get("loggedIn")] or ["/dashboard", "application page", "pay page"]:
            self.budget("1. Page weight", f"`{path}` (logged in) ≤ {LOGGED_IN_PAGE_KB} KB", judge(path, LOGGED_IN_PAGE_KB))

        lines += ["", "### The site's files (`target/site/pkg`)", ""]
        pkg = ROOT / "target" / "site" / "pkg"
        if pkg.is_dir():
            rows = []
            for file in sorted(pkg.iterdir()):
                if file.suffix in (".br", ".gz", ".zst") or not file.is_file():
                    continue
                br = file.with_name(file.name + ".br")
                rows.append([f"`{file.name}`", f"{file.stat().st_size:,}", f"{br.stat().st_size:,}" if br.exists() else "no .br file"])
            lines.append(table(["file", "bytes", "brotli bytes"], rows))
        else:
            lines.append(f"Not measured: there is no {pkg}.")

        lines += ["", "### What the WASM is made of (`twiggy top -n 10`, before wasm-bindgen)", ""]
        twiggy = r.text("twiggy.txt")
        if twiggy:
            lines += [f"`{r.text('twiggy.path').strip() if r.text('twiggy.path') else ''}`", "", "```", twiggy.rstrip(), "```"]
        else:
            lines.append(f"Not measured: {r.why('twiggy') or 'twiggy did not run'}")
        self.sections.append("\n".join(lines))

    # 2 ------------------------------------------------------------ Lighthouse

    def lighthouse(self):
        r = self.results
        lines = ["## 2. Lighthouse (mobile, default emulation and throttling)", "",
                 "Lighthouse 12 driving Debian's Chromium (`--headless=new`), one page at a time; the dashboard and "
                 "the pay page with the bench citizen's session cookie.", ""]
        rows = []
        for name, label in LIGHTHOUSE_PAGES:
            try:
                found = lighthouse(r, name)
            except NotMeasured as why:
                rows.append([label, "–", "–", "–", "–", "–", "–", f"not measured: {why}"])
                self.budget("2. Lighthouse", f"{label}: {ALL_LIGHTHOUSE_BUDGETS}", lambda why=why: fail(why))
                continue
            note = ""
            if found["requested"] and found["url"] and found["url"].split("?")[0] != found["requested"].split("?")[0]:
                note = f"landed on {short_url(found['url'])}"
            if found["failing"]:
                note = (note + "; " if note else "") + "failing audits: " + ", ".join(found["failing"])
            rows.append([label, found["performance"], fmt(found["lcp_s"], "{:.3f} s"), fmt(found["tbt_ms"], "{:.0f} ms"), fmt(found["cls"], "{:.3f}"),
                         found["accessibility"], found["best_practices"], note])
            self.budget("2. Lighthouse", f"{label}: {ALL_LIGHTHOUSE_BUDGETS}", lambda f=found: judge_lighthouse(f))
        lines.append(table(["page", "performance", "LCP", "TBT", "CLS", "accessibility", "best practices", "note"], rows))
        self.sections.append("\n".join(lines))

    # 3 ------------------------------------------------------------ server rendering

    def server_rendering(self):
        r = self.results
        seconds = settings(r).get("seconds_per_run", "?")
        lines = ["## 3. Server rendering (wrk on loopback)", "",
                 f"One run after another, {seconds} s each, 2 threads and 64 connections (`wrk --latency`); wrk runs on "
                 "the same 2 cores as the server. The dashboard with the bench citizen's session cookie "
                 f"(it answered HTTP {(r.text('dashboard-status.txt') or '?').strip()} before the run).", ""]
        runs = [("wrk-services", "`/services`"), ("wrk-passport", "`/services/passport`"), ("wrk-dashboard", "`/dashboard` (logged in)"),
                ("wrk-static", "`/robots.txt` (static)"), ("wrk-static-one-connection", "`/robots.txt`, 1 connection, 10 s"),
                ("wrk-dashboard-16", "`/dashboard` (logged in), 16 connections")]
        found, rows = {}, []
        for name, label in runs:
            try:
                found[name] = wrk(r, name)
                w = found[name]
                rows.append([label, f"{w['rate']:,.0f}", ms(w["p50"]), ms(w["p99"]), w["errors"], w["requests"]])
            except NotMeasured as why:
                rows.append([label, "–", "–", "–", "–", f"not measured: {why}"])
        lines.append(table(["target", "requests/s", "p50", "p99", "errors", "requests"], rows))
        self.sections.append("\n".join(lines))

        def need(name):
            if name not in found:
                raise missing(r, name, "wrk did not run")
            return found[name]

        def share():
            catalogue, static = need("wrk-services"), need("wrk-static")
            ratio = catalogue["rate"] / static["rate"] if static["rate"] else 0
            return f"{ratio:.1%} ({catalogue['rate']:,.0f} of {static['rate']:,.0f} req/s)", ratio >= CATALOGUE_SHARE_OF_STATIC

        self.budget("3. Server rendering", f"`/services` ≥ {CATALOGUE_SHARE_OF_STATIC:.0%} of the static file's req/s", share)
        for name, label in runs[:4]:
            self.budget("3. Server rendering", f"{label}: p99 < {P99_MS} ms", lambda n=name: (ms(need(n)["p99"]), need(n)["p99"] is not None and need(n)["p99"] < P99_MS))
            self.budget("3. Server rendering", f"{label}: zero errors", lambda n=name: (str(need(n)["errors"]), need(n)["errors"] == 0))
        self.budget("3. Server rendering", f"`/dashboard` at 16 connections: p99 ≤ {DASHBOARD_16_P99_MS} ms",
                    lambda: (ms(need("wrk-dashboard-16")["p99"]), need("wrk-dashboard-16")["p99"] is not None and need("wrk-dashboard-16")["p99"] <= DASHBOARD_16_P99_MS))
        self.budget("3. Server rendering", f"static file on one keep-alive connection: median < {STATIC_ONE_CONNECTION_MEDIAN_MS} ms",
                    lambda: (ms(need("wrk-static-one-connection")["p50"]), (need("wrk-static-one-connection")["p50"] or 1e9) < STATIC_ONE_CONNECTION_MEDIAN_MS))

    # 4 ------------------------------------------------------------ login rush

    def login_rush(self):
        r = self.results
        hashes, rush = r.json("hashes"), r.json("login-rush")
        lines = ["## 4. Login rush", ""]
        if hashes:
            lines.append(f"- Raw argon2id (Raia's parameters, the app's own hasher): **{hashes['per_second']} hashes/s** "
                         f"with {hashes['threads']} threads ({hashes['hashes']} hashes in {hashes['seconds']} s).")
        else:
            lines.append(f"- Raw argon2: not measured: {r.why('hashes') or 'did not run'}")
        if rush:
            failures = ", ".join(f"{why}: {n}" for why, n in rush["failures"].items()) or "none"
            lines.append(f"- Through `POST /api/login/password` with {rush['clients']} concurrent clients over {rush['accounts']} accounts, "
                         f"each attempt from its own X-Forwarded-For address: **{rush['per_second']} logins/s** "
                         f"({rush['logins']} right passwords moved on to the code step in {rush['seconds']} s; "
                         f"p50 {ms(rush['latency_ms']['p50'])}, p99 {ms(rush['latency_ms']['p99'])}). Failed attempts: {failures}.")
        else:
            lines.append(f"- Logins: not measured: {r.why('login-rush') or 'did not run'}")
        probe = (rush or {}).get("probe")
        if probe:
            during = probe["latency_ms"]
            failures = ", ".join(f"{why}: {n}" for why, n in probe["failures"].items())
            lines.append(f"- Meanwhile, in the same run, a citizen browsing: `{short_url(probe['url'])}` fetched at a steady "
                         f"{probe['rate']:g} requests/s (one every {1000 / probe['rate']:g} ms, each sent on its own schedule "
                         "and timed from when it was due, so a stall counts for every request it held up; asking for "
                         f"brotli or gzip as a browser does): {probe['requests']} requests, {probe['errors']} errors"
                         f"{f' ({failures})' if failures else ''}, p50 {ms(during['p50'])}, p99 {ms(during['p99'])}, "
                         f"slowest {ms(during['max'])}.")
        else:
            during = None
            lines.append(f"- `/services` during the rush: not measured: "
                         f"{r.why('login-rush') or ('the rush ran without its probe' if rush else 'did not run')}")
        self.sections.append("\n".join(lines))

        def share():
            if not hashes:
                raise missing(r, "hashes", "argon2 was not measured")
            if not rush:
                raise missing(r, "login-rush", "the rush did not run")
            ratio = rush["per_second"] / hashes["per_second"] if hashes["per_second"] else 0
            return f"{ratio:.1%} ({rush['per_second']} of {hashes['per_second']}/s)", ratio >= LOGINS_SHARE_OF_HASHES

        def browsing():
            if during is None:
                raise missing(r, "login-rush", "the probe did not run during the rush")
            ok = during["p99"] < P99_DURING_RUSH_MS and probe["errors"] == 0
            return ms(during["p99"]) + (f", {probe['errors']} errors" if probe["errors"] else ""), ok

        self.budget("4. Login rush", f"logins/s ≥ {LOGINS_SHARE_OF_HASHES:.0%} of raw argon2 hashes/s", share)
        rate = settings(r).get("probe_rate", "?")
        self.budget("4. Login rush", f"`/services` p99 during the rush < {P99_DURING_RUSH_MS} ms (probe at {rate} requests/s)", browsing)

    # 5 ------------------------------------------------------------ payments

    def payments(self):
        r = self.results
        invoices = settings(r).get("invoices", "?")
        lines = ["## 5. Payment callbacks", "",
                 f"{invoices} invoices awaiting payment per database (good-conduct applications submitted through the app), "
                 "then each invoice's M-Pesa paybill (C2B) confirmation posted to `/callbacks/mpesa/<secret>/c2b` twice at "
                 "the same moment, 64 requests in flight; then the database is checked: every invoice paid by exactly one "
                 "payment with one receipt, its application Paid, and nothing kept aside for an admin.", ""]
        rows = []
        for db in ("sqlite", "postgres"):
            label = "SQLite" if db == "sqlite" else "PostgreSQL"
            sent, check = r.json(f"callbacks-{db}"), r.json(f"check-{db}")
            if not sent:
                rows.append([label, "–", "–", "–", "–", f"not measured: {r.why(f'callbacks-{db}') or 'did not run'}"])
                self.budget("5. Payments", f"{label}: exactly once intact", lambda db=db: fail(missing(r, f"callbacks-{db}", "did not run")))
                continue
            failures = ", ".join(f"{why}: {n}" for why, n in sent["failures"].items())
            if not check:
                rows.append([label, sent["sent"], sent["callbacks_per_second"], "–", "–", f"check not run: {r.why(f'check-{db}')}"])
                self.budget("5. Payments", f"{label}: exactly once intact", lambda db=db: fail(missing(r, f"check-{db}", "the check did not run")))
                continue
            settled_per_second = settled_per_second_of(check, sent)
            note = "; ".join(filter(None, [f"non-200 answers: {failures}" if failures else "", *check["problems"][:5],
                                           f"({check['problem_count']} problems)" if check["problem_count"] > 5 else ""]))
            rows.append([label, f"{sent['sent']:,}", f"{sent['callbacks_per_second']:,}", f"{settled_per_second:,}",
                         f"{check['paid']}/{check['invoices']} paid, {check['payments']} payments, {check['receipts']} receipts, {check['kept_aside']} kept aside",
                         note or f"p50 {ms(sent['latency_ms']['p50'])}, p99 {ms(sent['latency_ms']['p99'])}"])
            self.budget("5. Payments", f"{label}: exactly once intact",
                        lambda c=check, s=sent: (f"{c['paid']}/{c['invoices']} paid, {c['problem_count']} problems",
                                                           c["exactly_once"] and not s["failures"]))
        lines.append(table(["database", "callbacks sent", "callbacks/s", "settled/s", "in the database", "note"], rows))
        self.sections.append("\n".join(lines))

    # 6 ------------------------------------------------------------ footprint

    def footprint(self):
        r = self.results
        rows = [["resident memory, idle after start", mib(r.number("rss-idle-kb.txt"))],
                ["resident memory after the wrk runs (3)", mib(r.number("rss-after-wrk-kb.txt"))],
                ["resident memory after the login rush (4)", mib(r.number("rss-after-rush-kb.txt"))]]
        existing, fresh = r.number("startup-existing-ms.txt"), r.number("startup-fresh-ms.txt")
        rows.append(["start-up to `/readyz` 200, existing database", f"{existing:,.0f} ms" if existing is not None else f"not measured: {r.why('startup-existing') or 'did not run'}"])
        rows.append(["start-up on a new database (migrations, demo accounts' hashes)", f"{fresh:,.0f} ms" if fresh is not None else "–"])
        self.sections.append("\n".join(["## 6. Footprint (the SQLite server process)", "", table(["what", "figure"], rows)]))

    # 8 ------------------------------------------------------------ the performance page's queries

    def performance_query(self):
        r = self.results
        found = r.json("performance-query")
        lines = ["## 8. The service performance page's queries", "",
                 "`raia-bench performance-query`: applications generated straight into a fresh database (two years of "
                 "submissions spread over the services by demand, with completed, rejected, withdrawn and open ones), "
                 "then `/performance`'s counts run once to warm up and timed over the next runs; the median is judged.", ""]
        rows = []
        for db, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
            area, text = "8. Performance page", f"{label}: the page's counts over {PERFORMANCE_APPLICATIONS:,} applications, median ≤ {PERFORMANCE_QUERY_MS} ms"
            figures = (found or {}).get(db) if isinstance(found, dict) else None
            if not figures or "median_ms" not in figures:
                why = (figures or {}).get("not_measured") if isinstance(figures, dict) else None
                why = why or r.why("performance-query") or "did not run"
                rows.append([label, "–", "–", "–", f"not measured: {why}"])
                self.budget(area, text, lambda why=why: fail(NotMeasured(why)))
                continue
            count = found.get("applications", 0)
            rows.append([label, f"{count:,}", f"{figures['generate_seconds']:,} s", ms(figures["median_ms"]),
                         ", ".join(ms(t) for t in figures.get("runs_ms", []))])
            self.budget(area, text, lambda f=figures, n=count: (ms(f["median_ms"]), f["median_ms"] <= PERFORMANCE_QUERY_MS and n >= PERFORMANCE_APPLICATIONS))
        lines.append(table(["database", "applications", "generated in", "median", "runs"], rows))
        self.sections.append("\n".join(lines))

    # 9 ------------------------------------------------------------ issued documents

    def documents(self):
        r = self.results
        found = r.json("documents")
        lines = ["## 9. Issued documents", "",
                 "`raia-bench documents`: vehicle search results issued one after another as `Issuer` issues them (the "
                 "claims signed with Ed25519, the A4 PDF drawn with its QR code; a download draws it again, so this is a "
                 "download's cost too; the database row, one insert, is left out), then their QR payloads verified with "
                 "the published JWK set alone, as an offline verifier does, on one core.", ""]
        area = "9. Issued documents"
        if not found:
            why = r.why("documents") or "did not run"
            lines.append(f"Not measured: {why}")
            self.budget(area, f"a document drawn in p99 ≤ {DOCUMENT_P99_MS} ms", lambda: fail(NotMeasured(why)))
            self.budget(area, f"≥ {VERIFICATIONS_PER_SECOND:,} offline verifications/s", lambda: fail(NotMeasured(why)))
        else:
            t = found["issue_ms"]
            lines.append(table(["", "figure"], [
                ["documents issued", f"{found['documents']:,} in {found['issue_seconds']} s"],
                ["per document", f"p50 {ms(t['p50'])}, p99 {ms(t['p99'])}, slowest {ms(t['max'])}"],
                ["PDF size (average)", f"{found['pdf_kb_average']} KB"],
                ["QR payloads verified offline", f"{found['verifications']:,} in {found['verify_seconds']} s"],
                ["verifications per second", f"{found['verifications_per_second']:,.0f} ({found['verify_us_each']} µs each)"],
            ]))
            self.budget(area, f"a document drawn in p99 ≤ {DOCUMENT_P99_MS} ms", lambda: (ms(t["p99"]), t["p99"] <= DOCUMENT_P99_MS and found["documents"] >= 1000))
            self.budget(area, f"≥ {VERIFICATIONS_PER_SECOND:,} offline verifications/s",
                        lambda: (f"{found['verifications_per_second']:,.0f}/s", found["verifications_per_second"] >= VERIFICATIONS_PER_SECOND and found["verifications"] >= 100_000))
        self.sections.append("\n".join(lines))

    # 7 ------------------------------------------------------------ soak

    def soak(self):
        r = self.results
        soak = r.json("soak")
        database = {"sqlite": "SQLite", "postgres": "PostgreSQL"}.get((r.text("soak-database.txt") or "").strip(), "?")
        lines = ["## 7. Soak", ""]
        if not soak or "_invalid" in soak:
            why = r.why("soak") or (soak or {}).get("_invalid") or "did not run"
            lines.append(f"Not measured: {why}")
            for text in SOAK_BUDGETS:
                self.budget("7. Soak", text, lambda why=why: fail(NotMeasured(why)))
            self.sections.append("\n".join(lines))
            return
        memory = soak.get("memory") or {}
        lines += [
            f"{soak['seconds']} s of mixed traffic from a second process (`raia-bench soak`) against a fresh release server on "
            f"{database}, each kind on its own steady schedule: a citizen journey every {soak['journey_every_seconds']:g} s "
            "(log in with password and SMS code, apply for a certificate of good conduct, pay by turns with M-Pesa STK push "
            "and the Daraja simulator's callback, card, and paybill with its C2B confirmation posted twice at once, follow "
            f"the payment, look at the application, log out), public pages at {soak['browse_rate']:g} a second, and one "
            f"address guessing passwords at {soak['guess_rate']:g} a second, faster than the login limit allows (its "
            "429s are the only answers counted as intended).", "",
            f"- Requests: {soak['requests_total']:,} ({', '.join(f'{kind} {n:,}' for kind, n in soak['requests'].items())}); "
            f"journeys completed: {soak['journeys_completed']} of {soak['journeys']} "
            f"(paid by {', '.join(f'{m} {n}' for m, n in soak['paid_by'].items()) or 'none'}).",
            f"- Errors: {soak['error_count']}" + (f" ({', '.join(f'{why}: {n}' for why, n in soak['errors'].items())})" if soak["errors"] else "")
            + f"; intended 429s: {soak['intended_429']} of {soak['guesses']['refused'] + soak['guesses']['rate_limited']} guesses"
            + f"; lines at ERROR in the server's log: {(r.text('soak-server-errors.txt') or '?').strip()}.",
            f"- Latency: journey requests p50 {ms(soak['journey_request_ms']['p50'])}, p99 {ms(soak['journey_request_ms']['p99'])}; "
            f"public pages (timed from when each was due) p50 {ms(soak['browse_ms']['p50'])}, p99 {ms(soak['browse_ms']['p99'])}, "
            f"slowest {ms(soak['browse_ms']['max'])}.",
        ]
        if memory:
            lines.append(f"- Server memory (resident, read every {memory['every_seconds']} s): start {memory['start_mib']} MiB, "
                         f"after the {memory['warm_up_seconds']:g} s warm-up {memory['after_warm_up_mib']} MiB, peak {memory['peak_mib']} MiB, "
                         f"end {memory['end_mib']} MiB; growth after the warm-up {memory['slope_mib_per_10_minutes']} MiB per 10 minutes "
                         "(least squares).")
        lines += ["", table(["in the database (soak citizens)", "found", "expected from what the generator did"],
                            [[name, found, soak["expected"].get(name, "–")] for name, found in soak["database"].items()])]
        self.sections.append("\n".join(lines))

        def errors():
            incomplete = soak["journeys"] - soak["journeys_completed"]
            figure = f"{soak['error_count']} errors, {soak['intended_429']} intended 429s"
            return figure + (f", {incomplete} journeys incomplete" if incomplete else ""), soak["error_count"] == 0 and incomplete == 0

        def flat():
            slope = memory.get("slope_mib_per_10_minutes")
            if slope is None:
                raise NotMeasured("too few memory samples after the warm-up" if memory else "the server's memory was not read")
            return (f"{slope:+.2f} MiB per 10 minutes ({memory['after_warm_up_mib']} → {memory['end_mib']} MiB, peak {memory['peak_mib']})",
                    slope < SOAK_GROWTH_MIB_PER_10_MINUTES)

        def counts():
            found = soak["database"]
            figure = (f"{found['applications submitted']} applications, {found['payments']} payments, {found['receipts']} receipts, "
                      f"{found['messages']} messages")
            return figure + ("; " + "; ".join(soak["mismatches"]) if soak["mismatches"] else ", all as expected"), not soak["mismatches"]

        for text, measure in zip(SOAK_BUDGETS, (errors, flat, counts)):
            self.budget("7. Soak", text, measure)

    # ------------------------------------------------------------ the file

    def write(self, output, only_soak=False):
        r = self.results
        cpu, cores, ram = machine()
        s = settings(r)
        if not only_soak:
            self.page_weight()
            self.lighthouse()
            self.server_rendering()
            self.login_rush()
            self.payments()
            self.footprint()
        self.soak()
        if not only_soak:
            self.performance_query()
            self.documents()
        title = "# Benchmarks: the soak alone" if only_soak else "# Benchmarks"
        written_by = ("Written by `bench/run.sh soak`: only the soak ran; `./dev.sh bench` measures everything and "
                      "rewrites BENCHMARKS.md." if only_soak else
                      "Written by `./dev.sh bench` (`bench/run.sh`): every figure below was measured by that run; run it again "
                      "rather than editing this file.")
        header = [
            title, "",
            written_by, "",
            table(["", ""], [
                ["date", (r.text("started.txt") or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")).strip()],
                ["commit", (r.text("commit.txt") or commit()).strip()],
                ["machine", f"{cpu}, {cores} cores, {ram / 1024 / 1024:,.1f} GiB RAM" if ram else f"{cpu}, {cores} cores"],
                ["load before the run", f"{fmt(r.number('load-start.txt'), '{:.2f}')} (1-minute load average: other work "
                                        "sharing these cores skews every figure below)"],
                ["settings", f"soak {s.get('soak_seconds', '?')} s"] if only_soak else ["settings", f"wrk runs {s.get('seconds_per_run', '?')} s each, login rush {s.get('rush_seconds', '?')} s "
                             f"(with `/services` probed {s.get('probe_rate', '?')} times a second), "
                             f"{s.get('invoices', '?')} invoices per database, soak {s.get('soak_seconds', '?')} s; 1 KB = 1,000 bytes"],
            ]),
        ]
        for fatal in ("build", "server"):
            if r.why(fatal):
                header += ["", f"**Not measured: {r.why(fatal)}**"]
        met = sum(1 for b in self.budgets if b[3] == "met")
        summary = ["## Budgets", "", f"{met} of {len(self.budgets)} met.", "",
                   table(["area", "budget", "figure", "result"], self.budgets)]
        parts = ["\n".join(header), "\n".join(summary)] + ([] if only_soak else [architecture()]) + self.sections
        # The national-scale section is measured apart (`bench/run.sh scale`, an hour of
        # seeding): a full run keeps the last one written rather than dropping it.
        kept = scale_section(output)
        text = "\n\n".join(parts + ([kept] if kept and not only_soak else [])) + "\n"
        Path(output).write_text(text)
        print(f"{output}: {met} of {len(self.budgets)} budgets met")


# ---------------------------------------------------------------- helpers


def scale_section(output):
    """The block `bench/report_scale.py` wrote into OUTPUT, markers included, if any."""
    try:
        text = Path(output).read_text()
    except OSError:
        return None
    found = re.search(r"<!-- scale: begin -->.*?<!-- scale: end -->", text, re.S)
    return found.group(0) if found else None


def architecture():
    """The hand-written account of why the site ships islands (bench/architecture.md), as is."""
    file = Path(__file__).resolve().parent / "architecture.md"
    try:
        return file.read_text().strip()
    except OSError as error:
        return f"## How the design was chosen\n\nNot included: {error}"


def settings(results):
    text = results.text("settings.txt") or ""
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def short_url(url):
    return re.sub(r"^https?://[^/]+", "", url) or url


def fmt(value, pattern):
    return "–" if value is None else pattern.format(value)


def judge_lighthouse(found):
    """All six Lighthouse budgets of one page: each figure, a missed one in bold."""
    shown, ok = [], True
    for key, limit in LIGHTHOUSE.items():
        value = found[key]
        if value is None:
            raise NotMeasured(f"Lighthouse gave no {key}")
        higher_is_better = key in ("performance", "accessibility", "best_practices")
        met = value >= limit if higher_is_better else value <= limit
        text = {"lcp_s": f"LCP {value:.3f} s", "tbt_ms": f"TBT {value:.0f} ms", "cls": f"CLS {value:.4f}",
                "performance": f"performance {value}", "accessibility": f"accessibility {value}", "best_practices": f"best practices {value}"}[key]
        shown.append(text if met else f"**{text}**")
        ok = ok and met
    return ", ".join(shown), ok


def settled_per_second_of(check, sent):
    return round(check["paid"] / sent["seconds"], 1) if sent["seconds"] else 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "soak"):
        sys.exit("usage: report.py RESULTS_DIR OUTPUT.md [soak]")
    Report(Results(sys.argv[1])).write(sys.argv[2], only_soak=len(sys.argv) == 4)
