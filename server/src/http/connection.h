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
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_server.h"

namespace tokens::http {

class Session;

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
};

struct HttpServer::Shared::Loop {
  explicit Loop(HttpServer::Shared& s) : shared(s) {}
  HttpServer::Shared& shared;
  boost::asio::io_context ioc{1};  // one thread: Asio may skip its internal locking
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  boost::asio::steady_timer acceptRetry{ioc};
  std::list<std::weak_ptr<Session>> sessions;  // touched only on this loop's thread
  std::thread thread;
  std::atomic<bool> finished{false};

  void accept();
  void beginStop();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, HttpServer::Shared::Loop& loop);
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
  void respond(HttpResponse response, bool close);
  void write();
  void onWrite(boost::beast::error_code ec);
  void lingerThenClose();
  /// Starts the read deadline: a request must be whole within the read timeout.
  void armReadTimer();


  boost::beast::tcp_stream stream_;
  HttpServer::Shared::Loop& loop_;
  std::list<std::weak_ptr<Session>>::iterator registration_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  boost::asio::steady_timer delay_;
  // Our own read deadline rather than tcp_stream's: tcp_stream closes the socket when its timer fires,
  // which would leave no way to answer 408. This one only cancels the pending read.
  boost::asio::steady_timer readTimer_;
  unsigned readGeneration_ = 0;
  bool readTimedOut_ = false;
  std::string remote_;
  bool waitingForRequest_ = false;
  bool closeAfterWrite_ = false;

  // What the access log needs once the response is written.
  std::string method_;
  std::string path_;
  std::string correlationId_;
  domain::Route route_ = domain::Route::Unmatched;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace tokens::http
