#pragma once
// Which Redis node serves which hash slot, as the client last learnt it: for one Redis, that one node
// for every slot; for a cluster, the primaries CLUSTER SLOTS named (redis_cluster_slots.h). Immutable:
// the client publishes a new one when it learns more (a MOVED, a failover, a resharding).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/redis/redis_cluster_slots.h"
#include "store/redis/redis_uri.h"

namespace tokens::store::redis {

struct RedisNode {
  RedisEndpoint endpoint;  ///< with the credentials and TLS of the URI the store was given
  std::string address;     ///< "host:port", how the client tells nodes apart
  std::size_t replicas = 0;  ///< replicas the node had when last asked: a durable write waits for one
};

/// "host:port" of an endpoint.
std::string addressOf(const RedisEndpoint& endpoint);

class RedisTopology {
 public:
  /// One Redis serving every slot.
  static std::shared_ptr<const RedisTopology> single(const RedisEndpoint& endpoint, std::size_t replicas, bool learnt);
  /// A cluster's primaries from a CLUSTER SLOTS reply that `asked` gave. Nodes it could not name (an
  /// empty host) are `asked` itself. Every node gets `credentials`' user, password and TLS.
  static std::shared_ptr<const RedisTopology> cluster(const std::vector<SlotRange>& ranges, const RedisEndpoint& asked,
                                                       const RedisEndpoint& credentials);

  /// The node serving `slot`, or null when none does (a cluster with slots uncovered).
  const RedisNode* nodeFor(std::uint16_t slot) const;
  /// The node with this address, or null.
  const RedisNode* node(std::string_view address) const;
  const std::vector<RedisNode>& primaries() const { return nodes_; }
  /// Whether this was learnt from Redis (INFO replication or CLUSTER SLOTS), rather than assumed from the URI.
  bool learnt() const { return learnt_; }
  std::chrono::steady_clock::time_point learntAt() const { return learntAt_; }

 private:
  static constexpr std::uint16_t kNone = 0xFFFF;
  std::vector<RedisNode> nodes_;
  std::vector<std::uint16_t> owner_;  // per slot, an index into nodes_ (kNone: uncovered)
  bool learnt_ = false;
  std::chrono::steady_clock::time_point learntAt_;
};

}  // namespace tokens::store::redis
