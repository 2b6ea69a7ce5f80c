#!/usr/bin/env bash
# ./dev.sh bench: measures the release build against the performance budgets and rewrites
# BENCHMARKS.md with every figure, each budget marked "met" or "NOT met".
#
#   1. page weight (a real browser, empty cache)   4. login rush (argon2 ceiling vs real logins)
#   2. Lighthouse, mobile                          5. payment callbacks, SQLite and PostgreSQL
#   3. server rendering under wrk                  6. memory and start-up time
#   7. soak: 10 minutes of mixed traffic at a steady rate (browse, log in, apply, pay,
#      callbacks) against a fresh server; errors, memory over time, database counts
#   8. the /performance page's queries over a million generated applications, SQLite and
#      PostgreSQL
#   9. issued documents: 1,000 signed and drawn as PDFs, 100,000 QR payloads verified offline
#
# `bench/run.sh soak` (or `./dev.sh bench soak`) runs the soak alone and writes its report to
# target/BENCHMARKS-soak.md, leaving BENCHMARKS.md as the last full run wrote it.
# `bench/run.sh scale` (or `./dev.sh bench scale`) measures the pages at national size on
# PostgreSQL (issue 25) and writes section 10 of BENCHMARKS.md, which later full runs keep:
# BENCH_SCALE_URL (default postgres://postgres@127.0.0.1:5432/raia_scale) is seeded with
# BENCH_SCALE_CITIZENS (1000000) and BENCH_SCALE_APPLICATIONS (10000000) unless it already
# holds a data set (then reused; BENCH_SCALE_FRESH=1 drops and seeds it anew: tens of minutes),
# BENCH_SCALE_REQUESTS per page (500). How long the seeding took is kept in
# target/scale-seed-seconds.txt, for the report of a later run that reuses the data set.
# BENCH_BENCH_BIN: the raia-bench binary (default the release build's).
# A measurement that cannot run is written down as "not measured: <why>" and the rest go on.
# Environment: BENCH_SECONDS (each wrk run, default 30), BENCH_RUSH_SECONDS (20),
# BENCH_PROBE_RATE (requests/s to /services during the rush, default 20),
# BENCH_INVOICES (2000 per database), BENCH_SKIP_BUILD=1 (measure the build as it is),
# BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/raia_bench, dropped and
# created anew each run), BENCH_KEEP=1 (keep the work folder with every raw output),
# BENCH_SOAK_SECONDS (600), BENCH_SOAK_POSTGRES=1 (soak on PostgreSQL instead of SQLite),
# BENCH_PERFORMANCE_APPLICATIONS (1000000, for step 8), BENCH_SITE (the built site, default target/site), BENCH_SERVER_BIN (the server binary,
# default the release build's).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TOOLS_DIR=${RAIA_TOOLS_DIR:-$HOME/.cache/raia/tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
export CHROME_PATH=/usr/bin/chromium

SECONDS_PER_RUN=${BENCH_SECONDS:-30}
RUSH_SECONDS=${BENCH_RUSH_SECONDS:-20}
PROBE_RATE=${BENCH_PROBE_RATE:-20}
INVOICES=${BENCH_INVOICES:-2000}
POSTGRES_URL=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/raia_bench}
SOAK_SECONDS=${BENCH_SOAK_SECONDS:-600}
PERFORMANCE_APPLICATIONS=${BENCH_PERFORMANCE_APPLICATIONS:-1000000}
# Lighthouse 13 needs Node 22.19; this project's machines have Node 20.
LIGHTHOUSE_VERSION=12

SERVER_BIN=${BENCH_SERVER_BIN:-$CARGO_TARGET_DIR/release/raia-server}
BENCH_BIN=${BENCH_BENCH_BIN:-$CARGO_TARGET_DIR/release/raia-bench}
SITE=${BENCH_SITE:-$ROOT/target/site}
WORK=$(mktemp -d)
RESULTS=$WORK/results
mkdir -p "$RESULTS"

say() { printf '\n==> %s\n' "$*" >&2; }

# Records why a measurement has no figure; BENCHMARKS.md shows it as "not measured: <why>".
not_measured() {
  local name=$1
  shift
  printf '%s\n' "$*" >"$RESULTS/$name.why"
  say "not measured ($name): $*"
}

