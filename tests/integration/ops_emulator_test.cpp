// /healthz, /readyz, /metrics, the access log, and the emulator's clock and faults (SPEC §8).

#include <algorithm>
#include <regex>
#include <sstream>
#include <thread>

#include "api_test_support.h"

namespace tokens::testing {
namespace {

using namespace std::chrono_literals;
using OpsTest = FreshServerTest;

TEST_F(OpsTest, HealthAndReadiness) {
  EXPECT_EQ(http->get("/healthz").status, 200);
  const auto ready = http->get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(jsonObject(ready).at("status"), "ready");
}

TEST_F(OpsTest, MetricsCountRequestsByRouteAndStatusLoginsAndLiveTokens) {
  const auto token = acmeAdminToken(*http);
  http->head("/api/v2/tokens/me", token);
  http->head("/api/v2/tokens/me", token);
  http->get("/api/v2/tokens/me", "bogus");
  paulLogin(*http);
  // A request is counted once its answer is written, which may be just after the client read it: wait
  // (bounded) until the last one shows.
  HttpResult r;
  for (int i = 0; i < 100; ++i) {
    if (i) std::this_thread::sleep_for(20ms);
    r = http->get("/metrics");
    if (r.body.find("tokens_http_requests_total{route=\"/oauth/token\",status=\"200\"} 2") != std::string::npos) break;
  }
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").rfind("text/plain", 0), 0U);
  EXPECT_NE(r.body.find("tokens_http_requests_total{route=\"/api/v2/tokens/me\",status=\"200\"} 2"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("tokens_http_requests_total{route=\"/api/v2/tokens/me\",status=\"401\"} 1"), std::string::npos);
  EXPECT_NE(r.body.find("tokens_logins_total{grant=\"client_credentials\"} 1"), std::string::npos);
  EXPECT_NE(r.body.find("tokens_logins_total{grant=\"password\"} 1"), std::string::npos);
  EXPECT_NE(r.body.find("tokens_live_tokens 3"), std::string::npos) << "one access token, one access and one refresh";
  EXPECT_NE(r.body.find("tokens_http_request_duration_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
}

TEST_F(OpsTest, TheAccessLogIsJsonLinesWithoutTokensSecretsOrPasswords) {
  const auto token = acmeAdminToken(*http);
  const auto login = paulLogin(*http);
  http->get("/api/v2/tokens/me?preserveIdleTTL=true", token);
  http->del("/api/v2/tokens/me", login.accessToken);
  refreshGrant(*http, kAcmeDesktop, kAcmeDesktopSecret, login.refreshToken);
  server->stop();  // flushes the log
  const auto log = server->stdoutText() + server->stderrText();
  for (const auto& secret : {token, login.accessToken, login.refreshToken, kAcmeAdminSecret, kAcmeDesktopSecret,
                             std::string("paul-password"), std::string("preserveIdleTTL")})
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log holds " << secret.substr(0, 4) << "...";
  const std::regex line(R"re(\{"ts":"[^"]+","method":"(GET|HEAD|POST|PUT|DELETE)","path":"[^"]*","status":\d{3},"latencyMs":[0-9.]+,"correlationId":"[0-9a-f-]{36}","remote":"127\.0\.0\.1"\})re");
  int lines = 0;
  std::istringstream stdoutLines(server->stdoutText());
  for (std::string l; std::getline(stdoutLines, l);) {
    EXPECT_TRUE(std::regex_match(l, line)) << l;
    ++lines;
  }
  EXPECT_GE(lines, 5);
}

TEST_F(OpsTest, EveryAccessLogLineIsValidJsonWhateverBytesTheTargetHeld) {
  // The fuzzer found lines with raw bytes >= 0x80 (invalid UTF-8): a log shipper drops or chokes on them.
  const std::vector<std::string> paths{"/caf\xc3\xa9", "/\xff\xfe/x", "/a\"b\\c", "/api/v2/tokens/\x80%80"};
  for (const auto& path : paths) {
    RawConnection raw(server->port());
    raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    raw.readUntilClosed(5s);
  }
  server->stop();  // flushes the log
  std::istringstream lines(server->stdoutText());
  std::vector<std::string> logged;
  for (std::string l; std::getline(lines, l);) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(l, ec);  // Boost.JSON refuses invalid UTF-8
    ASSERT_FALSE(ec) << ec.message() << ": " << l;
    for (const unsigned char c : l) EXPECT_LT(c, 0x80) << l;
    logged.emplace_back(v.at("path").as_string());
  }
  // Each byte as \u00XX: the path reads back byte for byte as Latin-1 code points.
  const auto asLatin1 = [](const std::string& bytes) {
    std::string utf8;
    for (const unsigned char c : bytes) {
      if (c < 0x80) {
        utf8.push_back(static_cast<char>(c));
      } else {
        utf8.push_back(static_cast<char>(0xc0 | (c >> 6)));
        utf8.push_back(static_cast<char>(0x80 | (c & 0x3f)));
      }
    }
    return utf8;
  };
  for (const auto& path : paths)
    EXPECT_NE(std::find(logged.begin(), logged.end(), asLatin1(path)), logged.end()) << path;
}

TEST_F(OpsTest, TheClockMovesOnlyForward) {
  const auto before = jsonObject(http->get("/_emulator/clock")).at("now").as_string();
  const auto moved = http->postJson("/_emulator/clock", R"({"advanceSeconds": 86400})");
  ASSERT_EQ(moved.status, 200);
  EXPECT_GT(std::string(jsonObject(moved).at("now").as_string()), std::string(before));
  EXPECT_EQ(http->postJson("/_emulator/clock", R"({"advanceSeconds": -5})").status, 400);
  EXPECT_EQ(http->postJson("/_emulator/clock", R"({"advanceSeconds": "soon"})").status, 400);
}

TEST_F(OpsTest, TheClockGoesAtMostAHundredYearsAheadAndNeverWraps) {
  // 24 advances of 10 years once overflowed the clock into 1682, and expired tokens answered 200 again.
  const auto token = acmeAdminToken(*http);
  const std::string tenYears = R"({"advanceSeconds": 315360000})";
  int moved = 0;
  std::string last;
  for (int i = 0; i < 24; ++i) {
    const auto r = http->postJson("/_emulator/clock", tenYears);
    if (r.status == 200) {
      ++moved;
      last = std::string(jsonObject(r).at("now").as_string());
      continue;
    }
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.errorCode(), "invalid.value");
    EXPECT_EQ(jsonObject(r).at("details").as_array().at(0).at("fieldName"), "advanceSeconds");
  }
  EXPECT_EQ(moved, 10) << "100 years of 365 days, and not one more";
  const std::string now(jsonObject(http->get("/_emulator/clock")).at("now").as_string());
  EXPECT_EQ(now.substr(0, 4), last.substr(0, 4)) << "the refused advances moved nothing";
  const int year = std::stoi(last.substr(0, 4));
  EXPECT_GE(year, 2120);
  EXPECT_LE(year, 2135);
  const auto me = http->get("/api/v2/tokens/me", token);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.errorCode(), "credentials.expired");
}

TEST_F(OpsTest, FaultsAnswerTheNextMatchingRequestsThenStop) {
  const auto token = acmeAdminToken(*http);
  const auto added = http->postJson("/_emulator/faults",
                                    R"({"method":"GET","path":"/api/v2/tokens/me","status":503,"count":2,"retryAfterSeconds":1})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(http->head("/api/v2/tokens/me", token).status, 200) << "another method does not match";
  for (int i = 0; i < 2; ++i) {
    const auto r = http->get("/api/v2/tokens/me", token);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.errorCode(), "service.unavailable");
    EXPECT_EQ(r.header("retry-after"), "1");
  }
  EXPECT_EQ(http->get("/api/v2/tokens/me", token).status, 200);

  ASSERT_EQ(http->postJson("/_emulator/faults", R"({"method":"POST","path":"/oauth/token","status":429,"count":1,"retryAfterSeconds":3})").status, 201);
  const auto limited = http->postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, kAcmeAdminSecret);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.errorCode(), "too.many.requests.retry.after");
  EXPECT_EQ(limited.header("retry-after"), "3");

