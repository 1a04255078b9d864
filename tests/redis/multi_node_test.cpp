// Several tokens-server nodes sharing one Redis (issue 5, SPEC §7, docs/redis.md): what one node
// answered holds on every node for the next request; a node killed or Redis stopped under load loses
// nothing that was answered; a slow Redis never stalls requests that do not need it.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <sys/wait.h>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "api_test_support.h"
#include "browser_login.h"
#include "redis_process.h"

namespace tokens::testing {
namespace {

using namespace std::chrono_literals;

// Durable as the docs recommend: every acknowledged write is in the append-only file before the reply.
const std::vector<std::string> kDurableRedis{"--appendonly", "yes", "--appendfsync", "always"};

ServerConfig nodeConfig(const RedisProcess& redis) {
  ServerConfig c;
  c.store = redis.uri(0);
  // The load tests issue many tokens from one client and use each one often.
  c.extraArgs = {"--rate-limit-grants-per-client", "0", "--rate-limit-per-token", "0"};
  return c;
}

// N nodes on one Redis, each with a client of its own.
class Cluster {
 public:
  /// `nodeArgs`, when given, replace the nodes' extra arguments (rate limits off).
  explicit Cluster(std::size_t nodes, std::vector<std::string> redisArgs = kDurableRedis,
                   std::vector<std::string> nodeArgs = {})
      : redis(std::move(redisArgs)) {
    redis.start();
    for (std::size_t i = 0; i < nodes; ++i) {
      auto config = nodeConfig(redis);
      if (!nodeArgs.empty()) config.extraArgs = nodeArgs;
      servers.push_back(startServer(config));
      clients.push_back(std::make_unique<HttpClient>(servers.back()->baseUrl()));
    }
  }
  HttpClient& node(std::size_t i) { return *clients.at(i - 1); }  // 1-based, as the tests speak of them
  /// The emulator's offset is shared in Redis: an advance on one node adds to it, and each other node's
  /// clock catches up at its next advance (one of 0 will do).
  void advanceClocks(int seconds) {
    advanceClock(*clients.front(), seconds);
    for (std::size_t i = 1; i < clients.size(); ++i) advanceClock(*clients[i], 0);
  }

