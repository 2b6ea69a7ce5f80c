#!/usr/bin/env bash
# Raia's two commands (see README):
#   ./dev.sh serve   install what is missing, then serve the release build on http://127.0.0.1:3000
#   ./dev.sh test    install what is missing, then run every test (Rust, then Playwright)
#   ./dev.sh e2e     the Playwright suite alone, against the release build as it is
#
# Tools that cargo-leptos would otherwise download from the internet (wasm-bindgen,
# wasm-opt) are installed from the package registries and put on PATH first.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132
TOOLS_DIR=${RAIA_TOOLS_DIR:-$HOME/.cache/raia/tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }

# ---------------------------------------------------------------- installs

install_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi

  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 30 minutes, once per machine)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
  fi

  # The CLI must be exactly the wasm-bindgen version the app links against.
  local wanted
  wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wanted\$"; then
    say "installing wasm-bindgen-cli $wanted"
    # --locked may name a dependency version the registry mirror lacks; then resolve anew.
    cargo install wasm-bindgen-cli --version "$wanted" --locked \
      || cargo install wasm-bindgen-cli --version "$wanted"
  fi

  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
  fi
}

install_test_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's Chromium"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  fi
  say "installing the Playwright suite's npm packages"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
}

# PostgreSQL is installed on this project's machines; start it if it is not running.
ensure_postgres() {
  if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql 2>/dev/null | head -n 1)
    if [ -n "$version" ]; then
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
  else
    say "PostgreSQL is not reachable: database tests run on SQLite only"
  fi
}

build_release() {
  say "building the release site (server + WASM)"
  cargo leptos build --release --precompress
}

# ---------------------------------------------------------------- commands

serve() {
  install_rust_tools
  export APP_ENV=${APP_ENV:-dev}
  # Months of made-up applications, so /performance has figures on a fresh database.
  export DEMO_HISTORY=${DEMO_HISTORY:-true}
  say "serving on http://127.0.0.1:3000 (Ctrl-C stops)"
  cargo leptos serve --release --precompress
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run_e2e() {
  local port data_dir server_pid callback_secret status=0
  port=$(free_port)
  data_dir=$(mktemp -d)
  callback_secret=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
  say "starting the release server on 127.0.0.1:$port with a fresh database"
  # Logging as talkative as an operator chasing a problem would set it: the log is then
  # searched for every secret the suite handled (end2end/check-logs.mjs).
  APP_ENV=dev DEMO_HISTORY=true BIND_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$data_dir/raia.db" MPESA_SIM_DELAY_SECONDS=1 \
    MPESA_CALLBACK_SECRET="$callback_secret" \
    LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD \
    RUST_LOG="info,raia_server=debug,raia_app=debug,tower_http=debug" "$CARGO_TARGET_DIR/release/raia-server" >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  touch "$data_dir/sessions.txt"
  (cd end2end && RAIA_SESSIONS_FILE="$data_dir/sessions.txt" BASE_URL="http://127.0.0.1:$port" npx playwright test "$@") || status=$?
  say "searching the server's log for secrets"
  (cd end2end && node check-logs.mjs "$data_dir/server.log" "$data_dir/sessions.txt" "http://127.0.0.1:$port" "$callback_secret") || status=$?
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "--- server log ---"
    tail -n 50 "$data_dir/server.log"
  fi
  rm -rf "$data_dir"
  return "$status"
}

test_all() {
  install_rust_tools
  install_test_tools
  ensure_postgres
  say "structure: no circle of imports, at most 6 running back up, no file over 500 lines (ARCHITECTURE.md)"
  python3 .ci/structure.py --check
  say "Rust tests (app with ssr, then server)"
  cargo test -p raia-app --features ssr
  cargo test -p raia-server
  build_release
  say "Playwright suite"
  run_e2e
}

case "${1:-}" in
  serve) serve ;;
  test) test_all ;;
  # The Playwright suite alone against the release build as it is (arguments go to Playwright).
  e2e) shift && ensure_postgres && run_e2e "$@" ;;
  # The national-scale bench builds only the server and raia-bench: no WASM tools needed.
  bench) { [ "${2:-}" = scale ] || install_rust_tools; } && bench/run.sh "${@:2}" ;;
  *)
    echo "usage: ./dev.sh serve | ./dev.sh test | ./dev.sh e2e [playwright args] | ./dev.sh bench [soak|scale] (measure against the budgets, rewrite BENCHMARKS.md; with soak, only the soak; with scale, section 10 at national size)" >&2
    exit 2
    ;;
esac
