#include "store/redis/redis_connection.h"

#include <hiredis/hiredis.h>

#include <charconv>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace tokens::store::redis {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

RedisReply convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::String; break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::Status; break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::Error; break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::Integer; break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::Array; break;
    default: out.type = RedisReply::Type::Nil; break;
  }
  if (r.str) out.text.assign(r.str, r.len);
  out.integer = r.integer;
  for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
  return out;
}

}  // namespace

std::shared_ptr<RedisConnection> RedisConnection::start(asio::io_context& ioc, RedisEndpoint endpoint,
                                                        RedisOptions options) {
  std::shared_ptr<RedisConnection> c(new RedisConnection(ioc, std::move(endpoint), options));
  asio::post(ioc, [c] { c->connect(); });
  return c;
}

RedisConnection::RedisConnection(asio::io_context& ioc, RedisEndpoint endpoint, RedisOptions options)
    : ioc_(ioc), endpoint_(std::move(endpoint)), options_(options), resolver_(ioc), socket_(ioc),
      connectTimer_(ioc), commandTimer_(ioc), reconnectTimer_(ioc), reconnectDelay_(options.firstReconnectDelay),
      reader_(redisReaderCreate()), readBuffer_(16 * 1024) {
  if (endpoint_.tls) {
    tlsContext_.emplace(asio::ssl::context::tls_client);
    tlsContext_->set_default_verify_paths();  // honours SSL_CERT_FILE and SSL_CERT_DIR
    tlsContext_->set_verify_mode(asio::ssl::verify_peer);
  }
}

RedisConnection::~RedisConnection() { redisReaderFree(reader_); }

void RedisConnection::connect() {
  if (state_ == State::Stopped) return;
  state_ = State::Connecting;
  const unsigned gen = generation_;
  auto self = shared_from_this();
  if (tlsContext_) {
    tls_ = std::make_shared<TlsStream>(ioc_, *tlsContext_);
    tls_->set_verify_callback(asio::ssl::host_name_verification(endpoint_.host));
    error_code notAnAddress;
    asio::ip::make_address(endpoint_.host, notAnAddress);
    if (notAnAddress)  // SNI, for names only (SSL_set_tlsext_host_name, without the macro's C cast)
      SSL_ctrl(tls_->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(endpoint_.host.c_str()));
  }
  connectTimer_.expires_after(options_.connectTimeout);  // the TLS handshake included
  connectTimer_.async_wait([self, gen](error_code ec) {
    const bool attempting = self->state_ == State::Connecting || self->state_ == State::Preparing;
    if (!ec && gen == self->generation_ && attempting) self->reset(RedisFailure::Unavailable);
  });
  resolver_.async_resolve(
      endpoint_.host, std::to_string(endpoint_.port),
      [self, gen, keep = tls_](error_code ec, const tcp::resolver::results_type& results) {
        if (gen != self->generation_ || self->state_ != State::Connecting) return;
        if (ec) return self->reset(RedisFailure::Unavailable);
        asio::async_connect(self->socket(), results, [self, gen, keep](error_code cec, const tcp::endpoint&) {
          if (gen != self->generation_ || self->state_ != State::Connecting) return;
          if (cec) return self->reset(RedisFailure::Unavailable);
          if (self->tls_) return self->handshake();
          self->onConnected();
        });
      });
}

void RedisConnection::handshake() {
  tls_->async_handshake(asio::ssl::stream_base::client,
                        [self = shared_from_this(), gen = generation_, keep = tls_](error_code ec) {
                          if (gen != self->generation_ || self->state_ != State::Connecting) return;
                          if (ec) {
                            spdlog::error("redis {}:{}: TLS handshake failed: {}", self->endpoint_.host,
                                          self->endpoint_.port, ec.message());
                            return self->reset(RedisFailure::Unavailable);
                          }
                          self->onConnected();
                        });
}

