// --store redis://... parsing (SPEC §7, §9).

#include <gtest/gtest.h>

#include "store/redis/redis_uri.h"

namespace tokens::store::redis {
namespace {

RedisEndpoint ok(std::string_view uri) {
  auto r = parseRedisUri(uri);
  EXPECT_TRUE(std::holds_alternative<RedisEndpoint>(r)) << uri << ": " << std::get<std::string>(r);
  return std::holds_alternative<RedisEndpoint>(r) ? std::get<RedisEndpoint>(r) : RedisEndpoint{};
}

std::string bad(std::string_view uri) {
  auto r = parseRedisUri(uri);
  EXPECT_TRUE(std::holds_alternative<std::string>(r)) << uri << " was accepted";
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string();
}

TEST(RedisUri, ReadsHostPortDatabasePasswordAndTls) {
  auto e = ok("redis://127.0.0.1:6380/2");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 6380);
  EXPECT_EQ(e.database, 2);
  EXPECT_FALSE(e.tls);
  EXPECT_TRUE(e.password.empty());
  e = ok("redis://cache.internal");
  EXPECT_EQ(e.port, 6379);
  EXPECT_EQ(e.database, 0);
  e = ok("rediss://:p%40ss@cache.internal:6390/0");
  EXPECT_TRUE(e.tls);
  EXPECT_EQ(e.password, "p@ss") << "percent-decoded";
  EXPECT_TRUE(e.username.empty());
  e = ok("redis://tokens:pw@[::1]:7000");
  EXPECT_EQ(e.username, "tokens");
  EXPECT_EQ(e.password, "pw");
  EXPECT_EQ(e.host, "::1");
}

TEST(RedisUri, SaysWhatIsWrongWithoutRepeatingThePassword) {
  EXPECT_NE(bad("http://127.0.0.1:6379").find("redis://"), std::string::npos);
  EXPECT_NE(bad("redis://127.0.0.1:6379/16").find("0..15"), std::string::npos);
  EXPECT_NE(bad("redis://127.0.0.1:6379/x").find("database"), std::string::npos);
  EXPECT_NE(bad("redis://:secret@127.0.0.1:0/1").find("port"), std::string::npos);
  EXPECT_NE(bad("redis://127.0.0.1:99999/1").find("port"), std::string::npos) << "not wrapped to 34463";
  EXPECT_NE(bad("redis://127.0.0.1:65536/1").find("port"), std::string::npos);
  EXPECT_EQ(bad("redis://:secret@127.0.0.1:0/1").find("secret"), std::string::npos);
  EXPECT_FALSE(bad("redis://127.0.0.1:6379/0?x=1").empty());
  EXPECT_FALSE(bad("redis:///0").empty());
}

TEST(RedisClusterUri, ReadsEverySeedWithTheSameCredentialsAndTls) {
  auto r = parseRedisClusterUri("rediss-cluster://tokens:p%40ss@10.0.0.1:7000,[::1]:7001,redis-3.internal");
  ASSERT_TRUE(std::holds_alternative<RedisClusterSeeds>(r)) << std::get<std::string>(r);
  const auto& seeds = std::get<RedisClusterSeeds>(r).seeds;
  ASSERT_EQ(seeds.size(), 3u);
  EXPECT_EQ(seeds[0].host, "10.0.0.1");
  EXPECT_EQ(seeds[0].port, 7000);
  EXPECT_EQ(seeds[1].host, "::1");
  EXPECT_EQ(seeds[2].port, 6379);
  for (const auto& s : seeds) {
    EXPECT_TRUE(s.tls);
    EXPECT_EQ(s.username, "tokens");
    EXPECT_EQ(s.password, "p@ss");
    EXPECT_EQ(s.database, 0);
  }
  r = parseRedisClusterUri("redis-cluster://127.0.0.1:7000/");
  ASSERT_TRUE(std::holds_alternative<RedisClusterSeeds>(r));
  EXPECT_FALSE(std::get<RedisClusterSeeds>(r).seeds[0].tls);
}

TEST(RedisClusterUri, SaysWhatIsWrongWithoutRepeatingThePassword) {
  const auto bad = [](std::string_view uri) {
    auto r = parseRedisClusterUri(uri);
    EXPECT_TRUE(std::holds_alternative<std::string>(r)) << uri << " was accepted";
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string();
  };
  EXPECT_NE(bad("redis://127.0.0.1:7000").find("redis-cluster://"), std::string::npos);
  EXPECT_NE(bad("redis-cluster://127.0.0.1:7000/1").find("database 0"), std::string::npos);
  EXPECT_NE(bad("redis-cluster://127.0.0.1:7000,,127.0.0.1:7001").find("empty seed"), std::string::npos);
  EXPECT_NE(bad("redis-cluster://").find("empty seed"), std::string::npos);
  const auto port = bad("redis-cluster://:secret@127.0.0.1:7000,127.0.0.1:99999");
  EXPECT_NE(port.find("seed 2"), std::string::npos);
  EXPECT_EQ(port.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace tokens::store::redis
