#include "async/offload.h"

#include <exception>

#include "async/await_completion.h"
#include "async/request_fiber.h"
#include "async/worker_pool.h"

namespace tokens::async::detail {

void runOffloaded(void (*run)(void*), void* context) {
  WorkerPool* workers = currentWorkers();
  if (!currentFiber() || !workers) return run(context);

  std::exception_ptr failure;
  bool queued = true;
  awaitCompletion([&](Completion done) {
    // The fiber, suspended, keeps its stack: `failure` and what `context` points to are still there.
    queued = workers->trySubmit([run, context, &failure, done] {
      try {
        run(context);
      } catch (...) {
        failure = std::current_exception();
      }
      done();
    });
    if (!queued) done();
  });
  if (!queued) throw Overloaded();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace tokens::async::detail
