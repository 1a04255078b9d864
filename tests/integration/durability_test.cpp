// SPEC §7 on the SQLite store: what was answered survives a restart and a kill -9; a stop is graceful.

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "api_test_support.h"

namespace tokens::testing {
namespace {

using namespace std::chrono_literals;

/// The value of an unlabelled counter or gauge in a /metrics text, if it is there.
std::optional<std::size_t> metricValue(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(text.substr(at + name.size() + 2));
}

class DurabilityTest : public ::testing::Test {
 protected:
  ServerConfig sqlite(bool emulator = true) {
    return {.store = "sqlite:" + dir_ + "/tokens.db", .emulator = emulator,
            .extraArgs = {"--rate-limit-grants-per-client", "0", "--shutdown-grace", "5"}};
  }
  std::string dir_ = makeTempDir();
};

TEST_F(DurabilityTest, ARestartKeepsTokensRevocationsAndSettings) {
  auto server = startServer(sqlite());
  std::string service, revoked;
  Login paul;
  {
    HttpClient http(server->baseUrl());
    service = acmeAdminToken(http);
    paul = paulLogin(http);
    revoked = acmeAdminToken(http);
    ASSERT_EQ(http.del("/api/v2/tokens/me", revoked).status, 200);
    putTimeout(http, service, R"({"idleTokenTimeoutSeconds":7200,"enableIdleTokenTimeout":true})");
  }
  EXPECT_EQ(server->stop(), 0);
  server = startServer(sqlite());
  HttpClient http(server->baseUrl());
  EXPECT_EQ(http.head("/api/v2/tokens/me", service).status, 200);
  EXPECT_EQ(http.head("/api/v2/tokens/me", paul.accessToken).status, 200);
  EXPECT_EQ(http.head("/api/v2/tokens/me", revoked).status, 401);
  EXPECT_EQ(jsonObject(http.get("/api/v2/tokens/timeout", service)).at("idleTokenTimeoutSeconds"), 7200);
  EXPECT_EQ(refreshGrant(http, kAcmeDesktop, kAcmeDesktopSecret, paul.refreshToken).status, 200);
}

TEST_F(DurabilityTest, TheEmulatorsClockKeepsItsAdvanceAcrossACrash) {
  // A restart that dropped the offset would turn the clock back and bring expired tokens to life.
  auto server = startServer(sqlite());
  std::string token;
  {
    HttpClient http(server->baseUrl());
    token = acmeAdminToken(http);
    advanceClock(http, 2 * 86400);  // past the token's 24 hours
    EXPECT_EQ(http.head("/api/v2/tokens/me", token).status, 401);
  }
  server->kill9();
  server = startServer(sqlite());
  HttpClient http(server->baseUrl());
  const auto me = http.get("/api/v2/tokens/me", token);
  EXPECT_EQ(me.status, 401) << me.body;
  EXPECT_EQ(me.errorCode(), "credentials.expired");
  const auto now = PureCloudPlatformClientV2::parseDateTime(std::string(jsonObject(http.get("/_emulator/clock")).at("now").as_string()));
  ASSERT_TRUE(now);
  EXPECT_GT(*now, std::chrono::system_clock::now() + std::chrono::hours(47));

  // Without --emulator the real time rules: a production start never inherits a test's clock.
  EXPECT_EQ(server->stop(), 0);
  server = startServer(sqlite(false));
  HttpClient real(server->baseUrl());
  EXPECT_EQ(real.head("/api/v2/tokens/me", token).status, 200) << "on the real clock the token has a day to live";
  EXPECT_NE(server->stderrText().find("ignored without --emulator"), std::string::npos) << server->stderrText();
}

TEST_F(DurabilityTest, ActivityWrittenBehindSurvivesACrash) {
  auto server = startServer(sqlite(false));
  std::string token;
  std::optional<std::chrono::system_clock::time_point> idlesBefore;
  {
    HttpClient http(server->baseUrl());
    putTimeout(http, acmeAdminToken(http), R"({"idleTokenTimeoutSeconds":3600,"enableIdleTokenTimeout":true})");
    token = paulLogin(http).accessToken;
    std::this_thread::sleep_for(1200ms);
    const auto r = http.get("/api/v2/tokens/me", token);  // activity, 1.2 s after the login
    idlesBefore = PureCloudPlatformClientV2::parseDateTime(std::string(jsonObject(r).at("dateTokenIdles").as_string()));
    std::this_thread::sleep_for(1100ms);  // the contract's write-behind bound: 1 s
  }
  server->kill9();
  server = startServer(sqlite(false));
  HttpClient http(server->baseUrl());
  const auto r = http.get("/api/v2/tokens/me?preserveIdleTTL=true", token);
  ASSERT_EQ(r.status, 200);
  const auto idlesAfter = PureCloudPlatformClientV2::parseDateTime(std::string(jsonObject(r).at("dateTokenIdles").as_string()));
  ASSERT_TRUE(idlesBefore && idlesAfter);
  EXPECT_EQ(*idlesAfter, *idlesBefore) << "the last activity before the crash was kept";
}

TEST_F(DurabilityTest, KillNineInTheMiddleOfABurstLosesNothingThatWasAnswered) {
  auto server = startServer(sqlite(false));
  std::mutex mutex;
  std::vector<std::string> issued, revoked;
  std::set<std::string> revocationSent;  // answered or not: the kill may land between commit and answer
  std::atomic<bool> stop{false};
  auto burst = [&](const std::string& clientId, const std::string& secret) {
    HttpClient http(server->baseUrl());
    const auto deadline = std::chrono::steady_clock::now() + 10s;  // bounded whatever happens
    for (int i = 0; !stop && std::chrono::steady_clock::now() < deadline; ++i) {
      try {
        const auto r = http.postForm("/oauth/token", "grant_type=client_credentials", clientId, secret);
        if (r.status != 200) continue;
        const std::string token(jsonObject(r).at("access_token").as_string());
        {
          std::lock_guard lock(mutex);
          issued.push_back(token);
        }
        if (i % 3 == 0) {
          {
            std::lock_guard lock(mutex);
            revocationSent.insert(token);
          }
          if (http.del("/api/v2/tokens/me", token).status == 200) {
            std::lock_guard lock(mutex);
            revoked.push_back(token);
          }
        }
      } catch (const std::exception&) {
        return;  // the server is gone: whatever was not answered does not count
      }
    }
  };
  std::thread a(burst, kAcmeAdminService, kAcmeAdminSecret);
  std::thread b(burst, kMercyAdminService, kMercyAdminSecret);
  std::this_thread::sleep_for(1500ms);
  server->kill9();
  stop = true;
  a.join();
  b.join();
  ASSERT_GT(issued.size(), 10U) << "the burst should have got going";
  ASSERT_GT(revoked.size(), 3U);

  server = startServer(sqlite(false));
  HttpClient http(server->baseUrl());
  std::set<std::string> revokedSet(revoked.begin(), revoked.end());
  std::size_t checked = 0;
  for (const auto& token : issued) {
    const auto status = http.head("/api/v2/tokens/me", token).status;
    if (revokedSet.count(token)) {
      EXPECT_EQ(status, 401) << "an answered revocation must hold";
      ++checked;
    } else if (!revocationSent.count(token)) {
      EXPECT_EQ(status, 200) << "an answered login must survive";
      ++checked;
    }  // a revocation sent but not answered may have happened or not
  }
  EXPECT_GE(checked + 2, issued.size()) << "at most one unanswered revocation per client thread";
}

// Sixteen clients at once keep the writer's batches full (group commit: one transaction for every write
// queued meanwhile); the kill lands while batches are on their way to the disk. Every grant that was
// answered survives, and the batches really held several writes each (/metrics).
TEST_F(DurabilityTest, KillNineDuringGroupCommitsLosesNoAnsweredGrant) {
  auto server = startServer(sqlite(false));
  std::mutex mutex;
  std::vector<std::string> issued;
  std::atomic<bool> stop{false};
  auto burst = [&](const std::string& clientId, const std::string& secret) {
    HttpClient http(server->baseUrl());
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!stop && std::chrono::steady_clock::now() < deadline) {
      try {
        const auto r = http.postForm("/oauth/token", "grant_type=client_credentials", clientId, secret);
        if (r.status != 200) continue;
        std::lock_guard lock(mutex);
        issued.emplace_back(jsonObject(r).at("access_token").as_string());
      } catch (const std::exception&) {
        return;
      }
    }
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < 16; ++i)
    clients.emplace_back(burst, i % 2 ? kAcmeAdminService : kMercyAdminService, i % 2 ? kAcmeAdminSecret : kMercyAdminSecret);
  std::this_thread::sleep_for(1500ms);
  const auto metrics = HttpClient(server->baseUrl()).get("/metrics").body;
  server->kill9();
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_GT(issued.size(), 100U) << "the burst should have got going";
  const auto batches = metricValue(metrics, "tokens_store_commits_total");
  const auto writes = metricValue(metrics, "tokens_store_writes_total");
  ASSERT_TRUE(batches && writes) << metrics;
  EXPECT_GT(*writes, *batches * 2) << "writes were committed together, several to a batch";

