#pragma once
// Not public API. One HTTP exchange, behind an interface so that unit tests can put a fake in its place.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "PureCloudPlatformClientV2/Configuration.h"

namespace PureCloudPlatformClientV2::internal {

struct TransportRequest {
  std::string method;  ///< GET, HEAD, POST, PUT, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
  std::chrono::milliseconds connectTimeout{10000};
  std::chrono::milliseconds totalTimeout{16000};
  TlsConfig tls;
  ProxyConfig proxy;
};

enum class TransportFailure {
  None,
  Connect,  ///< never reached the server: it cannot have acted
  Timeout,  ///< the time ran out; the server may or may not have acted
  Other     ///< the connection broke after the request went out
};

struct TransportResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;
  TransportFailure failure = TransportFailure::None;
  std::string failureMessage;

  /// An answer, and a 2xx one: what ends a call's retry loop.
  bool succeeded() const { return failure == TransportFailure::None && status >= 200 && status < 300; }
};

class Transport {
 public:
  using Completion = std::function<void(TransportResponse)>;
  virtual ~Transport() = default;
  /// Thread-safe; never throws for network trouble (that is `failure`).
  virtual TransportResponse perform(const TransportRequest& request) = 0;
  /// Starts the exchange once `delay` has passed and calls `done` with the outcome, on the transport's
  /// own I/O thread (never on the caller's stack, for the curl transport). Thread-safe. `request` is
  /// the caller's, not copied: it must stay alive and unchanged until `done` has been called.
  virtual void performAsync(const TransportRequest& request, std::chrono::milliseconds delay, Completion done) = 0;
};

/// libcurl underneath. Blocking calls use a pool of easy handles sharing one connection, DNS and
/// TLS-session cache, so that sequential calls reuse their connection; asynchronous calls run on one
/// curl multi event loop (one thread, started on first use) with at most `maxAsyncConnections`
/// connections per host, the rest waiting their turn.
std::shared_ptr<Transport> makeCurlTransport(long maxAsyncConnections = 64);

}  // namespace PureCloudPlatformClientV2::internal
