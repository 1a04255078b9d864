// Redis Cluster's addressing (store/redis/redis_cluster_slots.h): key slots, redirections, slot maps.

#include <gtest/gtest.h>

#include "store/redis/redis_cluster_slots.h"
#include "store/redis/redis_connection.h"

namespace tokens::store::redis {
namespace {

TEST(ClusterKeySlot, IsCrc16XmodemModulo16384) {
  EXPECT_EQ(crc16("123456789"), 0x31C3) << "the CRC16/XMODEM check value";
  EXPECT_EQ(crc16(""), 0);
  EXPECT_EQ(keySlot("123456789"), 0x31C3 % 16384);
  for (const auto* key : {"", "a", "tokens:t:00ff", "\xff\x00\x01"}) EXPECT_LT(keySlot(key), kClusterSlots);
}

TEST(ClusterKeySlot, HashesTheTagWhenThereIsANonEmptyOne) {
  // The rules of the cluster specification, with its own examples.
  EXPECT_EQ(keySlot("{user1000}.following"), keySlot("{user1000}.followers"));
  EXPECT_EQ(keySlot("{user1000}.following"), keySlot("user1000"));
  EXPECT_EQ(keySlot("foo{}{bar}"), crc16("foo{}{bar}") % kClusterSlots) << "an empty first tag: the whole key";
  EXPECT_EQ(keySlot("foo{{bar}}zap"), keySlot("{bar")) << "from the first '{' to the next '}'";
  EXPECT_EQ(keySlot("foo{bar}{zap}"), keySlot("bar")) << "only the first tag";
  EXPECT_EQ(keySlot("foo{bar"), crc16("foo{bar") % kClusterSlots) << "no '}': the whole key";
}

TEST(ClusterRedirect, ReadsMovedAndAskWithEveryFormOfAddress) {
  auto r = parseRedirect("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Redirect::Kind::Moved);
  EXPECT_EQ(r->slot, 3999);
  EXPECT_EQ(r->host, "127.0.0.1");
  EXPECT_EQ(r->port, 6381);
  r = parseRedirect("ASK 16383 ::1:7002");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Redirect::Kind::Ask);
  EXPECT_EQ(r->slot, 16383);
  EXPECT_EQ(r->host, "::1");
  EXPECT_EQ(r->port, 7002);
  r = parseRedirect("MOVED 1 :7000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->host, "") << "the node asked";
  EXPECT_EQ(parseRedirect("MOVED 1 [::1]:7000")->host, "::1");
}

TEST(ClusterRedirect, AnythingElseIsNoRedirect) {
  for (const auto* text : {"ERR unknown command", "MOVED", "MOVED 16384 127.0.0.1:7000", "MOVED x 127.0.0.1:7000",
                           "MOVED 1 127.0.0.1", "MOVED 1 127.0.0.1:0", "MOVED 1 127.0.0.1:70000", "ASK 1",
                           "TRYAGAIN Multiple keys request during rehashing of slot", "CLUSTERDOWN The cluster is down"})
    EXPECT_FALSE(parseRedirect(text)) << text;
}

RedisReply integer(long long v) {
  RedisReply r;
  r.type = RedisReply::Type::Integer;
  r.integer = v;
  return r;
}
RedisReply text(std::string s) {
  RedisReply r;
  r.type = RedisReply::Type::String;
  r.text = std::move(s);
  return r;
}
RedisReply array(std::vector<RedisReply> elements) {
  RedisReply r;
  r.type = RedisReply::Type::Array;
  r.elements = std::move(elements);
  return r;
}
RedisReply node(std::string host, long long port) { return array({text(std::move(host)), integer(port), text("id")}); }

TEST(ClusterSlots, ReadsRangesWithTheirPrimaryAndReplicas) {
  const auto reply = array({array({integer(0), integer(5460), node("127.0.0.1", 7000), node("127.0.0.1", 7003)}),
                            array({integer(5461), integer(10922), node("?", 7001)}),
                            array({integer(10923), integer(16383), node("10.0.0.3", 7002), node("10.0.0.4", 7004),
                                   node("10.0.0.5", 7005)})});
  const auto ranges = parseClusterSlots(reply);
  ASSERT_TRUE(ranges);
  ASSERT_EQ(ranges->size(), 3u);
  EXPECT_EQ((*ranges)[0].first, 0);
  EXPECT_EQ((*ranges)[0].last, 5460);
  EXPECT_EQ((*ranges)[0].primary.port, 7000);
  ASSERT_EQ((*ranges)[0].replicas.size(), 1u);
  EXPECT_EQ((*ranges)[0].replicas[0].port, 7003);
  EXPECT_EQ((*ranges)[1].primary.host, "") << "an unknown address: the node asked";
  EXPECT_TRUE((*ranges)[1].replicas.empty());
  EXPECT_EQ((*ranges)[2].replicas.size(), 2u);
}

TEST(ClusterSlots, RefusesWhatIsNotASlotMap) {
  EXPECT_FALSE(parseClusterSlots(text("OK")));
  EXPECT_FALSE(parseClusterSlots(array({array({integer(0), integer(16384), node("h", 7000)})}))) << "slot 16384";
  EXPECT_FALSE(parseClusterSlots(array({array({integer(9), integer(3), node("h", 7000)})}))) << "backwards";
  EXPECT_FALSE(parseClusterSlots(array({array({integer(0), integer(3)})}))) << "no primary";
  EXPECT_FALSE(parseClusterSlots(array({array({integer(0), integer(3), node("h", 0)})}))) << "port 0";
  EXPECT_TRUE(parseClusterSlots(array({}))) << "a cluster with no slots assigned yet is a map, an empty one";
}

}  // namespace
}  // namespace tokens::store::redis
