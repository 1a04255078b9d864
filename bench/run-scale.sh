#!/usr/bin/env bash
# bench/run-scale.sh: the token store at scale (issue 12): a million tokens, on SQLite and in memory.
#
# Builds the server and bench/scale's seeder in Release (build-bench-scale/), writes a provisioning file
# (one organization; clients scale-cc and scale-admin (CLIENT-CREDENTIALS, the latter with
# oauth:token:delete) and scale-pw (PASSWORD); users u-0 .. u-(BENCH_USERS-1), one shared password hash)
# and seeds SQLite files with seed_tokens: the big one (BENCH_USERS users with 10 access/refresh pairs
# each, the rest client-credentials access tokens: BENCH_TOKENS in all), a 1k-token one seeded the same
# way scaled down, and a copy of the big one with BENCH_TOKENS/2 more tokens expired two days ago. Every
# server runs with one I/O thread and one worker thread, rate limits off, on 127.0.0.1 (a free port).
# Each ratio compares two runs of the same run of this script. Measured:
#
#   1. start-up: the time from starting the server to GET /readyz 200 (looked at every 10 ms) on the big
#      file, and again after the load runs (a restart); the same on the 1k file for reference; RSS
#      (VmRSS) of the big server when ready and after the verification runs, of the 1k one, and of an
#      empty memory: server;
#   2. verification: wrk -t1 -cBENCH_CONNECTIONS on HEAD /api/v2/tokens/me, each request with the next of
#      the seeder's sample tokens (bench/scale/wrk-scale.lua), on the big file and on the 1k file, in
#      turn BENCH_ROUNDS times, the same load on both (as many users' and client-credentials samples on
#      the big file as the 1k file has): median requests/s and p99, ratio big/1k (target >= 0.9); then
#      the big file with all its samples, for reference;
#   3. DELETE /api/v2/tokens/u-N (revoke a user's 20 tokens) once a second, on one kept-alive connection,
#      while wrk verifies the client-credentials samples (never revoked) on the big file: DELETE p50 and
#      max (curl's time_total, target p50 <= 2 ms), verification requests/s with the deletes against the
#      same run without them (target >= 0.9), p99 during the deletes (target <= 5 ms); the tokens revoked
#      are counted (/metrics);
#   4. grants: wrk on POST /oauth/token (client_credentials, scale-cc) on the big SQLite server against an
#      empty memory: server: requests/s, ratio sqlite/memory (target >= 0.5); then, on the SQLite server,
#      the same grant load with a verification wrk (16 connections) inside it: its p99 (target <= 10 ms),
#      next to the same verification alone;
#   5. memory: a fresh memory: server, 1000 tokens granted as samples, then grants (wrk, in chunks)
#      until /metrics says tokens_live_tokens >= BENCH_TOKENS (or BENCH_FILL_LIMIT s have passed: the
#      table says what it reached); RSS (target <= 160 MB a million) and verification requests/s with the
#      samples, against a fresh memory: server holding only its 1000 samples: ratio (target >= 0.9);
#   6. purge: a server on the file with the expired tokens and --purge-interval 1 (the first pass runs one
#      interval after the server listens: PeriodicTask waits before it runs), verification wrk started
#      as soon as it is ready: p99 and max latency while the purge deletes them, when it ran (from
#      /metrics, looked at every 100 ms) and that tokens_live_tokens dropped by exactly the expired count.
#
# Prints one table: figure, value, target, ok/below (checks such as "the purge began inside the run" and
# "the drop is exactly the expired count" count as targets too). At the defaults it should take about
# 5 minutes on a 2-core machine: the seeding, ~20 wrk runs of BENCH_DURATION s and the memory: fill.
#
# Environment:
#   BENCH_SKIP_BUILD=1     do not build; use $TOKENS_SERVER and $SEED_TOKENS (defaults: build-bench-scale/bin/)
#   TOKENS_SERVER=PATH     the server binary when BENCH_SKIP_BUILD=1
#   SEED_TOKENS=PATH       the seed_tokens binary when BENCH_SKIP_BUILD=1
#   BENCH_TOKENS=1000000   tokens in the big store (SQLite file, and the memory: fill)
#   BENCH_USERS=10000      users with tokens (10 access/refresh pairs each: 20 tokens a user)
#   BENCH_SAMPLES=2000     sample tokens the verification runs rotate over (seed_tokens --samples)
#   BENCH_DURATION=10      seconds per measured run           BENCH_CONNECTIONS=64  wrk connections
#   BENCH_WARMUP=2         seconds of unmeasured load before a server's first measured run (0: none)
#   BENCH_ROUNDS=3         verification runs at BENCH_TOKENS and at 1k, taken in turn (the table: medians)
#   BENCH_FILL_LIMIT=300   seconds the memory: fill may take at most
#   BENCH_STRICT=1         exit 2 when a figure misses its target (default: report only)
#   BENCH_KEEP_TMP=1       keep the temporary directory (SQLite files, logs, every wrk output) after success
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_LOG_PREFIX=bench-scale
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
CALLER_DIR=$PWD

TOKENS=${BENCH_TOKENS:-1000000}
USERS=${BENCH_USERS:-10000}
SAMPLES=${BENCH_SAMPLES:-2000}
DURATION=${BENCH_DURATION:-10}
RSS_TARGET_MB=$((160 * ${BENCH_TOKENS:-1000000} / 1000000))  # SPEC §7: 1 M tokens in 160 MB
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WARMUP=${BENCH_WARMUP:-2}
FILL_LIMIT=${BENCH_FILL_LIMIT:-300}
ROUNDS=${BENCH_ROUNDS:-3}       # verification at BENCH_TOKENS against 1k: runs taken in turn, medians
PAIRS_PER_USER=10               # 20 tokens a user
SMALL_TOKENS=1000               # the reference file
MEMORY_SAMPLES=1000             # tokens granted as samples on each memory: server
BURST_CONNECTIONS=16            # the verification inside the grant burst
START_LIMIT=300                 # seconds a server may take to get ready
PURGE_LIMIT=180                 # seconds the purge may take after the run before the script gives up on it
ORG=org-scale
CC_SECRET=scale-cc-secret
ADMIN_SECRET=scale-admin-secret

