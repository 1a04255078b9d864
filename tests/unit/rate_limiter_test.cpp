// Fixed-window rate limits (SPEC §3): N hits per window per key, with explicit times.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "domain/rate_limiter.h"
#include "domain/token_crypto.h"

namespace {

using namespace std::chrono_literals;
using tokens::domain::Digest;
using tokens::domain::DigestHash;
using tokens::domain::FixedWindowRateLimiter;
using tokens::domain::RateDecision;

using Limiter = FixedWindowRateLimiter<std::string>;
constexpr std::int64_t kStart = 1'700'000'000'000;  // an arbitrary "now" in ms

TEST(RateLimiter, CountsUpToTheLimitThenRefuses) {
  Limiter limiter(3, 60s);
  EXPECT_TRUE(limiter.enabled());
  EXPECT_EQ(limiter.limit(), 3u);
  for (std::uint32_t i = 1; i <= 3; ++i) {
    const auto d = limiter.hit("k", kStart);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.count, i);
    EXPECT_EQ(d.limit, 3u);
  }
  const auto refused = limiter.hit("k", kStart + 10);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.count, 4u);  // refused hits are counted too
  EXPECT_EQ(refused.limit, 3u);
  EXPECT_FALSE(limiter.hit("k", kStart + 20).allowed);
}

