#pragma once
// async::awaitCompletion: waiting for work that another thread finishes (a worker, the SQLite writer)
// without holding up an event loop. In a request fiber it suspends the fiber until the work says it is
// done, and the loop serves other connections meanwhile; anywhere else it blocks the calling thread.
// async::offload is this with the worker pool as the other thread.
//
// Never call it with a mutex held: another fiber of the same loop may want that mutex, and the loop's
// thread would then wait for a fiber that only it can resume.

#include <functional>

namespace tokens::async {

/// What the work calls, once, from any thread, when it is done.
using Completion = std::function<void()>;

/// Calls `start(done)`, which hands `done` to the work (or calls it itself), and returns once `done` has
/// been called.
void awaitCompletion(const std::function<void(Completion done)>& start);

}  // namespace tokens::async
