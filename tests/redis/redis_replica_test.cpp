// One Redis with a replica (SPEC §7 "a primary with replicas", docs/redis.md "Failover without loss"):
// the client learns the replica in sync from INFO replication, and a durable write counts as done only once the replica
// has acknowledged it.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "redis_process.h"
#include "store/redis/redis_client.h"
#include "store/redis/redis_token_store.h"
#include "store/redis/redis_uri.h"
#include "store_fixtures.h"

namespace {

using namespace tokens::testing;
using namespace std::chrono_literals;
namespace redis = tokens::store::redis;

TEST(RedisReplica, ADurableWriteWaitsForTheReplicaAndFailsWhileItIsFrozen) {
  // The replica counts once it has acknowledged some of the stream: on a primary without writes, once
  // the first replication PING has gone by (10 s by default).
  RedisProcess primary({"--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1"});
  primary.start();
  RedisProcess replica({"--replicaof", "127.0.0.1", std::to_string(primary.port())});
  replica.start();
  redis::RedisOptions options;
  options.replicaAckTimeout = 300ms;
  redis::RedisClient client(std::get<redis::RedisEndpoint>(redis::parseRedisUri(primary.uri(0))), options);
  // Until the replica is in sync, it does not count.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    client.refreshIfOlderThan(0ms);
    if (client.topology()->primaries().front().replicas == 1) break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(client.topology()->primaries().front().replicas, 1U);
  ASSERT_TRUE(client.call({"SET", "tokens:k", "1"}, redis::Write::Durable).ok());

  replica.freeze();
  const auto started = std::chrono::steady_clock::now();
  const auto durable = client.call({"SET", "tokens:k", "2"}, redis::Write::Durable);
  EXPECT_EQ(durable.failure, redis::RedisFailure::NotReplicated) << redis::failureOf(durable);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  EXPECT_TRUE(client.call({"GET", "tokens:k"}).ok()) << "a read does not wait";
  replica.thaw();
  EXPECT_TRUE(client.call({"SET", "tokens:k", "3"}, redis::Write::Durable).ok());
}

TEST(RedisReplica, ARevocationRetriedAfterA503WaitsForTheReplicaToo) {
  // The first attempt deletes the token on the primary, and its answer is a 503: no replica
  // acknowledged it. A second attempt, from another node, finds nothing to delete: it must not be
  // answered done either while no replica has the deletion, or a failover now would bring back a token
  // whose revocation was answered (the scripts' fence, redis_token_scripts.h).
  // The replica counts once it has acknowledged some of the stream: on a primary without writes, once
  // the first replication PING has gone by (10 s by default).
  RedisProcess primary({"--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1"});
  primary.start();
  RedisProcess replica({"--replicaof", "127.0.0.1", std::to_string(primary.port())});
  replica.start();
  tokens::store::RedisStoreOptions options;
  options.connection.replicaAckTimeout = 300ms;
  tokens::store::RedisTokenStore store(std::get<redis::RedisEndpoint>(redis::parseRedisUri(primary.uri(0))), options);
  // Another node: its connections' last writes are not the first attempt's.
  tokens::store::RedisTokenStore other(std::get<redis::RedisEndpoint>(redis::parseRedisUri(primary.uri(0))), options);
  redis::RedisClient probe(std::get<redis::RedisEndpoint>(redis::parseRedisUri(primary.uri(0))), {});
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (probe.topology()->primaries().front().replicas == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    probe.refreshIfOlderThan(0ms);
  }
  std::this_thread::sleep_for(1100ms);  // the store's own client learns it within a second
  const auto token = record("t", tokens::store::TokenKind::Access, "org-a", "c", "u");
  store.insert(std::vector{token}, kNow);

  replica.freeze();
  const std::vector<Digest> digests{token.digest};
  EXPECT_THROW(store.revoke(digests), tokens::store::StoreUnavailable) << "not acknowledged";
  EXPECT_THROW(other.revoke(digests), tokens::store::StoreUnavailable) << "nothing left to delete, still not acknowledged";
  EXPECT_THROW(other.revokeUser("org-a", "u"), tokens::store::StoreUnavailable);
  replica.thaw();
  EXPECT_EQ(store.revoke(digests), 0u) << "now acknowledged";
}

TEST(RedisReplica, WithoutAReplicaADurableWriteDoesNotWait) {
  RedisProcess alone;
  alone.start();
  redis::RedisClient client(std::get<redis::RedisEndpoint>(redis::parseRedisUri(alone.uri(0))), {});
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.call({"SET", "tokens:k", "1"}, redis::Write::Durable).ok());
  EXPECT_TRUE(client.topology()->learnt()) << "INFO replication was asked";
  EXPECT_EQ(client.topology()->primaries().front().replicas, 0U);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 250ms) << "no WAIT for a replica that does not exist";
}

}  // namespace
