#include "async/periodic_task.h"

#include <exception>

#include <spdlog/spdlog.h>

namespace tokens::async {

PeriodicTask::PeriodicTask(const char* name, std::chrono::milliseconds interval, std::function<void()> task)
    : name_(name), interval_(interval), task_(std::move(task)), thread_([this] { run(); }) {}

PeriodicTask::~PeriodicTask() { stop(); }

void PeriodicTask::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // One joiner at a time (stop() from two threads at once), and none from the task itself: then the run
  // in progress is this very call, and the loop ends when it returns; the destructor joins.
  std::lock_guard joining(joinMutex_);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void PeriodicTask::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      task_();
    } catch (const std::exception& e) {
      spdlog::warn("{}: {}", name_, e.what());
    } catch (...) {
      spdlog::warn("{}: unknown failure", name_);
    }
    lock.lock();
  }
}

}  // namespace tokens::async
