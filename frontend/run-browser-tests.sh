#!/usr/bin/env bash
# Browser tests: keyboard-only journeys and axe-core (WCAG 2.2 A/AA) in Debian's headless
# chromium, driven by playwright-core. Screenshots and axe results go to target/browser-artifacts/.
#
#   frontend/run-browser-tests.sh [path/to/senplan] [node --test options...]
#
# The binary defaults to target/debug/senplan (build it first: cargo build -p senplan).
# 1. installs chromium + chromium-driver with apt-get when /usr/bin/chromium is missing;
# 2. runs `npm ci` in frontend/ when node_modules is missing (`npm install` without a lock);
# 3. runs `node --test browser/*.test.mjs` from frontend/. Exit code = the tests' result.
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$FRONTEND_DIR/.." && pwd)"

BIN="${1:-$REPO_ROOT/target/debug/senplan}"
shift || true
case "$BIN" in
  /*) ;;
  *) BIN="$(pwd)/$BIN" ;;
esac

# 1. Browser
if [ ! -x /usr/bin/chromium ] || ! command -v chromedriver >/dev/null 2>&1; then
  echo "run-browser-tests: installing Debian's chromium and chromium-driver" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "run-browser-tests: /usr/bin/chromium is missing and I am not root; run: apt-get install -y chromium chromium-driver" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y chromium chromium-driver
fi

# 2. npm packages (playwright-core, axe-core, govuk-frontend), pinned by package-lock.json
cd "$FRONTEND_DIR"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
fi

# 3. Tests
if [ ! -x "$BIN" ]; then
  echo "run-browser-tests: no senplan binary at $BIN: build the binary first: cargo build -p senplan" >&2
  # Run anyway: the smoke test fails with that message, the binary-free tests still run.
fi
export SENPLAN_BIN="$BIN"
mkdir -p "$REPO_ROOT/target/browser-artifacts"
status=0
node --test --test-reporter=tap "$@" browser/*.test.mjs || status=$?
echo "run-browser-tests: screenshots and axe results in $REPO_ROOT/target/browser-artifacts/" >&2
exit "$status"
