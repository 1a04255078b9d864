#pragma once
// How the Redis store sends a command, from wherever it is called:
//  - in a request fiber (async/request_fiber.h): on that event loop's own pipelined connection, with
//    the fiber suspended until the reply; the loop serves other requests meanwhile;
//  - anywhere else (a periodic task's thread, start-up, a test): in a fiber of its own on this client's
//    own loop, which the calling thread drives until the reply (async::runInFiberHere), blocking only
//    that thread. Such callers take turns on that loop.
// Either way the wait is bounded by the command timeout, and a Redis that is down fails at once.

#include <atomic>
#include <mutex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "store/redis/redis_connection.h"

namespace tokens::store::redis {

/// A Lua script, sent by its SHA-1 (EVALSHA) and in full only when Redis does not know it yet.
struct RedisScript {
  explicit RedisScript(std::string source);
  std::string source;
  std::string sha1;  ///< lowercase hex
};

class RedisClient {
 public:
  RedisClient(RedisEndpoint endpoint, RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  /// Sends one command and waits for its reply as above. Redis failures are in the result, not thrown.
  RedisResult call(std::vector<std::string> args);
  /// Runs a script: EVALSHA, then EVAL if Redis lost its script cache (a restart, SCRIPT FLUSH).
  /// `keysAndArgs` starts with the number of keys, as EVAL's own arguments do.
  RedisResult eval(const RedisScript& script, std::vector<std::string> keysAndArgs);

  const RedisEndpoint& endpoint() const { return endpoint_; }
  const RedisOptions& options() const { return options_; }
  /// Tells apart the clients that share a loop (each has its own connection there).
  std::uint64_t id() const { return id_; }

 private:
  /// In a fiber: on the connection of the fiber's own loop.
  RedisResult callInFiber(std::vector<std::string> args);

  RedisEndpoint endpoint_;
  RedisOptions options_;
  std::uint64_t id_;
  std::mutex ownLoopMutex_;  // one plain thread at a time drives ownLoop_
  boost::asio::io_context ownLoop_{1};
};

/// The prefix of every key the Redis stores write (use a database of its own to keep apart deployments).
inline constexpr std::string_view kKeyPrefix = "tokens:";

/// The reply, or StoreUnavailable (store/token_store.h) saying what failed while doing `what`.
RedisReply replyOrThrow(RedisResult result, std::string_view what);

/// The number in a bulk-string reply ("1712345678901"), 0 when there is none.
std::int64_t integerOf(const RedisReply& reply);

/// The failure a result describes, for logs and StoreUnavailable messages ("" for none).
std::string failureOf(const RedisResult& result);

}  // namespace tokens::store::redis
