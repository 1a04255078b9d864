#!/usr/bin/env bash
# bench/run.sh: tokens-server against nginx on HEAD and GET /api/v2/tokens/me.
#
# Builds the server in Release (build-bench/), starts two nodes with one I/O thread each and the demo
# provisioning, one on a SQLite store, one on a Redis store (a redis-server of its own, with
# appendfsync always) and one on a Redis Cluster (three primaries and three replicas of its own, made with
# redis-cli --cluster create, appendfsync always), enables the idle token timeout of org "acme" and logs in as a user on each (so
# that every verification also records activity), then starts nginx (one worker) answering the same path
# with a body of the same size, and measures all three with wrk under the same load, taking turns.
# Prints requests/s, p99 latency and the ratio to nginx for each endpoint and store. See bench/README.md.
#
# Environment:
#   BENCH_SKIP_BUILD=1     do not build; use ${TOKENS_SERVER:-build/bin/tokens-server}
#   TOKENS_SERVER=PATH     the server binary when BENCH_SKIP_BUILD=1
#   BENCH_DURATION=10      seconds per measured run          BENCH_CONNECTIONS=64  wrk connections
#   BENCH_WARMUP=2         seconds of unmeasured load on each side before each endpoint (0: none)
#   BENCH_ROUNDS=1         measured runs per side and endpoint; the table shows the medians
#   BENCH_STRICT=1         exit 2 when a ratio is below its target (default: report only)
#   BENCH_KEEP_TMP=1       keep the temporary directory (logs, configs, wrk outputs) after success
#   BENCH_STORES="sqlite redis cluster"  the stores to measure
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_LOG_PREFIX=bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
CALLER_DIR=$PWD

DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WARMUP=${BENCH_WARMUP:-2}
ROUNDS=${BENCH_ROUNDS:-1}
THREADS=1                      # wrk threads: one load-generator thread, as required
ME_PATH=/api/v2/tokens/me
STORES=${BENCH_STORES:-sqlite redis cluster}
# Targets per endpoint and store (ratio of nginx's requests/s); none for GET on Redis.
declare -A TARGET=([HEAD-sqlite]=0.7 [GET-sqlite]=0.6 [HEAD-redis]=0.7 [HEAD-cluster]=0.7)
IDLE_TIMEOUT_SECONDS=1800

TMP=""
SERVER_PID=""   # the node being started (wait_for_server watches it)
NGINX_PID=""
REDIS_PID=""
CLUSTER_PIDS=()  # the cluster's redis-servers
SERVER_URL=""   # the node being provisioned or measured
NGINX_URL=""
USER_TOKEN=""   # its user token
FAILED=1
declare -A NODE_PID NODE_URL NODE_TOKEN  # by store


# --- processes and clean-up -------------------------------------------------------------------------


cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$SERVER_PID" tokens-server
  local store
  for store in "${!NODE_PID[@]}"; do stop_pid "${NODE_PID[$store]}" "tokens-server ($store)"; done
  stop_pid "$NGINX_PID" nginx
  stop_pid "$REDIS_PID" redis-server
  local pid
  for pid in "${CLUSTER_PIDS[@]}"; do stop_pid "$pid" "redis-server (cluster)"; done
  if [[ -n $TMP && -d $TMP ]]; then
    if ((FAILED)) || [[ ${BENCH_KEEP_TMP:-0} == 1 ]]; then
      log "logs and configs kept in $TMP"
    else
      rm -rf "$TMP"
    fi
  fi
  exit "$rc"
}

# --- small helpers ----------------------------------------------------------------------------------

# A port on 127.0.0.1 that nothing listens on right now (nginx is retried if it loses a race for it).
free_port() {
  local p i
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 12000))  # below the ephemeral range (32768-), where outgoing sockets take ports
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "found no free port on 127.0.0.1"
}


# Milliseconds since the epoch of an ISO-8601 UTC date-time such as 2026-11-22T10:15:30.123Z.
iso_ms() { date -u -d "$1" +%s%3N; }


header_value() { # name headers-file (case-insensitive name; CR stripped)
  tr -d '\r' <"$2" | sed -n 's/^'"$1"':[[:space:]]*//Ip' | tail -n 1
}

