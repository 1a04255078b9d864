#!/usr/bin/env bash
# bench/run-sdk.sh: the C++ SDK's getTokensMe against three baselines, on the same server in the same run.
#
#   - sequential calls/s: the SDK's blocking getTokensMe() against a raw libcurl loop (one easy handle,
#     keep-alive): target >= 0.9 of it;
#   - sequential calls/s: the SDK against the official JavaScript SDK (purecloud-platform-client-v2, the
#     version tests/conformance pins) doing the same calls: target >= 5 times its calls/s;
#   - getTokensMeAsync with 64 calls in flight against wrk -t1 -c64 on the same endpoint: target >= 0.5 of
#     wrk's requests/s.
# Also measured, as a reference only: libcurl's multi interface alone with 64 transfers in flight.
#
# Builds Release into build-bench-sdk/ (tokens-server and bench/sdk's sdk_bench), starts tokens-server with
# one I/O thread, an in-memory store and the demo provisioning, gets a client-credentials token for
# acme-admin-service, then measures each side in turn, rotating their order from round to round. Prints
# calls/s (medians over the rounds), the ratios, their targets and PASS/BELOW. See bench/README.md.
#
# On a shared machine, run it under the build lock so that no build runs during the measurements (the
# script's own build then runs under that lock too; it takes no lock itself):
#   flock /tmp/tokens-build.lock bench/run-sdk.sh
#
# Environment:
#   BENCH_SKIP_BUILD=1     do not build; use $TOKENS_SERVER and $SDK_BENCH (defaults: build-bench-sdk/bin/)
#   TOKENS_SERVER=PATH     the server binary when BENCH_SKIP_BUILD=1
#   SDK_BENCH=PATH         the sdk_bench binary when BENCH_SKIP_BUILD=1
#   BENCH_DURATION=10      measured seconds per run           BENCH_WARMUP=1  unmeasured seconds before each
#   BENCH_ROUNDS=1         runs per side; the table shows the medians
#   BENCH_IN_FLIGHT=64     calls in flight for the asynchronous SDK, and wrk's connections
#   BENCH_PLACEMENT=shared shared: server and client on one CPU; split: server on one CPU, each client on another;
#                          none: no pinning (the scheduler decides)
#   BENCH_STRICT=1         exit 2 when a ratio is below its target (default: report only)
#   BENCH_KEEP_TMP=1       keep the temporary directory (logs, every run's output) after success
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_LOG_PREFIX=bench-sdk
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
CALLER_DIR=$PWD
JS_DIR=$BENCH_DIR/sdk

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-1}
ROUNDS=${BENCH_ROUNDS:-1}
IN_FLIGHT=${BENCH_IN_FLIGHT:-64}
PLACEMENT=${BENCH_PLACEMENT:-shared}
ME_PATH=/api/v2/tokens/me
SYNC_RAW_TARGET=0.9
SYNC_JS_TARGET=5
ASYNC_WRK_TARGET=0.5
JS_SDK_PACKAGE=purecloud-platform-client-v2

TMP=""
SERVER_PID=""
SERVER_URL=""
TOKEN=""
FAILED=1
SERVER_CPU=""
CLIENT_CPU=""


# --- processes and clean-up -------------------------------------------------------------------------


CLIENT_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$CLIENT_PID" "the client under test"
  stop_pid "$SERVER_PID" tokens-server
  if [[ -n $TMP && -d $TMP ]]; then
    if ((FAILED)) || [[ ${BENCH_KEEP_TMP:-0} == 1 ]]; then
      log "logs kept in $TMP"
    else
      rm -rf "$TMP"
    fi
  fi
  exit "$rc"
}

# --- small helpers ----------------------------------------------------------------------------------






# CPU ticks (user + system) that a process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# --- 1. build -----------------------------------------------------------------------------------------

build() {
  bench_build build-bench-sdk tokens-server sdk_bench
  SERVER_BIN=$(bench_program tokens-server build-bench-sdk TOKENS_SERVER)
  SDK_BENCH_BIN=$(bench_program sdk_bench build-bench-sdk SDK_BENCH)
  log "using $SERVER_BIN and $SDK_BENCH_BIN"
}