  RedisProcess redis;
  std::vector<std::unique_ptr<ServerProcess>> servers;
  std::vector<std::unique_ptr<HttpClient>> clients;
};

TEST(MultiNode, ClockAdvancesOnOneLoopWithRedisNeitherBlockNorLoseEachOther) {
  // A lock held across the store's write once meant a second advance on the same event loop blocked
  // that loop's only thread while the first waited on Redis in its fiber.
  RedisProcess redis(kDurableRedis);
  redis.start();
  auto config = nodeConfig(redis);
  config.threads = 1;
  auto node = startServer(config);
  const std::string body = R"({"advanceSeconds": 60})";
  const std::string request = "POST /_emulator/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < 16; ++i) {
    connections.push_back(std::make_unique<RawConnection>(node->port()));
    connections.back()->send(request);
  }
  for (auto& c : connections) EXPECT_EQ(c->readUntil("\r\n\r\n", 5s).rfind("HTTP/1.1 200", 0), 0U);
  auto second = startServer(config);
  HttpClient other(second->baseUrl());
  advanceClock(other, 0);  // catches up with the shared offset
  const auto now = PureCloudPlatformClientV2::parseDateTime(
      std::string(jsonObject(other.get("/_emulator/clock")).at("now").as_string()));
  ASSERT_TRUE(now);
  EXPECT_GT(*now, std::chrono::system_clock::now() + 15min) << "all sixteen advances counted";
  EXPECT_LT(*now, std::chrono::system_clock::now() + 17min);
}

// Long enough for write-behind activity to reach Redis (250 ms batches; SPEC §7 allows 1 s).
void waitForActivityToBeShared() { std::this_thread::sleep_for(1100ms); }

TEST(MultiNode, ATokenIssuedOnOneNodeWorksOnTheOthersAndARevocationOnAThirdHoldsOnAllAtOnce) {
  Cluster cluster(3);
  const auto paul = paulLogin(cluster.node(1));
  EXPECT_EQ(cluster.node(2).head("/api/v2/tokens/me", paul.accessToken).status, 200);
  EXPECT_EQ(cluster.node(3).get("/api/v2/tokens/me", paul.accessToken).status, 200);

  const auto logout = cluster.node(3).del("/api/v2/tokens/me", paul.accessToken);
  ASSERT_EQ(logout.status, 200) << logout.body;
  // The very next request, on any node: no cache anywhere may still hold the token.
  EXPECT_EQ(cluster.node(1).head("/api/v2/tokens/me", paul.accessToken).status, 401);
  EXPECT_EQ(cluster.node(2).head("/api/v2/tokens/me", paul.accessToken).status, 401);
  // Its refresh token went with it, whichever node it is presented to.
  EXPECT_EQ(refreshGrant(cluster.node(2), kAcmeDesktop, kAcmeDesktopSecret, paul.refreshToken).status, 400);
}

TEST(MultiNode, TheTokenRateLimitIsCountedOnceForEveryNode) {
  // SPEC §7: three nodes allow what one allows.
  Cluster cluster(3, kDurableRedis, {"--rate-limit-per-token", "4", "--rate-limit-grants-per-client", "0"});
  const auto token = acmeAdminToken(cluster.node(1));
  for (int i = 1; i <= 4; ++i) {
    const auto r = cluster.node(i % 3 + 1).head("/api/v2/tokens/me", token);
    ASSERT_EQ(r.status, 200) << "request " << i;
    EXPECT_EQ(r.header("inin-ratelimit-count"), std::to_string(i));
    EXPECT_EQ(r.header("inin-ratelimit-allowed"), "4");
  }
  for (std::size_t node = 1; node <= 3; ++node) {
    const auto refused = cluster.node(node).get("/api/v2/tokens/me", token);
    EXPECT_EQ(refused.status, 429) << "node " << node;
    EXPECT_EQ(refused.errorCode(), "too.many.requests.retry.after");
    EXPECT_FALSE(refused.header("retry-after").empty());
  }
  // Another token of the same client has a window of its own.
  EXPECT_EQ(cluster.node(2).head("/api/v2/tokens/me", acmeAdminToken(cluster.node(3))).status, 200);
}

TEST(MultiNode, TheGrantLimitIsCountedOnceForEveryNode) {
  Cluster cluster(3, kDurableRedis, {"--rate-limit-per-token", "0", "--rate-limit-grants-per-client", "3"});
  for (std::size_t node = 1; node <= 3; ++node)
    EXPECT_EQ(cluster.node(node).postForm("/oauth/token", "grant_type=client_credentials", kAcmeReporting,
                                          kAcmeReportingSecret).status,
              200)
        << "node " << node;
  for (std::size_t node = 1; node <= 3; ++node) {
    const auto refused =
        cluster.node(node).postForm("/oauth/token", "grant_type=client_credentials", kAcmeReporting, kAcmeReportingSecret);
    EXPECT_EQ(refused.status, 429) << "node " << node << ": " << refused.body;
  }
  // Another client's allowance is its own.
  EXPECT_EQ(cluster.node(1).postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService,
                                     kAcmeAdminSecret).status,
            200);
}

