#pragma once
// Request fibers. With a store that waits on the network (Redis), each request runs in a stackful
// coroutine (Boost.Context through asio::spawn) on its event loop. Handlers stay plain synchronous code;
// when the store waits for a reply it suspends the fiber, and the loop serves other connections
// meanwhile. So a slow Redis delays the requests that wait for it, and never the loop.
//
// Only the connection layer starts fibers (http/session.cpp) and only the Redis store suspends them;
// everything in between neither knows nor cares.

#include <cstddef>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

namespace tokens::async {

using Yield = boost::asio::basic_yield_context<boost::asio::io_context::executor_type>;

/// The fiber the calling code runs in, or null: a plain thread (a worker, a test), or an event loop
/// outside any fiber. Code that may suspend asks this first.
Yield* currentFiber() noexcept;

/// Marks the code in its scope as running in `yield`'s fiber. Set once at the top of the fiber.
class FiberScope {
 public:
  explicit FiberScope(Yield& yield) noexcept;
  ~FiberScope();
  FiberScope(const FiberScope&) = delete;
  FiberScope& operator=(const FiberScope&) = delete;
};

/// Takes the mark down for its scope, and puts it back: around a suspension, since other fibers run on
/// this thread meanwhile and set their own.
class AwayFromFiber {
 public:
  AwayFromFiber() noexcept;
  ~AwayFromFiber();
  AwayFromFiber(const AwayFromFiber&) = delete;
  AwayFromFiber& operator=(const AwayFromFiber&) = delete;

 private:
  Yield* fiber_;
};

/// Runs `suspend(yield)`, which suspends the current fiber until its operation completes, with the mark
/// down meanwhile. Call only when currentFiber() is not null.
template <class Suspend>
decltype(auto) suspendFiber(Suspend&& suspend) {
  Yield& yield = *currentFiber();
  AwayFromFiber away;
  return suspend(yield);
}

/// Fiber stacks for one event loop, reused rather than mapped and unmapped per request (munmap is a
/// TLB shootdown on every core). Each has a guard page: an overflow faults instead of corrupting.
/// Used only on its loop's thread; it must outlive the loop's io_context.
class StackPool {
 public:
  static constexpr std::size_t kStackBytes = 256 * 1024;
  static constexpr std::size_t kKeptStacks = 256;

  StackPool() { free_.reserve(kKeptStacks); }
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  /// What asio::spawn takes: a copyable handle on this pool.
  class Allocator {
   public:
    explicit Allocator(StackPool& pool) : pool_(&pool) {}
    boost::context::stack_context allocate() { return pool_->take(); }
    void deallocate(boost::context::stack_context& stack) noexcept { pool_->give(stack); }

   private:
    StackPool* pool_;
  };
  Allocator allocator() { return Allocator(*this); }

 private:
  boost::context::stack_context take();
  void give(boost::context::stack_context& stack) noexcept;

  boost::context::protected_fixedsize_stack maker_{kStackBytes};
  std::vector<boost::context::stack_context> free_;
};

}  // namespace tokens::async
