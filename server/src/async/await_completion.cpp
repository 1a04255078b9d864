#include "async/await_completion.h"

#include <future>
#include <memory>

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "async/request_fiber.h"

namespace tokens::async {

namespace asio = boost::asio;

void awaitCompletion(const std::function<void(Completion done)>& start) {
  if (!currentFiber()) {
    std::promise<void> finished;
    auto future = finished.get_future();
    start([&finished] { finished.set_value(); });
    future.wait();
    return;
  }
  suspendFiber([&](Yield& yield) {
    asio::async_initiate<Yield&, void()>(
        [&](auto handler) {
          // The guard keeps the loop running until the fiber is resumed (a graceful stop waits for it); the
          // handler is move-only and a Completion is copyable. The fiber is resumed on its own loop.
          auto resume = std::make_shared<decltype(handler)>(std::move(handler));
          auto guard = asio::make_work_guard(yield.get_executor());
          start([resume, guard]() mutable {
            asio::post(guard.get_executor(), [resume, guard = std::move(guard)]() mutable {
              guard.reset();
              (*resume)();
            });
          });
        },
        yield);
  });
}

}  // namespace tokens::async