TEST(MultiNode, WrongPasswordsOnEveryNodeCountTowardsOneThrottle) {
  // SPEC §5: after 5 failures, 429 with Retry-After, even for the right password; SPEC §7: behind three
  // nodes a guesser gets no more than behind one.
  Cluster cluster(3);
  const auto grant = [&](std::size_t node, const std::string& password) {
    return cluster.node(node).postForm("/oauth/token",
                                       "grant_type=password&username=paul%40acme.example&password=" + password,
                                       kAcmeDesktop, kAcmeDesktopSecret);
  };
  for (int i = 0; i < 5; ++i) {
    const auto wrong = grant(i % 3 + 1, "guess-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 400) << "guess " << i << ": " << wrong.body;
  }
  for (std::size_t node = 1; node <= 3; ++node) {
    const auto refused = grant(node, "paul-password");
    EXPECT_EQ(refused.status, 429) << "node " << node << ": " << refused.body;
    EXPECT_EQ(refused.errorCode(), "too.many.requests.retry.after");
    EXPECT_FALSE(refused.header("retry-after").empty());
  }
  // Another user is not held up by Paul's guesser.
  EXPECT_EQ(adaLogin(cluster.node(2)).accessToken.empty(), false);
}

TEST(MultiNode, RevokingAUserOnOneNodeEndsTheirTokensFromEveryNode) {
  Cluster cluster(3);
  const auto onOne = paulLogin(cluster.node(1));
  const auto onTwo = paulLogin(cluster.node(2));
  const auto ada = adaLogin(cluster.node(2));
  const auto r = cluster.node(3).del("/api/v2/tokens/acme-user", acmeAdminToken(cluster.node(3)));
  ASSERT_EQ(r.status, 204) << r.body;
  for (std::size_t n = 1; n <= 3; ++n) {
    EXPECT_EQ(cluster.node(n).head("/api/v2/tokens/me", onOne.accessToken).status, 401) << "node " << n;
    EXPECT_EQ(cluster.node(n).head("/api/v2/tokens/me", onTwo.accessToken).status, 401) << "node " << n;
    EXPECT_EQ(cluster.node(n).head("/api/v2/tokens/me", ada.accessToken).status, 200) << "node " << n;
  }
}

TEST(MultiNode, ATimeoutChangeOnOneNodeAppliesOnTheOthersAtOnce) {
  Cluster cluster(3);
  const auto before = paulLogin(cluster.node(2));
  EXPECT_FALSE(before.refreshToken.empty()) << "no idle timeout yet: a refresh token comes with the login";

  putTimeout(cluster.node(1), acmeAdminToken(cluster.node(1)),
             R"({"idleTokenTimeoutSeconds":600,"enableIdleTokenTimeout":true})");
  const auto read = cluster.node(3).get("/api/v2/tokens/timeout", acmeAdminToken(cluster.node(3)));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(jsonObject(read).at("idleTokenTimeoutSeconds").as_int64(), 600);
  EXPECT_TRUE(paulLogin(cluster.node(2)).refreshToken.empty()) << "node 2 applies the timeout node 1 stored";

  // And it governs tokens issued before the change, on every node.
  cluster.advanceClocks(601);
  EXPECT_EQ(cluster.node(3).head("/api/v2/tokens/me", before.accessToken).status, 401);
}

TEST(MultiNode, ActivityOnOneNodeKeepsATokenAliveOnAnother) {
  Cluster cluster(2);
  putTimeout(cluster.node(1), acmeAdminToken(cluster.node(1)),
             R"({"idleTokenTimeoutSeconds":600,"enableIdleTokenTimeout":true})");
  const auto busy = paulLogin(cluster.node(1)).accessToken;
  const auto idle = adaLogin(cluster.node(1)).accessToken;

  cluster.advanceClocks(400);
  ASSERT_EQ(cluster.node(1).head("/api/v2/tokens/me", busy).status, 200);  // activity at t=400, on node 1
  waitForActivityToBeShared();
  cluster.advanceClocks(400);  // t=800: 800 s since login, 400 s since busy's activity

  EXPECT_EQ(cluster.node(2).head("/api/v2/tokens/me", busy).status, 200) << "node 2 counts node 1's activity";
  EXPECT_EQ(cluster.node(2).head("/api/v2/tokens/me", idle).status, 401);
  EXPECT_EQ(cluster.node(1).head("/api/v2/tokens/me", idle).status, 401) << "idled out for every node";
}

TEST(MultiNode, ALoginPageShownByOneNodeIsPostedToAnotherAndItsCodeExchangedOnAThird) {
  // Behind a load balancer, each request of one browser login may land on another node: the CSRF key,
  // the code and the login session are shared through Redis.
  Cluster cluster(3);
  AuthorizeParams params;
  params.clientId = "acme-web";
  params.redirectUri = "http://127.0.0.1:8765/callback";
  Browser browser(cluster.servers[0]->baseUrl());
  const auto page = browser.get(Browser::authorizePath(params));
  ASSERT_EQ(page.status, 200) << page.body;
  std::string form;
  for (const char* name : {"client_id", "redirect_uri", "response_type", "state", "csrf_token"})
    form += std::string(form.empty() ? "" : "&") + name + "=" + formEncode(hiddenField(page.body, name));
  form += "&email=" + formEncode("paul@acme.example") + "&password=paul-password";

  browser.routeTo(cluster.servers[1]->baseUrl());
  const auto posted = browser.postForm("/oauth/authorize", form);
  ASSERT_EQ(posted.status, 302) << "node 2 accepts node 1's form: " << posted.body;
  const auto code = urlParam(posted.header("location"), "code");
  ASSERT_FALSE(code.empty()) << posted.header("location");

  const auto exchange = [&](HttpClient& node) {
    return node.postForm("/oauth/token",
                         "grant_type=authorization_code&code=" + formEncode(code) +
                             "&redirect_uri=" + formEncode(params.redirectUri),
                         "acme-web", "acme-web-secret");
  };
  const auto tokens = exchange(cluster.node(3));
  ASSERT_EQ(tokens.status, 200) << "node 3 knows node 2's code: " << tokens.body;
  const auto access = std::string(jsonObject(tokens).at("access_token").as_string());
  EXPECT_EQ(cluster.node(1).head("/api/v2/tokens/me", access).status, 200);

  // A replay on yet another node revokes what the first exchange gave.
  EXPECT_EQ(exchange(cluster.node(1)).status, 400);
  EXPECT_EQ(cluster.node(2).head("/api/v2/tokens/me", access).status, 401);

  // The login session works on every node: the page answers at once with a new code, no form.
  browser.routeTo(cluster.servers[2]->baseUrl());
  const auto again = browser.get(Browser::authorizePath(params));
  EXPECT_EQ(again.status, 302) << again.body;
  EXPECT_FALSE(urlParam(again.header("location"), "code").empty());

  // Revoking the user on one node signs them out of the login page on every node.
  ASSERT_EQ(cluster.node(1).del("/api/v2/tokens/acme-user", acmeAdminToken(cluster.node(1))).status, 204);
  browser.routeTo(cluster.servers[1]->baseUrl());
  EXPECT_EQ(browser.get(Browser::authorizePath(params)).status, 200) << "the form again, not a code";
}

// ---- under load -----------------------------------------------------------------------------------

// What a load of logins and logouts was answered, to check afterwards that none of it was lost.
struct Ledger {
  std::mutex mutex;
  std::vector<std::string> issued;            // answered 200 by some node
  std::set<std::string> revoked;              // answered 200 to DELETE /api/v2/tokens/me
  std::set<std::string> revocationUncertain;  // a logout answered otherwise: it may or may not have happened
  std::map<long, int> statuses;
  int unavailableWithoutItsCode = 0;

  void count(const HttpResult& r) {
    ++statuses[r.status];
    if (r.status == 503 && r.errorCode() != "service.unavailable") ++unavailableWithoutItsCode;
  }
};

// A request to a node that may be down: a connection failure is status 0, not an exception.
template <class Request>
HttpResult attempt(Request&& request) {
  try {
    return request();
  } catch (const std::runtime_error&) {
    return HttpResult{};
  }
}

// Workers log in (client credentials) and log out again, round robin over `nodes`, until `stop`.
void runLoad(Cluster& cluster, const std::vector<std::size_t>& nodes, Ledger& ledger, std::atomic<bool>& stop) {
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      std::vector<std::unique_ptr<HttpClient>> clients;
      for (auto n : nodes) clients.push_back(std::make_unique<HttpClient>(cluster.servers.at(n - 1)->baseUrl()));
      std::size_t turn = static_cast<std::size_t>(w);
      std::vector<std::string> mine;
      while (!stop.load()) {
        auto& http = *clients[turn++ % clients.size()];
        const auto login = attempt([&] {
          return http.postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, kAcmeAdminSecret);
        });
        if (login.status == 200) mine.push_back(std::string(jsonObject(login).at("access_token").as_string()));
        {
          std::lock_guard lock(ledger.mutex);
          ledger.count(login);
          if (login.status == 200) ledger.issued.push_back(mine.back());
        }
        if (mine.size() < 2 || turn % 3 != 0) continue;
        // Log out one of every three, on another node than the next login's.
        const auto token = mine.front();
        mine.erase(mine.begin());
        const auto logout = attempt([&] { return clients[turn % clients.size()]->del("/api/v2/tokens/me", token); });
        std::lock_guard lock(ledger.mutex);
        ledger.count(logout);
        (logout.status == 200 ? ledger.revoked : ledger.revocationUncertain).insert(token);
      }
    });
  }
  for (auto& t : workers) t.join();
}