# The JavaScript SDK, at the version tests/conformance pins (npm ci from bench/sdk/package-lock.json).
prepare_js_sdk() {
  local pinned installed
  pinned=$(sed -n 's/.*"'"$JS_SDK_PACKAGE"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$REPO_DIR/tests/conformance/package.json")
  [[ -n $pinned ]] || die "tests/conformance/package.json pins no $JS_SDK_PACKAGE"
  grep -q '"'"$JS_SDK_PACKAGE"'"[[:space:]]*:[[:space:]]*"'"$pinned"'"' "$JS_DIR/package.json" ||
    die "bench/sdk/package.json does not pin $JS_SDK_PACKAGE $pinned as tests/conformance does"
  if [[ ! -f $JS_DIR/node_modules/$JS_SDK_PACKAGE/package.json ]]; then
    log "installing the JavaScript SDK into bench/sdk/node_modules (npm ci)"
    (cd "$JS_DIR" && npm ci --no-audit --no-fund) >&2 || die "npm ci in bench/sdk failed"
  fi
  installed=$(sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' \
    "$JS_DIR/node_modules/$JS_SDK_PACKAGE/package.json" | head -n 1)
  [[ $installed == "$pinned" ]] ||
    die "bench/sdk/node_modules holds $JS_SDK_PACKAGE $installed, not $pinned: run (cd bench/sdk && npm ci)"
  JS_SDK_VERSION=$installed
}

# --- 2. placement -------------------------------------------------------------------------------------

# SERVER_RUN / CLIENT_RUN: the command prefixes that pin the server and the clients.
SERVER_RUN=()
CLIENT_RUN=()
choose_placement() {
  local -a cpus
  # The CPUs this script may use, in order (taskset prints e.g. "0,1" or "0-3").
  mapfile -t cpus < <(taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' |
    awk -F- '{ if (NF == 2) { for (i = $1; i <= $2; i++) print i } else print $1 }')
  case $PLACEMENT in
    split)
      ((${#cpus[@]} >= 2)) || die "BENCH_PLACEMENT=split needs 2 CPUs, this process may use ${#cpus[@]}"
      SERVER_CPU=${cpus[0]}
      CLIENT_CPU=${cpus[1]}
      ;;
    shared)
      SERVER_CPU=${cpus[0]}
      CLIENT_CPU=${cpus[0]}
      ;;
    none) ;;
    *) die "BENCH_PLACEMENT must be split, shared or none, got '$PLACEMENT'" ;;
  esac
  if [[ -n $SERVER_CPU ]]; then
    SERVER_RUN=(taskset -c "$SERVER_CPU")
    CLIENT_RUN=(taskset -c "$CLIENT_CPU")
  fi
  # Every client runs with the same clean environment: no proxy, and no SDK configuration from the
  # environment or from a config file in the caller's home (~/.genesyscloudcpp, ~/.genesyscloudjavascript).
  mkdir -p "$TMP/home"
  local -a unset=()
  local name
  for name in http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy $(compgen -e | grep '^GENESYSCLOUD_' || true); do
    unset+=(-u "$name")
  done
  CLIENT_RUN+=(env "${unset[@]}" NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 HOME="$TMP/home")
}

# --- 3. the server and the token ----------------------------------------------------------------------

start_server() {
  local stderr=$TMP/server.stderr
  # --threads 1: see README.md (one core for the server, one for the client under test).
  # --rate-limit-per-token 0: the per-token limit (300 per 60 s by default) would answer 429 at once.
  "${SERVER_RUN[@]}" "$SERVER_BIN" --listen 127.0.0.1:0 --threads 1 --store memory: \
    --provision "$REPO_DIR/provisioning/demo.toml" --log-level warn --rate-limit-per-token 0 \
    >/dev/null 2>"$stderr" &
  SERVER_PID=$!
  wait_for_server "$stderr"
  log "tokens-server (pid $SERVER_PID) listening on $SERVER_URL${SERVER_CPU:+, on CPU $SERVER_CPU}"
}

get_token() {
  local f=$TMP/http.out code
  code=$(http "$f" -u acme-admin-service:acme-admin-secret -d grant_type=client_credentials "$SERVER_URL/oauth/token")
  [[ $code == 200 ]] || die "POST /oauth/token (client_credentials, acme-admin-service): expected 200, got $code: $(head -c 500 "$f")"
  TOKEN=$(json_string access_token "$f")
  [[ -n $TOKEN ]] || die "POST /oauth/token (client_credentials): no access_token in $(head -c 500 "$f")"

  code=$(http "$TMP/tokeninfo.json" -H "Authorization: Bearer $TOKEN" "$SERVER_URL$ME_PATH")
  [[ $code == 200 ]] || die "GET $ME_PATH: expected 200, got $code: $(head -c 500 "$TMP/tokeninfo.json")"
  grep -q '"OAuthClient"' "$TMP/tokeninfo.json" || die "GET $ME_PATH: no OAuthClient in $(head -c 500 "$TMP/tokeninfo.json")"
  BODY_SIZE=$(wc -c <"$TMP/tokeninfo.json")
  log "token ok: GET $ME_PATH answers 200 with a $BODY_SIZE-byte TokenInfo"
}

# --- 4. the sides -------------------------------------------------------------------------------------

# One measured run of one side. Sets R_CPS, R_CONNECTIONS and R_SERVER_CPU (the server's CPU use during the
# whole run, warm-up included, in per cent of one core). Fails on any error or non-200 answer.
RUN_SEQ=0
run_side() { # side
  local side=$1 out line ticks0 ticks1 t0 t1 rc calls new
  RUN_SEQ=$((RUN_SEQ + 1))
  out=$TMP/run-$RUN_SEQ-$side.txt
  ticks0=$(cpu_ticks "$SERVER_PID")
  t0=$(date +%s%N)
  case $side in
    raw-curl | sdk-sync | sdk-async | raw-curl-multi)
      "${CLIENT_RUN[@]}" "$SDK_BENCH_BIN" "$side" "$SERVER_URL" "$TOKEN" --seconds "$DURATION" --warmup "$WARMUP" \
        --in-flight "$IN_FLIGHT" >"$out" 2>&1 &
      ;;
    js-sdk)
      "${CLIENT_RUN[@]}" node "$JS_DIR/js-sdk-bench.mjs" "$SERVER_URL" "$TOKEN" --seconds "$DURATION" \
        --warmup "$WARMUP" >"$out" 2>&1 &
      ;;
    wrk)
      # The same request lines as the SDK (Authorization, Accept, a User-Agent). The warm-up is a separate,
      # unmeasured wrk run just before (wrk has no warm-up of its own).
      local -a wrk_args=(-t1 -c"$IN_FLIGHT" -H "Authorization: Bearer $TOKEN" -H "Accept: application/json"
        -H "User-Agent: tokens-sdk-bench-wrk/0.1.0" -s "$BENCH_DIR/wrk-report.lua" "$SERVER_URL$ME_PATH")
      {
        if ((WARMUP > 0)); then
          BENCH_METHOD=GET "${CLIENT_RUN[@]}" wrk -d"${WARMUP}s" "${wrk_args[@]}" >"$out.warmup" 2>&1 || exit 1
        fi
        BENCH_METHOD=GET exec "${CLIENT_RUN[@]}" wrk -d"${DURATION}s" "${wrk_args[@]}"
      } >"$out" 2>&1 &
      ;;
  esac
  CLIENT_PID=$!
  # The guard only matters if a client hangs outright.
  local deadline=$((SECONDS + DURATION + WARMUP + 60))
  while kill -0 "$CLIENT_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$CLIENT_PID" 2>/dev/null; then
    stop_pid "$CLIENT_PID" "$side"
    CLIENT_PID=""
    die "$side did not finish within $((DURATION + WARMUP + 60)) s; its output:
