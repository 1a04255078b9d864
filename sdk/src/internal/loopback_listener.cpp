#include "internal/loopback_listener.h"

#include <fcntl.h>

#include <cerrno>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

namespace PureCloudPlatformClientV2::internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A connection that has not sent a whole request by then is dropped: browsers open spare connections
// that may never carry one, and the redirect must not wait behind them.
constexpr std::chrono::seconds kRequestTimeout{10};
constexpr std::uint32_t kHeaderLimit = 8192;
// Read (and dropped) so that a request with a body still gets its answer.
constexpr std::uint64_t kBodyLimit = 8192;

std::string escapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// The page's text may come from the redirect's query (an error description): escaped, and the page may
// load nothing (CSP), nor tell another site where it was (its URL holds the code).
http::response<http::string_body> page(unsigned status, unsigned version, const std::string& title,
                                       const std::string& message) {
  http::response<http::string_body> response{static_cast<http::status>(status), version};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.set("Content-Security-Policy", "default-src 'none'");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Content-Type-Options", "nosniff");
  response.keep_alive(false);
  response.body() = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escapeHtml(title) +
                    "</title></head>\n<body><h1>" + escapeHtml(title) + "</h1><p>" + escapeHtml(message) +
                    "</p></body></html>\n";
  response.prepare_payload();
  return response;
}

// One connection: a request read, and the answer written, unless it is the redirect.
struct Exchange {
  explicit Exchange(tcp::socket socket) : stream(std::move(socket)) {
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
  }
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  http::response<http::string_body> response;
};

}  // namespace

struct LoopbackListener::State {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::string path;
  std::optional<Query> query;
  std::optional<tcp::socket> redirect;  // the redirect's connection, until answered
  unsigned redirectVersion = 11;

  asio::steady_timer retry{io};

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;  // closed: the redirect came
      if (ec) {  // out of descriptors, a connection reset before accept...: not the end of the sign-in
        retry.expires_after(std::chrono::milliseconds(100));
        retry.async_wait([this](beast::error_code waited) {
          if (!waited) accept();
        });
        return;
      }
      read(std::make_shared<Exchange>(std::move(socket)));
      accept();
    });
  }

  void read(const std::shared_ptr<Exchange>& x) {
    x->stream.expires_after(kRequestTimeout);
    http::async_read(x->stream, x->buffer, x->parser, [this, x](beast::error_code ec, std::size_t) {
      if (!ec) onRequest(x);  // else closed, timed out or not HTTP: nothing worth answering
    });
  }

  void onRequest(const std::shared_ptr<Exchange>& x) {
    const auto& request = x->parser.get();
    const auto target = boost::urls::parse_origin_form(request.target());
    if (!target || target->encoded_path() != path)
      return answer(x, 404, "Not found", "This is not the address the sign-in comes back to.");
    if (request.method() != http::verb::get)
      return answer(x, 405, "Method not allowed", "The sign-in comes back with GET.");
    Query q;
    for (const auto& param : target->params(boost::urls::encoding_opts(/*space_as_plus=*/true)))
      q.emplace(param.key, param.value);
    query = std::move(q);
    redirectVersion = request.version();
    x->stream.expires_never();
    redirect.emplace(x->stream.release_socket());
    beast::error_code ignored;
    acceptor.close(ignored);
    io.stop();
  }

  void answer(const std::shared_ptr<Exchange>& x, unsigned status, const std::string& title, const std::string& message) {
    x->response = page(status, x->parser.get().version(), title, message);
    http::async_write(x->stream, x->response, [x](beast::error_code, std::size_t) {
      beast::error_code ignored;
      x->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }
};

LoopbackListener::LoopbackListener(std::uint16_t port, std::string path) : state_(std::make_unique<State>()) {
  state_->path = std::move(path);
  const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
  auto& acceptor = state_->acceptor;
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  // Lets a fixed port be reused at once after a previous sign-in (TIME_WAIT); on Linux it never lets two
  // listeners share a port.
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  // Not inherited by the browser opener started next (Asio opens sockets without SOCK_CLOEXEC): a child
  // holding the listening socket would keep the port taken after this sign-in.
  if (!ec && ::fcntl(acceptor.native_handle(), F_SETFD, FD_CLOEXEC) != 0)
    ec = beast::error_code(errno, boost::system::generic_category());
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
}

LoopbackListener::~LoopbackListener() = default;

std::uint16_t LoopbackListener::port() const {
  beast::error_code ec;
  return state_->acceptor.local_endpoint(ec).port();
}

std::optional<LoopbackListener::Query> LoopbackListener::waitForRedirect(std::chrono::steady_clock::time_point deadline) {
  state_->accept();
  state_->io.run_until(deadline);
  return state_->query;
}

void LoopbackListener::answerRedirect(int status, const std::string& title, const std::string& message) noexcept {
  if (!state_->redirect) return;
  try {
    // Written at once: the page is small enough for the socket's buffer, whatever the browser does.
    auto response = page(static_cast<unsigned>(status), state_->redirectVersion, title, message);
    beast::error_code ignored;
    http::write(*state_->redirect, response, ignored);
    state_->redirect->shutdown(tcp::socket::shutdown_send, ignored);
  } catch (const std::exception&) {
    // Out of memory at worst: the browser then shows a closed connection, the caller has the outcome.
  }
  state_->redirect.reset();
}

}  // namespace PureCloudPlatformClientV2::internal
