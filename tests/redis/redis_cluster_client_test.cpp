// The Redis store on a Redis Cluster (issue 13, SPEC §7, docs/redis.md): the store contract on a 3 + 3
// cluster of real redis-server processes, and the client's routing: every bucket on the node that
// serves it, MOVED and ASK followed while slots move, the map learnt again.

#include <gtest/gtest.h>

#include <thread>

#include "redis_cluster_process.h"
#include "store/redis/redis_client.h"
#include "store/redis/redis_cluster_slots.h"
#include "store/redis/redis_keys.h"
#include "store/redis/redis_token_store.h"
#include "store/redis/redis_uri.h"
#include "store_contract.h"

namespace {

using namespace tokens::testing;
using namespace std::chrono_literals;
using tokens::store::RedisTokenStore;
namespace redis = tokens::store::redis;

redis::RedisClusterSeeds seedsOf(const RedisClusterProcess& cluster) {
  return std::get<redis::RedisClusterSeeds>(redis::parseRedisClusterUri(cluster.uri()));
}

// One cluster for the contract tests of this binary (started on first use, stopped at exit).
RedisClusterProcess& sharedCluster() {
  static RedisClusterProcess cluster;
  static const bool started = (cluster.start(), true);
  (void)started;
  return cluster;
}

std::unique_ptr<TokenStore> openEmptyClusterStore() {
  {
    redis::RedisClient client(seedsOf(sharedCluster()), {});
    client.refreshIfOlderThan(0ms);
    std::vector<redis::RedisCommand> flushes;
    for (const auto& node : client.topology()->primaries())
      flushes.push_back(redis::RedisCommand{{"FLUSHALL"}, redis::Write::Plain, node.address});
    for (const auto& r : client.callAll(std::move(flushes)))
      if (!r.ok()) throw std::runtime_error("FLUSHALL: " + redis::failureOf(r));
  }
  return std::make_unique<RedisTokenStore>(seedsOf(sharedCluster()));
}

INSTANTIATE_TEST_SUITE_P(ClusterStores, StoreContract,
                         ::testing::Values(StoreUnderTest{"rediscluster", [](const fs::path&) { return openEmptyClusterStore(); }}),
                         storeName);

TEST(RedisClusterClient, LearnsTheSlotMapAndSendsEachBucketToItsPrimary) {
  RedisClusterProcess cluster;
  cluster.start();
  redis::RedisClient client(seedsOf(cluster), {});
  std::vector<redis::RedisCommand> writes;
  for (std::size_t b = 0; b < redis::kBuckets; ++b)
    writes.push_back(redis::RedisCommand{{"SET", redis::bucketPrefix(b) + "probe", std::to_string(b)}, redis::Write::Durable, {}});
  for (const auto& r : client.callAll(std::move(writes))) ASSERT_TRUE(r.ok()) << redis::failureOf(r);

  const auto topology = client.topology();
  ASSERT_TRUE(topology->learnt());
  EXPECT_EQ(topology->primaries().size(), 3U);
  for (const auto& node : topology->primaries()) EXPECT_EQ(node.replicas, 1U) << node.address;
  // The buckets divide evenly: 256 over three equal slot ranges is 85 or 86 each.
  for (const auto p : cluster.primaries()) {
    const auto keys = std::stoi(cluster.cli(p, {"DBSIZE"}));
    EXPECT_GE(keys, 85) << "primary " << p;
    EXPECT_LE(keys, 86) << "primary " << p;
  }
  // And each copy is where CLUSTER KEYSLOT says: read back from the node itself, no redirection.
  for (std::size_t b = 0; b < redis::kBuckets; b += 37) {
    const auto key = redis::bucketPrefix(b) + "probe";
    const auto* node = topology->nodeFor(redis::keySlot(key));
    ASSERT_NE(node, nullptr);
    const auto value = cluster.cli(cluster.indexOfPort(node->endpoint.port), {"GET", key});
    EXPECT_EQ(value, std::to_string(b) + "\n") << key;
  }
}

TEST(RedisClusterClient, FollowsMovedAfterASlotMigrationAndLearnsTheNewOwner) {
  RedisClusterProcess cluster;
  cluster.start();
  redis::RedisClient client(seedsOf(cluster), {});
  const std::string key = redis::bucketPrefix(0) + "probe";  // bucket 0: slots 0..63, the first primary's
  ASSERT_TRUE(client.call({"SET", key, "before"}).ok());
  const auto slot = redis::keySlot(key);
  const auto from = cluster.indexOfPort(client.topology()->nodeFor(slot)->endpoint.port);
  const auto primaries = cluster.primaries();
  const auto to = primaries.front() == from ? primaries.back() : primaries.front();

  // Move every slot of the first range to another primary, behind the client's back.
  const auto out = cluster.reshard(from, to, 200);
  ASSERT_NE(cluster.cli(to, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)}), "0\n") << out;

  const auto read = client.call({"GET", key});
  ASSERT_TRUE(read.ok()) << redis::failureOf(read);
  EXPECT_EQ(read.reply.text, "before");
  EXPECT_EQ(client.topology()->nodeFor(slot)->endpoint.port, cluster.node(to).port()) << "the map was learnt again";
}

