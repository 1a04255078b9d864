#pragma once
// async::offload: how a slow step that is not a wait on the network (CPU: a password hash; disk: a
// commit, a scan) keeps the event loops free. In a request fiber it runs the step on the worker pool and
// suspends the fiber until the step is done; the loop serves other connections meanwhile. Anywhere
// else (a periodic task's thread, a test, a worker itself) no loop waits on the calling thread, and the
// step runs right there. Either way the caller reads straight-line code: `auto ok = offload([&] {...});`.

#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace tokens::async {

/// The worker pool's queue is full: the request should be answered 503 with Retry-After, not queued.
class Overloaded : public std::runtime_error {
 public:
  Overloaded() : std::runtime_error("every worker is busy and the queue is full") {}
};

namespace detail {
/// Runs run(context) as offload() says; rethrows what it threw; throws Overloaded when it was not queued.
void runOffloaded(void (*run)(void*), void* context);
}  // namespace detail

/// Runs `step` off the event loop (see above) and returns its result, or throws what it threw. `step`
/// may use the caller's locals by reference: the caller waits. It runs on another thread, outside any
/// fiber: it must not call what suspends (the Redis store) nor touch what is confined to the loop.
template <class Step>
std::invoke_result_t<Step&> offload(Step&& step) {
  using Result = std::invoke_result_t<Step&>;
  if constexpr (std::is_void_v<Result>) {
    detail::runOffloaded([](void* s) { (*static_cast<std::remove_reference_t<Step>*>(s))(); }, &step);
  } else {
    std::optional<Result> result;
    auto keep = [&] { result.emplace(step()); };
    detail::runOffloaded([](void* k) { (*static_cast<decltype(keep)*>(k))(); }, &keep);
    return std::move(*result);
  }
}

}  // namespace tokens::async
