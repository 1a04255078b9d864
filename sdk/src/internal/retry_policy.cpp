#include "internal/retry_policy.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>
#include <string>
#include <thread>

namespace PureCloudPlatformClientV2::internal {

bool isRetryable(CallKind kind, int status, TransportFailure failure) {
  if (failure == TransportFailure::Connect) return true;
  if (failure == TransportFailure::Timeout) return false;  // the caller's time is spent
  if (failure == TransportFailure::Other) return kind == CallKind::Api;
  if (kind == CallKind::Login) return status == 429 || status == 503;
  return status == 429 || status == 502 || status == 503 || status == 504;
}

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // An HTTP date, e.g. "Sun, 22 Nov 2026 10:15:30 GMT".
  std::tm tm{};
  const std::string text(value);
  if (!strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
  // In whole seconds: a date the nanosecond clock cannot hold (the year 1013, found by fuzz_sdk_response)
  // would overflow a time_point conversion.
  const std::chrono::seconds at(static_cast<long long>(timegm(&tm)));
  const auto nowSeconds = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch());
  return std::max(std::chrono::seconds(0), at - nowSeconds);
}

Jitter defaultJitter() {
  return [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

std::optional<std::chrono::milliseconds> retryDelay(const RetryConfig& config, int retry,
                                                     std::chrono::milliseconds waitedSoFar,
                                                     std::optional<std::chrono::seconds> retryAfter,
                                                     const Jitter& jitter) {
  using std::chrono::milliseconds;
  if (!config.enabled || retry < 1 || retry > config.maxRetries) return std::nullopt;
  milliseconds delay;
  if (retryAfter) {
    if (*retryAfter > config.retryAfterCap) return std::nullopt;  // waiting that long is not a retry
    delay = *retryAfter;
  } else {
    const int doublings = std::min(retry - 1, 30);
    const auto ceiling = std::min<long long>(config.maxDelay.count(), config.baseDelay.count() << doublings);
    delay = milliseconds(static_cast<long long>(jitter() * static_cast<double>(ceiling)));
  }
  if (waitedSoFar + delay > config.maxRetryTime) return std::nullopt;
  return delay;
}

Sleeper defaultSleeper() {
  return [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

}  // namespace PureCloudPlatformClientV2::internal
