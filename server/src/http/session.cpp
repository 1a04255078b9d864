#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <spdlog/spdlog.h>

#include "http/connection.h"
#include "http/correlation_id.h"
#include "http/request_head.h"
#include "http/request_target.h"
#include "http/response_writer.h"

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

// HttpRequest::header() for a Beast request: what the browser-facing handlers ask for, and only then.
std::string_view headerOf(const void* source, std::string_view name) {
  return static_cast<const bhttp::request<bhttp::string_body>*>(source)->operator[](name);
}

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr auto kLingerTime = std::chrono::seconds(1);

}  // namespace

Session::Session(Socket&& socket, HttpServer::Shared::Loop& loop)
    : socket_(std::move(socket)), loop_(loop), delay_(loop.ioc), deadline_(loop.ioc) {
  boost::system::error_code ec;
  const auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string();
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

Session::~Session() {
  loop_.sessions.erase(registration_);
  loop_.endIfDrained();
}

void Session::start() {
  registration_ = loop_.sessions.insert(loop_.sessions.end(), weak_from_this());
  readHeader();
}

void Session::closeSocket() {
  beast::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void Session::onServerStopping() {
  closeAfterWrite_ = true;
  // Idle between requests: nothing in flight to lose, so close now. A request half received is given
  // until its read deadline to finish.
  if (waitingForRequest_ && parser_ && !parser_->got_some()) {
    beast::error_code ignored;
    socket_.cancel(ignored);
  }
}

void Session::armDeadline(std::chrono::steady_clock::duration after) {
  const unsigned generation = ++deadlineGeneration_;
  deadlinePassed_ = false;
  deadline_.expires_after(after);
  deadline_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
    // A deadline that passed just as its operation completed must not cancel the next one.
    if (ec || generation != self->deadlineGeneration_) return;
    self->deadlinePassed_ = true;
    beast::error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void Session::disarmDeadline() {
  ++deadlineGeneration_;
  deadline_.cancel();
}

void Session::readHeader() {
  parser_.emplace();
  parser_->body_limit(loop_.shared.options.maxBodyBytes);
  parser_->header_limit(static_cast<std::uint32_t>(loop_.shared.options.maxHeaderBytes));
  waitingForRequest_ = true;
  armDeadline(loop_.shared.options.readTimeout);
  bhttp::async_read_header(socket_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

void Session::onHeader(beast::error_code ec) {
  if (ec) return onReadFailure(ec);
  started_ = std::chrono::steady_clock::now();
  const auto& header = parser_->get();
  if (const auto reason = refusedHead(header, parser_->chunked())) return refuseHead(*reason);
  if (parser_->is_done()) return handle();
  // curl and others wait for "100 Continue" before a larger body; answer it rather than make them wait.
  if (header.version() >= 11 && beast::iequals(header[bhttp::field::expect], "100-continue")) {
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code wec, std::size_t) {
                        if (wec) return self->onReadFailure(wec);
                        self->readBody();
                      });
    return;
  }
  readBody();
}

void Session::refuseHead(Refusal::Reason reason) {
  waitingForRequest_ = false;
  disarmDeadline();
  method_.assign(parser_->get().method_string());
  path_.clear();
  correlationId_ = newCorrelationId();
  refuse(reason);
}

void Session::refuse(Refusal::Reason reason) {
  respond(loop_.shared.dispatcher.refuse({reason, correlationId_, loop_.shared.options.maxBodyBytes}), true);
}

void Session::readBody() {
  bhttp::async_read(socket_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
}

void Session::onBody(beast::error_code ec) {
  if (ec) return onReadFailure(ec);
  handle();
}

void Session::onReadFailure(beast::error_code ec) {
  waitingForRequest_ = false;
  const bool timedOut = deadlinePassed_;
  disarmDeadline();
  const bool partial = parser_ && parser_->got_some();
  method_ = partial ? std::string(parser_->get().method_string()) : std::string();
  path_.clear();
  if (started_ == std::chrono::steady_clock::time_point{}) started_ = std::chrono::steady_clock::now();
  correlationId_ = newCorrelationId();

  using Reason = Refusal::Reason;
  if (ec == bhttp::error::body_limit) return refuse(Reason::BodyTooLarge);
  if (ec == bhttp::error::header_limit) return refuse(Reason::HeaderTooLarge);
  if (timedOut && partial) return refuse(Reason::Timeout);
  if (!timedOut && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message && isHttpParseError(ec))
    return refuse(Reason::Malformed);
  // The peer went away, an idle connection timed out, or the server is stopping: nothing to answer.
  closeSocket();
}

void Session::handle() {
  waitingForRequest_ = false;
  disarmDeadline();
  const auto& req = parser_->get();
  HttpRequest r;
  r.method = toMethod(req.method());
  r.methodText = req.method_string();
  const auto target = parseRequestTarget(req.target()).value_or(RequestTarget{});  // checked in onHeader()
  r.path = target.path;
  r.query = target.query;
  r.host = target.authority.empty() ? std::string_view(req[bhttp::field::host]) : target.authority;
  r.authorization = req[bhttp::field::authorization];
  r.contentType = req[bhttp::field::content_type];
  r.body = req.body();
  r.remoteAddress = remote_;
  r.source = &req;
  r.lookup = headerOf;
  r.correlationId = newCorrelationId();

  method_.assign(r.methodText);
  path_.assign(r.path);
  correlationId_ = r.correlationId;

  // Every request runs in a fiber of its own (async/request_fiber.h), so that a slow step can suspend it
  // rather than hold up this loop. The request's views point into parser_, which stays put until the
  // answer is written.
  asio::spawn(
      loop_.ioc.get_executor(), std::allocator_arg, loop_.stacks.allocator(),
      [self = shared_from_this(), r = std::move(r), keepAlive = req.keep_alive()](async::Yield yield) {
        async::FiberScope fiber(yield, self->loop_.shared.workers.get());
        auto res = self->loop_.shared.dispatcher.dispatch(r);
        self->respond(res, !keepAlive || res.closeConnection || self->loop_.shared.stopping.load());
      },
      [](std::exception_ptr failure) {
        if (!failure) return;
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& e) {
          spdlog::error("request fiber ended with an exception: {}", e.what());
        } catch (...) {
          spdlog::error("request fiber ended with an unknown exception");
        }
      });
}

void Session::respond(const HttpResponse& res, bool close) {
  closeAfterWrite_ = closeAfterWrite_ || close;
  route_ = res.route;
  status_ = res.status;
  ResponseFraming framing;
  framing.correlationId = correlationId_;
  framing.keepAlive = !closeAfterWrite_;
  if (parser_ && parser_->is_header_done()) {
    framing.headRequest = parser_->get().method() == bhttp::verb::head;
    framing.http10 = parser_->get().version() == 10;
  }
  writeResponse(res, framing, out_);

  if (res.delay.count() > 0) {
    delay_.expires_after(res.delay);
    delay_.async_wait([self = shared_from_this()](beast::error_code) { self->write(); });
    return;
  }
  write();
}

void Session::write() {
  armDeadline(loop_.shared.options.readTimeout);
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); });
}

void Session::onWrite(beast::error_code ec) {
  disarmDeadline();
  if (loop_.shared.onCompleted) {
    loop_.shared.onCompleted(CompletedRequest{method_, path_, status_, std::chrono::steady_clock::now() - started_,
                                              correlationId_, remote_, route_});
  }
  started_ = {};
  if (ec) return closeSocket();
  if (closeAfterWrite_) return lingerThenClose();
  readHeader();
}

void Session::lingerThenClose() {
  // Half-close, then read and discard what the peer still sends for a moment: closing with unread
  // bytes makes the kernel send RST, and the peer may lose the response just written (nginx's
  // "lingering close").
  beast::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  buffer_.consume(buffer_.size());
  armDeadline(kLingerTime);
  drain();
}

void Session::drain() {
  socket_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->buffer_.consume(self->buffer_.size());
    if (ec) {
      self->disarmDeadline();
      self->closeSocket();
      return;
    }
    self->drain();
  });
}

}  // namespace tokens::http
