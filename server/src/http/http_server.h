#pragma once
// The HTTP/1.1 server: one event loop per thread, each with its own SO_REUSEPORT acceptor, so a
// connection stays on the thread that accepted it (no locks between loops). Beast and Asio stay inside
// the .cpp files: this header is cheap to include.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/request_dispatcher.h"

namespace tokens::http {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0: any free port (see port())
  unsigned threads = 1;
  /// A request must arrive whole within this time, and an idle keep-alive connection is closed after it.
  std::chrono::milliseconds readTimeout{15000};
  std::size_t maxBodyBytes = 64 * 1024;
  std::size_t maxHeaderBytes = 8 * 1024;
  /// How long a graceful stop waits for requests in flight before it closes what remains.
  std::chrono::milliseconds shutdownGrace{10000};
  /// Open connections at most (shared evenly between the loops); past it, a new connection is answered
  /// 503 and closed at once, so that a flood of idle connections cannot exhaust file descriptors.
  std::size_t maxConnections = 10000;
  /// Threads for what request fibers offload (async/offload.h), and how many jobs may wait for one; past
  /// that, offload throws async::Overloaded (the dispatcher answers 503).
  unsigned workerThreads = 1;
  std::size_t maxQueuedWork = 256;
};

/// What the access log and the metrics learn of each answered request. Never holds a header value.
struct CompletedRequest {
  std::string_view method;
  std::string_view path;
  int status = 0;
  std::chrono::nanoseconds latency{0};
  std::string_view correlationId;
  std::string_view remoteAddress;
  RouteId route = kNoRoute;
};

class HttpServer {
 public:
  using CompletionObserver = std::function<void(const CompletedRequest&)>;

  HttpServer(HttpServerOptions options, RequestDispatcher& dispatcher, CompletionObserver onCompleted);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts the event loops. Throws std::system_error if the address cannot be bound.
  void start();
  /// The bound port (useful with port 0).
  std::uint16_t port() const;
  /// Graceful stop, from any thread: stops accepting, closes idle connections, lets requests in flight
  /// finish and their responses flush. Returns at once; wait() blocks until done.
  void stop();
  /// Blocks until every loop has ended: all connections closed, or the grace period over.
  void wait();

  struct Shared;

 private:
  std::unique_ptr<Shared> shared_;
};

}  // namespace tokens::http
