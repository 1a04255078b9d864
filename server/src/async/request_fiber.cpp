#include "async/request_fiber.h"

#include <exception>
#include <stdexcept>

#include <boost/asio/detached.hpp>  // forced_unwind comes with spawn.hpp, in each Boost.Context flavour

namespace tokens::async {

namespace {
struct Mark {
  Yield* fiber = nullptr;
  WorkerPool* workers = nullptr;
};
thread_local Mark current;
}  // namespace

Yield* currentFiber() noexcept { return current.fiber; }
WorkerPool* currentWorkers() noexcept { return current.workers; }

FiberScope::FiberScope(Yield& yield, WorkerPool* workers) noexcept { current = {&yield, workers}; }
FiberScope::~FiberScope() { current = {}; }

AwayFromFiber::AwayFromFiber() noexcept : fiber_(current.fiber), workers_(current.workers) { current = {}; }
AwayFromFiber::~AwayFromFiber() { current = {fiber_, workers_}; }

void runInFiberHere(boost::asio::io_context& ioc, const std::function<void()>& work) {
  bool done = false;
  std::exception_ptr failure;
  boost::asio::spawn(
      ioc.get_executor(),
      [&](Yield yield) {
        FiberScope scope(yield, nullptr);  // no pool: what this fiber offloads runs on this thread
        try {
          work();
        } catch (const boost::context::detail::forced_unwind&) {
          throw;
        } catch (...) {
          failure = std::current_exception();
        }
        done = true;
      },
      boost::asio::detached);
  ioc.restart();
  while (!done && ioc.run_one() > 0) {
  }
  // A fiber that waits holds work on `ioc` (a pending operation or a guard); running out of work first
  // would be a suspension nobody resumes.
  if (!done) throw std::logic_error("a fiber run on this thread was left suspended");
  if (failure) std::rethrow_exception(failure);
}

StackPool::~StackPool() {
  for (auto& stack : free_) maker_.deallocate(stack);
}

boost::context::stack_context StackPool::take() {
  if (free_.empty()) return maker_.allocate();
  auto stack = free_.back();
  free_.pop_back();
  return stack;
}

void StackPool::give(boost::context::stack_context& stack) noexcept {
  if (free_.size() < kKeptStacks) {
    free_.push_back(stack);
    return;
  }
  maker_.deallocate(stack);
}

}  // namespace tokens::async
