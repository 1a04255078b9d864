# Shell helpers shared by bench/run.sh and bench/run-sdk.sh. Source it after setting BENCH_LOG_PREFIX.

log() { printf '%s: %s\n' "${BENCH_LOG_PREFIX:-bench}" "$*" >&2; }
die() {
  printf '\n%s: FAIL: %s\n' "${BENCH_LOG_PREFIX:-bench}" "$*" >&2
  exit 1
}

stop_pid() { # pid name
  local pid=$1 name=$2 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for 5 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Waits (15 s at most) for the tokens-server started as $SERVER_PID to print its "listening on" line to
# the file `stderr`, then sets SERVER_URL. Dies with the server's last words if it exits or stays silent.
wait_for_server() { # stderr-file
  local stderr=$1 line rc deadline=$((SECONDS + 15))
  while :; do
    line=$(grep -o -m 1 'listening on http://127\.0\.0\.1:[0-9][0-9]*' "$stderr" || true)
    [[ -n $line ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" && rc=0 || rc=$?
      SERVER_PID=""
      die "tokens-server exited (status $rc) before listening; its stderr:
$(tail -n 20 "$stderr")"
    fi
    ((SECONDS < deadline)) || die "tokens-server printed no 'listening on http://127.0.0.1:PORT' within 15 s; its stderr:
$(tail -n 20 "$stderr")"
    sleep 0.1
  done
  SERVER_URL=http://127.0.0.1:${line##*:}
}

# The value of a top-level JSON string field (tokens, dates: no escapes in them), or nothing.
json_string() { # field file
  sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$2" | head -n 1
}

# curl against 127.0.0.1 only (never a proxy from the environment); prints the HTTP status.
http() { # out-file curl-args...
  local out=$1
  shift
  curl -sS --noproxy '*' --max-time 10 -o "$out" -w '%{http_code}' "$@" || echo "curl-failed"
}

field() { # name "BENCH k=v ..." line
  local v
  v=$(tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p")
  [[ -n $v ]] || die "no $1 in the report line: $2"
  echo "$v"
}

median() { # numbers...
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# What both benchmarks check before anything starts: the shared settings (DURATION, WARMUP, ROUNDS).
check_run_settings() {
  [[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "BENCH_DURATION must be a whole number of seconds, got '$DURATION'"
  [[ $WARMUP =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a whole number of seconds, got '$WARMUP'"
  [[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive whole number, got '$ROUNDS'"
}

# The caller's cleanup on every exit (Ctrl-C and TERM included), and the run's temporary directory in $TMP.
begin_run() { # temporary-directory-prefix
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
}

# Builds Release into the build directory $1 with the bench programs, the targets after it; nothing with
# BENCH_SKIP_BUILD=1.
bench_build() { # build-dir target...
  local dir=$1
  shift
  [[ ${BENCH_SKIP_BUILD:-0} != 1 ]] || return 0
  log "building Release into $dir/ ($*)"
  (cd "$REPO_DIR" &&
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DTOKENS_BUILD_TESTS=OFF -DTOKENS_BUILD_BENCH=ON &&
    cmake --build "$dir" -j2 --target "$@") >&2 || die "the Release build failed"
}

# Prints the path of program $1: the one bench_build made in $2, or with BENCH_SKIP_BUILD=1 the one the
# environment variable $3 names (relative to where the script was started; default: the one in $2).
bench_program() { # name build-dir environment-variable
  local path=$REPO_DIR/$2/bin/$1
  if [[ ${BENCH_SKIP_BUILD:-0} == 1 ]]; then
    path=${!3:-$path}
    [[ $path == /* ]] || path=$CALLER_DIR/$path
  fi
  [[ -x $path ]] || die "no executable $1 at $path (configure with -DTOKENS_BUILD_BENCH=ON)"
  printf '%s\n' "$path"
}

# The end of a run that got through: exit 2 if a figure missed its target and BENCH_STRICT=1.
finish_run() {
  FAILED=0
  if ((BELOW)) && [[ ${BENCH_STRICT:-0} == 1 ]]; then
    exit 2
  fi
}
