#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "api/error_responses.h"
#include "domain/token_crypto.h"
#include "http/connection.h"

namespace tokens::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

Method toMethod(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get: return Method::Get;
    case bhttp::verb::head: return Method::Head;
    case bhttp::verb::post: return Method::Post;
    case bhttp::verb::put: return Method::Put;
    case bhttp::verb::delete_: return Method::Delete;
    case bhttp::verb::patch: return Method::Patch;
    case bhttp::verb::options: return Method::Options;
    default: return Method::Other;
  }
}

bool isHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

Session::Session(asio::ip::tcp::socket&& socket, HttpServer::Shared::Loop& loop)
    : stream_(std::move(socket)), loop_(loop), delay_(loop.ioc), readTimer_(loop.ioc) {
  boost::system::error_code ec;
  const auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string();
  stream_.socket().set_option(asio::ip::tcp::no_delay(true), ec);
}

Session::~Session() { loop_.sessions.erase(registration_); }

void Session::start() {
  registration_ = loop_.sessions.insert(loop_.sessions.end(), weak_from_this());
  readHeader();
}

void Session::onServerStopping() {
  closeAfterWrite_ = true;
  // Idle between requests: nothing in flight to lose, so close now. A request half received is given
  // until its read timeout to finish.
  if (waitingForRequest_ && parser_ && !parser_->got_some()) {
    beast::error_code ignored;
    stream_.socket().cancel(ignored);
  }
}

void Session::armReadTimer() {
  const unsigned generation = ++readGeneration_;
  readTimedOut_ = false;
  readTimer_.expires_after(loop_.shared.options.readTimeout);
  readTimer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
    // A timer that fired just as its read completed must not cancel what came after it.
    if (ec || generation != self->readGeneration_ || !self->waitingForRequest_) return;
    self->readTimedOut_ = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
}

void Session::readHeader() {
  parser_.emplace();
  parser_->body_limit(loop_.shared.options.maxBodyBytes);
  parser_->header_limit(static_cast<std::uint32_t>(loop_.shared.options.maxHeaderBytes));
  waitingForRequest_ = true;
  stream_.expires_never();
  armReadTimer();
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

void Session::onHeader(beast::error_code ec) {
  if (ec) return onReadFailure(ec);
  started_ = std::chrono::steady_clock::now();
  if (parser_->is_done()) return handle();
  // curl and others wait for "100 Continue" before a larger body; answer it rather than make them time out.
  const auto expect = parser_->get()[bhttp::field::expect];
  if (beast::iequals(expect, "100-continue")) {
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code wec, std::size_t) {
                        if (wec) return self->onReadFailure(wec);
                        self->readBody();
                      });
    return;
  }
  readBody();
}

void Session::readBody() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
}

void Session::onBody(beast::error_code ec) {
  if (ec) return onReadFailure(ec);
  handle();
}

void Session::onReadFailure(beast::error_code ec) {
  waitingForRequest_ = false;
  ++readGeneration_;
  readTimer_.cancel();
  if (readTimedOut_) ec = beast::error::timeout;
  const auto& options = loop_.shared.options;
  const bool partial = parser_ && parser_->got_some();
  method_ = partial ? std::string(parser_->get().method_string()) : std::string();
  path_.clear();
  route_ = domain::Route::Unmatched;
  if (started_ == std::chrono::steady_clock::time_point{}) started_ = std::chrono::steady_clock::now();
  correlationId_ = domain::newCorrelationId();

  if (ec == bhttp::error::body_limit)
    return respond(api::entityTooLarge(correlationId_, options.maxBodyBytes), true);
  if (ec == bhttp::error::header_limit) return respond(api::errorForStatus(correlationId_, 431), true);
  if (ec == beast::error::timeout && partial) return respond(api::errorForStatus(correlationId_, 408), true);
  if (ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message && isHttpParseError(ec))
    return respond(api::errorForStatus(correlationId_, 400), true);
  // The peer went away, an idle connection timed out, or the server is stopping: nothing to answer.
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

void Session::handle() {
  waitingForRequest_ = false;
  ++readGeneration_;
  readTimer_.cancel();
  const auto& req = parser_->get();
  HttpRequest r;
  r.method = toMethod(req.method());
  r.methodText = req.method_string();
  const auto target = req.target();
  const auto question = target.find('?');
  r.path = target.substr(0, question);
  if (question != std::string_view::npos) r.query = target.substr(question + 1);
  r.authorization = req[bhttp::field::authorization];
  r.contentType = req[bhttp::field::content_type];
  r.body = req.body();
  r.remoteAddress = remote_;
  r.correlationId = domain::newCorrelationId();

  method_.assign(r.methodText);
  path_.assign(r.path);
  correlationId_ = r.correlationId;

  HttpResponse res = loop_.shared.dispatcher.dispatch(r);
  const bool close = !req.keep_alive() || res.closeConnection || loop_.shared.stopping.load();
  respond(std::move(res), close);
}

void Session::respond(HttpResponse res, bool close) {
  closeAfterWrite_ = closeAfterWrite_ || close;
  route_ = res.route;
  const bool head = parser_ && parser_->is_header_done() && parser_->get().method() == bhttp::verb::head;

  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(res.status));
  response_.set(bhttp::field::server, "tokens-server");
  response_.set("ININ-Correlation-Id", correlationId_);
  if (!res.contentType.empty()) response_.set(bhttp::field::content_type, res.contentType);
  for (auto& [name, value] : res.headers) response_.insert(name, value);
  response_.keep_alive(!closeAfterWrite_);
  if (res.status != 204 && res.status != 304) {
    // HEAD: status and headers only, and Content-Length 0 so that load generators (wrk, h2load) that
    // wait for the announced bytes do not hang.
    if (!head) response_.body() = std::move(res.body);
    response_.content_length(response_.body().size());
  }

  if (res.delay.count() > 0) {
    delay_.expires_after(res.delay);
    delay_.async_wait([self = shared_from_this()](beast::error_code) { self->write(); });
    return;
  }
  write();
}

void Session::write() {
  stream_.expires_after(loop_.shared.options.readTimeout);
  bhttp::async_write(stream_, response_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); });
}

void Session::onWrite(beast::error_code ec) {
  if (loop_.shared.onCompleted) {
    loop_.shared.onCompleted(CompletedRequest{method_, path_, static_cast<int>(response_.result_int()),
                                              std::chrono::steady_clock::now() - started_, correlationId_, remote_,
                                              route_});
  }
  started_ = {};
  if (ec) return;
  if (closeAfterWrite_) return lingerThenClose();
  readHeader();
}

void Session::lingerThenClose() {
  // Half-close, then read and discard what the peer still sends for a moment: closing with unread
  // bytes makes the kernel send RST, and the peer may lose the response we just wrote (nginx's
  // "lingering close").
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(1));
  buffer_.consume(buffer_.size());
  auto drain = std::make_shared<std::function<void()>>();
  *drain = [self = shared_from_this(), drain] {
    self->stream_.async_read_some(self->buffer_.prepare(4096), [self, drain](beast::error_code ec, std::size_t) {
      self->buffer_.consume(self->buffer_.size());
      if (ec) {
        *drain = nullptr;  // break the cycle; the session ends with the last handler
        return;
      }
      (*drain)();
    });
  };
  (*drain)();
}

}  // namespace tokens::http