// Every answered login still works and every answered logout still holds, asked of `node`.
void expectNothingAnsweredWasLost(HttpClient& node, Ledger& ledger) {
  ASSERT_FALSE(ledger.issued.empty());
  int stillValid = 0;
  for (const auto& token : ledger.issued) {
    if (ledger.revocationUncertain.count(token)) continue;
    const auto status = node.head("/api/v2/tokens/me", token).status;
    if (ledger.revoked.count(token)) {
      EXPECT_EQ(status, 401) << "a logout that was answered must hold";
    } else {
      EXPECT_EQ(status, 200) << "a login that was answered must not be lost";
      ++stillValid;
    }
  }
  EXPECT_GT(stillValid, 0);
  EXPECT_FALSE(ledger.revoked.empty());
}

TEST(MultiNodeUnderLoad, KillingOneNodeLosesNothingAnsweredAndTheOthersKeepServing) {
  Cluster cluster(3);
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::thread load([&] { runLoad(cluster, {1, 2, 3}, ledger, stop); });
  std::this_thread::sleep_for(1s);
  cluster.servers[1]->kill9();  // node 2 crashes with requests in flight
  std::size_t answeredBeforeKill = 0;
  {
    std::lock_guard lock(ledger.mutex);
    answeredBeforeKill = ledger.issued.size();
  }
  std::this_thread::sleep_for(1500ms);
  stop = true;
  load.join();

  EXPECT_GT(ledger.issued.size(), answeredBeforeKill) << "nodes 1 and 3 went on issuing tokens";
  EXPECT_EQ(ledger.unavailableWithoutItsCode, 0);
  expectNothingAnsweredWasLost(cluster.node(1), ledger);
  expectNothingAnsweredWasLost(cluster.node(3), ledger);
}

