// The store contract (tests/support/store_contract.h) on the Redis store, against a redis-server of this
// binary's own, emptied before each test.

#include <gtest/gtest.h>

#include "redis_process.h"
#include "store/redis/redis_client.h"
#include "store/redis/redis_token_store.h"
#include "store/redis/redis_uri.h"
#include "store_contract.h"

namespace {

using namespace tokens::testing;
using tokens::store::RedisTokenStore;
namespace redis = tokens::store::redis;

// One redis-server for the whole binary (started on first use, stopped at exit).
RedisProcess& sharedRedis() {
  static RedisProcess process;
  static const bool started = (process.start(), true);
  (void)started;
  return process;
}

std::unique_ptr<TokenStore> openEmptyRedisStore() {
  const auto endpoint = std::get<redis::RedisEndpoint>(redis::parseRedisUri(sharedRedis().uri(2)));
  {
    redis::RedisClient client(endpoint, {});
    const auto flushed = client.call({"FLUSHDB"});
    if (!flushed.ok()) throw std::runtime_error("FLUSHDB: " + redis::failureOf(flushed));
  }
  return std::make_unique<RedisTokenStore>(endpoint);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract,
                         ::testing::Values(StoreUnderTest{"redis", [](const fs::path&) { return openEmptyRedisStore(); }}),
                         storeName);

}  // namespace