void RedisConnection::onConnected() {
  error_code ignored;
  socket().set_option(tcp::no_delay(true), ignored);
  read();
  // AUTH and SELECT go alone, and what was held while connecting waits for their answers: a command
  // sent behind a failed SELECT would run on the wrong database. If they fail, start over.
  std::vector<std::pair<std::vector<std::string>, const char*>> preamble;
  if (!endpoint_.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!endpoint_.username.empty()) auth.push_back(endpoint_.username);
    auth.push_back(endpoint_.password);
    preamble.emplace_back(std::move(auth), "AUTH");
  }
  if (endpoint_.database != 0) preamble.emplace_back(std::vector<std::string>{"SELECT", std::to_string(endpoint_.database)}, "SELECT");
  if (preamble.empty()) return becomeReady();
  state_ = State::Preparing;
  for (std::size_t i = 0; i < preamble.size(); ++i) {
    const bool last = i + 1 == preamble.size();
    send(preamble[i].first, [self = shared_from_this(), gen = generation_, what = preamble[i].second, last](RedisResult r) {
      if (gen != self->generation_) return;
      if (!r.ok()) {
        // Never the password: only which command failed and Redis's own message.
        spdlog::error("redis {}:{}: {} failed: {}", self->endpoint_.host, self->endpoint_.port, what,
                      r.failure == RedisFailure::None ? r.reply.text : "no answer");
        return self->reset(RedisFailure::Broken);
      }
      if (last) self->becomeReady();
    });
  }
}

void RedisConnection::becomeReady() {
  connectTimer_.cancel();
  state_ = State::Ready;
  reconnectDelay_ = options_.firstReconnectDelay;
  // What was held goes out now, its command timeout counted from now rather than from when it was held.
  const auto now = std::chrono::steady_clock::now();
  outgoing_ += held_;
  held_.clear();
  for (auto& p : heldPending_) {
    p.sentAt = now;
    pending_.push_back(std::move(p));
  }
  heldPending_.clear();
  armTimeout();
  if (!writeInFlight_) write();
  spdlog::info("redis {}:{}: connected", endpoint_.host, endpoint_.port);
}

void RedisConnection::command(std::vector<std::string> args, Callback done) {
  switch (state_) {
    case State::Waiting:  // between two attempts: fail at once
    case State::Stopped:
      asio::post(ioc_, [done = std::move(done)] { done(RedisResult{RedisFailure::Unavailable, {}}); });
      return;
    case State::Connecting:  // an attempt under way: hold it; it goes out or fails with the attempt
    case State::Preparing:
      appendCommand(held_, args);
      heldPending_.push_back({std::move(done), std::chrono::steady_clock::now()});
      return;
    case State::Ready:
      send(args, std::move(done));
      return;
  }
}

void RedisConnection::appendCommand(std::string& out, const std::vector<std::string>& args) {
  // RESP's framing of a command, written in place: hiredis's formatter would sprintf each length into a
  // buffer of its own, to be copied here again.
  auto number = [&out](char prefix, std::size_t n) {
    char digits[24];
    digits[0] = prefix;
    const auto end = std::to_chars(digits + 1, digits + sizeof digits - 2, n).ptr;
    end[0] = '\r';
    end[1] = '\n';
    out.append(digits, static_cast<std::size_t>(end + 2 - digits));
  };
  number('*', args.size());
  for (const auto& a : args) {
    number('$', a.size());
    out.append(a).append("\r\n");
  }
}

void RedisConnection::send(const std::vector<std::string>& args, Callback done) {
  appendCommand(outgoing_, args);
  pending_.push_back({std::move(done), std::chrono::steady_clock::now()});
  armTimeout();
  // At once if no write is under way (a deferred write measured slower: the request waits longer for
  // Redis); while one is, commands gather in outgoing_ and go out together when it completes.
  if (!writeInFlight_) write();
}

void RedisConnection::write() {
  if (outgoing_.empty()) return;
  writing_.swap(outgoing_);  // what arrives meanwhile waits in outgoing_ for the next write
  outgoing_.clear();
  writeInFlight_ = true;
  auto done = [self = shared_from_this(), gen = generation_, keep = tls_](error_code ec, std::size_t) {
    if (gen != self->generation_) return;
    self->writeInFlight_ = false;
    if (ec) return self->reset(RedisFailure::Broken);
    self->write();
  };
  if (tls_)
    asio::async_write(*tls_, asio::buffer(writing_), std::move(done));
  else
    asio::async_write(socket_, asio::buffer(writing_), std::move(done));
}

