#!/usr/bin/env bash
# Fuzzes every parser of outside bytes (docs/security.md), then the live server over real sockets.
#
#   scripts/fuzz.sh [SECONDS]     each libFuzzer target for SECONDS (default 60), then the black-box run
#                                 against a live server for SECONDS too
#   FUZZ_TARGETS="fuzz_form fuzz_cookies" scripts/fuzz.sh 30     only these targets
#   FUZZ_BLACKBOX_SECONDS=900 scripts/fuzz.sh 0                  only the black-box run, for 15 minutes
#
# First every input of tests/fuzz/regressions/<target>/ runs once (each once crashed, and must not any
# more). Then each target fuzzes for SECONDS, starting from tests/fuzz/corpus/<target>/ and what earlier
# runs found (build-fuzz/corpus/<target>/, kept between runs). A crash stops the script: its input is in
# build-fuzz/crashes/<target>/; fix the bug and copy the input to tests/fuzz/regressions/<target>/.
#
# The libFuzzer targets are built with clang in build-fuzz/ (-DTOKENS_FUZZ=ON); the black-box run uses
# the server of build/ (Release unless configured otherwise), brought up to date here. FUZZ_SEED fixes
# the black box's seed (it prints the one it used) to repeat a run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
blackbox_seconds=${FUZZ_BLACKBOX_SECONDS:-$seconds}
targets=${FUZZ_TARGETS:-"fuzz_http_request fuzz_form fuzz_cookies fuzz_json_bodies fuzz_provisioning fuzz_redis_cluster fuzz_sdk_response fuzz_sdk_config fuzz_cli_json"}
jobs=$(nproc)
section() { printf '\n=== %s ===\n' "$*"; }

scripts/install-deps.sh

if [[ $seconds != 0 ]]; then
  section "fuzz targets: build (clang, libFuzzer, ASan+UBSan) in build-fuzz/"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKENS_FUZZ=ON \
    -DTOKENS_BUILD_TESTS=OFF >/dev/null
  cmake --build build-fuzz --target fuzzers -j"$jobs"

  # Sanitizer reports go to stderr; libFuzzer keeps its own copy of stderr when -close_fd_mask closes the
  # target's (the SDK and the config reader print warnings for every malformed input).
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  for target in $targets; do
    binary=build-fuzz/bin/$target
    regressions=tests/fuzz/regressions/$target
    if compgen -G "$regressions/*" >/dev/null; then
      section "$target: the regression inputs"
      "$binary" -close_fd_mask=3 "$regressions"/*
    fi
    section "$target: $seconds s"
    work=build-fuzz/corpus/$target
    crashes=build-fuzz/crashes/$target
    mkdir -p "$work" "$crashes"
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
             -close_fd_mask=3 -artifact_prefix="$crashes/")
    [[ -f tests/fuzz/dict/$target.dict ]] && options+=(-dict="tests/fuzz/dict/$target.dict")
    if ! "$binary" "${options[@]}" "$work" "tests/fuzz/corpus/$target" 2>&1 | tail -n 12; then
      echo "fuzz.sh: $target found a crash: its input is in $crashes/" >&2
      echo "fuzz.sh: fix it, then copy the input to $regressions/ so that it stays fixed" >&2
      exit 1
    fi
  done
fi

if [[ $blackbox_seconds != 0 ]]; then
  section "black box: mutated requests on every route against a live server, $blackbox_seconds s"
  # Built every time (nothing to do when up to date): a stale server would be fuzzed otherwise.
  [[ -f build/CMakeCache.txt ]] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTOKENS_BUILD_TESTS=ON >/dev/null
  cmake --build build -j"$jobs" --target tokens-server blackbox_fuzz
  build/bin/blackbox_fuzz --seconds "$blackbox_seconds" ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
    --artifacts build/test-artifacts/blackbox
fi
echo "fuzz.sh: nothing found"