TEST(MultiNodeUnderLoad, StoppingRedisAnswers503AndRecoveryAfterARestartLosesNothingAnswered) {
  Cluster cluster(2);
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::thread load([&] { runLoad(cluster, {1, 2}, ledger, stop); });
  std::this_thread::sleep_for(800ms);
  cluster.redis.kill9();  // a crash: only what the append-only file holds survives
  std::this_thread::sleep_for(800ms);
  const auto readyWhileDown = cluster.node(1).get("/readyz");
  EXPECT_EQ(readyWhileDown.status, 503);
  EXPECT_EQ(readyWhileDown.errorCode(), "service.unavailable");
  EXPECT_EQ(cluster.node(2).get("/healthz").status, 200) << "alive, only not ready";
  const auto metrics = cluster.node(2).get("/metrics");
  EXPECT_EQ(metrics.status, 200) << "the request counters matter most now";
  EXPECT_EQ(metrics.body.find("tokens_live_tokens"), std::string::npos) << "no figure for what cannot be counted";
  cluster.redis.start();
  std::this_thread::sleep_for(800ms);
  stop = true;
  load.join();

  // Recovery without a restart of the nodes, bounded in time.
  for (std::size_t n = 1; n <= 2; ++n) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (cluster.node(n).get("/readyz").status != 200 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    EXPECT_EQ(cluster.node(n).get("/readyz").status, 200) << "node " << n << " recovered by itself";
    EXPECT_FALSE(acmeAdminToken(cluster.node(n)).empty());
  }
  EXPECT_GT(ledger.statuses[503], 0) << "requests during the outage were answered 503";
  EXPECT_EQ(ledger.unavailableWithoutItsCode, 0);
  for (const auto& [status, count] : ledger.statuses)
    EXPECT_TRUE(status == 200 || status == 503) << count << " answers with status " << status;
  expectNothingAnsweredWasLost(cluster.node(1), ledger);
  expectNothingAnsweredWasLost(cluster.node(2), ledger);
}

