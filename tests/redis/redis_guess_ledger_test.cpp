// The guessing throttle's counts in Redis (store/redis/redis_guess_ledger.h) against a real redis-server:
// the same decisions as the throttle's own counts at every step of random sequences, and nothing stuck
// in flight for ever when a node dies mid-check.

#include <random>

#include <gtest/gtest.h>

#include "domain/guess_throttle.h"
#include "redis_process.h"
#include "store/redis/redis_token_store.h"
#include "store/redis/redis_uri.h"

namespace {

using namespace tokens::testing;
using tokens::domain::GuessThrottle;
using tokens::domain::GuessThrottleLimits;
using tokens::store::RedisTokenStore;
namespace redis = tokens::store::redis;

constexpr std::int64_t kStart = 1'750'000'000'000;

GuessThrottleLimits smallLimits() {
  GuessThrottleLimits l;
  l.user = {3, 2, true};
  l.address = {5, 3, false};
  l.client = {2, 2, true};
  l.firstWaitMs = 1000;
  l.maxWaitMs = 8000;
  l.busyWaitMs = 500;
  l.forgetAfterMs = 20'000;
  return l;
}

class RedisGuessLedger : public ::testing::Test {
 protected:
  void SetUp() override {
    process.start();
    store = std::make_unique<RedisTokenStore>(std::get<redis::RedisEndpoint>(redis::parseRedisUri(process.uri(0))));
  }
  RedisProcess process;
  std::unique_ptr<RedisTokenStore> store;
};

TEST_F(RedisGuessLedger, DecidesAsTheThrottlesOwnCountsAtEveryStep) {
  const std::vector<std::vector<GuessThrottle::Key>> keySets{
      GuessThrottle::userKeys("org", "ada@example.com", "10.0.0.1"),
      GuessThrottle::userKeys("org", "Ada@Example.com", "10.0.0.2"),  // the same user, another address
      GuessThrottle::userKeys("org", "bob@example.com", "10.0.0.1"),  // the same address, another user
      GuessThrottle::clientKeys("client-1", "10.0.0.1"),
      GuessThrottle::clientKeys("client-1", "10.0.0.3"),
  };
  for (const unsigned seed : {1u, 2u, 3u}) {
    ASSERT_TRUE(redis::RedisClient(std::get<redis::RedisEndpoint>(redis::parseRedisUri(process.uri(0))), {})
                    .call({"FLUSHDB"})
                    .ok());
    GuessThrottle local(smallLimits());
    GuessThrottle shared(smallLimits(), store->sharedGuessLedger());
    std::mt19937 random(seed);
    std::int64_t now = kStart;
    struct InFlight {
      std::shared_ptr<GuessThrottle::Attempt> local, shared;
      std::int64_t startedMs;
    };
    std::vector<InFlight> inFlight;
    const auto endOne = [&](std::size_t i, int how) {
      auto a = inFlight[i];
      inFlight.erase(inFlight.begin() + static_cast<long>(i));
      if (how == 0) {
        a.local->failed(now);
        a.shared->failed(now);
      } else if (how == 1) {
        a.local->succeeded();
        a.shared->succeeded();
      }  // else dropped: both go out of scope without an outcome
    };
    for (int step = 0; step < 400; ++step) {
      const auto& keys = keySets[random() % keySets.size()];
      const auto op = random() % 10;
      SCOPED_TRACE("seed " + std::to_string(seed) + ", step " + std::to_string(step) + ", op " + std::to_string(op));
      if (op < 4) {
        auto l = local.begin(keys, now);
        auto s = shared.begin(keys, now);
        ASSERT_EQ(s.waitMs, l.waitMs);
        ASSERT_EQ(s.attempt != nullptr, l.attempt != nullptr);
        if (l.attempt) inFlight.push_back({l.attempt, s.attempt, now});
      } else if (op < 7 && !inFlight.empty()) {
        endOne(random() % inFlight.size(), static_cast<int>(random() % 3));
      } else if (op == 7) {
        ASSERT_EQ(shared.waitBefore(keys, now), local.waitBefore(keys, now));
      } else if (op == 8) {
        local.recordSuccess(keys);
        shared.recordSuccess(keys);
      } else {
        // Time goes on; now and then far enough for keys to be forgotten. Attempts end before a long gap,
        // as checks do (a few ms of hashing): one in flight for a minute is a dead node's (next test).
        if (random() % 8 == 0) {
          while (!inFlight.empty()) endOne(0, 0);
          now += 25'000;
        } else {
          for (std::size_t i = inFlight.size(); i-- > 0;)
            if (inFlight[i].startedMs < now - 30'000) endOne(i, 0);
          now += static_cast<std::int64_t>(random() % 3000);
        }
      }
    }
  }
}

TEST_F(RedisGuessLedger, AnAttemptLeftInFlightByADeadNodeStopsCountingAfterAMinute) {
  auto& ledger = *store->sharedGuessLedger();
  const auto limits = smallLimits();  // a user's burst: 2 in flight
  const auto keys = GuessThrottle::userKeys("org", "ada@example.com", "10.0.0.1");
  EXPECT_EQ(ledger.admit(keys, limits, kStart, "first", true), 0);
  EXPECT_EQ(ledger.admit(keys, limits, kStart, "second", true), 0);
  EXPECT_EQ(ledger.admit(keys, limits, kStart + 1000, "third", true), limits.busyWaitMs);
  // Nobody ends them (their node was killed): a minute later they are no longer in the way.
  EXPECT_EQ(ledger.admit(keys, limits, kStart + 61'000, "fourth", true), 0);
}

TEST_F(RedisGuessLedger, TwoNodesSeeOneAnothersFailures) {
  GuessThrottle first(smallLimits(), store->sharedGuessLedger());
  auto otherStore = std::make_unique<RedisTokenStore>(std::get<redis::RedisEndpoint>(redis::parseRedisUri(process.uri(0))));
  GuessThrottle second(smallLimits(), otherStore->sharedGuessLedger());
  const auto keys = GuessThrottle::userKeys("org", "ada@example.com", "10.0.0.1");
  for (int i = 0; i < 3; ++i) {  // the user's three free failures, on alternate nodes
    auto start = (i % 2 ? first : second).begin(keys, kStart + i);
    ASSERT_NE(start.attempt, nullptr) << i;
    start.attempt->failed(kStart + i);
  }
  EXPECT_EQ(first.waitBefore(keys, kStart + 2), 1000);
  EXPECT_EQ(second.begin(keys, kStart + 2).waitMs, 1000);
}

}  // namespace
