// async::offload and async::runInFiberHere: in a request fiber a slow step runs on the worker pool while
// the event loop goes on serving; outside a fiber it runs where it is called; failures reach the caller.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>

#include "async/offload.h"
#include "async/request_fiber.h"
#include "async/worker_pool.h"

namespace tokens {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs `body` in a request fiber on `ioc` that offloads to `workers`, and runs `ioc` until all is done.
template <class Body>
void inRequestFiber(asio::io_context& ioc, async::WorkerPool& workers, Body body) {
  asio::spawn(
      ioc.get_executor(),
      [&](async::Yield yield) {
        async::FiberScope scope(yield, &workers);
        body();
      },
      [](std::exception_ptr failure) {
        if (failure) std::rethrow_exception(failure);
      });
  ioc.run();
}

TEST(Offload, InAFiberRunsOnAWorkerWhileTheLoopServesOthers) {
  asio::io_context ioc{1};
  async::WorkerPool workers(1, 4);
  std::promise<void> otherServed;
  auto served = otherServed.get_future();
  std::thread::id stepThread;
  int result = 0;
  inRequestFiber(ioc, workers, [&] {
    // Posted now, run by the loop only if the loop is free while the step below runs.
    asio::post(ioc, [&] { otherServed.set_value(); });
    result = async::offload([&] {
      stepThread = std::this_thread::get_id();
      // The step waits for the loop's other work: it would never come if the loop were blocked here.
      return served.wait_for(10s) == std::future_status::ready ? 42 : -1;
    });
  });
  EXPECT_EQ(result, 42);
  EXPECT_NE(stepThread, std::this_thread::get_id());
  EXPECT_EQ(async::currentFiber(), nullptr);
}

TEST(Offload, AStepsExceptionReachesTheFiber) {
  asio::io_context ioc{1};
  async::WorkerPool workers(1, 4);
  std::string caught;
  bool markBack = false;
  inRequestFiber(ioc, workers, [&] {
    try {
      async::offload([]() -> int { throw std::runtime_error("the step failed"); });
    } catch (const std::runtime_error& e) {
      caught = e.what();
    }
    markBack = async::currentFiber() != nullptr;  // the fiber's mark is back after the suspension
  });
  EXPECT_EQ(caught, "the step failed");
  EXPECT_TRUE(markBack);
}

TEST(Offload, AFullQueueIsOverloadedAndTheStepNeverRuns) {
  std::promise<void> release;
  std::promise<void> started;
  auto wait = release.get_future().share();
  asio::io_context ioc{1};
  async::WorkerPool workers(1, 1);  // declared last: joined before what its jobs use is destroyed
  ASSERT_TRUE(workers.trySubmit([&started, wait] {
    started.set_value();
    wait.wait();
  }));
  started.get_future().wait();
  ASSERT_TRUE(workers.trySubmit([] {}));  // the one place in the queue taken
  std::atomic<bool> ran{false};
  bool overloaded = false;
  inRequestFiber(ioc, workers, [&] {
    try {
      async::offload([&] { ran = true; });
    } catch (const async::Overloaded&) {
      overloaded = true;
    }
  });
  release.set_value();
  EXPECT_TRUE(overloaded);
  EXPECT_FALSE(ran.load());
}

TEST(Offload, OutsideAFiberRunsRightHere) {
  std::thread::id stepThread;
  const auto answer = async::offload([&] {
    stepThread = std::this_thread::get_id();
    return std::string("here");
  });
  EXPECT_EQ(answer, "here");
  EXPECT_EQ(stepThread, std::this_thread::get_id());
}

TEST(RunInFiberHere, GivesAPlainThreadAFiberAndRethrows) {
  asio::io_context ioc{1};
  bool inFiber = false;
  async::runInFiberHere(ioc, [&] { inFiber = async::currentFiber() != nullptr; });
  EXPECT_TRUE(inFiber);
  EXPECT_EQ(async::currentFiber(), nullptr);
  EXPECT_THROW(async::runInFiberHere(ioc, [] { throw std::invalid_argument("no"); }), std::invalid_argument);
  // The same loop serves the next call: what the calls suspend on is completed by driving it.
  int steps = 0;
  async::runInFiberHere(ioc, [&] {
    async::suspendFiber([&](async::Yield& yield) {
      asio::post(ioc, yield);  // resumed once the loop runs the post
      ++steps;
    });
    ++steps;
  });
  EXPECT_EQ(steps, 2);
}

}  // namespace
}  // namespace tokens
