// The retry decisions and backoff, as pure functions (no network, no clock).

#include <gtest/gtest.h>

#include "internal/retry_policy.h"

namespace PureCloudPlatformClientV2::internal {
namespace {

using namespace std::chrono_literals;

TEST(IsRetryable, ApiCallsRetryThrottlingGatewayErrorsAndBrokenConnections) {
  for (int status : {429, 502, 503, 504}) EXPECT_TRUE(isRetryable(CallKind::Api, status, TransportFailure::None)) << status;
  for (int status : {200, 400, 401, 403, 404, 409, 500, 501}) EXPECT_FALSE(isRetryable(CallKind::Api, status, TransportFailure::None)) << status;
  EXPECT_TRUE(isRetryable(CallKind::Api, 0, TransportFailure::Connect));
  EXPECT_TRUE(isRetryable(CallKind::Api, 0, TransportFailure::Other));
  EXPECT_FALSE(isRetryable(CallKind::Api, 0, TransportFailure::Timeout)) << "the caller's time is spent";
}

TEST(IsRetryable, LoginsOnlyWhereTheServerCannotHaveActed) {
  EXPECT_TRUE(isRetryable(CallKind::Login, 429, TransportFailure::None));
  EXPECT_TRUE(isRetryable(CallKind::Login, 503, TransportFailure::None));
  EXPECT_TRUE(isRetryable(CallKind::Login, 0, TransportFailure::Connect));
  EXPECT_FALSE(isRetryable(CallKind::Login, 502, TransportFailure::None));
  EXPECT_FALSE(isRetryable(CallKind::Login, 504, TransportFailure::None));
  EXPECT_FALSE(isRetryable(CallKind::Login, 0, TransportFailure::Other)) << "the grant may have been issued";
  EXPECT_FALSE(isRetryable(CallKind::Login, 0, TransportFailure::Timeout));
}

TEST(ParseRetryAfter, SecondsAndHttpDates) {
  const auto now = std::chrono::system_clock::from_time_t(1795342530);  // 2026-11-22T10:15:30Z
  EXPECT_EQ(parseRetryAfter("7", now), 7s);
  EXPECT_EQ(parseRetryAfter(" 0 ", now), 0s);
  EXPECT_EQ(parseRetryAfter("Sun, 22 Nov 2026 10:16:00 GMT", now), 30s);
  EXPECT_EQ(parseRetryAfter("Sun, 22 Nov 2026 10:00:00 GMT", now), 0s) << "a date in the past means now";
  EXPECT_FALSE(parseRetryAfter("", now));
  EXPECT_FALSE(parseRetryAfter("-3", now));
  EXPECT_FALSE(parseRetryAfter("soon", now));
  EXPECT_FALSE(parseRetryAfter("1.5", now));
}

TEST(ParseRetryAfter, DatesTheClockCannotHoldAreNotAnOverflow) {
  // Found by fuzz_sdk_response: a date in the year 1013 overflowed the conversion to the nanosecond clock.
  const auto now = std::chrono::system_clock::from_time_t(1795342530);  // 2026-11-22T10:15:30Z
  EXPECT_EQ(parseRetryAfter("Wed, 10 Oct 1013 07:28:00 GMT", now), 0s) << "long past: now";
  EXPECT_EQ(parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now), std::chrono::seconds(253402300799 - 1795342530));
}

TEST(RetryDelay, ExponentialBackoffWithFullJitter) {
  RetryConfig c;
  c.baseDelay = 100ms;
  c.maxDelay = 1000ms;
  c.maxRetries = 10;
  c.maxRetryTime = 60s;
  const Jitter top = [] { return 0.999999; };
  const Jitter bottom = [] { return 0.0; };
  const Jitter half = [] { return 0.5; };
  EXPECT_EQ(retryDelay(c, 1, 0ms, std::nullopt, top), 99ms);
  EXPECT_EQ(retryDelay(c, 2, 0ms, std::nullopt, top), 199ms);
  EXPECT_EQ(retryDelay(c, 3, 0ms, std::nullopt, top), 399ms);
  EXPECT_EQ(retryDelay(c, 4, 0ms, std::nullopt, half), 400ms);
  EXPECT_EQ(retryDelay(c, 5, 0ms, std::nullopt, top), 999ms) << "capped by maxDelay";
  EXPECT_EQ(retryDelay(c, 9, 0ms, std::nullopt, top), 999ms);
  EXPECT_EQ(retryDelay(c, 3, 0ms, std::nullopt, bottom), 0ms) << "full jitter reaches down to zero";
}

TEST(RetryDelay, RetryAfterIsHonouredUpToItsCap) {
  RetryConfig c;
  const Jitter any = [] { return 0.5; };
  EXPECT_EQ(retryDelay(c, 1, 0ms, 3s, any), 3000ms);
  EXPECT_EQ(retryDelay(c, 1, 0ms, 180s, any), 180000ms) << "equal to the cap is still honoured";
  EXPECT_FALSE(retryDelay(c, 1, 0ms, 181s, any)) << "beyond the cap: give up at once";
  c.retryAfterCap = 5s;
  EXPECT_FALSE(retryDelay(c, 1, 0ms, 6s, any));
}

TEST(RetryDelay, GivesUpAfterMaxRetriesOrMaxRetryTime) {
  RetryConfig c;
  c.maxRetries = 2;
  c.maxRetryTime = 10s;
  const Jitter any = [] { return 0.5; };
  EXPECT_TRUE(retryDelay(c, 2, 0ms, std::nullopt, any));
  EXPECT_FALSE(retryDelay(c, 3, 0ms, std::nullopt, any));
  EXPECT_FALSE(retryDelay(c, 1, 9000ms, 2s, any)) << "would wait past maxRetryTime";
  EXPECT_TRUE(retryDelay(c, 1, 8000ms, 2s, any));
  c.enabled = false;
  EXPECT_FALSE(retryDelay(c, 1, 0ms, 1s, any));
}

}  // namespace
}  // namespace PureCloudPlatformClientV2::internal
