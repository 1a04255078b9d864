#pragma once
// Not public API. Whether to retry, and how long to wait first: pure functions of the configuration
// and what happened, so that they are tested without a network or a clock.

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "PureCloudPlatformClientV2/Configuration.h"
#include "internal/transport.h"

namespace PureCloudPlatformClientV2::internal {

enum class CallKind {
  Api,   ///< the Tokens operations: all idempotent, retried on 429, 502-504 and broken connections
  Login  ///< POST /oauth/token: retried only where the server cannot have acted (429, 503, no connection)
};

/// Whether this outcome may be retried at all (before counting attempts or time).
bool isRetryable(CallKind kind, int status, TransportFailure failure);

/// The Retry-After header as a delay: delta-seconds or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value,
                                                   std::chrono::system_clock::time_point now);

/// A uniformly random fraction in [0, 1): injected so that tests fix the jitter.
using Jitter = std::function<double()>;
Jitter defaultJitter();

/// The wait before retry number `retry` (1 for the first retry), or nullopt to give up: retries or
/// total wait exhausted, or a Retry-After beyond the cap. A Retry-After is honoured as given (within the
/// cap); otherwise exponential backoff with full jitter: uniform in [0, min(maxDelay, baseDelay*2^(retry-1))].
std::optional<std::chrono::milliseconds> retryDelay(const RetryConfig& config, int retry,
                                                     std::chrono::milliseconds waitedSoFar,
                                                     std::optional<std::chrono::seconds> retryAfter,
                                                     const Jitter& jitter);

/// How the retry loop waits: injected so that tests check the backoff without sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;
Sleeper defaultSleeper();

}  // namespace PureCloudPlatformClientV2::internal