status_line() { tr -d '\r' <"$1" | sed -n '1p'; }

# --- 1. build -----------------------------------------------------------------------------------------

build_server() {
  if [[ ${BENCH_SKIP_BUILD:-0} == 1 ]]; then
    SERVER_BIN=${TOKENS_SERVER:-$REPO_DIR/build/bin/tokens-server}
    [[ $SERVER_BIN == /* ]] || SERVER_BIN=$CALLER_DIR/$SERVER_BIN
    log "BENCH_SKIP_BUILD=1: using $SERVER_BIN"
  else
    log "building Release into build-bench/"
    (cd "$REPO_DIR" &&
      cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DTOKENS_BUILD_TESTS=OFF &&
      cmake --build build-bench -j2) || die "the Release build failed"
    SERVER_BIN=$REPO_DIR/build-bench/bin/tokens-server
  fi
  [[ -x $SERVER_BIN ]] || die "no executable server at $SERVER_BIN"
}

# --- 2. the server ------------------------------------------------------------------------------------

# Redis as the docs recommend it for tokens (docs/redis.md): every acknowledged write fsynced.
start_redis() {
  local dir=$TMP/redis port deadline
  mkdir -p "$dir"
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly yes --appendfsync always \
    --logfile "$dir/redis.log" >/dev/null 2>&1 &
  REDIS_PID=$!
  REDIS_URI=redis://127.0.0.1:$port/0
  deadline=$((SECONDS + 10))
  until [[ $(redis-cli -p "$port" PING 2>/dev/null) == PONG ]]; do
    kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server exited; see $dir/redis.log"
    ((SECONDS < deadline)) || die "redis-server did not answer PING within 10 s; see $dir/redis.log"
    sleep 0.1
  done
  log "redis-server (pid $REDIS_PID) on port $port, appendfsync always"
}

# A Redis Cluster of three primaries with a replica each, as docs/redis.md sets one up, on this machine.
start_cluster() {
  local i dir port deadline
  local -a addresses=()
  for ((i = 0; i < 6; i++)); do
    dir=$TMP/cluster-$i
    mkdir -p "$dir"
    port=$(free_port)
    # The bus port is given: the default (port + 10000) does not exist above 55535.
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly yes --appendfsync always \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-port "$(free_port)" \
      --cluster-node-timeout 5000 --repl-diskless-sync-delay 0 --logfile "$dir/redis.log" >/dev/null 2>&1 &
    CLUSTER_PIDS+=($!)
    addresses+=("127.0.0.1:$port")
    deadline=$((SECONDS + 10))
    until [[ $(redis-cli -p "$port" PING 2>/dev/null) == PONG ]]; do
      ((SECONDS < deadline)) || die "redis-server (cluster node $i) did not answer PING within 10 s; see $dir/redis.log"
      sleep 0.1
    done
  done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$TMP/cluster-create.txt" 2>&1 ||
    die "redis-cli --cluster create failed: $(tail -n 20 "$TMP/cluster-create.txt")"
  port=${addresses[0]#*:}
  deadline=$((SECONDS + 20))
  until redis-cli -p "$port" CLUSTER INFO 2>/dev/null | grep -q cluster_state:ok; do
    ((SECONDS < deadline)) || die "the cluster did not become ok within 20 s"
    sleep 0.2
  done
  CLUSTER_URI=redis-cluster://${addresses[0]},${addresses[1]}
  log "redis cluster (3 primaries, 3 replicas) on ${addresses[*]}, appendfsync always"
}

start_server() { # store (sqlite|redis|cluster)
  local store=$1 stderr=$TMP/server-$1.stderr uri
  case $store in
    redis) uri=$REDIS_URI ;;
    cluster) uri=$CLUSTER_URI ;;
    *) uri=sqlite:$TMP/bench.db ;;
  esac
  # --rate-limit-per-token 0: the per-token limit (300 per 60 s by default) would otherwise answer 429
  # to nearly every benchmark request.
  "$SERVER_BIN" --listen 127.0.0.1:0 --threads 1 --store "$uri" \
    --provision "$REPO_DIR/provisioning/demo.toml" --log-level warn --rate-limit-per-token 0 \
    >/dev/null 2>"$stderr" &
  SERVER_PID=$!
  wait_for_server "$stderr"
  NODE_PID[$store]=$SERVER_PID
  NODE_URL[$store]=$SERVER_URL
  SERVER_PID=""
  log "tokens-server on $store (pid ${NODE_PID[$store]}) listening on ${NODE_URL[$store]}"
}

# Points SERVER_URL and USER_TOKEN at one node.
use_node() { SERVER_URL=${NODE_URL[$1]}; USER_TOKEN=${NODE_TOKEN[$1]:-}; }

# --- 3. tokens, idle timeout, the body size -----------------------------------------------------------

# dateTokenIdles of the benchmark token in ms, read with preserveIdleTTL=true (which is not activity).
idle_deadline_ms() {
  local f=$TMP/idles.json code when
  code=$(http "$f" -H "Authorization: Bearer $USER_TOKEN" "$SERVER_URL$ME_PATH?preserveIdleTTL=true")
  [[ $code == 200 ]] || die "GET $ME_PATH?preserveIdleTTL=true: expected 200, got $code: $(head -c 500 "$f")"
  when=$(json_string dateTokenIdles "$f")
  [[ -n $when ]] || die "GET $ME_PATH?preserveIdleTTL=true: no dateTokenIdles in $(head -c 500 "$f")"
  iso_ms "$when"
}

provision_token() { # store
  local store=$1 f=$TMP/http.out code admin when h
  use_node "$store"

  code=$(http "$f" -u acme-admin-service:acme-admin-secret -d grant_type=client_credentials \
    "$SERVER_URL/oauth/token")
  [[ $code == 200 ]] || die "POST /oauth/token (client_credentials, acme-admin-service): expected 200, got $code: $(head -c 500 "$f")"
  admin=$(json_string access_token "$f")
  [[ -n $admin ]] || die "POST /oauth/token (client_credentials): no access_token in $(head -c 500 "$f")"

  code=$(http "$f" -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    --data "{\"idleTokenTimeoutSeconds\": $IDLE_TIMEOUT_SECONDS, \"enableIdleTokenTimeout\": true}" \
    "$SERVER_URL/api/v2/tokens/timeout")
  [[ $code == 200 ]] || die "PUT /api/v2/tokens/timeout: expected 200, got $code: $(head -c 500 "$f")"
  grep -q '"enableIdleTokenTimeout"[[:space:]]*:[[:space:]]*true' "$f" ||
    die "PUT /api/v2/tokens/timeout: the answer does not show the timeout enabled: $(head -c 500 "$f")"

  code=$(http "$f" -u acme-desktop:acme-desktop-secret \
    -d grant_type=password -d username=paul@acme.example -d password=paul-password \
    "$SERVER_URL/oauth/token")
  [[ $code == 200 ]] || die "POST /oauth/token (password, paul@acme.example): expected 200, got $code: $(head -c 500 "$f")"
  USER_TOKEN=$(json_string access_token "$f")
  [[ -n $USER_TOKEN ]] || die "POST /oauth/token (password): no access_token in $(head -c 500 "$f")"
  NODE_TOKEN[$store]=$USER_TOKEN

  # The body nginx will mirror, and proof that the idle timeout applies to this token.
  code=$(http "$TMP/tokeninfo.json" -H "Authorization: Bearer $USER_TOKEN" "$SERVER_URL$ME_PATH")
  [[ $code == 200 ]] || die "GET $ME_PATH: expected 200, got $code: $(head -c 500 "$TMP/tokeninfo.json")"
  when=$(json_string dateTokenIdles "$TMP/tokeninfo.json")
  [[ -n $when ]] || die "GET $ME_PATH: expected dateTokenIdles (idle timeout enabled for acme, user token), got: $(head -c 500 "$TMP/tokeninfo.json")"
  iso_ms "$when" >/dev/null || die "GET $ME_PATH: dateTokenIdles '$when' is not an ISO-8601 date-time"
  BODY_SIZE=$(wc -c <"$TMP/tokeninfo.json")
  ((BODY_SIZE > 0)) || die "GET $ME_PATH answered an empty body"

  # HEAD: wrk waits for a body after a HEAD answer with a non-zero Content-Length (it does not know that
  # HEAD answers have none), so check what the server sends before measuring it.
  code=$(http /dev/null -I -D "$TMP/server-head.txt" -H "Authorization: Bearer $USER_TOKEN" "$SERVER_URL$ME_PATH")
  [[ $code == 200 ]] || die "HEAD $ME_PATH: expected 200, got $code"
  h=$(header_value Content-Length "$TMP/server-head.txt")
  [[ -z $h || $h == 0 ]] || die "HEAD $ME_PATH: expected no Content-Length or 0 (wrk would hang), got Content-Length: $h"
  SERVER_HEAD_DESC="$(status_line "$TMP/server-head.txt"), Content-Length: ${h:-absent}"

  log "$store: user token ok: GET $ME_PATH 200, $BODY_SIZE bytes, dateTokenIdles $when"
}

# --- 4. nginx -----------------------------------------------------------------------------------------

write_nginx_conf() { # port
  local dir=$TMP/nginx body
  # The server's TokenInfo, byte for byte, except characters that nginx's single-quoted string would
  # treat specially ($ variables, \ escapes, the quote itself, line ends): each becomes one '_', so the
  # size stays exactly the same.
  body=$(tr $'$\\\\\'\r\n' '_____' <"$TMP/tokeninfo.json")
  cat >"$dir/nginx.conf" <<EOF
# Generated by bench/run.sh: the baseline for HEAD and GET $ME_PATH.
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    default_type application/json;
    # Keep every wrk connection open for the whole run, as the server does (nginx's default closes a
    # connection after 1000 requests, which would make nginx pay reconnections the server does not).
    keepalive_requests 100000000;
    keepalive_timeout 75s;

    server {
        listen 127.0.0.1:$1;
        # Nothing here touches the file system (the workers may run as nobody).
        location / {
            return 404;
        }
        location = /bench-ready {
            return 204;
        }
        location = $ME_PATH {
            # 204: no Content-Length at all, so wrk does not wait for a HEAD body (see README.md).
            if (\$request_method = HEAD) {
                return 204;
            }
            return 200 '$body';
        }
    }
}
EOF
}

start_nginx() {
  local dir=$TMP/nginx attempt port deadline code h size
  mkdir -p "$dir"
  for ((attempt = 1; attempt <= 5; attempt++)); do
    port=$(free_port)
    write_nginx_conf "$port"
    nginx -t -q -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" 2>"$dir/test.log" ||
      die "nginx rejects the generated configuration $dir/nginx.conf: $(cat "$dir/test.log")"
    nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
    NGINX_PID=$!
    NGINX_URL=http://127.0.0.1:$port
    deadline=$((SECONDS + 10))
    while kill -0 "$NGINX_PID" 2>/dev/null && ((SECONDS < deadline)); do
      code=$(http /dev/null "$NGINX_URL/bench-ready")
      [[ $code == 204 ]] && break
      sleep 0.1
    done
    [[ ${code:-} == 204 ]] && kill -0 "$NGINX_PID" 2>/dev/null && break
    stop_pid "$NGINX_PID" nginx
    NGINX_PID=""
    log "nginx did not come up on port $port (attempt $attempt): $(tail -n 3 "$dir/error.log" 2>/dev/null)"
  done
  [[ -n $NGINX_PID ]] || die "nginx did not start; see $dir/error.log"

  # Verify that nginx answers exactly as intended.
  code=$(http /dev/null -I -D "$TMP/nginx-head.txt" -H "Authorization: Bearer $USER_TOKEN" "$NGINX_URL$ME_PATH")
  [[ $code == 204 ]] || die "nginx HEAD $ME_PATH: expected 204, got $code"
  h=$(header_value Content-Length "$TMP/nginx-head.txt")
  [[ -z $h || $h == 0 ]] || die "nginx HEAD $ME_PATH: expected no Content-Length, got $h"
  NGINX_HEAD_DESC="$(status_line "$TMP/nginx-head.txt"), Content-Length: ${h:-absent}"

  code=$(http "$TMP/nginx-get.body" -D "$TMP/nginx-get.txt" -H "Authorization: Bearer $USER_TOKEN" "$NGINX_URL$ME_PATH")
  [[ $code == 200 ]] || die "nginx GET $ME_PATH: expected 200, got $code"
  size=$(wc -c <"$TMP/nginx-get.body")
  ((size == BODY_SIZE)) || die "nginx GET $ME_PATH: expected a $BODY_SIZE-byte body, got $size bytes"
  h=$(header_value Content-Length "$TMP/nginx-get.txt")
  [[ $h == "$BODY_SIZE" ]] || die "nginx GET $ME_PATH: expected Content-Length: $BODY_SIZE, got '$h'"

  log "nginx (pid $NGINX_PID) listening on $NGINX_URL: HEAD -> $NGINX_HEAD_DESC; GET -> 200, $size bytes"
}

# --- 5. wrk -------------------------------------------------------------------------------------------

RUN_SEQ=0
# Runs wrk; sets W_RPS and W_P99_US, and fails on any error or non-2xx/3xx answer.
run_wrk() { # side(nginx|sqlite|redis|cluster) method seconds measured(1|0)
  local side=$1 method=$2 seconds=$3 measured=$4 url out line
  if [[ $side == nginx ]]; then url=$NGINX_URL$ME_PATH; else use_node "$side"; url=$SERVER_URL$ME_PATH; fi
  RUN_SEQ=$((RUN_SEQ + 1))
  out=$TMP/wrk-$RUN_SEQ-$side-$method-$([[ $measured == 1 ]] && echo run || echo warmup).txt
  # The guard (timeout) only matters if wrk hangs outright; a HEAD answer it cannot frame shows up as
  # timeouts and a near-zero request count, which the checks below catch.
  if ! BENCH_METHOD=$method timeout $((seconds + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" \
    --latency -H "Authorization: Bearer $USER_TOKEN" -s "$BENCH_DIR/wrk-report.lua" "$url" >"$out" 2>&1; then
    die "wrk failed against $side ($method $url); its output:
$(cat "$out")"
  fi
  line=$(grep '^BENCH ' "$out" || true)
  [[ -n $line ]] || die "wrk printed no BENCH line against $side ($method); its output:
$(cat "$out")"
  local requests status_errors connect_errors read_errors write_errors timeouts
  requests=$(field requests "$line")
  status_errors=$(field status_errors "$line")
  connect_errors=$(field connect_errors "$line")
  read_errors=$(field read_errors "$line")
  write_errors=$(field write_errors "$line")
  timeouts=$(field timeouts "$line")
  if ((status_errors || connect_errors || read_errors || write_errors || timeouts)) || ((requests < CONNECTIONS)); then
    die "wrk against $side ($method $url) saw errors: requests=$requests non-2xx/3xx=$status_errors connect=$connect_errors read=$read_errors write=$write_errors timeout=$timeouts; its output:
$(cat "$out")"
  fi
  W_RPS=$(field rps "$line")
  W_P99_US=$(field p99_us "$line")
}



declare -A RPS P99
PAIRS=0
bench_endpoint() { # method
  local method=$1 round side before after advanced
  local -a sides order
  read -r -a sides <<<"nginx $STORES"
  declare -A rps_runs p99_runs
  if ((WARMUP > 0)); then
    log "$method: warm-up, ${WARMUP} s per side"
    for side in "${sides[@]}"; do run_wrk "$side" "$method" "$WARMUP" 0; done
  fi
  for ((round = 1; round <= ROUNDS; round++)); do
    # Take turns at going first, so that no side always gets the quieter (or warmer) machine.
    PAIRS=$((PAIRS + 1))
    order=("${sides[@]:PAIRS % ${#sides[@]}}" "${sides[@]:0:PAIRS % ${#sides[@]}}")
    for side in "${order[@]}"; do
      if [[ $side != nginx ]]; then use_node "$side"; before=$(idle_deadline_ms); fi
      log "$method: round $round/$ROUNDS, $side, ${DURATION} s, $CONNECTIONS connections"
      run_wrk "$side" "$method" "$DURATION" 1
      rps_runs[$side]+="$W_RPS "
      p99_runs[$side]+="$W_P99_US "
      if [[ $side != nginx ]]; then
        # Every verification is activity: the token's idle deadline must have moved with the run.
        after=$(idle_deadline_ms)
        advanced=$((after - before))
        ((advanced >= (DURATION > 2 ? (DURATION - 2) * 1000 : 1))) ||
          die "$method $ME_PATH on $side did not record activity: dateTokenIdles moved by ${advanced} ms during a ${DURATION} s run (expected about $((DURATION * 1000)) ms)"
        log "$method: $side $W_RPS req/s, p99 $((W_P99_US))us; dateTokenIdles advanced by ${advanced} ms"
      else
        log "$method: nginx $W_RPS req/s, p99 $((W_P99_US))us"
      fi
    done
  done
  for side in "${sides[@]}"; do
    # shellcheck disable=SC2086 # the runs are a space-separated list on purpose
    RPS[$method-$side]=$(median ${rps_runs[$side]})
    # shellcheck disable=SC2086
    P99[$method-$side]=$(median ${p99_runs[$side]})
  done
}

# --- 6. report ----------------------------------------------------------------------------------------

BELOW=0
report() {
  local method store target ratio verdict
  echo
  echo "tokens-server vs nginx, $ME_PATH: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s) per side (median), warm-up ${WARMUP} s"
  echo "  machine:  $(nproc) CPU(s), $(uname -sr)"
  echo "  server:   $SERVER_BIN --threads 1, one node per store: $STORES (idle timeout ${IDLE_TIMEOUT_SECONDS} s enabled, user token, rate limit off)"
  [[ -z $REDIS_PID ]] || echo "  redis:    $(redis-server --version | sed 's/ sha=.*//'), appendonly yes, appendfsync always, on the same machine"
  ((${#CLUSTER_PIDS[@]} == 0)) || echo "  cluster:  3 primaries + 3 replicas of the same redis-server, on the same machine"
  echo "  nginx:    $(nginx -v 2>&1 | sed 's/^nginx version: //'), worker_processes 1, access_log off"
  echo "  HEAD:     server answers $SERVER_HEAD_DESC; nginx answers $NGINX_HEAD_DESC"
  echo "  GET:      both answer 200 with a $BODY_SIZE-byte body"
  echo
  printf '%-34s %13s %13s %7s %8s %12s %12s  %s\n' endpoint "server req/s" "nginx req/s" ratio target "server p99" "nginx p99" verdict
  for method in HEAD GET; do
    for store in $STORES; do
      target=${TARGET[$method-$store]:-}
      ratio=$(awk -v s="${RPS[$method-$store]}" -v n="${RPS[$method-nginx]}" 'BEGIN { printf "%.2f", (n > 0 ? s / n : 0) }')
      if [[ -z $target ]]; then
        verdict=-
      elif awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r >= t) }'; then
        verdict=PASS
      else
        verdict=BELOW
        BELOW=1
      fi
      printf '%-34s %13.0f %13.0f %7s %8s %9.2f ms %9.2f ms  %s\n' "$method $ME_PATH ($store)" \
        "${RPS[$method-$store]}" "${RPS[$method-nginx]}" "$ratio" "${target:+>= $target}" \
        "$(awk -v u="${P99[$method-$store]}" 'BEGIN { print u / 1000 }')" \
        "$(awk -v u="${P99[$method-nginx]}" 'BEGIN { print u / 1000 }')" "$verdict"
    done
  done
}

main() {
  command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh installs it)"
  command -v nginx >/dev/null || die "nginx is not installed (scripts/install-deps.sh installs nginx-light)"
  command -v curl >/dev/null || die "curl is not installed"
  check_run_settings
  [[ $CONNECTIONS =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a positive whole number, got '$CONNECTIONS'"

  begin_run tokens-bench

  local store
  for store in $STORES; do
    [[ $store == sqlite || $store == redis || $store == cluster ]] ||
      die "BENCH_STORES: unknown store '$store' (sqlite, redis, cluster)"
  done
  if [[ " $STORES " == *" redis "* || " $STORES " == *" cluster "* ]]; then
    command -v redis-server >/dev/null || die "redis-server is not installed (scripts/install-deps.sh installs it)"
  fi

  build_server
  [[ " $STORES " != *" redis "* ]] || start_redis
  [[ " $STORES " != *" cluster "* ]] || start_cluster
  for store in $STORES; do
    start_server "$store"
    provision_token "$store"
  done
  start_nginx
  bench_endpoint HEAD
  bench_endpoint GET
  report
  finish_run
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
