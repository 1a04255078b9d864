// The guessing throttle (SPEC §5), without sockets: free failures, growing waits, keys per user, address
// and client-with-address, attempts in flight, and its bound on memory. Over sockets: oauth_test.cpp
// (the password grant and client secrets) and authorize_test.cpp (the login page).

#include <gtest/gtest.h>

#include "domain/guess_throttle.h"

namespace tokens::domain {
namespace {

using Keys = std::vector<GuessThrottle::Key>;

// One attempt begun and failed at `now`; false if the throttle refused to begin it.
bool fail(GuessThrottle& t, const Keys& keys, std::int64_t now) {
  auto start = t.begin(keys, now);
  if (!start.attempt) return false;
  start.attempt->failed(now);
  return true;
}

std::int64_t waitOf(GuessThrottle& t, const Keys& keys, std::int64_t now) { return t.begin(keys, now).waitMs; }

TEST(GuessThrottle, WaitsDoubleAfterTheFreeFailuresAndSuccessClearsTheUser) {
  GuessThrottle t({.user = {3, 16, true}, .address = {100, 100, false}, .firstWaitMs = 1000});
  const std::int64_t now = 1'000'000;
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "Paul@X", "1.2.3.4"), now));
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "paul@x", "1.2.3.4"), now), 0) << "two failures are free";
  ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "paul@x", "1.2.3.4"), now));
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "PAUL@x", "5.6.7.8"), now + 200), 800)
      << "per user, from any address, in any case";
  ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "paul@x", "1.2.3.4"), now + 1000));
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "paul@x", "1.2.3.4"), now + 1000), 2000) << "doubled";
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "ada@x", "9.9.9.9"), now + 1000), 0);
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("other-org", "paul@x", "5.5.5.5"), now + 1000), 0)
      << "the same email elsewhere is someone else";
  t.recordSuccess(GuessThrottle::userKeys("o", "paul@x", "1.2.3.4"));
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "paul@x", "1.2.3.4"), now + 1000), 0);
}

TEST(GuessThrottle, AWaitRefusesTheRightAnswerToo) {
  // Refused before anything is checked: the caller learns nothing, whatever it would have sent.
  GuessThrottle t({.user = {2, 16, true}});
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "u@x", "a"), 0));
  const auto start = t.begin(GuessThrottle::userKeys("o", "u@x", "a"), 10);
  EXPECT_EQ(start.attempt, nullptr);
  EXPECT_EQ(start.waitMs, 990);
  EXPECT_EQ(t.waitBefore(GuessThrottle::userKeys("o", "u@x", "a"), 10), 990) << "the cheap check waits alike";
}

TEST(GuessThrottle, CountsPerAddressAndForgetsAfterAQuietWhile) {
  GuessThrottle t({.user = {100, 100, true}, .address = {2, 32, false}, .firstWaitMs = 1000, .forgetAfterMs = 60000});
  const std::int64_t now = 5'000'000;
  ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "a@x", "1.2.3.4"), now));
  ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "b@x", "1.2.3.4"), now));
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "c@x", "1.2.3.4"), now), 1000);
  t.recordSuccess(GuessThrottle::userKeys("o", "c@x", "1.2.3.4"));
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "c@x", "1.2.3.4"), now), 1000)
      << "a success does not clear an address: one good account must not reset the count for the others";
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "c@x", "1.2.3.4"), now + 60000), 0) << "forgotten";
}

TEST(GuessThrottle, WaitsAreCapped) {
  GuessThrottle t({.user = {1, 16, true}, .firstWaitMs = 1000, .maxWaitMs = 4000});
  std::int64_t now = 0;
  for (int i = 0; i < 40; ++i) {
    now += 5000;
    ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "u@x", "a"), now));
  }
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "u@x", "a"), now), 4000);
}

TEST(GuessThrottle, AClientIsThrottledWithItsCallersAddressOnly) {
  // Whoever knows a client's id can make their own address wait, never the client's real caller.
  GuessThrottle t({.client = {3, 32, true}});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(fail(t, GuessThrottle::clientKeys("svc", "10.0.0.66"), 0));
  EXPECT_GT(waitOf(t, GuessThrottle::clientKeys("svc", "10.0.0.66"), 0), 0);
  EXPECT_EQ(waitOf(t, GuessThrottle::clientKeys("svc", "10.0.0.1"), 0), 0);
  EXPECT_EQ(waitOf(t, GuessThrottle::clientKeys("other", "10.0.0.66"), 0), 0);
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("svc", "x", "10.0.0.66"), 0), 0) << "clients and users apart";
}

TEST(GuessThrottle, AttemptsInFlightAreBoundedByTheBurstThenByTheFreeFailures) {
  GuessThrottle t({.user = {5, 16, true}, .address = {1000, 1000, false}, .busyWaitMs = 1000});
  const auto keys = GuessThrottle::userKeys("o", "u@x", "a");
  // 800 guesses at once: only the burst is let through to be hashed; the rest wait a second.
  std::vector<std::shared_ptr<GuessThrottle::Attempt>> inFlight;
  int refused = 0;
  for (int i = 0; i < 800; ++i) {
    auto start = t.begin(keys, 0);
    if (start.attempt) {
      inFlight.push_back(std::move(start.attempt));
    } else {
      EXPECT_EQ(start.waitMs, 1000);
      ++refused;
    }
  }
  EXPECT_EQ(inFlight.size(), 16u);
  EXPECT_EQ(refused, 784);
  // A failure on record: now attempts in flight and failures together stay within the free five.
  inFlight.front()->failed(0);
  inFlight.clear();  // the others were dropped (a full worker queue): only out of flight, no outcome
  for (int i = 0; i < 4; ++i) inFlight.push_back(t.begin(keys, 0).attempt);
  for (const auto& a : inFlight) EXPECT_NE(a, nullptr);
  EXPECT_EQ(t.begin(keys, 0).attempt, nullptr) << "1 failure + 4 in flight = the five free ones";
  for (auto& a : inFlight) a->failed(0);
  inFlight.clear();
  EXPECT_EQ(waitOf(t, keys, 0), 1000) << "five failures: the first wait";
  auto after = t.begin(keys, 1000);
  ASSERT_NE(after.attempt, nullptr) << "the wait is over: one attempt";
  EXPECT_EQ(t.begin(keys, 1000).waitMs, 1000) << "and only one at a time";
  after.attempt->failed(1000);
  EXPECT_EQ(waitOf(t, keys, 1000), 2000);
}

