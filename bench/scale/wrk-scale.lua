-- wrk script for bench/run-scale.sh: token verification over many tokens, or client-credentials grants.
--
-- BENCH_MODE=verify (default): HEAD /api/v2/tokens/me, each request with the next token of the file
--   BENCH_SAMPLES (lines "USER TOKEN", USER "-" for client-credentials tokens; seed_tokens --out), in
--   turn. BENCH_SAMPLE_KIND picks the lines: all (default), cc (USER "-": never revoked by the script's
--   DELETEs) or user. Every request string is built once, in init(); request() only hands out the next
--   one, which is as little per-request Lua as rotating tokens allows.
-- BENCH_MODE=grant: POST /oauth/token, grant_type=client_credentials, with the header
--   "Authorization: Basic $BENCH_AUTH". A static request: no per-request Lua at all.
--
-- done() is bench/wrk-report.lua's: one line that run-scale.sh parses:
--   BENCH method=M requests=N duration_us=N rps=F p50_us=N p99_us=N max_us=N
--         status_errors=N connect_errors=N read_errors=N write_errors=N timeouts=N

-- done(): bench/wrk-report.lua's, next to this file's folder (it also sets wrk.method, set again below).
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "../wrk-report.lua")

local mode = os.getenv("BENCH_MODE") or "verify"

if mode == "grant" then
  wrk.method = "POST"
  wrk.path = "/oauth/token"
  wrk.body = "grant_type=client_credentials"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = "Basic " .. (os.getenv("BENCH_AUTH") or "")
else
  wrk.method = "HEAD"
  wrk.path = "/api/v2/tokens/me"

  local requests = {}
  local count = 0
  local cursor = 0

  function init(args)
    local path = os.getenv("BENCH_SAMPLES") or error("BENCH_SAMPLES is not set")
    local kind = os.getenv("BENCH_SAMPLE_KIND") or "all"
    for line in io.lines(path) do
      local user, token = line:match("^(%S+) (%S+)$")
      if token and (kind == "all" or (kind == "cc") == (user == "-")) then
        count = count + 1
        requests[count] = wrk.format("HEAD", "/api/v2/tokens/me", { Authorization = "Bearer " .. token })
      end
    end
    if count == 0 then error("no " .. kind .. " tokens in " .. path) end
  end

  function request()
    cursor = cursor % count + 1
    return requests[cursor]
  end
end
