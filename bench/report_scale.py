#!/usr/bin/env python3
"""The national-scale section of BENCHMARKS.md, from what `bench/run.sh scale` kept.

usage: report_scale.py RESULTS_DIR BENCHMARKS.md

RESULTS_DIR holds scale.json (`raia-bench scale`), and, when this run seeded the database,
seed.txt (seed-scale's last line) and seed-seconds.txt; settings.txt names the size. The
section goes between `<!-- scale: begin -->` and `<!-- scale: end -->`, replacing the last
one; `bench/report.py` keeps it when a full run rewrites the file.
"""

import datetime
import json
import re
import sys
from pathlib import Path

# Issue 25: every page p99 at most 50 ms at ten million applications.
PAGE_P99_MS = 50


def read(results, name):
    path = Path(results) / name
    return path.read_text().strip() if path.exists() else None


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def section(results):
    settings = dict(line.split("=", 1) for line in (read(results, "settings.txt") or "").splitlines() if "=" in line)
    size = f"{int(settings.get('citizens', 0)):,} citizens, {int(settings.get('applications', 0)):,} applications"
    when = read(results, "started.txt") or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["<!-- scale: begin -->", f"## 10. National scale: {size} (PostgreSQL)", ""]
    why = read(results, "scale.why")
    raw = read(results, "scale.json")
    if why or not raw:
        lines += [f"Not measured: {why or 'raia-bench scale printed nothing'}", "", "<!-- scale: end -->"]
        return "\n".join(lines)
    scale = json.loads(raw)
    seeded, reused = read(results, "seed-seconds.txt"), read(results, "seed-reused-seconds.txt")
    seeding = (f"seeded by `raia-server seed-scale` in {float(seeded) / 60:,.1f} minutes" if seeded
               else f"the data set of an earlier `raia-server seed-scale` (reused; its seeding took {float(reused) / 60:,.1f} minutes)" if reused
               else "the data set of an earlier `raia-server seed-scale` (reused)")
    database = scale["tables"]["database_bytes"] / 1e9
    lines += [
        f"Written by `bench/run.sh scale` on {when}, commit {read(results, 'commit.txt') or '?'}: {seeding}; the database holds "
        f"{database:,.1f} GB. A release server on that database; `raia-bench scale` sends {scale['requests_per_page']:,} requests "
        f"per page from {scale['concurrency']} clients at once, after 20 to warm up. The busiest agency is `{scale['busiest_agency']}`; "
        f"the heavy citizen has {scale['heavy_citizen_applications']:,} applications, the typical one "
        f"{scale['typical_citizen_applications']:,}. Budget: p99 at most {PAGE_P99_MS} ms per page.",
        "",
    ]
    rows = []
    for page in scale["pages"]:
        p99 = page["latency_ms"]["p99"]
        met = page["errors"] == 0 and p99 <= PAGE_P99_MS
        rows.append([page["page"], f"`{re.sub(r'^https?://[^/]+', '', page['url'])[:60]}`", f"{page['latency_ms']['p50']:.2f}",
                     f"{p99:.2f}" if met else f"**{p99:.2f}**", f"{page['requests_per_second']:,.1f}",
                     page["errors"] or "0", "met" if met else "**NOT met**"])
    callbacks = scale["callbacks"]
    p99 = callbacks["latency_ms"]["p99"]
    met = callbacks["errors"] == 0 and p99 <= PAGE_P99_MS and callbacks["paid_after"] == callbacks["invoices"]
    rows.append([f"payment callback ({callbacks['invoices']} open invoices, {callbacks['paid_after']} paid after)", "`POST /callbacks/mpesa/…/c2b`",
                 f"{callbacks['latency_ms']['p50']:.2f}", f"{p99:.2f}" if met else f"**{p99:.2f}**",
                 f"{callbacks['requests_per_second']:,.1f}", callbacks["errors"] or "0", "met" if met else "**NOT met**"])
    lines += [table(["page", "request", "p50 ms", "p99 ms", "requests/s", "errors", "budget"], rows), ""]

    plans = scale["plans"]
    bad = [p for p in plans if p["big_seq_scans"]]
    lines += [
        "### The queries behind them (`EXPLAIN (ANALYZE, BUFFERS)`; writes `EXPLAIN` only)",
        "",
        ("No sequential scan of a big table." if not bad else
         "**Sequential scans of big tables: " + "; ".join(f"{p['page']}, {p['query']}: {', '.join(p['big_seq_scans'])}" for p in bad) + "**"),
        "",
        table(["page", "query", "indexes used", "sequential scans", "execution ms"],
              [[p["page"], p["query"], ", ".join(f"`{i}`" for i in p["indexes"]) or "–",
                ", ".join(p["seq_scans"]) or "none", "–" if p["execution_ms"] is None else f"{p['execution_ms']:.3f}"] for p in plans]),
        "",
        "### Size",
        "",
        table(["table", "rows (estimate)", "size with indexes"],
              [[t["table"], f"{t['rows']:,}", f"{t['bytes'] / 1e6:,.0f} MB"] for t in scale["tables"]["tables"][:12]]),
        "",
        "<!-- scale: end -->",
    ]
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report_scale.py RESULTS_DIR BENCHMARKS.md")
    results, output = sys.argv[1], Path(sys.argv[2])
    new = section(results)
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    if "<!-- scale: begin -->" in text:
        text = re.sub(r"<!-- scale: begin -->.*?<!-- scale: end -->", lambda _: new, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    output.write_text(text)
    print(f"{output}: national-scale section written")


if __name__ == "__main__":
    main()
