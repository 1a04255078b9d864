#pragma once
// Not public API. One thread running a curl multi event loop: every asynchronous call of a client is a
// transfer on it, so a thousand calls in flight cost a thousand easy handles, not a thousand threads.

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "internal/transport.h"

namespace PureCloudPlatformClientV2::internal {

class MultiEngine {
 public:
  /// At most `maxHostConnections` connections to one host; further transfers queue inside curl.
  explicit MultiEngine(long maxHostConnections);
  /// Ends the loop; transfers still pending complete with a transport failure ("cancelled").
  ~MultiEngine();
  MultiEngine(const MultiEngine&) = delete;
  MultiEngine& operator=(const MultiEngine&) = delete;

  /// Starts `request` once `delay` has passed; `done` runs on the loop's thread. Thread-safe. `request`
  /// must stay alive and unchanged until `done` has been called.
  void submit(const TransportRequest& request, std::chrono::milliseconds delay, Transport::Completion done);

 private:
  // The loop's state, owned jointly by this object and the loop's thread: the last reference to a
  // transport may be dropped by a completion running on the loop itself, and then this destructor
  // runs on that thread while the loop still needs its state to finish the iteration.
  struct State;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace PureCloudPlatformClientV2::internal
