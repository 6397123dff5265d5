#!/usr/bin/env bash
# Runs every senplan test on a fresh machine: installs what is missing (PostgreSQL,
# Python's aiosmtpd, Chromium, npm packages), then lints, runs the Rust tests on SQLite and PostgreSQL,
# and the browser journeys with axe-core. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

# --- PostgreSQL at 127.0.0.1:5432 with trust auth (SENPLAN_TEST_PG overrides) ----
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if [ -z "${SENPLAN_TEST_PG:-}" ] && ! pg_up; then
  echo "== PostgreSQL is not answering on 127.0.0.1:5432: installing/starting it"
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  ver=$(ls /etc/postgresql | sort -n | tail -1)
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  sed -i -E 's/(scram-sha-256|md5|peer)$/trust/' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi

# --- A real SMTP server for the e-mail tests: Python's aiosmtpd ------------------
# (Debian's package; without it the tests make a venv and install it from PyPI.)
if ! python3 -c 'import aiosmtpd' 2>/dev/null && ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "== installing aiosmtpd (the SMTP server the e-mail tests send to)"
  apt_install python3-aiosmtpd || apt_install python3-venv python3-pip || true
fi

# --- Rust: lints, then every test on both databases ----------------------------
phase() { echo "== $1 (at ${SECONDS}s)"; }
phase "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
phase "cargo test"
cargo test --workspace --quiet 2>&1 | tee target/rust-tests.log
grep -q "test result: FAILED" target/rust-tests.log && exit 1

# --- Browser journeys (Chromium + axe-core) -------------------------------------
phase "browser tests"
cargo build --quiet -p senplan
bash frontend/run-browser-tests.sh "$PWD/target/debug/senplan"
phase "done"
