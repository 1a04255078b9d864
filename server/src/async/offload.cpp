#include "async/offload.h"

#include <exception>
#include <memory>

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "async/request_fiber.h"
#include "async/worker_pool.h"

namespace tokens::async::detail {

namespace asio = boost::asio;

void runOffloaded(void (*run)(void*), void* context) {
  WorkerPool* workers = currentWorkers();
  if (!currentFiber() || !workers) return run(context);

  std::exception_ptr failure;
  bool queued = true;
  suspendFiber([&](Yield& yield) {
    asio::async_initiate<Yield&, void()>(
        [&](auto handler) {
          // The guard keeps the loop running until the fiber is resumed (a graceful stop waits for it);
          // the handler is move-only and the pool takes copyable jobs.
          auto resume = std::make_shared<decltype(handler)>(std::move(handler));
          auto guard = asio::make_work_guard(yield.get_executor());
          const bool accepted = workers->trySubmit([run, context, &failure, resume, guard]() mutable {
            try {
              run(context);
            } catch (...) {
              failure = std::current_exception();
            }
            // The fiber, suspended, keeps its stack: `failure` and what `context` points to are still there.
            asio::post(guard.get_executor(), [resume, guard = std::move(guard)]() mutable {
              guard.reset();
              (*resume)();
            });
          });
          if (!accepted) {
            queued = false;
            asio::post(guard.get_executor(), [resume] { (*resume)(); });
          }
        },
        yield);
  });
  if (!queued) throw Overloaded();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace tokens::async::detail
