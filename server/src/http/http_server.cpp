#include "http/http_server.h"

#include <future>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "http/connection.h"
#include "http/correlation_id.h"
#include "http/response_writer.h"

namespace tokens::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

HttpServer::HttpServer(HttpServerOptions options, RequestDispatcher& dispatcher, CompletionObserver onCompleted)
    : shared_(std::make_unique<Shared>(std::move(options), dispatcher, std::move(onCompleted))) {}

HttpServer::~HttpServer() {
  stop();
  wait();
}

void HttpServer::start() {
  auto& s = *shared_;
  const auto address = asio::ip::make_address(s.options.address);
  std::uint16_t port = s.options.port;
  const unsigned threads = std::max(1U, s.options.threads);
  if (port != 0) {
    // Our acceptors share the port with SO_REUSEPORT, which would also let a second server join in and
    // silently take part of the connections. A plain bind (no SO_REUSEPORT) fails if anyone listens there.
    asio::io_context probeContext;
    tcp::acceptor probe(probeContext);
    const tcp::endpoint endpoint(address, port);
    probe.open(endpoint.protocol());
    probe.set_option(asio::socket_base::reuse_address(true));
    probe.bind(endpoint);  // throws std::system_error (address in use) like the real bind would
  }
  for (unsigned i = 0; i < threads; ++i) {
    auto loop = std::make_unique<Shared::Loop>(s);
    Acceptor acceptor(loop->ioc.get_executor());
    const tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    // Every loop binds the same port; the kernel spreads new connections across them.
    const int on = 1;
    if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0)
      throw std::system_error(errno, std::generic_category(), "SO_REUSEPORT");
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();  // with port 0, the others take the one the first got
    loop->acceptor.emplace(std::move(acceptor));
    s.loops.push_back(std::move(loop));
  }
  s.boundPort = port;
  s.workers = std::make_unique<async::WorkerPool>(s.options.workerThreads, s.options.maxQueuedWork);
  for (auto& loop : s.loops) {
    loop->accept();
    loop->thread = std::thread([l = loop.get()] {
      // An exception escaping a handler must not end the loop: its acceptor would stay bound and the
      // kernel would keep handing it connections that nobody accepts.
      for (;;) {
        try {
          l->ioc.run();
          break;
        } catch (const std::exception& e) {
          spdlog::error("event loop: unexpected exception, continuing: {}", e.what());
        }
      }
      l->finished.store(true);
    });
  }
}

std::uint16_t HttpServer::port() const { return shared_->boundPort; }

void HttpServer::stop() {
  if (shared_->stopping.exchange(true)) return;
  for (auto& loop : shared_->loops) asio::post(loop->ioc, [l = loop.get()] { l->beginStop(); });
}

void HttpServer::wait() {
  const auto deadline = std::chrono::steady_clock::now() + shared_->options.shutdownGrace;
  for (auto& loop : shared_->loops) {
    if (!loop->thread.joinable()) continue;
    while (!loop->finished.load() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!loop->finished.load()) {
      spdlog::warn("shutdown grace period over: closing the connections still open");
      loop->ioc.stop();
    }
    loop->thread.join();
  }
}

void HttpServer::Shared::Loop::accept() {
  acceptor->async_accept([this](boost::system::error_code ec, Socket socket) {
    if (!acceptor->is_open() || shared.stopping.load()) return;
    if (ec) {
      // Out of file descriptors and the like: wait a little instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      acceptRetry.expires_after(std::chrono::milliseconds(100));
      acceptRetry.async_wait([this](boost::system::error_code) { accept(); });
      return;
    }
    const auto perLoop = (shared.options.maxConnections + shared.loops.size() - 1) / shared.loops.size();
    if (sessions.size() >= perLoop) {
      refuse(socket);
    } else {
      std::make_shared<Session>(std::move(socket), *this)->start();
    }
    accept();
  });
}

void HttpServer::Shared::Loop::refuse(Socket& socket) {
  // One small write to a socket whose send buffer is empty: it does not block, and if it fails there is
  // nobody to tell.
  const auto correlationId = newCorrelationId();
  auto res = shared.dispatcher.refuse({Refusal::Reason::TooManyConnections, correlationId});
  res.header("Retry-After", "1");
  std::string bytes;
  writeResponse(res, ResponseFraming{correlationId, false, false, false}, bytes);
  boost::system::error_code ignored;
  asio::write(socket, asio::buffer(bytes), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  spdlog::debug("refused a connection: {} open on this loop", sessions.size());
}

void HttpServer::Shared::Loop::beginStop() {
  boost::system::error_code ignored;
  acceptor->close(ignored);
  acceptRetry.cancel();
  // Copy first: a session may deregister itself while being told to stop.
  std::vector<std::shared_ptr<Session>> live;
  for (auto& weak : sessions)
    if (auto s = weak.lock()) live.push_back(std::move(s));
  for (auto& s : live) s->onServerStopping();
  live.clear();
  endIfDrained();
}

void HttpServer::Shared::Loop::endIfDrained() {
  // Connections that outlive requests (a store's pooled Redis connections) would keep the loop running
  // to the end of the grace period: once no connection is left, there is nothing more to finish.
  if (shared.stopping.load() && sessions.empty()) ioc.stop();
}

}  // namespace tokens::http
