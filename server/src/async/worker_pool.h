#pragma once
// A few threads for the work that must not run on an event loop, reached through async::offload
// (async/offload.h): password checks (Argon2id, ~20 ms of CPU each) today, and whatever else would block
// a loop. The queue is bounded: when it is full, the caller is told at once and answers 503 rather than
// letting a burst pile up without end.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tokens::async {

class WorkerPool {
 public:
  WorkerPool(unsigned threads, std::size_t maxQueued);
  /// Runs what is queued, then joins.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job`; false (and `job` dropped) when maxQueued jobs wait already. `job` must not throw.
  bool trySubmit(std::function<void()> job);

 private:
  void run();

  const std::size_t maxQueued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tokens::async
