#pragma once
// A Redis Cluster of a test's own: redis-server processes on loopback ports (RedisProcess), made into a
// cluster by `redis-cli --cluster create`, as an operator would. Stopped at the end.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "redis_process.h"

namespace tokens::testing {

class RedisClusterProcess {
 public:
  struct Options {
    std::size_t primaries = 3;
    std::size_t replicasEach = 1;
    /// cluster-node-timeout: how long a node may be silent before it counts as failed (and its replica
    /// takes over). Short, for tests.
    int nodeTimeoutMs = 1000;
    std::vector<std::string> extraArgs;  ///< more redis-server options for every node
  };

  explicit RedisClusterProcess(Options options);
  RedisClusterProcess() : RedisClusterProcess(Options{}) {}
  ~RedisClusterProcess();
  RedisClusterProcess(const RedisClusterProcess&) = delete;
  RedisClusterProcess& operator=(const RedisClusterProcess&) = delete;

  /// Starts every node, creates the cluster and waits, bounded, until every node says it is ok.
  void start();

  /// The store URI with two of the nodes as seeds.
  std::string uri() const;
  std::size_t size() const { return nodes_.size(); }
  RedisProcess& node(std::size_t i) { return *nodes_.at(i); }

  /// Runs redis-cli against node i (`-c` follows redirections) and returns what it printed.
  std::string cli(std::size_t i, const std::vector<std::string>& args, bool followRedirects = false) const;
  /// The nodes that are primaries now, by index, as a running node reports them.
  std::vector<std::size_t> primaries() const;
  /// The replicas now, by index.
  std::vector<std::size_t> replicas() const;
  /// Waits until every running node says cluster_state:ok; false if not within `timeout`.
  bool waitUntilOk(std::chrono::milliseconds timeout) const;
  /// The node's cluster id (CLUSTER MYID).
  std::string nodeId(std::size_t i) const;
  /// Moves `slots` hash slots from node `from` to node `to` (redis-cli --cluster reshard), keys and
  /// all, and returns what redis-cli printed.
  std::string reshard(std::size_t from, std::size_t to, int slots) const;
  /// The index of the node listening on `port`.
  std::size_t indexOfPort(std::uint16_t port) const;

 private:
  std::vector<std::size_t> nodesWithRole(std::string_view role) const;

  Options options_;
  std::vector<std::unique_ptr<RedisProcess>> nodes_;
};

}  // namespace tokens::testing
