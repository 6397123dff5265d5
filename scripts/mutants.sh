#!/usr/bin/env bash
# Mutation testing with cargo-mutants: small deliberate bugs put into the rules that
# matter most, each of which some test must catch. Not part of CI (too slow on two
# cores); run it before resolving work that changes these modules, and record the
# figures in TESTING.md (scripts/mutants-summary.py prints them per module).
#
#   scripts/mutants.sh core    # core: cycle, review, access, disclosure, concern, status, costing
#   scripts/mutants.sh store   # store: access, cycles, reviews, relationships (tests need PostgreSQL too)
#   scripts/mutants.sh app     # app: the permission rule and the menu, against its own tests
#   scripts/mutants.sh web     # web: CSRF, sign-in limits, next, against the API and matrix tests
#   scripts/mutants.sh core -f crates/core/src/cycle.rs   # extra cargo-mutants flags
#
# Results go to target/mutants/<set>/mutants.out (caught.txt, missed.txt, timeout.txt,
# unviable.txt, outcomes.json). Bounded: each mutant's build and tests are timed out.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked

set_name="${1:-core}"
shift || true
out="target/mutants/$set_name"
mkdir -p "$out"
jobs="${MUTANTS_JOBS:-2}"

case "$set_name" in
  core)
    files=(crates/core/src/cycle.rs crates/core/src/review.rs crates/core/src/access.rs crates/core/src/actor.rs crates/core/src/disclosure.rs
           crates/core/src/concern.rs crates/core/src/status.rs 'crates/core/src/costing/*.rs')
    args=(--package senplan-core --timeout 60 --build-timeout 600)
    ;;
  store)
    files=(crates/store/src/access.rs crates/store/src/cycles.rs crates/store/src/reviews.rs crates/store/src/relationships.rs)
    args=(--package senplan-store --test-package senplan-store --timeout 300 --build-timeout 900)
    ;;
  app)
    files=(crates/app/src/access.rs)
    args=(--package senplan-app --timeout 120 --build-timeout 900)
    ;;
  web)
    # Only the `web` test binary (the matrix, CSRF, security, cycle rules): the other
    # web test binaries would triple the build time of every mutant.
    files=(crates/web/src/session.rs 'crates/web/src/security/*.rs')
    args=(--package senplan-web --test-package senplan-web --cargo-test-arg=--test=web --timeout 300 --build-timeout 900)
    ;;
  *)
    echo "usage: scripts/mutants.sh core|store|app|web [cargo-mutants flags]" >&2
    exit 2
    ;;
esac

file_args=()
for f in "${files[@]}"; do file_args+=(--file "$f"); done
exec cargo mutants "${args[@]}" "${file_args[@]}" --jobs "$jobs" --output "$out" "$@"