TMP=""
SERVER_PID=""   # the server being started (wait_for_server watches it)
SERVER_URL=""
FAILED=1
BELOW=0
declare -A SRV_PID SRV_URL  # by name: big, small, mem1, mem2, purge
BG_PIDS=()                  # wrk runs, the DELETE loop, the /metrics poller

# --- processes and clean-up -------------------------------------------------------------------------

cleanup() {
  local rc=$? pid name
  trap - EXIT INT TERM
  for pid in "${BG_PIDS[@]}"; do stop_pid "$pid" "background job"; done
  stop_pid "$SERVER_PID" tokens-server
  for name in "${!SRV_PID[@]}"; do stop_pid "${SRV_PID[$name]}" "tokens-server ($name)"; done
  if [[ -n $TMP && -d $TMP ]]; then
    if ((FAILED)) || [[ ${BENCH_KEEP_TMP:-0} == 1 ]]; then
      log "logs, files and wrk outputs kept in $TMP"
    else
      rm -rf "$TMP"
    fi
  fi
  exit "$rc"
}

forget_bg() { # pid
  local keep=() p
  for p in "${BG_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  BG_PIDS=("${keep[@]}")
}

stop_bg() { # pid name
  stop_pid "$1" "$2"
  forget_bg "$1"
}

# --- small helpers ----------------------------------------------------------------------------------

now_ms() { date +%s%3N; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }          # microseconds -> ms, 2 decimals
secs() { awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }'; }        # milliseconds -> s, 2 decimals

live_tokens() { # server-name
  local f=$TMP/metrics.txt code v
  code=$(http "$f" "${SRV_URL[$1]}/metrics")
  [[ $code == 200 ]] || die "GET /metrics ($1): expected 200, got $code"
  v=$(awk '/^tokens_live_tokens / { print $2 }' "$f")
  [[ $v =~ ^[0-9]+$ ]] || die "GET /metrics ($1): no tokens_live_tokens in $(head -c 500 "$f")"
  echo "$v"
}

# tokens_live_tokens once it stops moving: when wrk stops, the server still answers (and stores) the
# grants it had already read. Two equal readings 300 ms apart, 10 s at most.
settled_live_tokens() { # server-name
  local last now i
  last=$(live_tokens "$1")
  for ((i = 0; i < 33; i++)); do
    sleep 0.3
    now=$(live_tokens "$1")
    [[ $now == "$last" ]] && break
    last=$now
  done
  echo "$last"
}

# One client-credentials grant; prints the access token.
grant_token() { # server-name client secret
  local f=$TMP/grant.json code token
  code=$(http "$f" -u "$2:$3" -d grant_type=client_credentials "${SRV_URL[$1]}/oauth/token")
  [[ $code == 200 ]] || die "POST /oauth/token (client_credentials, $2) on $1: expected 200, got $code: $(head -c 500 "$f")"
  token=$(json_string access_token "$f")
  [[ -n $token ]] || die "POST /oauth/token ($2) on $1: no access_token in $(head -c 500 "$f")"
  echo "$token"
}

# `count` client-credentials grants of scale-cc with one curl (one kept-alive connection); appends them to
# `out` as sample lines "- TOKEN", as seed_tokens writes them.
grant_samples() { # server-name count out
  local name=$1 count=$2 out=$3 cfg=$TMP/grants-$1.curl body=$TMP/grants-$1.json i got
  : >"$cfg"
  for ((i = 0; i < count; i++)); do printf 'url = "%s/oauth/token"\n' "${SRV_URL[$name]}" >>"$cfg"; done
  curl -sS --noproxy '*' --max-time 120 -u "scale-cc:$CC_SECRET" -d grant_type=client_credentials -w '\n' \
    -K "$cfg" >"$body" 2>"$body.err" || die "curl: $count grants on $name failed: $(head -c 500 "$body.err")"
  grep -o '"access_token"[[:space:]]*:[[:space:]]*"[^"]*"' "$body" | sed 's/.*"\([^"]*\)"$/- \1/' >>"$out"
  got=$(grep -c '"access_token"' "$body" || true)
  ((got == count)) || die "$count grants on $name: only $got access tokens; first answer: $(head -c 500 "$body")"
}

# --- 0. build, provisioning, the SQLite files -----------------------------------------------------------

build() {
  bench_build build-bench-scale tokens-server seed_tokens
  SERVER_BIN=$(bench_program tokens-server build-bench-scale TOKENS_SERVER)
  SEED_BIN=$(bench_program seed_tokens build-bench-scale SEED_TOKENS)
  log "using $SERVER_BIN and $SEED_BIN"
}