$(cat "$out")"
  fi
  wait "$CLIENT_PID" && rc=0 || rc=$?
  CLIENT_PID=""
  t1=$(date +%s%N)
  ticks1=$(cpu_ticks "$SERVER_PID")
  ((rc == 0)) || die "$side failed (status $rc); its output:
$(cat "$out" "$out.warmup" 2>/dev/null | tail -n 30)"
  kill -0 "$SERVER_PID" 2>/dev/null || die "tokens-server is gone after the $side run; its stderr:
$(tail -n 20 "$TMP/server.stderr")"
  R_SERVER_CPU=$(awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v ns="$((t1 - t0))" \
    'BEGIN { printf "%.0f", 100 * t / hz / (ns / 1e9) }')

  line=$(grep '^BENCH ' "$out" || true)
  [[ -n $line ]] || die "$side printed no BENCH line; its output:
$(cat "$out")"
  if [[ $side == wrk ]]; then
    local requests status_errors connect_errors read_errors write_errors timeouts
    requests=$(field requests "$line")
    status_errors=$(field status_errors "$line")
    connect_errors=$(field connect_errors "$line")
    read_errors=$(field read_errors "$line")
    write_errors=$(field write_errors "$line")
    timeouts=$(field timeouts "$line")
    if ((status_errors || connect_errors || read_errors || write_errors || timeouts)) || ((requests < IN_FLIGHT)); then
      die "wrk saw errors: requests=$requests non-2xx/3xx=$status_errors connect=$connect_errors read=$read_errors write=$write_errors timeout=$timeouts; its output:
