#pragma once
// Request fibers: the one way the server keeps its event loops free. Every request runs in a stackful
// coroutine (Boost.Context through asio::spawn) on its event loop, and handlers stay plain synchronous
// code. A step that would hold up the loop suspends the fiber instead, and the loop serves other
// connections meanwhile:
//   - waiting on the network (the Redis store): the reply resumes the fiber (store/redis/redis_client.h);
//   - CPU or disk (a password hash, later commits and scans): async::offload (async/offload.h) runs the
//     step on the worker pool and resumes the fiber with its result.
// So a slow step delays the request that waits for it, and never the loop.
//
// Only the connection layer starts request fibers (http/session.cpp); only the slow steps suspend them;
// everything in between neither knows nor cares. A plain thread (a periodic task, a test) that calls a
// step which suspends gets a fiber of its own for the call (runInFiberHere).

#include <cstddef>
#include <functional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

namespace tokens::async {

class WorkerPool;

using Yield = boost::asio::basic_yield_context<boost::asio::io_context::executor_type>;

/// The fiber the calling code runs in, or null: a plain thread (a worker, a test), or an event loop
/// outside any fiber. Code that may suspend asks this first.
Yield* currentFiber() noexcept;
/// The pool the current fiber offloads to, or null (no fiber, or one without a pool: offload runs inline).
WorkerPool* currentWorkers() noexcept;

/// Marks the code in its scope as running in `yield`'s fiber, offloading to `workers` (may be null).
/// Set once at the top of the fiber.
class FiberScope {
 public:
  FiberScope(Yield& yield, WorkerPool* workers) noexcept;
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
  WorkerPool* workers_;
};

/// Runs `suspend(yield)`, which suspends the current fiber until its operation completes, with the mark
/// down meanwhile. Call only when currentFiber() is not null.
template <class Suspend>
decltype(auto) suspendFiber(Suspend&& suspend) {
  Yield& yield = *currentFiber();
  AwayFromFiber away;
  return suspend(yield);
}

/// For a plain thread: runs `work` in a fiber on `ioc`, driving `ioc` on the calling thread until `work`
/// has returned, and rethrows what it threw. `ioc` must not be run by another thread meanwhile; what
/// else is queued on it (a connection's reads) runs too, and what is left waits for the next call.
void runInFiberHere(boost::asio::io_context& ioc, const std::function<void()>& work);

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