# Runs a measuring command, its stdout into results/NAME.EXT; on failure, the reason is kept
# (the last lines it printed) instead of a figure.
measure() {
  local name=$1 ext=$2
  shift 2
  say "measuring $name"
  if "$@" >"$RESULTS/$name.$ext" 2>"$WORK/$name.err"; then
    return 0
  fi
  rm -f "$RESULTS/$name.$ext"
  not_measured "$name" "$(basename "$1") failed: $(tail -n 3 "$WORK/$name.err" | tr '\n' ' ')"
  return 1
}

# ---------------------------------------------------------------- tools

install_tools() {
  if ! command -v wrk >/dev/null; then
    say "installing wrk (Debian)"
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk
  fi
  if [ ! -x "$TOOLS_DIR/node_modules/.bin/lighthouse" ]; then
    say "installing Lighthouse $LIGHTHOUSE_VERSION (npm)"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION"
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing the Playwright packages (the page-weight script drives Chromium with them)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  if ! command -v twiggy >/dev/null; then
    say "installing twiggy (WASM size profiler)"
    # Its own build folder: the shared one stays free for the project's builds meanwhile.
    local build_dir
    build_dir=$(mktemp -d)
    CARGO_TARGET_DIR=$build_dir cargo install twiggy --locked || true
    rm -rf "$build_dir"
  fi
  # Chromium may be on its way (another apt run): wait for it, else install it.
  local waited=0
  while [ ! -x "$CHROME_PATH" ] && pgrep -x 'apt-get|apt|dpkg' >/dev/null && [ "$waited" -lt 900 ]; do
    [ "$waited" -eq 0 ] && say "waiting for apt to finish installing Chromium"
    sleep 10
    waited=$((waited + 10))
  done
  if [ ! -x "$CHROME_PATH" ]; then
    say "installing Debian's Chromium"
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  fi
}

# ---------------------------------------------------------------- build

# A build is needed when there is none, or a source is newer than the server binary.
build_if_needed() {
  if [ "${BENCH_SKIP_BUILD:-}" = 1 ]; then
    say "BENCH_SKIP_BUILD=1: measuring the build as it is"
  elif [ ! -x "$SERVER_BIN" ] || [ ! -d "$SITE/pkg" ] ||
    [ -n "$(find app frontend server style public Cargo.toml Cargo.lock -newer "$SERVER_BIN" -print -quit 2>/dev/null)" ]; then
    say "building the release site (server + WASM, precompressed)"
    cargo leptos build --release --precompress || return 1
  fi
  say "building raia-bench"
  cargo build --release -p raia-bench || return 1
  [ -x "$SERVER_BIN" ] && [ -x "$BENCH_BIN" ]
}

# ---------------------------------------------------------------- servers

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now_ms() { date +%s%3N; }

# The environment both the server and raia-bench read (as in dev.sh's run_e2e), plus
# TRUSTED_PROXIES so the login rush can give each attempt its own client address. Sets
# SERVER_ENV, for `env "${SERVER_ENV[@]}" ...`.
server_env() {
  local port=$1 database_url=$2 data_dir=$3
  SERVER_ENV=(APP_ENV=dev "BIND_ADDR=127.0.0.1:$port" "DATABASE_URL=$database_url"
    "LEPTOS_SITE_ROOT=$SITE" LEPTOS_SITE_PKG_DIR=pkg "LEPTOS_HASH_FILES=${BENCH_HASH_FILES:-true}" LEPTOS_ENV=PROD
    RUST_LOG=warn TRUSTED_PROXIES=127.0.0.1/32)
}

# Starts the release server; sets SERVER_PID and STARTUP_MS (until /readyz answers 200).
start_server() {
  local port=$1 database_url=$2 data_dir=$3 log=$4 started
  mkdir -p "$data_dir"
  server_env "$port" "$database_url" "$data_dir"
  started=$(now_ms)
  # `env` execs the server, so $! is the server itself (for its memory in /proc).
  env "${SERVER_ENV[@]}" "$SERVER_BIN" >>"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 1200); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; then
      STARTUP_MS=$(($(now_ms) - started))
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.025
  done
  say "the server did not become ready; its log:"
  tail -n 20 "$log" >&2
  stop_server
  return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
  fi
}

