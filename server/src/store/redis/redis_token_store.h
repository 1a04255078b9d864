#pragma once
// "redis://HOST:PORT/DB" or "redis-cluster://SEEDS": the store several tokens-server nodes share
// (SPEC §7, docs/redis.md).
//
// Nothing about tokens is kept on a node: every find reads Redis, and every revocation is a Redis write
// acknowledged (by a replica too, when there is one) before it returns, so a revocation answered by any
// node holds on all of them for every request that starts afterwards. The one thing written behind is
// activity (the idle clock): batched every 250 ms, within the 1 s SPEC §7 allows, and never moved
// backwards.
//
// Layout (redis_keys.h): in each of 256 buckets, a hash per token "t:<digest hex>", a sorted set
// "expiry" of the bucket's digests by expiry (for purging and counting), a set per user
// "u:<len(org)>:<org>:<user>" of their digests in the bucket (for revoking a user without a scan), and
// "settings:<org>", a copy of an organization's idle token timeout. A token pair, and the pair that
// replaces it, is in one bucket (keepsPairsTogether). Outside the buckets: "emulator:clock-offset-ms",
// the rate limits' counters (redis_rate_counters.h) and the guessing throttle's (redis_guess_ledger.h).
// Changes that touch several keys are Lua scripts on one bucket, which Redis runs whole and alone.

#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "store/redis/redis_client.h"
#include "store/redis/redis_guess_ledger.h"
#include "store/redis/redis_rate_counters.h"
#include "store/token_store.h"

namespace tokens::async {
class PeriodicTask;
}

namespace tokens::store {

struct RedisStoreOptions {
  redis::RedisOptions connection;
  std::chrono::milliseconds activityFlushInterval{250};
};

class RedisTokenStore final : public TokenStore {
 public:
  explicit RedisTokenStore(redis::RedisEndpoint endpoint, RedisStoreOptions options = {});
  /// On a Redis Cluster.
  explicit RedisTokenStore(redis::RedisClusterSeeds seeds, RedisStoreOptions options = {});
  ~RedisTokenStore() override;
  RedisTokenStore(const RedisTokenStore&) = delete;
  RedisTokenStore& operator=(const RedisTokenStore&) = delete;

  void insert(std::span<const TokenRecord> records, std::int64_t nowMs) override;
  std::shared_ptr<TokenEntry> find(const Digest& digest) override;
  bool rotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) override;
  std::size_t revoke(std::span<const Digest> digests) override;
  std::size_t revokeUser(std::string_view organizationId, std::string_view userId) override;
  void touch(TokenEntry& entry, std::int64_t nowMs) override;
  std::shared_ptr<const IdleTokenTimeout> idleTokenTimeout(std::string_view organizationId) override;
  void saveIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) override;
  std::int64_t clockOffsetMs() override;
  std::optional<std::int64_t> advanceClockOffsetMs(std::int64_t byMs, std::int64_t maxMs) override;
  std::size_t purgeExpired(std::int64_t beforeMs) override;
  void flush() override;
  bool ready() override;
  std::size_t liveTokens() override;
  /// Shares this store's connections; must not outlive it.
  std::unique_ptr<LoginStateStore> makeLoginStateStore() override;
  RateCounters* sharedRateCounters() override { return &rateCounters_; }
  domain::GuessLedger* sharedGuessLedger() override { return &guessLedger_; }
  bool keepsPairsTogether() const override { return true; }

 private:
  /// Waits (bounded) for Redis, and starts the write-behind.
  void start();
  /// A stored setting's JSON, parsed (StoreUnavailable if it does not parse).
  static std::shared_ptr<const IdleTokenTimeout> parseSetting(std::string_view organizationId, const std::string& json);
  /// The write-behind's tick: flush(), saying once when Redis fails and once when it is back.
  void flushTick();

  redis::RedisClient client_;
  RedisRateCounters rateCounters_{client_};
  RedisGuessLedger guessLedger_{client_};
  std::chrono::milliseconds flushInterval_;

  // Activity recorded on this node and not yet in Redis: digest -> latest ms.
  std::mutex activityMutex_;
  std::unordered_map<Digest, std::int64_t, domain::DigestHash> activity_;

  bool flushFailing_ = false;  // touched by the write-behind only
  std::unique_ptr<async::PeriodicTask> flusher_;  // stopped first in the destructor
};

}  // namespace tokens::store
