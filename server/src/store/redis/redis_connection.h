#pragma once
// One pipelined connection to Redis on an Asio event loop: commands are written as they come and their
// replies matched to them in order, so many requests in flight share one socket and one round trip.
// Nothing blocks: the reply (or the failure) comes to a callback on the loop.
//
// While Redis is unreachable, commands fail at once (Unavailable) and the connection tries again with a
// growing delay, by itself; during an attempt they are held for its outcome (at most the connect timeout),
// and go out only once AUTH and SELECT have succeeded. A reply that does not come within the command timeout fails every command in
// flight and resets the connection: a slow Redis must not hold requests for ever.
//
// The protocol (RESP) is hiredis's reader and formatter; the I/O is Asio's, and so is TLS (rediss://):
// the server's certificate is checked against the system's CAs (or the file SSL_CERT_FILE names) and
// against the host name or address of the URI.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "store/redis/redis_uri.h"

struct redisReader;

namespace tokens::store::redis {

struct RedisReply {
  enum class Type { String, Status, Integer, Nil, Array, Error };
  Type type = Type::Nil;
  std::string text;  ///< String, Status and Error replies
  long long integer = 0;
  std::vector<RedisReply> elements;
};

enum class RedisFailure {
  None,
  Unavailable,  ///< not connected (yet, or any more); nothing was sent
  Timeout,      ///< sent, but no reply in time: it may or may not have been carried out
  Broken,       ///< the connection broke (or spoke nonsense) with the command in flight
  NotReplicated ///< carried out by the primary, but no replica acknowledged it in time (WAIT)
};

struct RedisResult {
  RedisFailure failure = RedisFailure::None;
  RedisReply reply;
  bool ok() const { return failure == RedisFailure::None && reply.type != RedisReply::Type::Error; }
};

struct RedisOptions {
  std::chrono::milliseconds connectTimeout{1000};
  std::chrono::milliseconds commandTimeout{1000};
  std::chrono::milliseconds firstReconnectDelay{50};
  std::chrono::milliseconds maxReconnectDelay{1000};
  /// How long a durable write waits for a replica's acknowledgement (WAIT); below the command timeout.
  std::chrono::milliseconds replicaAckTimeout{500};
  /// With a cluster: how long a command is retried while the cluster says it did not carry it out
  /// (a failover, a resharding), before the caller is told it is unavailable.
  std::chrono::milliseconds clusterRetryBudget{1500};
};

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  using Callback = std::function<void(RedisResult)>;

  /// Starts connecting at once. Everything else happens on `ioc`'s thread.
  static std::shared_ptr<RedisConnection> start(boost::asio::io_context& ioc, RedisEndpoint endpoint,
                                                RedisOptions options = {});
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command (its arguments, binary-safe). `done` runs later on the loop, never inside this
  /// call. Call on the loop's thread.
  void command(std::vector<std::string> args, Callback done);
  /// Connected, authenticated and on the right database.
  bool ready() const { return state_ == State::Ready; }
  /// Closes for good; commands in flight fail (Unavailable). Call on the loop's thread.
  void stop();
  /// Closes for good without calling anything back: for when the loop itself is shutting down, and what
  /// waits on a command is being destroyed with it.
  void abandon();

 private:
  // Connecting: TCP (and TLS) under way. Preparing: AUTH/SELECT sent, not answered yet. Commands given
  // in either are held until Ready, and fail with the attempt.
  enum class State { Connecting, Preparing, Ready, Waiting, Stopped };
  struct Pending {
    Callback done;
    std::chrono::steady_clock::time_point sentAt;
  };

  using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

  RedisConnection(boost::asio::io_context& ioc, RedisEndpoint endpoint, RedisOptions options);
  void connect();
  void handshake();
  /// The socket of the current attempt (the TLS stream's, with TLS).
  boost::asio::ip::tcp::socket& socket() { return tls_ ? tls_->next_layer() : socket_; }
  void onConnected();
  void becomeReady();
  static void appendCommand(std::string& out, const std::vector<std::string>& args);
  void send(const std::vector<std::string>& args, Callback done);
  void write();
  void read();
  void onData(std::size_t bytes);
  void armTimeout();
  /// Closes the socket and stops the timers of the current attempt; its completions are ignored after.
  void closeAttempt();
  /// Fails what is in flight with `failure`, closes, and tries again after a delay.
  void reset(RedisFailure failure);
  void failAll(RedisFailure failure);

  boost::asio::io_context& ioc_;
  RedisEndpoint endpoint_;
  RedisOptions options_;
  State state_ = State::Connecting;
  unsigned generation_ = 0;  // bumped on every reset: completions of an older socket are ignored
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;  // without TLS
  std::optional<boost::asio::ssl::context> tlsContext_;
  // With TLS, a fresh stream per attempt: the handlers of an attempt that failed keep theirs alive
  // until they have run, so a reset never frees a stream that Asio still works on.
  std::shared_ptr<TlsStream> tls_;
  boost::asio::steady_timer connectTimer_;
  boost::asio::steady_timer commandTimer_;
  boost::asio::steady_timer reconnectTimer_;
  std::chrono::milliseconds reconnectDelay_;
  redisReader* reader_ = nullptr;
  std::deque<Pending> pending_;      // sent (or being sent), in order
  std::string held_;                 // formatted commands held until Ready
  std::deque<Pending> heldPending_;
  std::string outgoing_;  // formatted commands not yet handed to a write
  std::string writing_;   // the ones being written
  bool writeInFlight_ = false;
  bool timerArmed_ = false;
  std::vector<char> readBuffer_;
};

}  // namespace tokens::store::redis