TEST(GuessThrottle, ASuccessfulAttemptClearsItsUserAndDroppedOnesLeaveNothing) {
  GuessThrottle t({.user = {2, 16, true}});
  const auto keys = GuessThrottle::userKeys("o", "u@x", "a");
  ASSERT_TRUE(fail(t, keys, 0));
  t.begin(keys, 0).attempt->succeeded();
  ASSERT_TRUE(fail(t, keys, 0));
  EXPECT_EQ(waitOf(t, keys, 0), 0) << "the earlier failure was cleared";
  GuessThrottle fresh;
  { auto dropped = fresh.begin(GuessThrottle::clientKeys("c", "a"), 0); }
  EXPECT_EQ(fresh.trackedKeys(), 0u);
}

TEST(GuessThrottle, AWaitAsLongAsTheForgetTimeStillGrowsWhenItEnds) {
  // Forgotten only after a quiet time once the wait is over: else, with the longest wait as long as the
  // forget time, a key would start over (with its free failures back) just as its wait ended.
  GuessThrottle t({.user = {1, 16, true}, .firstWaitMs = 1000, .maxWaitMs = 4000, .forgetAfterMs = 4000});
  const auto keys = GuessThrottle::userKeys("o", "u@x", "a");
  std::int64_t now = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(fail(t, keys, now));
    now += waitOf(t, keys, now);
  }
  EXPECT_EQ(waitOf(t, keys, now), 0) << "the third wait (4 s) is over";
  ASSERT_TRUE(fail(t, keys, now));
  EXPECT_EQ(waitOf(t, keys, now), 4000) << "still the longest wait, not a fresh start";
  EXPECT_EQ(waitOf(t, keys, now + 4000 + 4000), 0) << "quiet for the forget time after the wait: forgotten";
  ASSERT_TRUE(fail(t, keys, now + 8000));
  EXPECT_EQ(waitOf(t, keys, now + 8000), 1000) << "and then it starts over";
}

TEST(GuessThrottle, AnIpv6HostIsCountedByItsSlash64) {
  EXPECT_EQ(GuessThrottle::addressScope("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(GuessThrottle::addressScope("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
  EXPECT_EQ(GuessThrottle::addressScope("::ffff:10.0.0.1"), "10.0.0.1") << "IPv4 mapped into IPv6";
  EXPECT_EQ(GuessThrottle::addressScope("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(GuessThrottle::addressScope("not an address"), "not an address");
  GuessThrottle t({.user = {100, 100, true}, .address = {2, 32, false}});
  ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "a@x", "2001:db8::1"), 0));
  ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "b@x", "2001:db8::2"), 0));
  EXPECT_GT(waitOf(t, GuessThrottle::userKeys("o", "c@x", "2001:db8::3"), 0), 0) << "one host, three addresses";
  EXPECT_EQ(waitOf(t, GuessThrottle::userKeys("o", "c@x", "2001:db9::3"), 0), 0);
}

TEST(GuessThrottle, NoiseCannotFlushAKeyThatIsMadeToWait) {
  // A guesser fails on its victim, then floods the throttle with fresh keys so that the sweep forgets
  // the victim's count: quiet keys go first, and a waiting one only when none is left.
  GuessThrottle t({.user = {2, 16, true}, .address = {1000, 1000, false}, .maxKeys = 100});
  const auto victim = GuessThrottle::userKeys("o", "victim@x", "guesser");
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(fail(t, victim, 0));
  for (int i = 0; i < 1000; ++i) {
    const auto n = std::to_string(i);
    ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", std::string("noise").append(n), std::string("a").append(n)), 1 + i / 100));
  }
  EXPECT_LE(t.trackedKeys(), 100u);
  EXPECT_GT(waitOf(t, GuessThrottle::userKeys("o", "victim@x", "elsewhere"), 11), 0) << "the victim's count survived";
}

TEST(GuessThrottle, StaysBoundedUnderManyKeys) {
  GuessThrottle t({.user = {2, 16, true}, .maxKeys = 100});
  for (int i = 0; i < 1000; ++i) {
    const auto n = std::to_string(i);  // (not "u" + to_string(i): GCC 12 warns falsely there, -Wrestrict)
    ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", std::string("u").append(n), std::string("a").append(n)), i));
  }
  EXPECT_LE(t.trackedKeys(), 100u);
  // The latest keys survive the sweeps.
  ASSERT_TRUE(fail(t, GuessThrottle::userKeys("o", "u999", "a999"), 1000));
  EXPECT_GT(waitOf(t, GuessThrottle::userKeys("o", "u999", "elsewhere"), 1000), 0);
}

}  // namespace
}  // namespace tokens::domain
