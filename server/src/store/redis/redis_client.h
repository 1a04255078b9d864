#pragma once
// How the Redis store sends a command, from wherever it is called:
//  - in a request fiber (async/request_fiber.h): on that event loop's own pipelined connections, with
//    the fiber suspended until the reply; the loop serves other requests meanwhile;
//  - anywhere else (a periodic task's thread, start-up, a test): in a fiber of its own on this client's
//    own loop, which the calling thread drives until the reply (async::runInFiberHere), blocking only
//    that thread. Such callers take turns on that loop.
//
// To one Redis, or to a Redis Cluster (docs/redis.md). With a cluster, each command goes to the primary
// that serves its first key's hash slot, as the client last learnt from CLUSTER SLOTS; it follows MOVED
// (and learns the map again) and ASK (ASKING, once), and retries, within a bounded time, what the
// cluster says it did not do (TRYAGAIN, CLUSTERDOWN, a node unreachable: not sent). What may have been
// carried out (a timeout, a connection broken with the command in flight) is never sent twice.
//
// A durable write (an issued token, a revocation, a settings change: SPEC §7) goes on a connection of
// its own, followed by WAIT: when its node has a replica, at least one must acknowledge the write within
// the replica timeout, or the result is NotReplicated and the caller answers 503. Reads never queue
// behind a WAIT.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "store/redis/redis_connection.h"
#include "store/redis/redis_topology.h"

namespace tokens::store::redis {

/// A Lua script, sent by its SHA-1 (EVALSHA) and in full only when Redis does not know it yet.
struct RedisScript {
  explicit RedisScript(std::string source);
  std::string source;
  std::string sha1;  ///< lowercase hex
};

enum class Write {
  Plain,   ///< a read, or a write that may be lost with its primary (activity, counters, throttles)
  Durable  ///< acknowledged by a replica, when there is one, before it counts as done
};

struct RedisCommand {
  std::vector<std::string> args;
  Write write = Write::Plain;
  /// Sent to this node ("host:port" of RedisTopology) rather than by key: for questions about a node.
  std::string node;
};

class RedisClient {
 public:
  /// One Redis.
  RedisClient(RedisEndpoint endpoint, RedisOptions options);
  /// A Redis Cluster, first asked for its slot map at these seeds.
  RedisClient(RedisClusterSeeds seeds, RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  /// Sends one command and waits for its reply as above. Redis failures are in the result, not thrown.
  RedisResult call(std::vector<std::string> args, Write write = Write::Plain);
  /// Sends them all at once (each to its own node) and waits for every reply, in their order.
  std::vector<RedisResult> callAll(std::vector<RedisCommand> commands);
  /// Runs a script: EVALSHA, then EVAL if Redis lost its script cache (a restart, SCRIPT FLUSH, a node
  /// that never saw it). `keysAndArgs` starts with the number of keys, as EVAL's own arguments do; with
  /// a cluster, the first key chooses the node, and every key must be in its slot.
  RedisResult eval(const RedisScript& script, std::vector<std::string> keysAndArgs, Write write = Write::Plain);
  /// The same script run many times at once, with each set of keys and arguments.
  std::vector<RedisResult> evalAll(const RedisScript& script, std::vector<std::vector<std::string>> keysAndArgs,
                                   Write write = Write::Plain);

  /// Learns again which node serves what (CLUSTER SLOTS; for one Redis, INFO replication: its replicas in
  /// sync) when what is known is older than `age`. For a periodic task.
  void refreshIfOlderThan(std::chrono::milliseconds age);
  /// What the client knows now (never null).
  std::shared_ptr<const RedisTopology> topology() const;
  bool isCluster() const { return !seeds_.empty(); }

  const RedisOptions& options() const { return options_; }
  /// Tells apart the clients that share a loop (each has its own connections there).
  std::uint64_t id() const { return id_; }

 private:
  class Batch;
  std::vector<RedisResult> callAllInFiber(std::vector<RedisCommand>& commands);
  void refreshInFiber(bool force);
  /// One question to each of these nodes, at once, by address rather than by key (in a fiber).
  std::vector<RedisResult> askEach(const std::vector<RedisEndpoint>& nodes, const std::vector<std::string>& args);
  void publish(std::shared_ptr<const RedisTopology> topology);

  std::vector<RedisEndpoint> seeds_;  // empty: one Redis
  RedisOptions options_;
  std::uint64_t id_;
  mutable std::mutex topologyMutex_;
  std::shared_ptr<const RedisTopology> topology_;
  std::atomic<bool> refreshing_{false};
  std::atomic<std::int64_t> lastRefreshAttemptNs_{0};
  std::mutex ownLoopMutex_;  // one plain thread at a time drives ownLoop_
  boost::asio::io_context ownLoop_{1};
};

/// The prefix of every key the Redis stores write (use a database of its own to keep apart deployments).
inline constexpr std::string_view kKeyPrefix = "tokens:";

/// The reply, or StoreUnavailable (store/token_store.h) saying what failed while doing `what`.
RedisReply replyOrThrow(RedisResult result, std::string_view what);
/// Every reply, or StoreUnavailable for the first failure.
std::vector<RedisReply> repliesOrThrow(std::vector<RedisResult> results, std::string_view what);

/// The number in a bulk-string reply ("1712345678901"), 0 when there is none.
std::int64_t integerOf(const RedisReply& reply);

/// The failure a result describes, for logs and StoreUnavailable messages ("" for none).
std::string failureOf(const RedisResult& result);

}  // namespace tokens::store::redis
