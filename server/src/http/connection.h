#pragma once
// Internal to http/: the per-thread event loop and the per-connection session.

#include <atomic>
#include <list>
#include <memory>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "async/request_fiber.h"
#include "http/http_server.h"
#include "async/worker_pool.h"

namespace tokens::http {

class Session;

// Sockets bound to the io_context's own executor type: no type-erased executor to copy on every
// operation (it showed in profiles).
using Executor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, Executor>;

struct HttpServer::Shared {
  Shared(HttpServerOptions o, RequestDispatcher& d, HttpServer::CompletionObserver c)
      : options(std::move(o)), dispatcher(d), onCompleted(std::move(c)) {}
  HttpServerOptions options;
  RequestDispatcher& dispatcher;
  HttpServer::CompletionObserver onCompleted;
  std::atomic<bool> stopping{false};
  std::uint16_t boundPort = 0;
  struct Loop;
  std::vector<std::unique_ptr<Loop>> loops;
  // What request fibers offload to. Declared after loops, so destroyed (joined) before them: a job still
  // running posts its fiber's resumption to its loop's io_context, which must then still exist.
  std::unique_ptr<async::WorkerPool> workers;
};

struct HttpServer::Shared::Loop {
  explicit Loop(HttpServer::Shared& s) : shared(s) {}
  HttpServer::Shared& shared;
  // Declared before ioc, so destroyed after it: destroying ioc destroys the handlers still queued, and
  // with them sessions, which take themselves off this list.
  std::list<std::weak_ptr<Session>> sessions;  // touched only on this loop's thread
  async::StackPool stacks;  // for request fibers; freed after ioc's fibers
  boost::asio::io_context ioc{1};  // one thread: Asio may skip its internal locking
  std::optional<Acceptor> acceptor;
  boost::asio::steady_timer acceptRetry{ioc};
  std::thread thread;
  std::atomic<bool> finished{false};

  void accept();
  void refuse(Socket& socket);
  void beginStop();
  /// Stopping and no connection left: ends the loop.
  void endIfDrained();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, HttpServer::Shared::Loop& loop);
  ~Session();
  void start();
  /// Called on the loop's thread when the server stops: idle connections close now, busy ones after
  /// their response.
  void onServerStopping();

 private:
  void readHeader();
  void onHeader(boost::beast::error_code ec);
  void readBody();
  void onBody(boost::beast::error_code ec);
  void handle();
  /// Turns a read failure into the answer it deserves (or none) and closes.
  void onReadFailure(boost::beast::error_code ec);
  /// Answers a request refused on its head alone, and closes: its body is not read.
  void refuseHead(Refusal::Reason reason);
  /// Answers what the dispatcher makes of `reason`, and closes.
  void refuse(Refusal::Reason reason);
  void respond(const HttpResponse& response, bool close);
  void write();
  void onWrite(boost::beast::error_code ec);
  void lingerThenClose();
  void drain();
  /// Starts a deadline for the operation in progress (a whole request's read, a response's write, the
  /// final drain). When it passes, the operation is cancelled, not the socket closed, so that a
  /// timed-out read can still be answered 408.
  void armDeadline(std::chrono::steady_clock::duration after);
  void disarmDeadline();
  void closeSocket();

  Socket socket_;
  HttpServer::Shared::Loop& loop_;
  std::list<std::weak_ptr<Session>>::iterator registration_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::string out_;  // the serialized response; its capacity is reused from one response to the next
  boost::asio::steady_timer delay_;
  boost::asio::steady_timer deadline_;
  unsigned deadlineGeneration_ = 0;
  bool deadlinePassed_ = false;
  std::string remote_;
  bool waitingForRequest_ = false;
  bool closeAfterWrite_ = false;

  // What the access log needs once the response is written.
  std::string method_;
  std::string path_;
  std::string correlationId_;
  int status_ = 0;
  RouteId route_ = kNoRoute;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace tokens::http
