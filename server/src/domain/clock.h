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
  /// Moves the clock forward (the emulator's POST /_emulator/clock). Never backwards: expiry and
  /// rate-limit windows assume time does not run back.
  void advance(std::chrono::seconds by) { offsetMs_.fetch_add(by.count() * 1000, std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> offsetMs_{0};
};

inline Clock::TimePoint fromMs(std::int64_t ms) { return Clock::TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace tokens::domain