$(cat "$out")"
    fi
    R_CPS=$(field rps "$line")
    R_CONNECTIONS=$IN_FLIGHT
    return
  fi
  R_CPS=$(field cps "$line")
  calls=$(field calls "$line")
  R_CONNECTIONS=$(field connections "$line")
  new=$(field new_connections "$line")
  ((calls > 0)) || die "$side completed no call: $line"
  # The premise of the sequential comparison: one connection, kept alive for the whole measured run.
  case $side in
    raw-curl | sdk-sync | js-sdk)
      ((R_CONNECTIONS == 1)) || die "$side used $R_CONNECTIONS connections during the measured run, expected 1 (keep-alive): $line"
      ((new <= 0)) || die "$side opened $new connection(s) during the measured run, expected none (keep-alive): $line"
      ;;
    *)
      ((R_CONNECTIONS >= 1 && R_CONNECTIONS <= IN_FLIGHT)) ||
        die "$side used $R_CONNECTIONS connections, expected 1 to $IN_FLIGHT: $line"
      ((new <= 0)) || die "$side opened $new connection(s) during the measured run, expected none: $line"
      ;;
  esac
}

declare -A CPS_RUNS CONN_RUNS SRV_RUNS
ALL_SIDES=(raw-curl sdk-sync js-sdk wrk sdk-async raw-curl-multi)
SYNC_ORDERS=("raw-curl sdk-sync js-sdk" "sdk-sync js-sdk raw-curl" "js-sdk raw-curl sdk-sync")
ASYNC_ORDERS=("wrk sdk-async raw-curl-multi" "sdk-async raw-curl-multi wrk" "raw-curl-multi wrk sdk-async")

measure() {
  local round side order
  for ((round = 1; round <= ROUNDS; round++)); do
    # Rotate the order, so that no side always gets the same place (a quieter or a warmer machine).
    order="${SYNC_ORDERS[(round - 1) % 3]} ${ASYNC_ORDERS[(round - 1) % 3]}"
    for side in $order; do
      log "round $round/$ROUNDS: $side, ${WARMUP} s warm-up + ${DURATION} s"
      run_side "$side"
      CPS_RUNS[$side]+="$R_CPS "
      CONN_RUNS[$side]=$R_CONNECTIONS
      SRV_RUNS[$side]+="$R_SERVER_CPU "
      log "round $round/$ROUNDS: $side $R_CPS calls/s, $R_CONNECTIONS connection(s), server CPU ${R_SERVER_CPU}%"
    done
  done
}

# --- 5. report ----------------------------------------------------------------------------------------

