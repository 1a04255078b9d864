// The pipelined Redis connection on Asio (store/redis/redis_connection) against a real redis-server:
// replies in order, AUTH and SELECT, and what happens when Redis is slow, gone, and back.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

#include "connection_calls.h"
#include "redis_process.h"
#include "store/redis/redis_connection.h"

namespace tokens::store::redis {
namespace {

using namespace std::chrono_literals;
using testing::call;
using testing::RedisProcess;
using testing::runUntil;

RedisEndpoint endpointOf(const RedisProcess& redis, int database = 0, std::string password = {}) {
  RedisEndpoint e;
  e.host = "127.0.0.1";
  e.port = redis.port();
  e.database = database;
  e.password = std::move(password);
  return e;
}

TEST(RedisConnection, PipelinedCommandsGetTheirOwnRepliesInOrder) {
  RedisProcess redis;
  redis.start();
  boost::asio::io_context ioc;
  auto c = RedisConnection::start(ioc, endpointOf(redis));
  ASSERT_TRUE(runUntil(ioc, [&] { return c->ready(); }));
  constexpr int kCommands = 2000;
  std::vector<std::string> got(kCommands);
  int replies = 0;
  // Binary-safe: a value with a NUL, CR and LF in it. (Built with append: GCC 12 warns falsely,
  // -Wrestrict, on "literal" + std::to_string.)
  const auto key = [](int i) { return std::string("k").append(std::to_string(i)); };
  const auto value = [](int i) { return std::string("v\0\r\n", 4).append(std::to_string(i)); };
  for (int i = 0; i < kCommands; ++i) {
    c->command({"SET", key(i), value(i)}, [](RedisResult) {});
    c->command({"GET", key(i)}, [&, i](RedisResult r) {
      got[static_cast<std::size_t>(i)] = r.reply.text;
      ++replies;
    });
  }
  ASSERT_TRUE(runUntil(ioc, [&] { return replies == kCommands; }));
  for (int i = 0; i < kCommands; ++i)
    ASSERT_EQ(got[static_cast<std::size_t>(i)], value(i)) << i;
  const auto missing = call(ioc, *c, {"GET", "no-such-key"});
  EXPECT_EQ(missing.reply.type, RedisReply::Type::Nil);
  const auto error = call(ioc, *c, {"INCR", "k1"});
  EXPECT_EQ(error.failure, RedisFailure::None);
  EXPECT_EQ(error.reply.type, RedisReply::Type::Error) << "Redis's own error is a reply, not a failure";
  EXPECT_FALSE(error.ok());
  c->stop();
}

TEST(RedisConnection, AuthenticatesAndSelectsItsDatabaseFirst) {
  RedisProcess redis({"--requirepass", "s3cret"});
  redis.start();
  boost::asio::io_context ioc;
  auto c = RedisConnection::start(ioc, endpointOf(redis, 3, "s3cret"));
  ASSERT_TRUE(runUntil(ioc, [&] { return c->ready(); }));
  EXPECT_TRUE(call(ioc, *c, {"SET", "where", "db3"}).ok());
  auto other = RedisConnection::start(ioc, endpointOf(redis, 0, "s3cret"));
  ASSERT_TRUE(runUntil(ioc, [&] { return other->ready(); }));
  EXPECT_EQ(call(ioc, *other, {"GET", "where"}).reply.type, RedisReply::Type::Nil) << "db 0 does not have it";
  EXPECT_EQ(call(ioc, *other, {"SELECT", "3"}).failure, RedisFailure::None);
  EXPECT_EQ(call(ioc, *other, {"GET", "where"}).reply.text, "db3");
  c->stop();
  other->stop();
}

TEST(RedisConnection, NothingRunsBehindAFailedSelect) {
  // Commands given while connecting are held until SELECT has succeeded: sent right behind it, they
  // would run on database 0 when SELECT fails.
  RedisProcess redis({"--databases", "4"});
  redis.start();
  boost::asio::io_context ioc;
  auto c = RedisConnection::start(ioc, endpointOf(redis, 9));  // no such database here
  const auto r = call(ioc, *c, {"SET", "stray", "written"});
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(c->ready());
  c->stop();
  auto db0 = RedisConnection::start(ioc, endpointOf(redis, 0));
  EXPECT_EQ(call(ioc, *db0, {"GET", "stray"}).reply.type, RedisReply::Type::Nil) << "it ran on database 0";
  db0->stop();
}

TEST(RedisConnection, AWrongPasswordNeverMakesItReady) {
  RedisProcess redis({"--requirepass", "s3cret"});
  redis.start();
  boost::asio::io_context ioc;
  auto c = RedisConnection::start(ioc, endpointOf(redis, 0, "wrong"));
  runUntil(ioc, [] { return false; }, 300ms);
  const auto r = call(ioc, *c, {"PING"});
  EXPECT_FALSE(r.ok()) << "a NOAUTH, or unavailable between two attempts";
  c->stop();
}

TEST(RedisConnection, CommandsFailAtOnceWhileRedisIsDownAndWorkAgainWhenItIsBack) {
  RedisProcess redis;
  redis.start();
  boost::asio::io_context ioc;
  RedisOptions options;
  options.maxReconnectDelay = 200ms;
  auto c = RedisConnection::start(ioc, endpointOf(redis), options);
  ASSERT_TRUE(runUntil(ioc, [&] { return c->ready(); }));
  ASSERT_TRUE(call(ioc, *c, {"SET", "a", "1"}).ok());

  redis.kill9();
  // Whatever was in flight or comes next fails; nothing hangs.
  int failed = 0;
  for (int i = 0; i < 50; ++i)
    c->command({"GET", "a"}, [&](RedisResult r) {
      if (!r.ok()) ++failed;
    });
  ASSERT_TRUE(runUntil(ioc, [&] { return failed == 50; }, 3s));
  EXPECT_FALSE(c->ready());
  EXPECT_EQ(call(ioc, *c, {"PING"}).failure, RedisFailure::Unavailable);

  redis.start();  // same port; the data is gone (no persistence here), the connection is not
  ASSERT_TRUE(runUntil(ioc, [&] { return c->ready(); }, 5s)) << "reconnected by itself";
  EXPECT_EQ(call(ioc, *c, {"PING"}).reply.text, "PONG");
  c->stop();
}

TEST(RedisConnection, ASlowRedisTimesOutWhatIsInFlightAndTheConnectionRecovers) {
  RedisProcess redis({"--enable-debug-command", "yes"});  // DEBUG SLEEP plays the slow Redis
  redis.start();
  boost::asio::io_context ioc;
  RedisOptions options;
  options.commandTimeout = 300ms;
  options.maxReconnectDelay = 100ms;
  auto c = RedisConnection::start(ioc, endpointOf(redis), options);
  ASSERT_TRUE(runUntil(ioc, [&] { return c->ready(); }));
  RedisResult slow, behind;
  int answers = 0;
  c->command({"DEBUG", "SLEEP", "1"}, [&](RedisResult r) {
    slow = std::move(r);
    ++answers;
  });
  c->command({"PING"}, [&](RedisResult r) {
    behind = std::move(r);
    ++answers;
  });
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(runUntil(ioc, [&] { return answers == 2; }, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 900ms) << "failed at the timeout, not after the sleep";
  EXPECT_EQ(slow.failure, RedisFailure::Timeout);
  EXPECT_EQ(behind.failure, RedisFailure::Timeout);
  // Back to normal once Redis is: the connection comes back by itself (commands sent while Redis still
  // sleeps time out in turn).
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool pong = false;
  while (!pong && std::chrono::steady_clock::now() < deadline) pong = call(ioc, *c, {"PING"}).reply.text == "PONG";
  EXPECT_TRUE(pong);
  c->stop();
}

}  // namespace
}  // namespace tokens::store::redis
