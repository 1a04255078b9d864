// GroupCommit, the SQLite store's writer: writes queued while a batch is on its way to the disk go
// together in the next one, in the order they came; a failed batch fails each of its writes and every
// write after it (fail-stop); a request fiber waiting for its write leaves its event loop free.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>

#include "async/request_fiber.h"
#include "store/group_commit.h"
#include "store/token_store.h"

namespace tokens {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using store::GroupCommit;
using store::StoreUnavailable;

// Transactions whose commit can be held back and made to fail, counting what happened.
struct FakeDisk {
  std::mutex mutex;
  std::condition_variable changed;
  bool holdCommits = false;
  bool failNextCommit = false;
  int begun = 0, committed = 0, rolledBack = 0;

  GroupCommit::Transactions transactions() {
    return {[this] {
              std::lock_guard lock(mutex);
              ++begun;
            },
            [this] {
              std::unique_lock lock(mutex);
              if (!changed.wait_for(lock, 10s, [&] { return !holdCommits; }))
                throw StoreUnavailable("held back for 10 s: nothing let the commit through");
              if (std::exchange(failNextCommit, false)) throw StoreUnavailable("disk full");
              ++committed;
            },
            [this] {
              std::lock_guard lock(mutex);
              ++rolledBack;
            }};
  }
  void release() {
    std::lock_guard lock(mutex);
    holdCommits = false;
    changed.notify_all();
  }
};

TEST(GroupCommit, WritesQueuedDuringACommitGoTogetherInTheNextAndInOrder) {
  FakeDisk disk;
  disk.holdCommits = true;
  std::vector<int> order;  // written only by the writer thread
  GroupCommit writer(disk.transactions());
  auto first = writer.submit([&] { order.push_back(0); });
  // Until the first batch's commit is let through, every later write waits in the queue.
  for (;; std::this_thread::sleep_for(1ms)) {
    std::lock_guard lock(disk.mutex);
    if (disk.begun == 1) break;
  }
  std::vector<store::WriteTicket> later;
  for (int i = 1; i <= 50; ++i) later.push_back(writer.submit([&order, i] { order.push_back(i); }));
  disk.release();
  GroupCommit::wait(first);
  for (const auto& t : later) GroupCommit::wait(t);
  const auto counts = writer.counts();
  EXPECT_EQ(counts.writes, 51u);
  EXPECT_EQ(counts.batches, 2u) << "the fifty that queued meanwhile are one batch, one commit";
  ASSERT_EQ(order.size(), 51u);
  for (int i = 0; i <= 50; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
}

TEST(GroupCommit, AFailedBatchFailsEachOfItsWritesAndEveryWriteAfter) {
  FakeDisk disk;
  disk.holdCommits = true;
  disk.failNextCommit = true;
  GroupCommit writer(disk.transactions());
  std::vector<store::WriteTicket> batch;
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) batch.push_back(writer.submit([&] { ++ran; }));
  disk.release();
  for (const auto& t : batch) EXPECT_THROW(GroupCommit::wait(t), StoreUnavailable);
  EXPECT_FALSE(writer.healthy());
  // Fail-stop: memory above may be ahead of the file now; no later write may be reported done.
  EXPECT_THROW(writer.write([&] { ++ran; }), StoreUnavailable);
  std::lock_guard lock(disk.mutex);
  EXPECT_EQ(disk.rolledBack, 1);
  EXPECT_EQ(disk.committed, 0);
  EXPECT_EQ(writer.counts().batches, 0u) << "a rolled-back batch is not counted as committed";
}

TEST(GroupCommit, AWriteThatThrowsFailsItsBatchRolledBack) {
  FakeDisk disk;
  GroupCommit writer(disk.transactions());
  EXPECT_NO_THROW(writer.write([] {}));
  EXPECT_THROW(writer.write([] { throw StoreUnavailable("constraint"); }), StoreUnavailable);
  EXPECT_THROW(writer.write([] { throw 42; }), StoreUnavailable) << "not a std::exception: still no crash";
  std::lock_guard lock(disk.mutex);
  EXPECT_EQ(disk.committed, 1);
  EXPECT_EQ(disk.rolledBack, 1);
}

TEST(GroupCommit, StoppedAfterAFailureAboveItTakesNoMoreWrites) {
  FakeDisk disk;
  GroupCommit writer(disk.transactions());
  writer.stopAfterFailure();
  EXPECT_FALSE(writer.healthy());
  EXPECT_THROW(writer.write([] {}), StoreUnavailable);
}

TEST(GroupCommit, ClosingCommitsWhatIsQueued) {
  FakeDisk disk;
  std::atomic<int> ran{0};
  {
    GroupCommit writer(disk.transactions());
    for (int i = 0; i < 100; ++i) writer.submit([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
  std::lock_guard lock(disk.mutex);
  EXPECT_GE(disk.committed, 1);
}

TEST(GroupCommit, AFiberWaitingForItsWriteLeavesItsLoopFree) {
  FakeDisk disk;
  disk.holdCommits = true;
  GroupCommit writer(disk.transactions());
  asio::io_context ioc{1};
  bool otherServed = false, written = false;
  asio::spawn(
      ioc.get_executor(),
      [&](async::Yield yield) {
        async::FiberScope scope(yield, nullptr);
        // Run by the loop only if it is free while this fiber waits; it lets the commit through.
        asio::post(ioc, [&] {
          otherServed = true;
          disk.release();
        });
        writer.write([] {});
        EXPECT_TRUE(otherServed) << "the loop ran the other work while this fiber waited";
        written = true;
      },
      [](std::exception_ptr failure) {
        if (failure) std::rethrow_exception(failure);
      });
  ioc.run();
  EXPECT_TRUE(otherServed);
  EXPECT_TRUE(written);
  EXPECT_EQ(async::currentFiber(), nullptr);
}

}  // namespace
}  // namespace tokens