TEST(RateLimiter, WindowResetsAfterItsLength) {
  Limiter limiter(2, 60s);
  limiter.hit("k", kStart);
  limiter.hit("k", kStart + 1000);
  EXPECT_FALSE(limiter.hit("k", kStart + 59'999).allowed);  // still the first window
  const auto fresh = limiter.hit("k", kStart + 60'000);   // the window started at kStart has ended
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.count, 1u);
  EXPECT_EQ(fresh.resetSeconds, 60);
  EXPECT_TRUE(limiter.hit("k", kStart + 60'001).allowed);
  EXPECT_FALSE(limiter.hit("k", kStart + 60'002).allowed);
}

TEST(RateLimiter, WindowStartsAtTheFirstHitNotOnAGrid) {
  Limiter limiter(1, 60s);
  EXPECT_TRUE(limiter.hit("k", kStart + 59'000).allowed);
  EXPECT_FALSE(limiter.hit("k", kStart + 61'000).allowed);   // 2 s into the window
  EXPECT_FALSE(limiter.hit("k", kStart + 118'999).allowed);  // 1 ms before its end
  EXPECT_TRUE(limiter.hit("k", kStart + 119'000).allowed);
}

TEST(RateLimiter, ResetSecondsRoundUp) {
  Limiter limiter(100, 60s);
  EXPECT_EQ(limiter.hit("k", kStart).resetSeconds, 60);
  EXPECT_EQ(limiter.hit("k", kStart + 1).resetSeconds, 60);          // 59.999 s left
  EXPECT_EQ(limiter.hit("k", kStart + 999).resetSeconds, 60);        // 59.001 s left
  EXPECT_EQ(limiter.hit("k", kStart + 1000).resetSeconds, 59);       // exactly 59 s left
  EXPECT_EQ(limiter.hit("k", kStart + 58'999).resetSeconds, 2);      // 1.001 s left
  EXPECT_EQ(limiter.hit("k", kStart + 59'000).resetSeconds, 1);
  EXPECT_EQ(limiter.hit("k", kStart + 59'999).resetSeconds, 1);      // 1 ms left still says 1, never 0
}

TEST(RateLimiter, RefusedHitsSayWhenToRetry) {
  Limiter limiter(1, 10s);
  limiter.hit("k", kStart);
  const auto d = limiter.hit("k", kStart + 2500);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.resetSeconds, 8);  // 7.5 s rounded up
}

TEST(RateLimiter, LimitZeroTurnsItOff) {
  Limiter limiter(0, 60s);
  EXPECT_FALSE(limiter.enabled());
  EXPECT_EQ(limiter.limit(), 0u);
  for (int i = 0; i < 10'000; ++i) {
    const auto d = limiter.hit("k", kStart);
    ASSERT_TRUE(d.allowed);
    ASSERT_EQ(d.count, 0u);
    ASSERT_EQ(d.limit, 0u);
  }
}

TEST(RateLimiter, KeysAreIndependent) {
  Limiter limiter(2, 60s);
  limiter.hit("a", kStart);
  limiter.hit("a", kStart);
  EXPECT_FALSE(limiter.hit("a", kStart).allowed);
  const auto b = limiter.hit("b", kStart + 5);
  EXPECT_TRUE(b.allowed);
  EXPECT_EQ(b.count, 1u);
  EXPECT_EQ(limiter.hit("b", kStart + 5).count, 2u);
  EXPECT_FALSE(limiter.hit("a", kStart + 6).allowed);  // b's hits did not touch a's window
}

TEST(RateLimiter, WorksWithTokenDigestsAsKeys) {
  FixedWindowRateLimiter<Digest, DigestHash> limiter(1, 60s);
  const auto a = tokens::domain::digestOf("token-a");
  const auto b = tokens::domain::digestOf("token-b");
  EXPECT_TRUE(limiter.hit(a, kStart).allowed);
  EXPECT_FALSE(limiter.hit(a, kStart).allowed);
  EXPECT_TRUE(limiter.hit(b, kStart).allowed);
}

TEST(RateLimiter, LiveWindowsSurviveTheSweepOfFinishedOnes) {
  // The limiter forgets finished windows every 4096 hits of a shard (16 shards: 100000 hits sweep every
  // shard); a window still running must not be forgotten with them (that would hand out a fresh allowance).
  Limiter limiter(3, 60s);
  limiter.hit("busy", kStart);
  limiter.hit("busy", kStart);
  for (int i = 0; i < 100'000; ++i) limiter.hit("other-" + std::to_string(i), kStart + 1000);
  const auto d = limiter.hit("busy", kStart + 2000);
  EXPECT_EQ(d.count, 3u);
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(limiter.hit("busy", kStart + 2001).allowed);
  // A finished window, swept or not, starts over.
  for (int i = 0; i < 100'000; ++i) limiter.hit("late-" + std::to_string(i), kStart + 120'000);
  EXPECT_EQ(limiter.hit("other-7", kStart + 120'001).count, 1u);
}

TEST(RateLimiter, ConcurrentHitsNeverAllowMoreThanTheLimit) {
  constexpr std::uint32_t kLimit = 250;
  constexpr int kThreads = 8, kHitsPerThread = 400;
  Limiter limiter(kLimit, 60s);
  std::atomic<int> allowed{0};
  std::atomic<std::uint32_t> maxCount{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kHitsPerThread; ++i) {
        const auto d = limiter.hit("shared", kStart + 5);
        if (d.allowed) allowed.fetch_add(1);
        auto seen = maxCount.load();
        while (d.count > seen && !maxCount.compare_exchange_weak(seen, d.count)) {
        }
      }
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), static_cast<int>(kLimit));
  EXPECT_EQ(maxCount.load(), static_cast<std::uint32_t>(kThreads * kHitsPerThread));
}

TEST(RateLimiter, ConcurrentHitsOnManyKeysCountEachKeyExactly) {
  constexpr int kThreads = 4, kKeys = 64, kRounds = 10;
  Limiter limiter(1000, 60s);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int r = 0; r < kRounds; ++r)
        for (int k = 0; k < kKeys; ++k) limiter.hit("key-" + std::to_string(k), kStart);
    });
  for (auto& t : threads) t.join();
  for (int k = 0; k < kKeys; ++k)
    EXPECT_EQ(limiter.hit("key-" + std::to_string(k), kStart).count, static_cast<std::uint32_t>(kThreads * kRounds + 1));
}

TEST(RateLimiter, AStaleTimestampDoesNotResetTheWindow) {
  // Each request reads the clock before it takes the limiter's lock, so two concurrent requests can
  // arrive out of order by a millisecond or so. The late one must be counted in the running window,
  // not wipe its count.
  Limiter limiter(3, 60s);
  limiter.hit("k", kStart + 1);
  limiter.hit("k", kStart + 1);
  limiter.hit("k", kStart + 1);
  const auto late = limiter.hit("k", kStart);  // read the clock 1 ms before the window opened
  EXPECT_FALSE(late.allowed);
  EXPECT_EQ(late.count, 4u);
  EXPECT_FALSE(limiter.hit("k", kStart + 2).allowed);
}

}  // namespace