  server = startServer(sqlite(false));
  HttpClient http(server->baseUrl());
  std::size_t lost = 0;
  for (const auto& token : issued) lost += http.head("/api/v2/tokens/me", token).status == 200 ? 0 : 1;
  EXPECT_EQ(lost, 0U) << "of " << issued.size() << " answered grants";
}

// A user's revocation is one write: after a kill -9 every answered one holds for all of the user's tokens,
// and the one in flight, if any, took all or nothing. Other clients keep the writer busy meanwhile.
TEST_F(DurabilityTest, KillNineDuringUserRevocationsLeavesEachAllOrNothing) {
  auto server = startServer(sqlite(false));
  struct Round {
    std::vector<std::string> tokens;
    bool answered = false;
  };
  std::mutex mutex;
  std::vector<Round> rounds;
  std::atomic<bool> stop{false};
  std::thread revoker([&] {
    HttpClient http(server->baseUrl());
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    try {
      const auto admin = acmeAdminToken(http);
      while (!stop && std::chrono::steady_clock::now() < deadline) {
        Round round;
        for (int i = 0; i < 3; ++i) round.tokens.push_back(paulLogin(http).accessToken);
        {
          std::lock_guard lock(mutex);
          rounds.push_back(round);
        }
        const bool answered = http.del("/api/v2/tokens/acme-user", admin).status == 204;
        std::lock_guard lock(mutex);
        rounds.back().answered = answered;
      }
    } catch (const std::exception&) {
      // the server is gone
    }
  });
  std::vector<std::thread> busy;
  for (int i = 0; i < 4; ++i)
    busy.emplace_back([&] {
      HttpClient http(server->baseUrl());
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      try {
        while (!stop && std::chrono::steady_clock::now() < deadline)
          http.postForm("/oauth/token", "grant_type=client_credentials", kMercyAdminService, kMercyAdminSecret);
      } catch (const std::exception&) {
      }
    });
  std::this_thread::sleep_for(1500ms);
  server->kill9();
  stop = true;
  revoker.join();
  for (auto& b : busy) b.join();
  ASSERT_GE(rounds.size(), 3U) << "the revocations should have got going";

  server = startServer(sqlite(false));
  HttpClient http(server->baseUrl());
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    std::set<int> statuses;
    for (const auto& token : rounds[r].tokens) statuses.insert(http.head("/api/v2/tokens/me", token).status);
    if (rounds[r].answered) {
      EXPECT_EQ(statuses, std::set<int>{401}) << "round " << r << ": an answered revocation holds for every token";
    } else {
      EXPECT_EQ(statuses.size(), 1U) << "round " << r << ": the revocation in flight took all or nothing";
      EXPECT_EQ(r, rounds.size() - 1) << "only the last round can be unanswered";
    }
  }
}

TEST_F(DurabilityTest, AStopLetsTheRequestInFlightFinish) {
  auto server = startServer(sqlite());
  HttpClient http(server->baseUrl());
  const auto token = acmeAdminToken(http);
  ASSERT_EQ(http.postJson("/_emulator/faults", R"({"method":"HEAD","path":"/api/v2/tokens/me","status":0,"delayMs":1000})").status, 201);
  long status = 0;
  std::thread inFlight([&] {
    HttpClient other(server->baseUrl());
    status = other.head("/api/v2/tokens/me", token).status;
  });
  std::this_thread::sleep_for(300ms);
  const int exitCode = server->stop();  // SIGTERM while the response is still being delayed
  inFlight.join();
  EXPECT_EQ(status, 200);
  EXPECT_EQ(exitCode, 0);
}

TEST_F(DurabilityTest, TwoServersCannotShareOneSqliteFile) {
  auto first = startServer(sqlite());
  ServerProcess second(sqlite());
  EXPECT_THROW(second.start(), std::runtime_error);
}

}  // namespace
}  // namespace tokens::testing