TEST(RedisClusterClient, CommandsDuringAMigrationFollowAskAndNeverFail) {
  RedisClusterProcess cluster;
  cluster.start();
  redis::RedisClient client(seedsOf(cluster), {});
  ASSERT_TRUE(client.call({"PING"}).ok());
  const auto primaries = cluster.primaries();
  std::atomic<bool> stop{false};
  std::atomic<int> done{0}, failed{0};
  std::string lastFailure;
  std::thread load([&] {
    // Scripts on bucket keys, as the store sends them, over and over while slots move.
    for (int i = 0; !stop; ++i) {
      const std::size_t b = static_cast<std::size_t>(i) % redis::kBuckets;
      const auto r = client.call({"INCR", redis::bucketPrefix(b) + "counter"}, redis::Write::Durable);
      if (r.ok()) {
        ++done;
      } else {
        ++failed;
        lastFailure = redis::failureOf(r);
      }
    }
  });
  const auto out = cluster.reshard(primaries[0], primaries[1], 1000);
  std::this_thread::sleep_for(200ms);
  stop = true;
  load.join();
  EXPECT_EQ(failed.load(), 0) << lastFailure << "\n" << out;
  EXPECT_GT(done.load(), 100);
  // Every increment counted once: the counters add up to what was done.
  long long total = 0;
  for (std::size_t b = 0; b < redis::kBuckets; ++b) {
    const auto r = client.call({"GET", redis::bucketPrefix(b) + "counter"});
    ASSERT_TRUE(r.ok());
    total += redis::integerOf(r.reply);
  }
  EXPECT_EQ(total, done.load());
}

TEST(RedisClusterClient, TheStoresScriptsDuringAMigrationNeverFail) {
  // A script reaching a key that the migration has already moved stops with "non local key": the
  // client sends it again once the slot has moved, and every script ends as one whole run would.
  RedisClusterProcess cluster;
  cluster.start();
  RedisTokenStore store(seedsOf(cluster));
  const auto primaries = cluster.primaries();
  std::atomic<bool> stop{false};
  std::atomic<int> rounds{0};
  std::string failure;
  std::thread load([&] {
    try {
      for (int i = 0; !stop; ++i) {
        // A pair in every bucket in turn, found, then revoked as a logout revokes it.
        auto records = pair("m" + std::to_string(i), "org-a", "c", "u");
        records[0].digest[0] = records[1].digest[0] = static_cast<unsigned char>(i % 256);
        store.insert(records, kNow);
        if (!store.find(records[0].digest)) throw std::runtime_error("an inserted token was not found");
        if (store.revoke(std::vector{records[0].digest, records[1].digest}) != 2) throw std::runtime_error("not both revoked");
        ++rounds;
      }
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  const auto out = cluster.reshard(primaries[0], primaries[1], 1000);
  std::this_thread::sleep_for(200ms);
  stop = true;
  load.join();
  EXPECT_EQ(failure, "") << out;
  EXPECT_GT(rounds.load(), 20);
  EXPECT_EQ(store.liveTokens(), 0u);
}

TEST(RedisClusterClient, ADurableWriteWaitsForAReplicaAndFailsWithoutOne) {
  // A long node timeout: the frozen replicas stay replicas in the cluster's eyes for the whole test.
  RedisClusterProcess::Options options;
  options.nodeTimeoutMs = 15000;
  RedisClusterProcess cluster(options);
  cluster.start();
  redis::RedisOptions connection;
  connection.replicaAckTimeout = 300ms;
  redis::RedisClient client(seedsOf(cluster), connection);
  ASSERT_TRUE(client.call({"SET", "tokens:{a}", "1"}, redis::Write::Durable).ok());

  for (const auto r : cluster.replicas()) cluster.node(r).freeze();
  const auto started = std::chrono::steady_clock::now();
  const auto durable = client.call({"SET", "tokens:{a}", "2"}, redis::Write::Durable);
  EXPECT_EQ(durable.failure, redis::RedisFailure::NotReplicated) << redis::failureOf(durable);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms) << "it waited for the replica";
  // A plain write and a read do not wait behind it.
  EXPECT_TRUE(client.call({"SET", "tokens:{b}", "1"}).ok());
  EXPECT_TRUE(client.call({"GET", "tokens:{a}"}).ok());
  for (const auto r : cluster.replicas()) cluster.node(r).thaw();

  EXPECT_TRUE(client.call({"SET", "tokens:{a}", "3"}, redis::Write::Durable).ok());
}

}  // namespace
