#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then runs the unit and integration tests (ctest),
# the conformance suite with the official Genesys Cloud JavaScript SDK (node --test), the user logins
# in headless Chromium (node --test; screenshots in build/test-artifacts/browser), and the unit and
# integration tests again under AddressSanitizer + UndefinedBehaviorSanitizer, and every fuzz target for
# a few seconds (scripts/fuzz.sh: the regression inputs, libFuzzer, a short black-box run).
#
#   scripts/test.sh            everything (what CI runs)
#   TOKENS_SKIP_SANITIZERS=1 scripts/test.sh     skip the sanitizer build (faster local runs)
#   TOKENS_SKIP_FUZZ=1 scripts/test.sh           skip the fuzz build and runs
#   ctest --test-dir build -L unit               the fast suites alone (labels: unit, integration, redis, cli)
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
section() { printf '\n=== %s ===\n' "$*"; }

section "dependencies"
scripts/install-deps.sh

section "build (Release)"
# No -G: an existing build/ keeps the generator it was made with (scripts/run-demo.sh uses the default).
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTOKENS_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"

section "unit and integration tests"
ctest --test-dir build --output-on-failure -j"$jobs"

section "conformance: the official Genesys Cloud JavaScript SDK against tokens-server"
(cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error && TOKENS_SERVER="$PWD/../../build/bin/tokens-server" node --test)

section "browser: user logins through the login page in headless Chromium"
# playwright-core drives Debian's /usr/bin/chromium and never downloads a browser; the variable makes
# sure of it. Each test has its own time limit; `timeout` bounds the whole suite (and its Chromiums).
(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error &&
  TOKENS_SERVER="$PWD/../../build/bin/tokens-server" TOKENS_CLI="$PWD/../../build/bin/gctokens" \
  timeout --kill-after=10 600 node --test --test-timeout=120000)

if [[ "${TOKENS_SKIP_SANITIZERS:-0}" != 1 ]]; then
  section "build with AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKENS_SANITIZE=ON -DTOKENS_BUILD_TESTS=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  section "unit and integration tests under the sanitizers"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
fi
if [[ "${TOKENS_SKIP_FUZZ:-0}" != 1 ]]; then
  section "fuzzing: each target ${TOKENS_FUZZ_SECONDS:-10} s, its regression inputs, and the black box"
  scripts/fuzz.sh "${TOKENS_FUZZ_SECONDS:-10}"
fi
section "all tests passed"