rss_kb() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# raia-bench with the server's environment, so it reads the same configuration.
bench() {
  local port=$1 database_url=$2 data_dir=$3
  shift 3
  server_env "$port" "$database_url" "$data_dir"
  env "${SERVER_ENV[@]}" "$BENCH_BIN" "$@"
}

# ---------------------------------------------------------------- measurements

PUBLIC_PAGES=(/ /services /services/passport /status /help /performance /login)

page_weight() {
  local base=$1
  measure page-weight json node bench/page-weight.mjs "$base" --cookie "$COOKIE" "${PUBLIC_PAGES[@]}" \
    --logged-in /dashboard "/applications/$REFERENCE" "/applications/$REFERENCE/pay"
  local wasm
  wasm=$(ls "$CARGO_TARGET_DIR"/front/wasm32-unknown-unknown/wasm-release/raia_frontend.wasm 2>/dev/null ||
    find "$CARGO_TARGET_DIR" -path '*wasm32-unknown-unknown*' -name 'raia_frontend.wasm' -not -path '*/deps/*' 2>/dev/null | head -n 1)
  if [ -z "$wasm" ]; then
    not_measured twiggy "no raia_frontend.wasm under $CARGO_TARGET_DIR (is there a release build?)"
  elif ! command -v twiggy >/dev/null; then
    not_measured twiggy "twiggy is not installed (cargo install twiggy --locked failed)"
  else
    echo "$wasm" >"$RESULTS/twiggy.path"
    measure twiggy txt twiggy top -n 10 "$wasm"
  fi
}

