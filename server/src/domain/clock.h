#pragma once
// The server's one source of "now". Every rule (expiry, idle timeout, rate-limit windows) reads it, so
// the emulator can move time forward for all of them at once (SPEC §8).

#include <atomic>
#include <chrono>
#include <cstdint>

namespace tokens::domain {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  TimePoint now() const {
    return std::chrono::system_clock::now() + std::chrono::milliseconds(offsetMs_.load(std::memory_order_relaxed));
  }
  std::int64_t nowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
  }
  /// How far the emulator has moved this clock ahead of the system's.
  std::int64_t offsetMs() const { return offsetMs_.load(std::memory_order_relaxed); }
  /// Sets the offset ahead of the system's clock (the emulator's POST /_emulator/clock, and the offset kept
  /// in the store at start-up). Never backwards: expiry and rate-limit windows assume time does not run
  /// back, so a smaller offset than the current one is ignored.
  void advanceTo(std::int64_t offsetMs) {
    auto seen = offsetMs_.load(std::memory_order_relaxed);
    while (seen < offsetMs && !offsetMs_.compare_exchange_weak(seen, offsetMs, std::memory_order_relaxed)) {
    }
  }

  void advance(std::chrono::seconds by) {
    if (by.count() > 0) offsetMs_.fetch_add(by.count() * 1000, std::memory_order_relaxed);
  }

  /// The emulator moves the clock at most this far in all (SPEC §8): far enough for any token's life, and
  /// far from where a nanosecond time_point overflows (year 2262).
  static constexpr std::int64_t kMaxOffsetMs = 36525LL * 24 * 3600 * 1000;  // 100 years

 private:
  std::atomic<std::int64_t> offsetMs_{0};
};

inline Clock::TimePoint fromMs(std::int64_t ms) { return Clock::TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace tokens::domain