  ASSERT_EQ(http->postJson("/_emulator/faults", R"({"method":"GET","path":"/healthz","status":500,"count":5})").status, 201);
  const auto internal = http->get("/healthz");
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.errorCode(), "internal.server.error");
  EXPECT_EQ(jsonObject(internal).at("contextId").as_string(), internal.header("inin-correlation-id").c_str());
  EXPECT_EQ(http->del("/_emulator/faults").status, 204);
  EXPECT_EQ(http->get("/healthz").status, 200) << "DELETE clears them all";
}

TEST_F(OpsTest, ADelayOnlyFaultDelaysTheNormalAnswer) {
  const auto token = acmeAdminToken(*http);
  ASSERT_EQ(http->postJson("/_emulator/faults", R"({"method":"HEAD","path":"/api/v2/tokens/me","status":0,"delayMs":400})").status, 201);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(http->head("/api/v2/tokens/me", token).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 400ms);
}

TEST_F(OpsTest, BadFaultsAreRefused) {
  EXPECT_EQ(http->postJson("/_emulator/faults", R"({"path":"/healthz"})").status, 400);
  EXPECT_EQ(http->postJson("/_emulator/faults", R"({"method":"GET","path":"healthz"})").status, 400);
  EXPECT_EQ(http->postJson("/_emulator/faults", R"({"method":"GET","path":"/healthz","status":200})").status, 400);
  EXPECT_EQ(http->postJson("/_emulator/faults", R"({"method":"GET","path":"/healthz","delayMs":-1})").status, 400);
}

class NoEmulatorTest : public FreshServerTest {
  ServerConfig config() override { return {.emulator = false}; }
};

TEST_F(NoEmulatorTest, EmulatorPathsDoNotExistWithoutTheFlag) {
  EXPECT_EQ(http->get("/_emulator/clock").status, 404);
  EXPECT_EQ(http->postJson("/_emulator/clock", R"({"advanceSeconds":1})").status, 404);
  EXPECT_EQ(http->postJson("/_emulator/faults", R"({"method":"GET","path":"/healthz"})").status, 404);
}

}  // namespace
}  // namespace tokens::testing
