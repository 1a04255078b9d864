#pragma once
// Fault injection for the emulator (SPEC §8): the next `count` requests that match a method and path
// answer a given status, after an optional delay.

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tokens::domain {

struct Fault {
  std::string method;  ///< upper case, e.g. "GET"
  std::string path;    ///< exact path, without the query
  int status = 503;    ///< 0: only delay, then answer normally
  int count = 1;
  std::optional<int> retryAfterSeconds;
  int delayMs = 0;
};

class FaultInjector {
 public:
  void add(Fault fault);
  void clear();
  /// Takes one use of the first fault that matches, if any.
  std::optional<Fault> take(std::string_view method, std::string_view path);

 private:
  std::atomic<bool> any_{false};  // keeps the no-fault case to one atomic load
  std::mutex mutex_;
  std::vector<Fault> faults_;
};

}  // namespace tokens::domain
