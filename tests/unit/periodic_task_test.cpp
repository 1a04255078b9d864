// async::PeriodicTask: runs every interval, keeps running past a failing run, and stops at once, without
// a last run, after the run in progress.

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "async/periodic_task.h"

namespace {

using namespace std::chrono_literals;
using tokens::async::PeriodicTask;

// Waits (bounded) until `done` holds.
template <class Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(PeriodicTask, RunsAgainAndAgain) {
  std::atomic<int> runs{0};
  PeriodicTask task("test", 5ms, [&] { ++runs; });
  EXPECT_TRUE(eventually([&] { return runs.load() >= 3; }));
}

TEST(PeriodicTask, DoesNotRunBeforeItsFirstInterval) {
  std::atomic<int> runs{0};
  {
    PeriodicTask task("test", 1h, [&] { ++runs; });
  }  // stopped at once: the hour never passed
  EXPECT_EQ(runs.load(), 0);
}

TEST(PeriodicTask, StopsPromptlyWithoutALastRun) {
  std::atomic<int> runs{0};
  PeriodicTask task("test", 5ms, [&] { ++runs; });
  ASSERT_TRUE(eventually([&] { return runs.load() >= 1; }));
  const auto before = std::chrono::steady_clock::now();
  task.stop();
  const int atStop = runs.load();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(runs.load(), atStop);
  task.stop();  // idempotent
}

TEST(PeriodicTask, StopWaitsForTheRunInProgress) {
  std::atomic<bool> inRun{false}, finished{false};
  PeriodicTask task("test", 1ms, [&] {
    if (finished) return;
    inRun = true;
    std::this_thread::sleep_for(50ms);
    finished = true;
  });
  ASSERT_TRUE(eventually([&] { return inRun.load(); }));
  task.stop();
  EXPECT_TRUE(finished.load());
}

TEST(PeriodicTask, AFailingRunDoesNotEndIt) {
  std::atomic<int> runs{0};
  PeriodicTask task("test", 2ms, [&] {
    ++runs;
    throw std::runtime_error("this run fails");
  });
  EXPECT_TRUE(eventually([&] { return runs.load() >= 3; }));
}

TEST(PeriodicTask, StopFromTwoThreadsAtOnceJoinsOnce) {
  for (int round = 0; round < 20; ++round) {
    PeriodicTask task("test", 1ms, [] {});
    std::thread other([&] { task.stop(); });
    task.stop();
    other.join();
  }  // a double join would throw std::system_error or crash here
}

TEST(PeriodicTask, StopFromWithinTheTaskEndsTheLoop) {
  std::atomic<int> runs{0};
  PeriodicTask* self = nullptr;
  std::atomic<bool> ready{false};
  PeriodicTask task("test", 1ms, [&] {
    if (!ready) return;
    ++runs;
    self->stop();  // must neither join itself (a deadlock, or std::terminate) nor run again
  });
  self = &task;
  ready = true;
  ASSERT_TRUE(eventually([&] { return runs.load() >= 1; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(runs.load(), 1);
}  // the destructor joins the ended thread

}  // namespace
