// The worker pool behind async::offload: bounded queue, every accepted job run, even at shutdown.

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "async/worker_pool.h"

namespace tokens {
namespace {

TEST(WorkerPool, RefusesPastItsQueueAndRunsEverythingItAccepted) {
  std::atomic<int> ran{0};
  std::promise<void> release;
  std::promise<void> started;
  {
    async::WorkerPool pool(1, 2);
    ASSERT_TRUE(pool.trySubmit([&, wait = release.get_future().share()] {
      started.set_value();
      wait.wait();
      ++ran;
    }));
    started.get_future().wait();  // the one worker is busy; now only the queue takes jobs
    EXPECT_TRUE(pool.trySubmit([&] { ++ran; }));
    EXPECT_TRUE(pool.trySubmit([&] { ++ran; }));
    EXPECT_FALSE(pool.trySubmit([&] { ++ran; })) << "the queue holds 2";
    release.set_value();
  }  // the destructor runs what was queued, then joins
  EXPECT_EQ(ran.load(), 3);
}

}  // namespace
}  // namespace tokens