write_provisioning() {
  local hash
  PROVISION=$TMP/scale.toml
  # One Argon2 hash for every user (users need a password; nobody logs in with it here).
  hash=$(printf 'scale-user-password\n' | "$SERVER_BIN" --hash-secret) || die "tokens-server --hash-secret failed"
  # shellcheck disable=SC2016 # a literal $ on purpose
  [[ $hash == '$argon2'* ]] || die "tokens-server --hash-secret printed '$hash'"
  {
    cat <<EOF
# Generated by bench/run-scale.sh.
[[organization]]
id = "$ORG"
name = "Scale"

[[client]]
id = "scale-cc"
organization = "$ORG"
name = "Scale client credentials"
secret = "$CC_SECRET"
grant_type = "CLIENT-CREDENTIALS"

[[client]]
id = "scale-admin"
organization = "$ORG"
name = "Scale admin"
secret = "$ADMIN_SECRET"
grant_type = "CLIENT-CREDENTIALS"
permissions = ["oauth:token:delete"]

[[client]]
id = "scale-pw"
organization = "$ORG"
name = "Scale password client"
secret = "scale-pw-secret"
grant_type = "PASSWORD"

EOF
    awk -v n="$USERS" -v org="$ORG" -v h="$hash" 'BEGIN {
      for (i = 0; i < n; i++)
        printf "[[user]]\nid = \"u-%d\"\norganization = \"%s\"\nname = \"User %d\"\nemail = \"u-%d@scale.example\"\npassword_hash = \"%s\"\n\n", i, org, i, i, h
    }'
  } >"$PROVISION"
}

seed() { # db samples-file users cc-tokens expired-tokens samples
  local t0 out
  t0=$(now_ms)
  out=$("$SEED_BIN" --store "sqlite:$1" --organization "$ORG" --user-client scale-pw --cc-client scale-cc \
    --users "$3" --user-prefix u- --pairs-per-user "$PAIRS_PER_USER" --cc-tokens "$4" --expired-tokens "$5" \
    --samples "$6" --out "$2" 2>&1) || die "seed_tokens failed on $1: $out"
  SEED_MS=$(($(now_ms) - t0))
  log "$out ($(secs "$SEED_MS") s, $(du -m "$1" | cut -f1) MB)"
}

seed_files() {
  local cc
  cc=$((TOKENS - 2 * USERS * PAIRS_PER_USER))
  EXPIRED=$((TOKENS / 2))
  log "seeding $TOKENS tokens: $USERS users x $((2 * PAIRS_PER_USER)), $cc client-credentials"
  seed "$TMP/big.db" "$TMP/big-samples.txt" "$USERS" "$cc" 0 "$SAMPLES"
  SEED_BIG_MS=$SEED_MS
  # The reference: the same mix, scaled down to SMALL_TOKENS.
  SMALL_USERS=$((USERS * SMALL_TOKENS / TOKENS))
  ((SMALL_USERS >= 1)) || SMALL_USERS=1
  SMALL_CC=$((SMALL_TOKENS - 2 * SMALL_USERS * PAIRS_PER_USER))
  seed "$TMP/small.db" "$TMP/small-samples.txt" "$SMALL_USERS" "$SMALL_CC" 0 "$SAMPLES"
  # The purge's file: the big one as seeded (before any server changed it), plus the expired tokens.
  local suffix
  for suffix in "" -wal -shm; do [[ ! -e $TMP/big.db$suffix ]] || cp "$TMP/big.db$suffix" "$TMP/purge.db$suffix"; done
  log "adding $EXPIRED expired tokens to a copy of the big file"
  seed "$TMP/purge.db" "$TMP/purge-none.txt" 0 0 "$EXPIRED" 0
  SEED_EXPIRED_MS=$SEED_MS
  # Half a gigabyte of files just written: the kernel's writeback would otherwise run (and take CPU and
  # the disk from the servers) during the first measured runs.
  sync
  BIG_SAMPLES=$(wc -l <"$TMP/big-samples.txt")
  BIG_CC_SAMPLES=$(grep -c '^- ' "$TMP/big-samples.txt" || true)
  SMALL_SAMPLES=$(wc -l <"$TMP/small-samples.txt")
  # The ratio's load on the big file: as many user and client-credentials samples as the 1k file has (a
  # random subset: the seeder picks samples at random), so that the two runs differ only in the tokens
  # stored. The seeder's full set (half of it users' tokens, which cost a directory lookup more) is run too.
  SMALL_USER_SAMPLES=$(grep -vc '^- ' "$TMP/small-samples.txt" || true)
  awk -v users="$SMALL_USER_SAMPLES" -v cc=$((SMALL_SAMPLES - SMALL_USER_SAMPLES)) \
    '$1 == "-" ? (c++ < cc) : (u++ < users)' "$TMP/big-samples.txt" >"$TMP/big-matched.txt"
  MATCHED_SAMPLES=$(wc -l <"$TMP/big-matched.txt")
  ((MATCHED_SAMPLES == SMALL_SAMPLES)) || die "the big file's samples cannot match the 1k file's $SMALL_SAMPLES"
  ((BIG_CC_SAMPLES > 0)) || die "seed_tokens wrote no client-credentials samples to $TMP/big-samples.txt"
}

# --- servers -----------------------------------------------------------------------------------------

