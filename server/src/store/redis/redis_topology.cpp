#include "store/redis/redis_topology.h"

namespace tokens::store::redis {

std::string addressOf(const RedisEndpoint& endpoint) {
  const bool ipv6 = endpoint.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + std::to_string(endpoint.port);
}

std::shared_ptr<const RedisTopology> RedisTopology::single(const RedisEndpoint& endpoint, std::size_t replicas,
                                                           bool learnt) {
  auto t = std::make_shared<RedisTopology>();
  t->nodes_.push_back(RedisNode{endpoint, addressOf(endpoint), replicas});
  t->owner_.assign(kClusterSlots, 0);
  t->learnt_ = learnt;
  t->learntAt_ = std::chrono::steady_clock::now();
  return t;
}

std::shared_ptr<const RedisTopology> RedisTopology::cluster(const std::vector<SlotRange>& ranges,
                                                            const RedisEndpoint& asked,
                                                            const RedisEndpoint& credentials) {
  auto t = std::make_shared<RedisTopology>();
  t->owner_.assign(kClusterSlots, kNone);
  for (const auto& range : ranges) {
    RedisEndpoint endpoint = credentials;
    endpoint.host = range.primary.host.empty() ? asked.host : range.primary.host;
    endpoint.port = range.primary.port;
    endpoint.database = 0;
    const auto address = addressOf(endpoint);
    std::size_t index = 0;
    while (index < t->nodes_.size() && t->nodes_[index].address != address) ++index;
    if (index == t->nodes_.size()) t->nodes_.push_back(RedisNode{endpoint, address, 0});
    // CLUSTER SLOTS leaves out replicas marked as failed: these are the ones that can be promoted.
    t->nodes_[index].replicas = std::max(t->nodes_[index].replicas, range.replicas.size());
    for (std::uint32_t slot = range.first; slot <= range.last; ++slot) t->owner_[slot] = static_cast<std::uint16_t>(index);
  }
  t->learnt_ = true;
  t->learntAt_ = std::chrono::steady_clock::now();
  return t;
}

const RedisNode* RedisTopology::nodeFor(std::uint16_t slot) const {
  const auto index = slot < owner_.size() ? owner_[slot] : kNone;
  return index == kNone ? nullptr : &nodes_[index];
}

const RedisNode* RedisTopology::node(std::string_view address) const {
  for (const auto& n : nodes_)
    if (n.address == address) return &n;
  return nullptr;
}

}  // namespace tokens::store::redis