void RedisConnection::read() {
  auto done = [self = shared_from_this(), gen = generation_, keep = tls_](error_code ec, std::size_t n) {
    if (gen != self->generation_) return;
    if (ec) return self->reset(RedisFailure::Broken);
    self->onData(n);
  };
  if (tls_)
    tls_->async_read_some(asio::buffer(readBuffer_), std::move(done));
  else
    socket_.async_read_some(asio::buffer(readBuffer_), std::move(done));
}

void RedisConnection::onData(std::size_t bytes) {
  const unsigned gen = generation_;
  if (redisReaderFeed(reader_, readBuffer_.data(), bytes) != REDIS_OK) return reset(RedisFailure::Broken);
  for (;;) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK) return reset(RedisFailure::Broken);
    if (!raw) break;  // more bytes needed
    auto reply = convert(*static_cast<redisReply*>(raw));
    freeReplyObject(raw);
    if (pending_.empty()) return reset(RedisFailure::Broken);  // a reply nobody asked for
    auto done = std::move(pending_.front().done);
    pending_.pop_front();
    done(RedisResult{RedisFailure::None, std::move(reply)});
    if (gen != generation_) return;  // the callback reset or stopped the connection
  }
  read();
}

void RedisConnection::armTimeout() {
  if (timerArmed_ || pending_.empty()) return;
  timerArmed_ = true;
  commandTimer_.expires_at(pending_.front().sentAt + options_.commandTimeout);
  commandTimer_.async_wait([self = shared_from_this(), gen = generation_](error_code ec) {
    if (gen != self->generation_) return;
    self->timerArmed_ = false;
    if (ec || self->pending_.empty()) return;
    if (std::chrono::steady_clock::now() >= self->pending_.front().sentAt + self->options_.commandTimeout) {
      spdlog::warn("redis {}:{}: no reply within {} ms, reconnecting", self->endpoint_.host, self->endpoint_.port,
                   self->options_.commandTimeout.count());
      return self->reset(RedisFailure::Timeout);
    }
    self->armTimeout();  // the oldest command is younger than the one the timer was set for
  });
}

void RedisConnection::failAll(RedisFailure failure) {
  auto failed = std::move(pending_);
  pending_.clear();
  for (auto& p : heldPending_) failed.push_back(std::move(p));
  heldPending_.clear();
  held_.clear();
  for (auto& p : failed) p.done(RedisResult{failure, {}});
}

void RedisConnection::reset(RedisFailure failure) {
  if (state_ == State::Stopped) return;
  if (state_ == State::Ready) spdlog::warn("redis {}:{}: connection lost", endpoint_.host, endpoint_.port);
  state_ = State::Waiting;
  closeAttempt();
  outgoing_.clear();
  writing_.clear();
  redisReaderFree(reader_);
  reader_ = redisReaderCreate();
  failAll(failure);
  if (state_ == State::Stopped) return;  // a callback stopped it
  reconnectTimer_.expires_after(reconnectDelay_);
  reconnectDelay_ = std::min(reconnectDelay_ * 2, options_.maxReconnectDelay);
  reconnectTimer_.async_wait([self = shared_from_this(), gen = generation_](error_code ec) {
    if (!ec && gen == self->generation_) self->connect();
  });
}

void RedisConnection::abandon() {
  auto dropped = std::move(pending_);
  auto droppedHeld = std::move(heldPending_);
  pending_.clear();
  heldPending_.clear();
  stop();
}

void RedisConnection::stop() {
  if (state_ == State::Stopped) return;
  state_ = State::Stopped;
  closeAttempt();
  reconnectTimer_.cancel();
  failAll(RedisFailure::Unavailable);
}

void RedisConnection::closeAttempt() {
  ++generation_;  // what completes for the closed socket, timers included, is ignored from now on
  error_code ignored;
  socket().close(ignored);
  tls_.reset();
  resolver_.cancel();
  connectTimer_.cancel();
  commandTimer_.cancel();
  timerArmed_ = false;
  writeInFlight_ = false;
}

}  // namespace tokens::store::redis