TEST(MultiNode, ASlowRedisDelaysOnlyTheRequestsThatNeedIt) {
  // One event loop, so that a blocked loop would show: while a request waits on a stalled Redis, the
  // same loop answers requests that do not need Redis at once, and the waiting one fails at the
  // command timeout (503) instead of hanging.
  RedisProcess redis({"--enable-debug-command", "yes"});
  redis.start();
  auto config = nodeConfig(redis);
  config.threads = 1;
  auto server = startServer(config);
  HttpClient http(server->baseUrl());
  const auto token = acmeAdminToken(http);

  std::thread stall([&] {  // straight to Redis, not through the server
    const auto args = std::vector<std::string>{"/usr/bin/redis-cli", "-p", std::to_string(redis.port()), "DEBUG", "SLEEP", "3"};
    const auto pid = spawnProcess(args, "/dev/null", "/dev/null");
    int status = 0;
    waitpid(pid, &status, 0);
  });
  std::this_thread::sleep_for(200ms);  // DEBUG SLEEP under way

  HttpResult waiting;
  std::thread blocked([&] {
    HttpClient other(server->baseUrl());
    waiting = other.get("/api/v2/tokens/me", token);
  });
  std::this_thread::sleep_for(100ms);  // that request now waits on Redis
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(http.get("/healthz").status, 200);
  const auto healthzTook = std::chrono::steady_clock::now() - started;
  blocked.join();
  stall.join();

  EXPECT_LT(healthzTook, 500ms) << "the loop was not blocked by the request waiting on Redis";
  EXPECT_EQ(waiting.status, 503);
  EXPECT_EQ(waiting.errorCode(), "service.unavailable");
  // Redis answers again: so does the node, with the same token.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (http.head("/api/v2/tokens/me", token).status != 200 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(http.head("/api/v2/tokens/me", token).status, 200);
}

TEST(MultiNode, APasswordProtectedRedisWorksAndThePasswordIsNeverLogged) {
  const std::string password = "pw-that-must-not-leak-42";
  RedisProcess redis({"--requirepass", password});
  redis.start();
  ServerConfig config;
  config.store = "redis://:" + password + "@127.0.0.1:" + std::to_string(redis.port()) + "/3";
  auto server = startServer(config);
  HttpClient http(server->baseUrl());
  const auto token = acmeAdminToken(http);
  EXPECT_EQ(http.head("/api/v2/tokens/me", token).status, 200);
  server->stop();
  EXPECT_EQ(server->stderrText().find(password), std::string::npos) << server->stderrText();
  EXPECT_EQ(server->stdoutText().find(password), std::string::npos);
  EXPECT_NE(server->stderrText().find("(with a password)"), std::string::npos) << "the store is named, redacted";
}

TEST(MultiNode, AStopWhoseGraceEndsWhileARequestWaitsOnRedisExitsCleanly) {
  // The loop is destroyed with a request fiber still suspended on Redis: the fiber must unwind (not be
  // answered and carry on), and the process exit normally.
  RedisProcess redis({"--enable-debug-command", "yes"});
  redis.start();
  auto config = nodeConfig(redis);
  config.threads = 1;
  config.extraArgs.insert(config.extraArgs.end(), {"--shutdown-grace", "0.2"});
  auto server = startServer(config);
  HttpClient http(server->baseUrl());
  const auto token = acmeAdminToken(http);

  std::thread stall([&] {
    const auto pid = spawnProcess({"/usr/bin/redis-cli", "-p", std::to_string(redis.port()), "DEBUG", "SLEEP", "2"},
                                  "/dev/null", "/dev/null");
    waitpid(pid, nullptr, 0);
  });
  std::this_thread::sleep_for(200ms);
  std::thread waiting([&] {
    HttpClient other(server->baseUrl());
    (void)attempt([&] { return other.get("/api/v2/tokens/me", token); });
  });
  std::this_thread::sleep_for(100ms);  // that request waits on Redis (command timeout: 1 s)
  EXPECT_EQ(server->stop(), 0) << "exited normally, not by a signal; stderr:\n" << server->stderrText();
  waiting.join();
  stall.join();
}

}  // namespace
}  // namespace tokens::testing
