#include "store/redis/redis_guess_ledger.h"

#include <algorithm>
#include <string>
#include <vector>

#include "domain/token_crypto.h"
#include "store/redis/redis_keys.h"
#include "store/token_store.h"

namespace tokens::store {
namespace {

using redis::RedisScript;

// An attempt in flight longer than this is one whose node died: it no longer counts.
constexpr std::int64_t kInFlightMs = 60'000;

// KEYS: for each key, its state hash then its set of attempts in flight.
// ARGV: now, mode, attempt id, first wait, max wait, busy wait, forget after, in-flight limit; then for
// each key its free failures, burst and whether a success clears it ("1"/"0").
// Modes: "wait" (the wait only), "begin" (and, if none, counts the attempt in flight), "fail", "succeed",
// "drop" (ends the attempt), "clear" (a success without an attempt). Returns the wait in ms (0: none).
// The rules are domain/guess_throttle.cpp's, line for line.
const RedisScript& ledgerScript() {
  static const RedisScript script(R"lua(
local now, mode, id = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local firstWait, maxWait, busyWait = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local forgetAfter, inFlightMs = tonumber(ARGV[7]), tonumber(ARGV[8])
local n = #KEYS / 2
local function rule(i) return tonumber(ARGV[9 + 3 * (i - 1)]), tonumber(ARGV[10 + 3 * (i - 1)]), ARGV[11 + 3 * (i - 1)] end
local function waitAfter(failures, free)
  if failures < free then return 0 end
  return math.min(firstWait * 2 ^ math.min(failures - free, 30), maxWait)
end
-- The key's failures (0 once forgotten), its last failure and its attempts in flight.
local function state(i)
  local free = rule(i)
  local h = redis.call('HMGET', KEYS[2 * i - 1], 'f', 'l')
  local failures, last = tonumber(h[1]) or 0, tonumber(h[2]) or 0
  if failures > 0 and now - last >= waitAfter(failures, free) + forgetAfter then failures = 0 end
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i], '-inf', now - inFlightMs)
  return failures, last, redis.call('ZCARD', KEYS[2 * i])
end
local function waitFor(i)
  local free, burst = rule(i)
  local failures, last, inFlight = state(i)
  if failures == 0 then
    if inFlight >= burst then return busyWait end
    return 0
  end
  if failures < free then
    if failures + inFlight >= free then return busyWait end
    return 0
  end
  local left = last + waitAfter(failures, free) - now
  if left > 0 then return left end
  if inFlight > 0 then return busyWait end
  return 0
end
if mode == 'wait' or mode == 'begin' then
  local wait = 0
  for i = 1, n do wait = math.max(wait, waitFor(i)) end
  if wait > 0 or mode == 'wait' then return wait end
  for i = 1, n do
    redis.call('ZADD', KEYS[2 * i], now, id)
    redis.call('PEXPIRE', KEYS[2 * i], inFlightMs + 1000)
  end
  return 0
end
for i = 1, n do
  local free, burst, clears = rule(i)
  if mode ~= 'clear' then redis.call('ZREM', KEYS[2 * i], id) end
  if mode == 'fail' then
    local failures = state(i)
    redis.call('HSET', KEYS[2 * i - 1], 'f', failures + 1, 'l', ARGV[1])
    -- Gone from Redis once forgotten by the rules anyway (the wall clock never runs ahead of the server's).
    redis.call('PEXPIRE', KEYS[2 * i - 1], waitAfter(failures + 1, free) + forgetAfter + 1000)
  elseif (mode == 'succeed' or mode == 'clear') and clears == '1' then
    redis.call('DEL', KEYS[2 * i - 1])
  end
end
return 0
)lua");
  return script;
}

std::string kindName(domain::GuessKind kind) {
  switch (kind) {
    case domain::GuessKind::User: return "user:";
    case domain::GuessKind::Address: return "address:";
    case domain::GuessKind::Client: break;
  }
  return "client:";
}

}  // namespace

std::int64_t RedisGuessLedger::run(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits,
                                   std::int64_t nowMs, std::string_view mode, std::string_view attemptId) {
  if (keys.empty()) return 0;
  // One script per key, all at once: a key's two Redis keys share a hash tag, and different keys may be
  // on different nodes of a cluster.
  auto scriptsIn = [&](std::string_view runMode) {
    std::vector<std::vector<std::string>> scripts;
    for (const auto& key : keys) {
      // The id digested: emails and addresses of failed logins have no business in Redis's key space.
      const auto name = kindName(key.kind) + domain::toHex(domain::digestOf(key.id));
      std::vector<std::string> args{"2", redis::taggedKey("guess", name), redis::taggedKey("guess-q", name),
                                    std::to_string(nowMs), std::string(runMode),
                                    attemptId.empty() ? std::string("-") : std::string(attemptId)};
      for (const auto v : {limits.firstWaitMs, limits.maxWaitMs, limits.busyWaitMs, limits.forgetAfterMs, kInFlightMs})
        args.push_back(std::to_string(v));
      const auto& rule = limits.rule(key.kind);
      args.push_back(std::to_string(rule.freeFailures));
      args.push_back(std::to_string(rule.burst));
      args.emplace_back(rule.clearedBySuccess ? "1" : "0");
      scripts.push_back(std::move(args));
    }
    return scripts;
  };
  auto results = client_.evalAll(ledgerScript(), scriptsIn(mode));
  std::int64_t wait = 0;
  bool failed = false;
  for (const auto& r : results) {
    if (r.ok()) wait = std::max<std::int64_t>(wait, r.reply.integer);
    failed = failed || !r.ok();
  }
  if (mode == "begin" && (wait > 0 || failed) && keys.size() > 1) {
    // An attempt that one key holds back (or that could not be counted everywhere) must not stay in
    // flight on the keys that let it begin: "drop" ends it there (for a moment, a concurrent attempt
    // saw it in flight: it waited, never the reverse).
    auto drops = scriptsIn("drop");
    std::vector<std::vector<std::string>> begun;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (results[i].ok() && results[i].reply.integer <= 0) begun.push_back(std::move(drops[i]));
    for (auto& r : client_.evalAll(ledgerScript(), std::move(begun))) failed = failed || !r.ok();
  }
  for (auto& r : results)
    if (!r.ok()) redis::replyOrThrow(std::move(r), "counting a guess");  // throws
  if (failed) throw StoreUnavailable("redis: counting a guess: an attempt could not be ended");
  return wait;
}

std::int64_t RedisGuessLedger::admit(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits,
                                     std::int64_t nowMs, std::string_view attemptId, bool begin) {
  return run(keys, limits, nowMs, begin ? "begin" : "wait", attemptId);
}

void RedisGuessLedger::end(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits,
                           std::int64_t nowMs, std::string_view attemptId, Outcome outcome) {
  run(keys, limits, nowMs,
      outcome == Outcome::Failed ? "fail" : outcome == Outcome::Succeeded ? "succeed" : "drop", attemptId);
}

void RedisGuessLedger::recordSuccess(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits) {
  run(keys, limits, 0, "clear", {});
}

}  // namespace tokens::store
