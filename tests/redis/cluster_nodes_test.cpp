// Several tokens-server nodes on one Redis Cluster (issue 13, SPEC §7, docs/redis.md): what one node
// answered holds on every node; a primary killed under load loses nothing that was answered and the
// nodes serve again by themselves; frozen replicas make durable writes fail rather than report done;
// slots that move under load cost no request; a cluster without a majority answers 503, then recovers.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "api_test_support.h"
#include "redis_cluster_process.h"

namespace tokens::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// N nodes on one cluster, rate limits off (the load tests issue many tokens from one client).
class Nodes {
 public:
  /// `nodeArgs`, when given, replace the nodes' extra arguments (rate limits off).
  explicit Nodes(std::size_t count, RedisClusterProcess::Options options = {}, std::vector<std::string> nodeArgs = {})
      : redis(options) {
    redis.start();
    for (std::size_t i = 0; i < count; ++i) {
      ServerConfig c;
      c.store = redis.uri();
      c.extraArgs = {"--rate-limit-grants-per-client", "0", "--rate-limit-per-token", "0"};
      if (!nodeArgs.empty()) c.extraArgs = nodeArgs;
      servers.push_back(startServer(c));
      clients.push_back(std::make_unique<HttpClient>(servers.back()->baseUrl()));
    }
  }
  HttpClient& node(std::size_t i) { return *clients.at(i - 1); }  // 1-based
  /// A client of its own for a thread.
  std::unique_ptr<HttpClient> clientFor(std::size_t i) { return std::make_unique<HttpClient>(servers.at(i - 1)->baseUrl()); }

  RedisClusterProcess redis;
  std::vector<std::unique_ptr<ServerProcess>> servers;
  std::vector<std::unique_ptr<HttpClient>> clients;
};

HttpResult reportingGrant(HttpClient& http) {
  return http.postForm("/oauth/token", "grant_type=client_credentials", kAcmeReporting, kAcmeReportingSecret);
}

std::string accessTokenOf(const HttpResult& r) { return std::string(jsonObject(r).at("access_token").as_string()); }

/// What a load of grants and logouts was answered: the tokens it was given, and those whose revocation
/// was answered.
struct Answered {
  std::mutex mutex;
  std::vector<std::string> live, revoked;
  std::atomic<int> failures{0};
};

/// Grants on every node in turn, and a logout of every third token, until `stop`.
void grantAndRevoke(Nodes& nodes, std::size_t thread, std::atomic<bool>& stop, Answered& answered) {
  std::vector<std::unique_ptr<HttpClient>> http;
  for (std::size_t n = 1; n <= nodes.servers.size(); ++n) http.push_back(nodes.clientFor(n));
  for (std::size_t i = thread; !stop; ++i) {
    auto& on = *http[i % http.size()];
    const auto granted = reportingGrant(on);
    if (granted.status != 200) {
      ++answered.failures;
      std::this_thread::sleep_for(20ms);
      continue;
    }
    const auto token = accessTokenOf(granted);
    if (i % 3 != 0) {
      std::lock_guard lock(answered.mutex);
      answered.live.push_back(token);
      continue;
    }
    const auto logout = http[(i + 1) % http.size()]->del("/api/v2/tokens/me", token);
    std::lock_guard lock(answered.mutex);
    (logout.status == 200 ? answered.revoked : answered.live).push_back(token);
  }
}

/// Every answered token still works on every node, and every answered revocation still holds.
void expectNothingAnsweredWasLost(Nodes& nodes, Answered& answered) {
  ASSERT_FALSE(answered.live.empty());
  ASSERT_FALSE(answered.revoked.empty());
  for (std::size_t i = 0; i < answered.live.size(); ++i) {
    const auto status = nodes.node(i % 3 + 1).head("/api/v2/tokens/me", answered.live[i]).status;
    // A token whose logout had no answer (a 503) may or may not have gone: only 200 and 401 are possible.
    EXPECT_TRUE(status == 200 || status == 401) << status;
  }
  std::size_t lost = 0;
  for (std::size_t i = 0; i < answered.live.size(); ++i)
    if (nodes.node(i % 3 + 1).head("/api/v2/tokens/me", answered.live[i]).status != 200) ++lost;
  EXPECT_LE(lost, static_cast<std::size_t>(answered.failures.load())) << "of " << answered.live.size() << " tokens";
  for (std::size_t i = 0; i < answered.revoked.size(); ++i)
    EXPECT_EQ(nodes.node(i % 3 + 1).head("/api/v2/tokens/me", answered.revoked[i]).status, 401) << "a revocation came back";
}

