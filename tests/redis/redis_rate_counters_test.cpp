// The Redis store's rate-limit counters (store/redis/redis_rate_counters.h) against a real redis-server:
// windows as the in-process limiter has them, shared by every client of the same Redis.

#include <gtest/gtest.h>

#include "redis_process.h"
#include "store/rate_counters.h"
#include "store/redis/redis_client.h"
#include "store/redis/redis_token_store.h"
#include "store/redis/redis_uri.h"

namespace {

using namespace tokens::testing;
using tokens::store::RedisTokenStore;
namespace redis = tokens::store::redis;

constexpr std::int64_t kWindow = 60'000;
constexpr std::int64_t kNow = 1'750'000'000'000;

class RedisRateCounters : public ::testing::Test {
 protected:
  void SetUp() override {
    process.start();
    endpoint = std::get<redis::RedisEndpoint>(redis::parseRedisUri(process.uri(0)));
  }
  std::unique_ptr<RedisTokenStore> node() { return std::make_unique<RedisTokenStore>(endpoint); }

  RedisProcess process;
  redis::RedisEndpoint endpoint;
};

TEST_F(RedisRateCounters, AWindowAllowsItsLimitThenRefusesUntilItEnds) {
  auto store = node();
  auto& counters = *store->sharedRateCounters();
  for (std::uint32_t i = 1; i <= 3; ++i) {
    const auto d = counters.hit("token:a", 3, kWindow, kNow + i);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.count, i);
    EXPECT_EQ(d.limit, 3u);
    EXPECT_EQ(d.resetSeconds, 60);
  }
  const auto fourth = counters.hit("token:a", 3, kWindow, kNow + 30'000);
  EXPECT_FALSE(fourth.allowed);
  EXPECT_EQ(fourth.count, 4u);
  EXPECT_EQ(fourth.resetSeconds, 31) << "the window started at the first hit";
  EXPECT_TRUE(counters.hit("token:b", 3, kWindow, kNow + 30'000).allowed) << "another key counts apart";
  // The window's end by the server's clock (the emulator's may run ahead of Redis's): a new one starts.
  const auto next = counters.hit("token:a", 3, kWindow, kNow + 1 + kWindow);
  EXPECT_TRUE(next.allowed);
  EXPECT_EQ(next.count, 1u);
}

TEST_F(RedisRateCounters, APeekCountsNothing) {
  auto store = node();
  auto& counters = *store->sharedRateCounters();
  EXPECT_TRUE(counters.peek("grants:c", 1, kWindow, kNow).allowed);
  EXPECT_EQ(counters.peek("grants:c", 1, kWindow, kNow).count, 0u);
  EXPECT_TRUE(counters.hit("grants:c", 1, kWindow, kNow).allowed);
  const auto full = counters.peek("grants:c", 1, kWindow, kNow + 1);
  EXPECT_FALSE(full.allowed);
  EXPECT_EQ(full.count, 1u);
}

TEST_F(RedisRateCounters, TwoNodesCountTogetherEvenWhenTheirHitsInterleave) {
  auto first = node();
  auto second = node();
  for (int i = 0; i < 50; ++i) {
    (i % 2 ? first : second)->sharedRateCounters()->hit(std::string("token:\0\xff", 8), 1000, kWindow, kNow + i);
  }
  EXPECT_EQ(first->sharedRateCounters()->peek(std::string("token:\0\xff", 8), 1000, kWindow, kNow + 60).count, 50u)
      << "keys are bytes: a digest's zero and high bytes are kept";
}

TEST_F(RedisRateCounters, ARedisThatIsDownIsStoreUnavailableNotAnAllowance) {
  auto store = node();
  process.stop();
  EXPECT_THROW(store->sharedRateCounters()->hit("token:a", 3, kWindow, kNow), tokens::store::StoreUnavailable);
}

TEST(EmbeddedStores, CountRateLimitsInTheProcess) {
  EXPECT_EQ(tokens::store::openStore("memory:")->sharedRateCounters(), nullptr);
}

}  // namespace
