#pragma once
// Rate-limit counters kept in a store that several nodes share (SPEC §7: rate limits are counted in the
// store, so N nodes allow what one allows). Fixed windows, as the in-process limiter's
// (domain/rate_limiter.h): a key's window starts with its first hit and lasts `windowMs` by the caller's
// clock (the emulator's may run ahead of the wall clock).

#include <cstdint>
#include <string_view>

#include "domain/rate_limiter.h"

namespace tokens::store {

class RateCounters {
 public:
  virtual ~RateCounters() = default;
  /// Counts a hit of `key` (any bytes) and decides it against `limit`. Throws StoreUnavailable.
  virtual domain::RateDecision hit(std::string_view key, std::uint32_t limit, std::int64_t windowMs,
                                   std::int64_t nowMs) = 0;
  /// Whether one more hit would be allowed, without counting it. Throws StoreUnavailable.
  virtual domain::RateDecision peek(std::string_view key, std::uint32_t limit, std::int64_t windowMs,
                                    std::int64_t nowMs) = 0;
};

}  // namespace tokens::store
