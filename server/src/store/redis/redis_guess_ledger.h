#pragma once
// The guessing throttle's counts (domain/guess_throttle.h) in Redis, shared by every node on it, so that
// behind N nodes a guesser gets the attempts one node allows (SPEC §5, §7).
//
// Per key (a user, an address, a client with an address): a hash "guess:{<kind>:<SHA-256 of the id>}" of
// its failures ("f") and the time of the last ("l"), and a sorted set "guess-q:{...}" of the attempts in
// flight by start time, the two in one hash slot. One script per key applies the throttle's rules (the
// same as domain/guess_throttle.cpp, which tests/redis/redis_guess_ledger_test.cpp checks step by step
// against it); a call's keys run at once, each on its node. An attempt that one key holds back is
// dropped again from the keys that admitted it. An attempt in flight on a node that died is no longer
// counted a minute after it began. Times are the server's (the emulator's clock).

#include "domain/guess_throttle.h"
#include "store/redis/redis_client.h"

namespace tokens::store {

class RedisGuessLedger final : public domain::GuessLedger {
 public:
  /// `client` is the token store's, and must outlive this.
  explicit RedisGuessLedger(redis::RedisClient& client) : client_(client) {}

  std::int64_t admit(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits,
                     std::int64_t nowMs, std::string_view attemptId, bool begin) override;
  void end(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits, std::int64_t nowMs,
           std::string_view attemptId, Outcome outcome) override;
  void recordSuccess(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits) override;

 private:
  std::int64_t run(std::span<const domain::GuessKey> keys, const domain::GuessThrottleLimits& limits,
                   std::int64_t nowMs, std::string_view mode, std::string_view attemptId);
  redis::RedisClient& client_;
};

}  // namespace tokens::store
