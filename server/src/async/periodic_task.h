#pragma once
// A task that runs every interval on a thread of its own until it is stopped: the maintenance loop
// (purging expired tokens) and the stores' write-behind of activity. One helper, so that each of them
// says only what it does and how often, and they all stop the same way: at once, without a last run,
// after the run in progress (if any) has finished.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tokens::async {

class PeriodicTask {
 public:
  /// Starts the thread; the first run is one `interval` from now. `task` should handle its own failures;
  /// an exception that escapes it is logged (with `name`) and the next run comes as planned.
  PeriodicTask(const char* name, std::chrono::milliseconds interval, std::function<void()> task);
  /// stop(). Never from within the task.
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  /// Waits for the run in progress, if any, and ends the thread. Idempotent, from any thread; from the
  /// task itself it only ends the loop (no wait for itself).
  void stop();

 private:
  void run();

  const char* name_;
  std::chrono::milliseconds interval_;
  std::function<void()> task_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::mutex joinMutex_;
  std::thread thread_;  // last: started once everything it uses exists
};

}  // namespace tokens::async