bool waitUntilServing(Nodes& nodes, Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    bool all = true;
    for (std::size_t n = 1; n <= nodes.servers.size(); ++n)
      if (reportingGrant(nodes.node(n)).status != 200) all = false;
    if (all) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST(ClusterNodes, ALoginOnOneNodeARevocationOnAnotherAndA401OnTheThird) {
  Nodes nodes(3);
  const auto paul = paulLogin(nodes.node(1));
  EXPECT_EQ(nodes.node(2).head("/api/v2/tokens/me", paul.accessToken).status, 200);
  const auto logout = nodes.node(2).del("/api/v2/tokens/me", paul.accessToken);
  ASSERT_EQ(logout.status, 200) << logout.body;
  EXPECT_EQ(nodes.node(3).head("/api/v2/tokens/me", paul.accessToken).status, 401);
  EXPECT_EQ(refreshGrant(nodes.node(3), kAcmeDesktop, kAcmeDesktopSecret, paul.refreshToken).status, 400)
      << "its refresh token went with it";

  // Tokens, and so keys, on every primary.
  for (int i = 0; i < 40; ++i) ASSERT_EQ(reportingGrant(nodes.node(i % 3 + 1)).status, 200);
  for (const auto p : nodes.redis.primaries())
    EXPECT_GT(std::stoi(nodes.redis.cli(p, {"DBSIZE"})), 5) << "primary " << p;

  // A user revoked on one node has no token left on any, whichever bucket and shard each is in.
  std::vector<std::string> pauls;
  for (int i = 0; i < 6; ++i) pauls.push_back(paulLogin(nodes.node(i % 3 + 1)).accessToken);
  const auto ada = adaLogin(nodes.node(2)).accessToken;
  ASSERT_EQ(nodes.node(1).del("/api/v2/tokens/acme-user", acmeAdminToken(nodes.node(1))).status, 204);
  for (std::size_t i = 0; i < pauls.size(); ++i)
    EXPECT_EQ(nodes.node(i % 3 + 1).head("/api/v2/tokens/me", pauls[i]).status, 401) << "token " << i;
  EXPECT_EQ(nodes.node(3).head("/api/v2/tokens/me", ada).status, 200) << "another user keeps hers";
}

TEST(ClusterNodes, ThreeNodesAllowWhatOneAllows) {
  // SPEC §5, §7: the per-token rate limit, the per-client grant limit and the password throttle are
  // counted in the cluster, once for every node.
  Nodes nodes(3, {}, {"--rate-limit-per-token", "4", "--rate-limit-grants-per-client", "5"});
  const auto token = accessTokenOf(reportingGrant(nodes.node(1)));
  for (int i = 1; i <= 4; ++i) EXPECT_EQ(nodes.node(i % 3 + 1).head("/api/v2/tokens/me", token).status, 200) << i;
  for (std::size_t n = 1; n <= 3; ++n) EXPECT_EQ(nodes.node(n).head("/api/v2/tokens/me", token).status, 429) << n;

  for (std::size_t n = 1; n <= 3; ++n) {
    const auto r = reportingGrant(nodes.node(n));
    EXPECT_EQ(r.status, 200) << "grant " << n + 1 << " of 5";
  }
  EXPECT_EQ(reportingGrant(nodes.node(1)).status, 200) << "grant 5 of 5";
  for (std::size_t n = 1; n <= 3; ++n) EXPECT_EQ(reportingGrant(nodes.node(n)).status, 429) << "node " << n;

  const auto guess = [&](std::size_t node, const std::string& password) {
    return nodes.node(node).postForm("/oauth/token", "grant_type=password&username=paul%40acme.example&password=" + password,
                                     kAcmeDesktop, kAcmeDesktopSecret);
  };
  for (int i = 0; i < 5; ++i) ASSERT_EQ(guess(i % 3 + 1, "guess-" + std::to_string(i)).status, 400) << i;
  for (std::size_t n = 1; n <= 3; ++n) EXPECT_EQ(guess(n, "paul-password").status, 429) << "node " << n;
}

TEST(ClusterNodes, KillingAPrimaryUnderLoadLosesNothingAnsweredAndTheNodesServeAgainByThemselves) {
  Nodes nodes(3);
  std::atomic<bool> stop{false};
  Answered answered;
  std::vector<std::thread> load;
  for (std::size_t t = 0; t < 3; ++t) load.emplace_back([&, t] { grantAndRevoke(nodes, t, stop, answered); });
  std::this_thread::sleep_for(1s);

  const auto victim = nodes.redis.primaries().front();
  nodes.redis.node(victim).kill9();
  const auto killedAt = Clock::now();
  std::this_thread::sleep_for(3s);
  nodes.redis.node(victim).start();  // as a supervisor would: it rejoins, as a replica of its successor
  EXPECT_TRUE(waitUntilServing(nodes, killedAt + 15s)) << "the nodes serve again within 15 s of the kill";
  std::this_thread::sleep_for(1s);
  stop = true;
  for (auto& t : load) t.join();

  const auto replicas = nodes.redis.replicas();
  EXPECT_NE(std::find(replicas.begin(), replicas.end(), victim), replicas.end()) << "the killed primary came back a replica";
  expectNothingAnsweredWasLost(nodes, answered);
}

TEST(ClusterNodes, FrozenReplicasMakeDurableWritesFailAndNeverReportThemDone) {
  RedisClusterProcess::Options options;
  options.nodeTimeoutMs = 15000;  // the frozen replicas stay replicas in the cluster's eyes
  Nodes nodes(2, options);
  const auto before = accessTokenOf(reportingGrant(nodes.node(1)));
  for (const auto r : nodes.redis.replicas()) nodes.redis.node(r).freeze();

  const auto frozenAt = Clock::now();
  int refused = 0;
  while (Clock::now() - frozenAt < 2s) {
    const auto granted = reportingGrant(nodes.node(2));
    ASSERT_NE(granted.status, 200) << "a token issued without a replica's acknowledgement";
    EXPECT_EQ(granted.status, 503) << granted.body;
    ++refused;
  }
  EXPECT_GT(refused, 0);
  // Reads do not queue behind the writes waiting for replicas.
  const auto started = Clock::now();
  EXPECT_EQ(nodes.node(1).head("/api/v2/tokens/me", before).status, 200);
  EXPECT_LT(Clock::now() - started, 400ms);

  for (const auto r : nodes.redis.replicas()) nodes.redis.node(r).thaw();
  EXPECT_TRUE(waitUntilServing(nodes, Clock::now() + 10s));
}

TEST(ClusterNodes, SlotsMovingUnderLoadCostNoRequest) {
  Nodes nodes(2);
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::mutex failuresMutex;
  std::vector<std::string> failures;
  std::vector<std::thread> load;
  for (std::size_t t = 0; t < 2; ++t)
    load.emplace_back([&, t] {
      auto http = nodes.clientFor(t + 1);
      while (!stop) {
        const auto granted = reportingGrant(*http);
        const auto verified = granted.status == 200 ? http->head("/api/v2/tokens/me", accessTokenOf(granted)).status : 0;
        requests += 2;
        if (granted.status != 200 || verified != 200) {
          std::lock_guard lock(failuresMutex);
          failures.push_back(std::to_string(granted.status) + " " + granted.body + " / " + std::to_string(verified));
        }
      }
    });
  const auto primaries = nodes.redis.primaries();
  const auto from = primaries[0], to = primaries[1];
  const auto out = nodes.redis.reshard(from, to, 2000);
  std::this_thread::sleep_for(300ms);
  stop = true;
  for (auto& t : load) t.join();
  EXPECT_GT(requests.load(), 50);
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front() << "\n" << out;
}

TEST(ClusterNodes, AClusterWithoutAMajorityAnswers503AndRecovers) {
  Nodes nodes(2);
  const auto before = accessTokenOf(reportingGrant(nodes.node(1)));
  const auto primaries = nodes.redis.primaries();
  // Two primaries of three gone: their replicas cannot be elected without a majority of primaries.
  nodes.redis.node(primaries[0]).kill9();
  nodes.redis.node(primaries[1]).kill9();
  const auto deadline = Clock::now() + 10s;
  int ready = 200;
  while (Clock::now() < deadline && (ready = nodes.node(2).get("/readyz").status) == 200) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(ready, 503);
  // /readyz knows at once (a primary does not answer); the surviving primary keeps taking writes for
  // its own slots until it marks the others failed, after the node timeout. From then on, every grant,
  // whichever shard its token lands on, is a 503.
  const auto survivor = primaries[2];
  while (Clock::now() < deadline && nodes.redis.cli(survivor, {"CLUSTER", "INFO"}).find("cluster_state:fail") == std::string::npos)
    std::this_thread::sleep_for(50ms);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(reportingGrant(nodes.node(1)).status, 503) << "grant " << i;

  nodes.redis.node(primaries[0]).start();
  nodes.redis.node(primaries[1]).start();
  EXPECT_TRUE(waitUntilServing(nodes, Clock::now() + 15s));
  EXPECT_EQ(nodes.node(1).get("/readyz").status, 200);
  EXPECT_EQ(nodes.node(2).head("/api/v2/tokens/me", before).status, 200) << "nothing was lost";
}

}  // namespace
}  // namespace tokens::testing
