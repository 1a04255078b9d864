#pragma once
// Rate-limit counters (store/rate_counters.h) in Redis, shared by every node on it: N nodes allow what
// one allows (SPEC §7). One hash per key, "rl:<limit's kind><key bytes>" under the store's prefix, with
// the window's start ("s", the server's clock) and its count ("c"); one script decides and counts, so two
// nodes' hits never race. Each hash expires in Redis a little after its window could matter.

#include "store/rate_counters.h"
#include "store/redis/redis_client.h"

namespace tokens::store {

class RedisRateCounters final : public RateCounters {
 public:
  /// `client` is the token store's, and must outlive this.
  explicit RedisRateCounters(redis::RedisClient& client) : client_(client) {}

  domain::RateDecision hit(std::string_view key, std::uint32_t limit, std::int64_t windowMs,
                           std::int64_t nowMs) override;
  domain::RateDecision peek(std::string_view key, std::uint32_t limit, std::int64_t windowMs,
                            std::int64_t nowMs) override;

 private:
  domain::RateDecision run(std::string_view key, std::uint32_t limit, std::int64_t windowMs, std::int64_t nowMs,
                           bool count);
  redis::RedisClient& client_;
};

}  // namespace tokens::store