lighthouse_pages() {
  local base=$1 name path headers
  for entry in home:/ services:/services passport:/services/passport status:/status help:/help performance:/performance login:/login dashboard:/dashboard "pay:/applications/$REFERENCE/pay"; do
    name=${entry%%:*}
    path=${entry#*:}
    headers=()
    if [ "$name" = dashboard ] || [ "$name" = pay ]; then
      if [ -z "$COOKIE" ]; then
        not_measured "lighthouse-$name" "no logged-in session (see the session step)"
        continue
      fi
      headers=(--extra-headers "{\"Cookie\": \"$COOKIE\"}")
    fi
    # One page at a time: Lighthouse's timings mean little with two runs sharing 2 cores.
    measure "lighthouse-$name" json lighthouse "$base$path" --quiet --output=json --output-path=stdout \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox" "${headers[@]}"
  done
}

# wrk keeps its report (text) for report.py; NAME.url says what was measured.
wrk_run() {
  local name=$1 url=$2
  shift 2
  echo "$url" >"$RESULTS/$name.url"
  measure "$name" txt wrk --latency "$@" "$url"
}

server_rendering() {
  local base=$1 status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$base/dashboard")
  echo "$status" >"$RESULTS/dashboard-status.txt"
  for target in services:/services passport:/services/passport static:/robots.txt; do
    wrk_run "wrk-${target%%:*}" "$base${target#*:}" -t2 -c64 -d"${SECONDS_PER_RUN}s"
  done
  if [ "$status" = 200 ]; then
    wrk_run wrk-dashboard "$base/dashboard" -t2 -c64 -d"${SECONDS_PER_RUN}s" -H "Cookie: $COOKIE"
    # Issue 25's budget is at 16 connections.
    wrk_run wrk-dashboard-16 "$base/dashboard" -t2 -c16 -d"${SECONDS_PER_RUN}s" -H "Cookie: $COOKIE"
  else
    # wrk counts a redirect to /login as a success: measure only a real dashboard.
    not_measured wrk-dashboard "/dashboard answered $status with the bench session (expected 200)"
  fi
  wrk_run wrk-static-one-connection "$base/robots.txt" -t1 -c1 -d10s
}

login_rush() {
  local port=$1 database_url=$2 data_dir=$3 base="http://127.0.0.1:$1"
  # The ceiling first, on a quiet machine: argon2 alone, one thread per core.
  measure hashes json "$BENCH_BIN" hashes --seconds 5
  if ! bench "$port" "$database_url" "$data_dir" seed-logins --database-url "$database_url" --count 400 >"$WORK/logins.tsv" 2>"$WORK/seed-logins.err"; then
    not_measured login-rush "seeding login accounts failed: $(tail -n 3 "$WORK/seed-logins.err" | tr '\n' ' ')"
    return
  fi
  # A citizen browsing the catalogue during the rush: /services at a steady PROBE_RATE a
  # second, not flat out, so the probe watches the rush without taking the cores it needs.
  measure login-rush json bench "$port" "$database_url" "$data_dir" login-rush --base-url "$base" --accounts "$WORK/logins.tsv" \
    --clients 64 --seconds "$RUSH_SECONDS" --probe-url "$base/services" --probe-rate "$PROBE_RATE"
}

# Seeds invoices, fires each paybill confirmation twice, checks exactly once in the database.
payment_callbacks() {
  local db_name=$1 port=$2 database_url=$3 data_dir=$4 base="http://127.0.0.1:$2"
  say "preparing $INVOICES invoices on $db_name"
  if ! bench "$port" "$database_url" "$data_dir" seed-invoices --database-url "$database_url" --count "$INVOICES" \
    >"$WORK/invoices-$db_name.tsv" 2>"$WORK/seed-invoices-$db_name.err"; then
    not_measured "callbacks-$db_name" "seeding invoices failed: $(tail -n 3 "$WORK/seed-invoices-$db_name.err" | tr '\n' ' ')"
    return
  fi
  measure "callbacks-$db_name" json bench "$port" "$database_url" "$data_dir" callbacks --base-url "$base" \
    --invoices "$WORK/invoices-$db_name.tsv" --concurrency 64 &&
    measure "check-$db_name" json bench "$port" "$database_url" "$data_dir" check-payments --database-url "$database_url" \
      --invoices "$WORK/invoices-$db_name.tsv"
}

ensure_postgres() {
  if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    local version
    version=$(ls /etc/postgresql 2>/dev/null | head -n 1)
    if [ -n "$version" ]; then
      say "starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
  fi
  command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432
}

postgres_callbacks() {
  local port data_dir=$WORK/postgres
  if ! ensure_postgres; then
    not_measured callbacks-postgres "PostgreSQL is not reachable on 127.0.0.1:5432"
    return
  fi
  port=$(free_port)
  if ! "$BENCH_BIN" fresh-database --database-url "$POSTGRES_URL" 2>"$WORK/fresh-database.err"; then
    not_measured callbacks-postgres "cannot create $POSTGRES_URL: $(tail -n 3 "$WORK/fresh-database.err" | tr '\n' ' ')"
    return
  fi
  say "starting a second server on PostgreSQL (127.0.0.1:$port)"
  if ! start_server "$port" "$POSTGRES_URL" "$data_dir" "$WORK/server-postgres.log"; then
    not_measured callbacks-postgres "the server did not start on PostgreSQL (see the log in BENCH_KEEP=1's folder)"
    return
  fi
  payment_callbacks postgres "$port" "$POSTGRES_URL" "$data_dir"
  stop_server
}

# Ten minutes of an ordinary day on a server of its own (fresh database, so the counts at the
# end are the soak's alone); raia-bench reads the server's memory from /proc meanwhile.
soak() {
  local port data_dir=$WORK/soak database_url base
  port=$(free_port)
  base="http://127.0.0.1:$port"
  database_url="sqlite://$data_dir/raia.db"
  if [ "${BENCH_SOAK_POSTGRES:-}" = 1 ]; then
    database_url=${POSTGRES_URL%/*}/raia_soak
    if ! ensure_postgres || ! "$BENCH_BIN" fresh-database --database-url "$database_url" 2>"$WORK/fresh-soak.err"; then
      not_measured soak "cannot create $database_url: $(tail -n 3 "$WORK/fresh-soak.err" 2>/dev/null | tr '\n' ' ')"
      return
    fi
  fi
  echo "${database_url%%:*}" >"$RESULTS/soak-database.txt"
  say "starting a fresh server for the soak on $base (${database_url%%:*}, $SOAK_SECONDS s)"
  if ! start_server "$port" "$database_url" "$data_dir" "$WORK/server-soak.log"; then
    not_measured soak "the server did not start: $(tail -n 3 "$WORK/server-soak.log" | tr '\n' ' ')"
    return
  fi
  measure soak json bench "$port" "$database_url" "$data_dir" soak --base-url "$base" --database-url "$database_url" \
    --seconds "$SOAK_SECONDS" --server-pid "$SERVER_PID"
  # Anything the server logged at error level during the soak is worth reading.
  grep -c 'ERROR' "$WORK/server-soak.log" >"$RESULTS/soak-server-errors.txt"
  stop_server
}

# /performance's counts over many generated applications, each database fresh (raia-bench
# makes its own: a SQLite file, and raia_bench_performance on the PostgreSQL server).
performance_query() {
  local postgres=()
  if ensure_postgres; then
    postgres=(--postgres-url "$POSTGRES_URL")
  fi
  measure performance-query json "$BENCH_BIN" performance-query --applications "$PERFORMANCE_APPLICATIONS" "${postgres[@]}"
}

# Issued documents: signing and drawing each PDF, then verifying QR payloads offline.
documents_bench() {
  measure documents json "$BENCH_BIN" documents --documents 1000 --verifications 100000
}

# ---------------------------------------------------------------- the run

# What was measured, and when: the report names the commit and the time the run started.
record_run() {
  date -u '+%Y-%m-%d %H:%M UTC' >"$RESULTS/started.txt"
  local dirty=
  [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && dirty=" with uncommitted changes"
  echo "\`$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)\`$dirty" >"$RESULTS/commit.txt"
  # Other work on the machine skews every figure: the report shows how busy it was.
  cut -d' ' -f1 /proc/loadavg >"$RESULTS/load-start.txt"
  {
    echo "seconds_per_run=$SECONDS_PER_RUN"
    echo "rush_seconds=$RUSH_SECONDS"
    echo "probe_rate=$PROBE_RATE"
    echo "invoices=$INVOICES"
    echo "soak_seconds=$SOAK_SECONDS"
    echo "performance_applications=$PERFORMANCE_APPLICATIONS"
  } >"$RESULTS/settings.txt"
}

# `bench/run.sh soak`: the soak alone, reported apart from BENCHMARKS.md.
soak_only() {
  if ! build_if_needed; then
    echo "the build failed: nothing to soak" >&2
    exit 1
  fi
  record_run
  soak
  mkdir -p "$ROOT/target"
  python3 bench/report.py "$RESULTS" "$ROOT/target/BENCHMARKS-soak.md" soak
}

# `bench/run.sh scale`: the national-size data set, seeded once (or reused), a release server
# on it, `raia-bench scale`, and section 10 of BENCHMARKS.md. Only the server and the bench are
# built: the timings are the server's rendering and queries, not the site's files.
scale_only() {
  local url=${BENCH_SCALE_URL:-postgres://postgres@127.0.0.1:5432/raia_scale}
  local citizens=${BENCH_SCALE_CITIZENS:-1000000} applications=${BENCH_SCALE_APPLICATIONS:-10000000}
  local port data_dir=$WORK/scale started
  if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
    say "building the release server and raia-bench"
    cargo build --release -p raia-server -p raia-bench || exit 1
  fi
  # Without a built site (this step builds none) there is no hash file to name the WASM by.
  [ -f "$(dirname "$SERVER_BIN")/hash.txt" ] || export BENCH_HASH_FILES=false
  record_run
  printf 'citizens=%s\napplications=%s\n' "$citizens" "$applications" >"$RESULTS/settings.txt"
  if ! ensure_postgres; then
    not_measured scale "PostgreSQL is not reachable on 127.0.0.1:5432"
  else
    if [ "${BENCH_SCALE_FRESH:-}" = 1 ]; then
      "$BENCH_BIN" fresh-database --database-url "$url" || exit 1
    fi
    say "seeding $url: $citizens citizens, $applications applications (refused, and reused, when already seeded)"
    started=$(now_ms)
    server_env 0 "$url" "$data_dir"
    if env "${SERVER_ENV[@]}" RUST_LOG=error "$SERVER_BIN" seed-scale --citizens "$citizens" --applications "$applications" \
      >"$WORK/seed.out" 2>"$WORK/seed.err"; then
      mkdir -p "$ROOT/target"
      echo $((($(now_ms) - started) / 1000)) | tee "$ROOT/target/scale-seed-seconds.txt" >"$RESULTS/seed-seconds.txt"
    # The server logs (its refusal too) on stdout.
    elif ! grep -q "already holds" "$WORK/seed.out" "$WORK/seed.err"; then
      not_measured scale "seed-scale failed: $(tail -n 3 "$WORK/seed.out" "$WORK/seed.err" | tr '\n' ' ')"
    fi
    tail -n 5 "$WORK/seed.err" >&2
    # A reused data set: how long its seeding took, when this machine seeded it.
    if [ ! -f "$RESULTS/seed-seconds.txt" ] && [ -f "$ROOT/target/scale-seed-seconds.txt" ]; then
      cp "$ROOT/target/scale-seed-seconds.txt" "$RESULTS/seed-reused-seconds.txt"
    fi
    if [ ! -f "$RESULTS/scale.why" ]; then
      port=$(free_port)
      if start_server "$port" "$url" "$data_dir" "$WORK/server-scale.log"; then
        measure scale json bench "$port" "$url" "$data_dir" scale --base-url "http://127.0.0.1:$port" --database-url "$url" \
          --requests "${BENCH_SCALE_REQUESTS:-500}"
        stop_server
      else
        not_measured scale "the server did not start on $url"
      fi
    fi
  fi
  python3 bench/report_scale.py "$RESULTS" "$ROOT/BENCHMARKS.md"
}

main() {
  install_tools
  if ! build_if_needed; then
    not_measured build "the release build failed: nothing could be measured"
    python3 bench/report.py "$RESULTS" "$ROOT/BENCHMARKS.md"
    exit 1
  fi
  record_run

  local port data_dir=$WORK/sqlite database_url base
  port=$(free_port)
  database_url="sqlite://$data_dir/raia.db"
  base="http://127.0.0.1:$port"
  say "starting the release server on $base with a fresh SQLite database"
  if ! start_server "$port" "$database_url" "$data_dir" "$WORK/server-sqlite.log"; then
    not_measured server "the release server did not start: $(tail -n 3 "$WORK/server-sqlite.log" | tr '\n' ' ')"
    python3 bench/report.py "$RESULTS" "$ROOT/BENCHMARKS.md"
    exit 1
  fi
  echo "$STARTUP_MS" >"$RESULTS/startup-fresh-ms.txt"
  sleep 2
  rss_kb "$SERVER_PID" >"$RESULTS/rss-idle-kb.txt"

  COOKIE= REFERENCE=
  local session_lines
  if session_lines=$(bench "$port" "$database_url" "$data_dir" session --database-url "$database_url" 2>"$WORK/session.err"); then
    eval "$session_lines"
  else
    not_measured session "no logged-in session: $(tail -n 3 "$WORK/session.err" | tr '\n' ' ')"
  fi

  page_weight "$base"
  lighthouse_pages "$base"
  server_rendering "$base"
  rss_kb "$SERVER_PID" >"$RESULTS/rss-after-wrk-kb.txt"
  login_rush "$port" "$database_url" "$data_dir"
  rss_kb "$SERVER_PID" >"$RESULTS/rss-after-rush-kb.txt"
  payment_callbacks sqlite "$port" "$database_url" "$data_dir"

  say "restarting on the same database to time the start-up"
  stop_server
  if start_server "$port" "$database_url" "$data_dir" "$WORK/server-sqlite.log"; then
    echo "$STARTUP_MS" >"$RESULTS/startup-existing-ms.txt"
    stop_server
  else
    not_measured startup-existing "the server did not restart on its database"
  fi

  postgres_callbacks
  soak
  performance_query
  documents_bench

  say "writing BENCHMARKS.md"
  python3 bench/report.py "$RESULTS" "$ROOT/BENCHMARKS.md"
}

cleanup() {
  stop_server
  if [ "${BENCH_KEEP:-}" = 1 ]; then
    say "raw outputs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

case "${1:-}" in
  "") main ;;
  soak) soak_only ;;
  scale) scale_only ;;
  *)
    echo "usage: bench/run.sh [soak|scale]" >&2
    exit 2
    ;;
esac
