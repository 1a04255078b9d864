-- wrk script for bench/run.sh, used unchanged against both targets (tokens-server and nginx).
--
-- The request method comes from the environment (BENCH_METHOD=HEAD|GET, default GET); the
-- Authorization header comes from wrk's own -H option. There is deliberately no per-request
-- callback (request()/response()): defining one makes wrk call into Lua for every request and
-- would slow the load generator, on both sides alike but still distorting the figures.
--
-- done() prints one machine-readable line that run.sh parses:
--   BENCH method=GET requests=N duration_us=N rps=F p50_us=N p99_us=N max_us=N
--         status_errors=N connect_errors=N read_errors=N write_errors=N timeouts=N
-- status_errors counts responses with a status >= 400 (wrk's own "Non-2xx or 3xx" figure).

wrk.method = os.getenv("BENCH_METHOD") or "GET"

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local rps = 0
  if seconds > 0 then rps = summary.requests / seconds end
  io.write(string.format(
    "BENCH method=%s requests=%d duration_us=%d rps=%.2f p50_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    wrk.method, summary.requests, summary.duration, rps,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