BELOW=0
report() {
  local side label
  declare -A MED
  for side in "${ALL_SIDES[@]}"; do
    # shellcheck disable=SC2086 # word splitting of the list of figures is intended
    MED[$side]=$(median ${CPS_RUNS[$side]})
  done
  local placement_desc
  case $PLACEMENT in
    split) placement_desc="server on CPU $SERVER_CPU, the client under test on CPU $CLIENT_CPU" ;;
    shared) placement_desc="server and the client under test both on CPU $SERVER_CPU" ;;
    none) placement_desc="nothing pinned" ;;
  esac
  echo
  echo "C++ SDK vs baselines, GET $ME_PATH: ${DURATION} s measured after ${WARMUP} s of warm-up per run, $ROUNDS round(s) (medians)"
  echo "  machine:   $(nproc) CPU(s), $(uname -sr)"
  echo "  server:    tokens-server --threads 1 --store memory: (client-credentials token, rate limit off), $BODY_SIZE-byte TokenInfo"
  echo "  placement: $PLACEMENT: $placement_desc; one client at a time"
  echo "  clients:   sdk_bench (C++ SDK on $(curl --version | head -n 1 | grep -o 'libcurl/[0-9.]*' || echo libcurl)), node $(node --version) with $JS_SDK_PACKAGE $JS_SDK_VERSION, $(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }')"
  echo
  printf '%-44s %10s  %-30s %5s %11s\n' side "calls/s" "per round" conns "server CPU"
  for side in "${ALL_SIDES[@]}"; do
    case $side in
      raw-curl) label="raw libcurl loop (1 easy handle, keep-alive)" ;;
      sdk-sync) label="C++ SDK getTokensMe()" ;;
      js-sdk) label="JavaScript SDK getTokensMe()" ;;
      wrk) label="wrk -t1 -c$IN_FLIGHT" ;;
      sdk-async) label="C++ SDK getTokensMeAsync, $IN_FLIGHT in flight" ;;
      raw-curl-multi) label="(reference) libcurl multi, $IN_FLIGHT in flight" ;;
    esac
    # shellcheck disable=SC2086
    printf '%-44s %10.0f  %-30s %5s %10s%%\n' "$label" "${MED[$side]}" \
      "$(printf '%.0f ' ${CPS_RUNS[$side]})" "${CONN_RUNS[$side]}" "$(median ${SRV_RUNS[$side]})"
  done
  echo
  printf '%-44s %10s %8s  %s\n' comparison ratio target verdict
  compare "C++ SDK sync / raw libcurl loop" "${MED[sdk-sync]}" "${MED[raw-curl]}" "$SYNC_RAW_TARGET"
  compare "C++ SDK sync / JavaScript SDK" "${MED[sdk-sync]}" "${MED[js-sdk]}" "$SYNC_JS_TARGET"
  compare "C++ SDK async ($IN_FLIGHT in flight) / wrk -c$IN_FLIGHT" "${MED[sdk-async]}" "${MED[wrk]}" "$ASYNC_WRK_TARGET"
  compare "(reference) raw libcurl loop / JavaScript SDK" "${MED[raw-curl]}" "${MED[js-sdk]}" ""
  compare "(reference) libcurl multi / wrk -c$IN_FLIGHT" "${MED[raw-curl-multi]}" "${MED[wrk]}" ""
  compare "(reference) C++ SDK async / libcurl multi" "${MED[sdk-async]}" "${MED[raw-curl-multi]}" ""
}

compare() { # label value baseline target(empty: none)
  local r verdict
  r=$(ratio "$2" "$3")
  if [[ -z $4 ]]; then
    printf '%-44s %10s %8s  %s\n' "$1" "$r" "-" "-"
    return
  fi
  if awk -v r="$r" -v t="$4" 'BEGIN { exit !(r >= t) }'; then verdict=PASS; else verdict=BELOW; BELOW=1; fi
  printf '%-44s %10s %8s  %s\n' "$1" "$r" ">= $4" "$verdict"
}

main() {
  command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh installs it)"
  command -v node >/dev/null || die "node is not installed (Node.js 20 or later: the JavaScript SDK's side)"
  command -v curl >/dev/null || die "curl is not installed"
  command -v taskset >/dev/null || die "taskset (util-linux) is not installed"
  check_run_settings
  [[ $IN_FLIGHT =~ ^[1-9][0-9]*$ ]] || die "BENCH_IN_FLIGHT must be a positive whole number, got '$IN_FLIGHT'"

  begin_run tokens-bench-sdk

  build
  prepare_js_sdk
  choose_placement
  start_server
  get_token
  measure
  report
  finish_run
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