# Starts a server and waits until GET /readyz answers 200; START_MS is the time that took. The stderr
# file is looked at every 10 ms (wait_for_server's 100 ms steps are too coarse to time a start-up, and
# its 15 s may be too short for a million rows); wait_for_server then reads the port or reports a death.
start_server() { # name store-uri [more server options...]
  local name=$1 uri=$2 stderr=$TMP/server-$1.stderr t0 deadline
  shift 2
  t0=$(now_ms)
  "$SERVER_BIN" --listen 127.0.0.1:0 --threads 1 --worker-threads 1 --store "$uri" --provision "$PROVISION" \
    --log-level warn --rate-limit-per-token 0 --rate-limit-grants-per-client 0 "$@" >/dev/null 2>"$stderr" &
  SERVER_PID=$!
  deadline=$((SECONDS + START_LIMIT))
  while ! grep -q 'listening on http://127\.0\.0\.1:[0-9]' "$stderr" && kill -0 "$SERVER_PID" 2>/dev/null &&
    ((SECONDS < deadline)); do
    sleep 0.01
  done
  wait_for_server "$stderr"
  until [[ $(http /dev/null "$SERVER_URL/readyz") == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "tokens-server ($name) exited before /readyz answered 200: $(tail -n 20 "$stderr")"
    ((SECONDS < deadline)) || die "tokens-server ($name): /readyz did not answer 200 within $START_LIMIT s"
    sleep 0.01
  done
  START_MS=$(($(now_ms) - t0))
  SRV_PID[$name]=$SERVER_PID
  SRV_URL[$name]=$SERVER_URL
  SERVER_PID=""
  log "tokens-server $name (pid ${SRV_PID[$name]}, $uri) ready on ${SRV_URL[$name]} after $(secs "$START_MS") s, RSS $(rss_mb "${SRV_PID[$name]}") MB"
}

stop_server() { # name
  stop_pid "${SRV_PID[$1]}" "tokens-server ($1)"
  unset "SRV_PID[$1]"
}

# --- wrk -----------------------------------------------------------------------------------------------

RUN_SEQ=0
ALLOW_TIMEOUTS=0   # 1: report wrk's timeouts (requests over 10 s) instead of failing on them

# Starts wrk in the background: WRK_PID, WRK_OUT. The arguments after the connections are environment
# assignments for bench/scale/wrk-scale.lua.
wrk_start() { # label server-name seconds connections VAR=value...
  local label=$1 name=$2 seconds=$3 connections=$4
  shift 4
  RUN_SEQ=$((RUN_SEQ + 1))
  WRK_OUT=$TMP/wrk-$(printf %02d "$RUN_SEQ")-$label.txt
  # The guard (timeout) only matters if wrk hangs outright.
  env "$@" timeout $((seconds + 60)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s --latency \
    -s "$BENCH_DIR/scale/wrk-scale.lua" "${SRV_URL[$name]}" >"$WRK_OUT" 2>&1 &
  WRK_PID=$!
  BG_PIDS+=("$WRK_PID")
}

# Waits for a wrk run; sets W_RPS, W_P50_US, W_P99_US, W_MAX_US, W_REQUESTS, W_TIMEOUTS. Fails on any
# answer >= 400, connection error, or (unless ALLOW_TIMEOUTS=1) timeout.
wrk_finish() { # pid out label connections
  local pid=$1 out=$2 label=$3 connections=$4 rc=0 line status_errors connect_errors read_errors write_errors
  wait "$pid" || rc=$?
  forget_bg "$pid"
  ((rc == 0)) || die "wrk ($label) failed (status $rc); its output:
$(cat "$out")"
  line=$(grep '^BENCH ' "$out" || true)
  [[ -n $line ]] || die "wrk ($label) printed no BENCH line; its output:
$(cat "$out")"
  W_REQUESTS=$(field requests "$line")
  W_RPS=$(field rps "$line")
  W_P50_US=$(field p50_us "$line")
  W_P99_US=$(field p99_us "$line")
  W_MAX_US=$(field max_us "$line")
  W_TIMEOUTS=$(field timeouts "$line")
  status_errors=$(field status_errors "$line")
  connect_errors=$(field connect_errors "$line")
  read_errors=$(field read_errors "$line")
  write_errors=$(field write_errors "$line")
  if ((status_errors || connect_errors || read_errors || write_errors)) || ((W_REQUESTS < connections)) ||
    { ((W_TIMEOUTS)) && ((!ALLOW_TIMEOUTS)); }; then
    die "wrk ($label) saw errors: requests=$W_REQUESTS status>=400=$status_errors connect=$connect_errors read=$read_errors write=$write_errors timeout=$W_TIMEOUTS; its output:
$(cat "$out")"
  fi
  log "$label: $(printf '%.0f' "$W_RPS") req/s, p50 $(ms "$W_P50_US") ms, p99 $(ms "$W_P99_US") ms, max $(ms "$W_MAX_US") ms"
}

run_wrk() { # label server-name seconds connections VAR=value...
  wrk_start "$@"
  wrk_finish "$WRK_PID" "$WRK_OUT" "$1" "$4"
}

verify() { # label server-name samples-file kind(all|cc|user) seconds [connections]
  run_wrk "$1" "$2" "$5" "${6:-$CONNECTIONS}" BENCH_MODE=verify BENCH_SAMPLES="$3" BENCH_SAMPLE_KIND="$4"
}

grants() { # label server-name seconds [connections]
  run_wrk "$1" "$2" "$3" "${4:-$CONNECTIONS}" BENCH_MODE=grant BENCH_AUTH="$CC_AUTH"
}

warm_verify() { # server-name samples-file kind
  ((WARMUP == 0)) || verify "warmup-verify-$1" "$1" "$2" "$3" "$WARMUP"
}

# --- the table -------------------------------------------------------------------------------------------

ROWS=()
section() { ROWS+=("" "$1"); }
# A figure; with a target, ok or below. `=` compares as text (a check such as "yes"); >= and <= as
# numbers, and a value that is not a number (not measured) is below.
row() { # figure value [op(>=|<=|=) target]
  local verdict=- target=""
  if [[ -n ${3:-} ]]; then
    target="$3 $4"
    if [[ $3 == = ]]; then
      [[ $2 == "$4" ]] && verdict=ok || verdict=below
    elif [[ ! $2 =~ ^[0-9.]+$ ]]; then
      verdict=below
    elif awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN { exit !(op == ">=" ? v >= t : v <= t) }'; then
      verdict=ok
    else
      verdict=below
    fi
    [[ $verdict == ok ]] || BELOW=1
  fi
  ROWS+=("$(printf '  %-62s %14s %12s  %s' "$1" "$2" "$target" "$verdict")")
}

# --- 1 and 2. start-up, RSS, verification at BENCH_TOKENS against 1k -----------------------------------

bench_startup_and_verify() {
  start_server big "sqlite:$TMP/big.db"
  START_BIG_MS=$START_MS
  RSS_BIG_READY=$(rss_mb "${SRV_PID[big]}")
  LIVE_BIG=$(live_tokens big)
  ((LIVE_BIG == TOKENS)) || die "the big server holds $LIVE_BIG tokens, not $TOKENS"
  start_server small "sqlite:$TMP/small.db"
  START_SMALL_MS=$START_MS
  RSS_SMALL_READY=$(rss_mb "${SRV_PID[small]}")
  LIVE_SMALL=$(live_tokens small)

  # In turn, ROUNDS times, and the medians: this machine's noise is larger than the difference sought.
  local round big_rps=() big_p99=() small_rps=() small_p99=()
  warm_verify big "$TMP/big-matched.txt" all
  warm_verify small "$TMP/small-samples.txt" all
  for ((round = 1; round <= ROUNDS; round++)); do
    verify "verify-big-$round" big "$TMP/big-matched.txt" all "$DURATION"
    big_rps+=("$W_RPS") big_p99+=("$W_P99_US")
    verify "verify-small-$round" small "$TMP/small-samples.txt" all "$DURATION"
    small_rps+=("$W_RPS") small_p99+=("$W_P99_US")
  done
  V_BIG_RPS=$(median "${big_rps[@]}") V_BIG_P99=$(median "${big_p99[@]}")
  V_SMALL_RPS=$(median "${small_rps[@]}") V_SMALL_P99=$(median "${small_p99[@]}")
  verify verify-big-all big "$TMP/big-samples.txt" all "$DURATION"
  V_ALL_RPS=$W_RPS V_ALL_P99=$W_P99_US
  RSS_BIG_AFTER=$(rss_mb "${SRV_PID[big]}")
  RSS_SMALL_AFTER=$(rss_mb "${SRV_PID[small]}")
  stop_server small
}

# --- 3. DELETE a user under load --------------------------------------------------------------------------

# `count` DELETEs, one a second from 0.5 s on, each of another user, on one kept-alive connection (as an
# SDK or an admin tool keeps it: curl --rate spaces them); one line per DELETE in `out`:
# "USER STATUS TIME_TOTAL_S NEW_CONNECTIONS".
delete_users() { # url admin-token count out
  local url=$1 admin=$2 count=$3 out=$4 i stride targets=()
  stride=$((USERS / count))
  ((stride >= 1)) || stride=1
  for ((i = 0; i < count; i++)); do
    targets+=(-o /dev/null "$url/api/v2/tokens/u-$(((stride / 2 + i * stride) % USERS))")
  done
  sleep 0.5
  curl -sS --noproxy '*' --max-time $((count + 10)) --rate 1/s -X DELETE -H "Authorization: Bearer $admin"     -w '%{url} %{http_code} %{time_total} %{num_connects}\n' "${targets[@]}" 2>/dev/null |
    awk '{ n = split($1, part, "/"); print part[n], $2, $3, $4 }' >>"$out" || true
}

bench_delete() {
  local admin out=$TMP/deletes.txt live_before live_after bad pid
  admin=$(grant_token big scale-admin "$ADMIN_SECRET")
  verify verify-cc-alone big "$TMP/big-samples.txt" cc "$DURATION"
  D_BASE_RPS=$W_RPS D_BASE_P99=$W_P99_US
  live_before=$(live_tokens big)
  DELETES=$((DURATION > 1 ? DURATION - 1 : 1))
  : >"$out"
  wrk_start verify-cc-deletes big "$DURATION" "$CONNECTIONS" BENCH_MODE=verify \
    BENCH_SAMPLES="$TMP/big-samples.txt" BENCH_SAMPLE_KIND=cc
  delete_users "${SRV_URL[big]}" "$admin" "$DELETES" "$out" &
  pid=$!
  BG_PIDS+=("$pid")
  wrk_finish "$WRK_PID" "$WRK_OUT" verify-cc-deletes "$CONNECTIONS"
  D_LOAD_RPS=$W_RPS D_LOAD_P99=$W_P99_US D_LOAD_MAX=$W_MAX_US
  wait "$pid" || true
  forget_bg "$pid"
  bad=$(awk '$2 != 204' "$out")
  [[ -z $bad ]] || die "DELETE /api/v2/tokens/{userId}: expected 204 for each; got: $bad"
  (($(wc -l <"$out") == DELETES)) || die "expected $DELETES DELETEs, $out has $(wc -l <"$out") lines"
  # shellcheck disable=SC2046 # one number per word on purpose
  DEL_P50_MS=$(median $(awk '{ printf "%.3f\n", $3 * 1000 }' "$out"))
  DEL_MAX_MS=$(awk '{ v = $3 * 1000; if (v > m) m = v } END { printf "%.3f", m }' "$out")
  live_after=$(live_tokens big)
  DEL_REVOKED=$((live_before - live_after))
  log "$DELETES DELETEs: p50 $DEL_P50_MS ms, max $DEL_MAX_MS ms; $DEL_REVOKED tokens revoked"
}

# --- 4. grants: SQLite against memory, and verification inside a grant burst ------------------------------

bench_grants() {
  local pid out
  CC_AUTH=$(printf '%s' "scale-cc:$CC_SECRET" | base64 -w0)
  start_server mem1 memory:
  RSS_MEM_EMPTY=$(rss_mb "${SRV_PID[mem1]}")
  # The first grant checks the secret with Argon2 (then it is remembered): not in a measured run.
  grant_token big scale-cc "$CC_SECRET" >/dev/null
  grant_token mem1 scale-cc "$CC_SECRET" >/dev/null
  ((WARMUP == 0)) || grants warmup-grants-big big "$WARMUP"
  grants grants-sqlite big "$DURATION"
  G_SQL_RPS=$W_RPS G_SQL_P99=$W_P99_US
  ((WARMUP == 0)) || grants warmup-grants-mem1 mem1 "$WARMUP"
  grants grants-memory mem1 "$DURATION"
  G_MEM_RPS=$W_RPS G_MEM_P99=$W_P99_US

  verify verify-cc-16-alone big "$TMP/big-samples.txt" cc "$DURATION" "$BURST_CONNECTIONS"
  B_ALONE_RPS=$W_RPS B_ALONE_P99=$W_P99_US
  # The grant burst starts 1 s before the verification and ends 1 s after it.
  wrk_start grants-burst big $((DURATION + 2)) "$CONNECTIONS" BENCH_MODE=grant BENCH_AUTH="$CC_AUTH"
  pid=$WRK_PID out=$WRK_OUT
  sleep 1
  verify verify-cc-16-burst big "$TMP/big-samples.txt" cc "$DURATION" "$BURST_CONNECTIONS"
  B_BURST_RPS=$W_RPS B_BURST_P99=$W_P99_US B_BURST_MAX=$W_MAX_US
  wrk_finish "$pid" "$out" grants-burst "$CONNECTIONS"
  B_GRANT_RPS=$W_RPS

  RSS_BIG_END=$(rss_mb "${SRV_PID[big]}")
  LIVE_BIG_END=$(settled_live_tokens big)
  # Restart: the same file, after the deletes, grants and activity of the runs.
  stop_server big
  start_server big "sqlite:$TMP/big.db"
  RESTART_BIG_MS=$START_MS
  RSS_BIG_RESTART=$(rss_mb "${SRV_PID[big]}")
  LIVE_BIG_RESTART=$(live_tokens big)
  ((LIVE_BIG_RESTART == LIVE_BIG_END)) ||
    die "after a restart the big server holds $LIVE_BIG_RESTART tokens; before it, $LIVE_BIG_END"
  stop_server big
}

# --- 5. memory: with BENCH_TOKENS tokens -------------------------------------------------------------------

fill_memory() { # server-name target
  local name=$1 target=$2 deadline=$((SECONDS + FILL_LIMIT)) live rate=0 chunk left n=0 t0
  t0=$(now_ms)
  live=$(live_tokens "$name")
  FILL_FROM=$live
  while ((live < target && SECONDS < deadline)); do
    # A chunk: what is left at the last rate, plus a second; 1 to 30 s, and within the limit.
    if ((rate > 0)); then chunk=$(((target - live) / rate + 1)); else chunk=5; fi
    left=$((deadline - SECONDS))
    ((chunk <= 30)) || chunk=30
    ((chunk <= left)) || chunk=$left
    ((chunk >= 1)) || chunk=1
    n=$((n + 1))
    grants "fill-$n" "$name" "$chunk"
    rate=$(printf '%.0f' "$W_RPS")
    live=$(settled_live_tokens "$name")
    log "fill: $live of $target tokens"
  done
  FILL_MS=$(($(now_ms) - t0))
  FILL_LIVE=$live
  FILL_CHUNKS=$n
}

bench_memory() {
  # A fresh server, so that the figure is taken at about BENCH_TOKENS (section 4's grants may have gone past).
  stop_server mem1
  start_server mem1 memory:
  : >"$TMP/mem1-samples.txt"
  grant_samples mem1 "$MEMORY_SAMPLES" "$TMP/mem1-samples.txt"
  fill_memory mem1 "$TOKENS"
  RSS_MEM_BIG=$(rss_mb "${SRV_PID[mem1]}")
  warm_verify mem1 "$TMP/mem1-samples.txt" cc
  verify verify-mem-big mem1 "$TMP/mem1-samples.txt" cc "$DURATION"
  M_BIG_RPS=$W_RPS M_BIG_P99=$W_P99_US
  stop_server mem1

  start_server mem2 memory:
  : >"$TMP/mem2-samples.txt"
  grant_samples mem2 "$MEMORY_SAMPLES" "$TMP/mem2-samples.txt"
  LIVE_MEM_SMALL=$(live_tokens mem2)
  RSS_MEM_SMALL=$(rss_mb "${SRV_PID[mem2]}")
  warm_verify mem2 "$TMP/mem2-samples.txt" cc
  verify verify-mem-small mem2 "$TMP/mem2-samples.txt" cc "$DURATION"
  M_SMALL_RPS=$W_RPS M_SMALL_P99=$W_P99_US
  stop_server mem2
}

# --- 6. the purge of expired tokens under load ------------------------------------------------------------

# tokens_live_tokens every 100 ms, as "MS_SINCE_T0 LIVE" lines, for `seconds` at most.
poll_live() { # url t0-ms seconds out
  local url=$1 t0=$2 stop_at out=$4 now live
  stop_at=$(($(now_ms) + $3 * 1000))
  while now=$(now_ms) && ((now < stop_at)); do
    live=$(curl -sS --noproxy '*' --max-time 2 "$url/metrics" 2>/dev/null | awk '/^tokens_live_tokens / { print $2 }') || true
    echo "$((now - t0)) ${live:-?}" >>"$out"
    sleep 0.1
  done
}

bench_purge() {
  local t0 poll=$TMP/purge-live.txt pid deadline
  start_server purge "sqlite:$TMP/purge.db" --purge-interval 1
  START_PURGE_MS=$START_MS
  P_SEEDED=$((TOKENS + EXPIRED))
  P_LIVE_BEFORE=$(live_tokens purge)   # less than P_SEEDED: the purge began before the run
  t0=$(now_ms)
  : >"$poll"
  poll_live "${SRV_URL[purge]}" "$t0" $((DURATION + PURGE_LIMIT)) "$poll" &
  pid=$!
  BG_PIDS+=("$pid")
  ALLOW_TIMEOUTS=1
  verify verify-purge purge "$TMP/big-samples.txt" all "$DURATION"
  ALLOW_TIMEOUTS=0
  P_RPS=$W_RPS P_P99=$W_P99_US P_MAX=$W_MAX_US P_TIMEOUTS=$W_TIMEOUTS
  P_RUN_MS=$(($(now_ms) - t0))
  # The pass may outlast the run: wait for it (bounded), then read the count once more.
  deadline=$((SECONDS + PURGE_LIMIT))
  P_LIVE_AFTER=$(live_tokens purge)
  while ((P_LIVE_AFTER > P_SEEDED - EXPIRED && SECONDS < deadline)); do
    sleep 0.2
    P_LIVE_AFTER=$(live_tokens purge)
  done
  sleep 1.2   # one more pass: nothing more may go
  P_LIVE_AFTER=$(live_tokens purge)
  stop_bg "$pid" "the /metrics poller"
  P_DROP=$((P_SEEDED - P_LIVE_AFTER))
  # When the count first moved, and when it reached its end, in ms since the verification started.
  P_FIRST_MS=$(awk -v b="$P_SEEDED" '$2 ~ /^[0-9]+$/ && $2 < b { print $1; exit }' "$poll")
  P_DONE_MS=$(awk -v a="$P_LIVE_AFTER" '$2 ~ /^[0-9]+$/ && $2 <= a { print $1; exit }' "$poll")
  log "purge: $P_DROP tokens gone (expected $EXPIRED), first seen at ${P_FIRST_MS:-?} ms, done at ${P_DONE_MS:-?} ms of a ${P_RUN_MS} ms run"
  stop_server purge
}

# --- report ------------------------------------------------------------------------------------------------

report() {
  local purge_when purge_inside
  echo
  echo "tokens-server, the store at scale: wrk -t1 -c$CONNECTIONS -d${DURATION}s (warm-up ${WARMUP} s), one server at a time"
  echo "  machine:  $(nproc) CPU(s), $(uname -sr)"
  echo "  server:   $SERVER_BIN --threads 1 --worker-threads 1, rate limits off, --log-level warn"
  echo "  big file: $TOKENS tokens ($USERS users x $((2 * PAIRS_PER_USER)) + $((TOKENS - 2 * USERS * PAIRS_PER_USER)) client-credentials), $(secs "$SEED_BIG_MS") s to seed;" \
    "$BIG_SAMPLES samples ($BIG_CC_SAMPLES client-credentials), $MATCHED_SAMPLES of them matching the 1k file's"
  echo "  1k file:  $LIVE_SMALL tokens ($SMALL_USERS users x $((2 * PAIRS_PER_USER)) + $SMALL_CC client-credentials), $SMALL_SAMPLES samples ($SMALL_USER_SAMPLES users')"
  echo "  purge:    the big file + $EXPIRED tokens expired two days ago ($(secs "$SEED_EXPIRED_MS") s to add), --purge-interval 1"
  echo "  memory:   $MEMORY_SAMPLES granted samples; then grants from $FILL_FROM tokens (a fresh server) to $FILL_LIVE, $FILL_CHUNKS wrk run(s), $(secs "$FILL_MS") s"
  ROWS=()
  section "1. start-up and memory"
  row "start-up to /readyz 200, $TOKENS tokens (s)" "$(secs "$START_BIG_MS")" "<=" 3
  row "restart after the load runs, $LIVE_BIG_END tokens (s)" "$(secs "$RESTART_BIG_MS")"
  row "start-up, $LIVE_SMALL tokens (reference) (s)" "$(secs "$START_SMALL_MS")"
  row "start-up, $((TOKENS + EXPIRED)) tokens (the purge's file) (s)" "$(secs "$START_PURGE_MS")"
  row "RSS, $TOKENS tokens, ready (MB)" "$RSS_BIG_READY" "<=" "$RSS_TARGET_MB"
  row "RSS, $TOKENS tokens, after the verification runs (MB)" "$RSS_BIG_AFTER"
  row "RSS, after deletes and grants, $LIVE_BIG_END tokens (MB)" "$RSS_BIG_END"
  row "RSS, $LIVE_BIG_END tokens, just restarted (MB)" "$RSS_BIG_RESTART"
  row "RSS, $LIVE_SMALL tokens, ready / after its runs (MB)" "$RSS_SMALL_READY / $RSS_SMALL_AFTER"
  row "RSS, empty memory: server (MB)" "$RSS_MEM_EMPTY"
  section "2. verification, HEAD /api/v2/tokens/me, sample tokens in turn (sqlite)"
  row "$TOKENS tokens: req/s ($MATCHED_SAMPLES samples, as the 1k file's)" "$(printf '%.0f' "$V_BIG_RPS")"
  row "$LIVE_SMALL tokens: req/s ($SMALL_SAMPLES samples)" "$(printf '%.0f' "$V_SMALL_RPS")"
  row "p99, $TOKENS / $LIVE_SMALL tokens (ms)" "$(ms "$V_BIG_P99") / $(ms "$V_SMALL_P99")"
  row "ratio $TOKENS / $LIVE_SMALL tokens" "$(ratio "$V_BIG_RPS" "$V_SMALL_RPS")" ">=" 0.9
  row "$TOKENS tokens, all $BIG_SAMPLES samples: req/s, p99 (ms)" "$(printf '%.0f' "$V_ALL_RPS"), $(ms "$V_ALL_P99")"
  section "3. DELETE /api/v2/tokens/{userId} once a second under verification (sqlite, $TOKENS tokens)"
  row "DELETE p50, curl time_total, one connection ($DELETES deletes) (ms)" "$DEL_P50_MS" "<=" 2
  row "DELETE max (ms)" "$DEL_MAX_MS"
  row "tokens revoked by the deletes (/metrics)" "$DEL_REVOKED" = $((DELETES * 2 * PAIRS_PER_USER))
  row "verification req/s, alone / with the deletes" "$(printf '%.0f / %.0f' "$D_BASE_RPS" "$D_LOAD_RPS")"
  row "ratio with / without the deletes" "$(ratio "$D_LOAD_RPS" "$D_BASE_RPS")" ">=" 0.9
  row "p99 during the deletes (ms)" "$(ms "$D_LOAD_P99")" "<=" 5
  row "p99 alone / max during the deletes (ms)" "$(ms "$D_BASE_P99") / $(ms "$D_LOAD_MAX")"
  section "4. grants, POST /oauth/token client_credentials"
  row "sqlite ($TOKENS tokens) req/s, p99 (ms)" "$(printf '%.0f' "$G_SQL_RPS"), $(ms "$G_SQL_P99")"
  row "memory: req/s, p99 (ms)" "$(printf '%.0f' "$G_MEM_RPS"), $(ms "$G_MEM_P99")"
  row "ratio sqlite / memory" "$(ratio "$G_SQL_RPS" "$G_MEM_RPS")" ">=" 0.5
  row "verification p99 inside a grant burst (-c$BURST_CONNECTIONS) (ms)" "$(ms "$B_BURST_P99")" "<=" 10
  row "  the same alone: p99 (ms); req/s alone / in the burst" "$(ms "$B_ALONE_P99"); $(printf '%.0f / %.0f' "$B_ALONE_RPS" "$B_BURST_RPS")"
  row "  max in the burst (ms); grants/s in the burst" "$(ms "$B_BURST_MAX"); $(printf '%.0f' "$B_GRANT_RPS")"
  section "5. memory: store"
  row "tokens reached by grants (target $TOKENS)" "$FILL_LIVE" ">=" "$TOKENS"
  row "RSS, $FILL_LIVE tokens (MB)" "$RSS_MEM_BIG" "<=" "$RSS_TARGET_MB"
  row "RSS, $LIVE_MEM_SMALL tokens (MB)" "$RSS_MEM_SMALL"
  row "verification req/s, $FILL_LIVE / $LIVE_MEM_SMALL tokens" "$(printf '%.0f / %.0f' "$M_BIG_RPS" "$M_SMALL_RPS")"
  row "p99, $FILL_LIVE / $LIVE_MEM_SMALL tokens (ms)" "$(ms "$M_BIG_P99") / $(ms "$M_SMALL_P99")"
  row "ratio $FILL_LIVE / $LIVE_MEM_SMALL tokens" "$(ratio "$M_BIG_RPS" "$M_SMALL_RPS")" ">=" 0.9
  section "6. purge of $EXPIRED expired tokens under verification (sqlite, --purge-interval 1)"
  if [[ -n $P_FIRST_MS && -n $P_DONE_MS ]]; then
    purge_when="$(secs "$P_FIRST_MS") s to $(secs "$P_DONE_MS") s"
  else
    purge_when="not seen"
  fi
  row "purge seen (since the run's start; run $(secs "$P_RUN_MS") s)" "$purge_when"
  if ((P_LIVE_BEFORE == P_SEEDED)) && [[ -n $P_FIRST_MS ]] && ((P_FIRST_MS < P_RUN_MS)); then
    purge_inside=yes
  else
    purge_inside=no
  fi
  row "the purge began inside the measured run (a check)" "$purge_inside" = yes
  row "tokens_live_tokens drop ($P_SEEDED before)" "$P_DROP" = "$EXPIRED"
  row "verification req/s across the purge" "$(printf '%.0f' "$P_RPS")"
  row "p99 across the purge (ms)" "$(ms "$P_P99")"
  row "max across the purge (ms); requests over 10 s" "$(ms "$P_MAX"); $P_TIMEOUTS"
  echo
  printf '  %-62s %14s %12s  %s\n' figure value target verdict
  printf '%s\n' "${ROWS[@]}"
}

main() {
  command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh installs it)"
  command -v curl >/dev/null || die "curl is not installed"
  check_run_settings
  local v
  for v in TOKENS USERS SAMPLES CONNECTIONS FILL_LIMIT; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "BENCH_$v must be a positive whole number, got '${!v}'"
  done
  ((TOKENS >= 10 * SMALL_TOKENS)) || die "BENCH_TOKENS must be at least $((10 * SMALL_TOKENS)), got $TOKENS"
  ((2 * USERS * PAIRS_PER_USER <= TOKENS)) ||
    die "BENCH_USERS=$USERS: $((2 * USERS * PAIRS_PER_USER)) user tokens are more than BENCH_TOKENS=$TOKENS"

  begin_run tokens-bench-scale
  build
  write_provisioning
  seed_files
  bench_startup_and_verify
  bench_delete
  bench_grants
  bench_memory
  bench_purge
  report
  finish_run
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
