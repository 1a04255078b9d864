#pragma once
// Fixed-window rate limits (SPEC §3): N requests per window per key. Keys are token digests (the
// per-token API limit) or client ids (the per-client grant limit).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace tokens::domain {

struct RateDecision {
  bool allowed = true;
  std::uint32_t count = 0;         ///< requests seen in the current window, this one included
  std::uint32_t limit = 0;         ///< the window's allowance
  std::int64_t resetSeconds = 0;   ///< until the window resets, rounded up
};

template <class Key, class Hash = std::hash<Key>>
class FixedWindowRateLimiter {
 public:
  /// A limit of 0 turns the limiter off: every hit is allowed and nothing is kept.
  FixedWindowRateLimiter(std::uint32_t limit, std::chrono::milliseconds window)
      : limit_(limit), windowMs_(window.count()) {}

  bool enabled() const { return limit_ > 0; }
  std::uint32_t limit() const { return limit_; }

  /// Whether one more hit would be allowed now, without counting it (for limits that count only what
  /// succeeded: check first, hit() after).
  RateDecision peek(const Key& key, std::int64_t nowMs) {
    if (!enabled()) return {};
    Shard& shard = shards_[Hash{}(key) % shards_.size()];
    std::lock_guard lock(shard.mutex);
    const auto it = shard.windows.find(key);
    if (it == shard.windows.end() || it->second.count == 0 || nowMs >= it->second.startMs + windowMs_)
      return {true, 0, limit_, (windowMs_ + 999) / 1000};
    const std::int64_t remainingMs = std::min(it->second.startMs + windowMs_ - nowMs, windowMs_);
    return {it->second.count < limit_, it->second.count, limit_, (remainingMs + 999) / 1000};
  }

  RateDecision hit(const Key& key, std::int64_t nowMs) {
    if (!enabled()) return {};
    Shard& shard = shards_[Hash{}(key) % shards_.size()];
    std::lock_guard lock(shard.mutex);
    if (++shard.hitsSinceSweep >= kSweepEvery) sweep(shard, nowMs);
    Window& w = shard.windows[key];
    // A timestamp a little older than the window's start (read before this lock by another thread)
    // counts in the current window; it must not start a new one.
    if (w.count == 0 || nowMs >= w.startMs + windowMs_) {
      w.startMs = nowMs;
      w.count = 0;
    }
    if (w.count < UINT32_MAX) ++w.count;
    const std::int64_t remainingMs = std::min(w.startMs + windowMs_ - nowMs, windowMs_);
    return {w.count <= limit_, w.count, limit_, (remainingMs + 999) / 1000};
  }

 private:
  static constexpr std::uint32_t kSweepEvery = 4096;
  struct Window {
    std::int64_t startMs = 0;
    std::uint32_t count = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<Key, Window, Hash> windows;
    std::uint32_t hitsSinceSweep = 0;
  };

  // Forgets finished windows, so that the memory is bounded by the keys active in one window.
  void sweep(Shard& shard, std::int64_t nowMs) {
    shard.hitsSinceSweep = 0;
    std::erase_if(shard.windows, [&](const auto& kv) { return nowMs >= kv.second.startMs + windowMs_; });
  }

  std::uint32_t limit_;
  std::int64_t windowMs_;
  std::array<Shard, 16> shards_;
};

}  // namespace tokens::domain
