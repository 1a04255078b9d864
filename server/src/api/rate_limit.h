#pragma once
// A rate limit of the API (SPEC §3): N hits per 60 s window per key, counted where the store says (its
// shared counters when several nodes share it, SPEC §7), or in this process.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/rate_limiter.h"
#include "domain/token_crypto.h"
#include "store/rate_counters.h"

namespace tokens::api {

inline std::string_view keyBytes(const domain::Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}
inline std::string_view keyBytes(const std::string& id) { return id; }

template <class Key, class Hash = std::hash<Key>>
class RateLimit {
 public:
  /// `kind` keeps this limit's keys apart from other limits' in the shared counters. A limit of 0 is off.
  RateLimit(std::uint32_t limit, std::chrono::milliseconds window, std::string kind, store::RateCounters* shared)
      : local_(limit, window), windowMs_(window.count()), kind_(std::move(kind)), shared_(shared) {}

  bool enabled() const { return local_.enabled(); }

  domain::RateDecision hit(const Key& key, std::int64_t nowMs) {
    if (!shared_ || !enabled()) return local_.hit(key, nowMs);
    return shared_->hit(sharedKey(key), local_.limit(), windowMs_, nowMs);
  }
  /// Whether one more hit would be allowed now, without counting it.
  domain::RateDecision peek(const Key& key, std::int64_t nowMs) {
    if (!shared_ || !enabled()) return local_.peek(key, nowMs);
    return shared_->peek(sharedKey(key), local_.limit(), windowMs_, nowMs);
  }

 private:
  std::string sharedKey(const Key& key) const { return kind_ + std::string(keyBytes(key)); }

  domain::FixedWindowRateLimiter<Key, Hash> local_;  // used when nothing is shared
  std::int64_t windowMs_;
  std::string kind_;
  store::RateCounters* shared_;
};

}  // namespace tokens::api
