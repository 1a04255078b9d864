// keySlot (store/redis/redis_cluster_slots.h) agrees with what a real Redis Cluster node says for
// every kind of key the stores write, and random bytes besides.

#include <random>

#include <gtest/gtest.h>

#include "free_port.h"
#include "redis_process.h"
#include "store/redis/redis_client.h"
#include "store/redis/redis_cluster_slots.h"
#include "store/redis/redis_uri.h"

namespace {

using namespace tokens::testing;
namespace redis = tokens::store::redis;

TEST(ClusterKeySlot, AgreesWithRedisClusterKeyslot) {
  // The cluster bus port is given: by default it is the port + 10,000, which an ephemeral port above 55535
  // does not have (the node refuses to start).
  RedisProcess node({"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port",
                     std::to_string(freeLoopbackPort())});
  node.start();
  redis::RedisClient client(std::get<redis::RedisEndpoint>(redis::parseRedisUri(node.uri(0))), {});
  std::vector<std::string> keys{"tokens:t:0123abcd", "tokens:{ab}:t", "foo{}{bar}", "foo{{bar}}zap", "{",
                                "}", "{}", "a{b}c", std::string("\0\xff{\x01}", 5)};
  std::mt19937 random(7);
  for (int i = 0; i < 200; ++i) {
    std::string key(random() % 24, '\0');
    for (auto& c : key) c = "ab{}\x00\xff:x"[random() % 8];
    keys.push_back(key);
  }
  for (const auto& key : keys) {
    const auto reply = client.call({"CLUSTER", "KEYSLOT", key});
    ASSERT_TRUE(reply.ok()) << redis::failureOf(reply) << " " << reply.reply.text;
    EXPECT_EQ(redis::keySlot(key), reply.reply.integer) << "key of " << key.size() << " bytes";
  }
}

}  // namespace
