#include "store/redis/redis_rate_counters.h"

#include <algorithm>
#include <string>

#include "store/token_store.h"

namespace tokens::store {
namespace {

using redis::RedisScript;

// KEYS: the counter's hash. ARGV: now (ms), window (ms), "1" to count a hit or "0" to look only.
// Returns {count, ms until the window ends}: the count includes this hit when counting.
const RedisScript& windowScript() {
  static const RedisScript script(R"lua(
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local w = redis.call('HMGET', KEYS[1], 's', 'c')
local start, count = tonumber(w[1]), tonumber(w[2])
if not start or now >= start + window then
  if ARGV[3] == '0' then return {0, window} end
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'c', 1)
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  return {1, window}
end
if ARGV[3] == '1' then count = redis.call('HINCRBY', KEYS[1], 'c', 1) end
return {count, start + window - now}
)lua");
  return script;
}

}  // namespace

domain::RateDecision RedisRateCounters::hit(std::string_view key, std::uint32_t limit, std::int64_t windowMs,
                                            std::int64_t nowMs) {
  return run(key, limit, windowMs, nowMs, true);
}

domain::RateDecision RedisRateCounters::peek(std::string_view key, std::uint32_t limit, std::int64_t windowMs,
                                             std::int64_t nowMs) {
  return run(key, limit, windowMs, nowMs, false);
}

domain::RateDecision RedisRateCounters::run(std::string_view key, std::uint32_t limit, std::int64_t windowMs,
                                            std::int64_t nowMs, bool count) {
  auto name = std::string(redis::kKeyPrefix).append("rl:").append(key);
  const auto reply = redis::replyOrThrow(
      client_.eval(windowScript(), {"1", std::move(name), std::to_string(nowMs), std::to_string(windowMs), count ? "1" : "0"}),
      "counting a rate limit");
  if (reply.elements.size() != 2) throw StoreUnavailable("redis: counting a rate limit: an unexpected reply");
  const auto seen = std::max<long long>(reply.elements[0].integer, 0);
  // A node whose clock is a little behind the one that started the window sees more than a window left.
  const auto remainingMs = std::clamp<long long>(reply.elements[1].integer, 0, windowMs);
  domain::RateDecision d;
  d.count = static_cast<std::uint32_t>(std::min<long long>(seen, UINT32_MAX));
  d.limit = limit;
  d.allowed = count ? d.count <= limit : d.count < limit;
  d.resetSeconds = (remainingMs + 999) / 1000;
  return d;
}

}  // namespace tokens::store
