// The C++ SDK against the real tokens-server over loopback: every operation, error, login, renewal,
// retry and timeout the server can produce.

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <fstream>
#include <future>
#include <thread>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"
#include "api_test_support.h"

namespace PureCloudPlatformClientV2::testing {
namespace {

using namespace std::chrono_literals;
using tokens::testing::HttpClient;
using tokens::testing::ServerProcess;

class SdkAgainstServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server = tokens::testing::startServer();
    raw = std::make_unique<HttpClient>(server->baseUrl());
    client = std::make_shared<ApiClient>();
    client->setEnvironment(server->baseUrl());
  }
  std::shared_ptr<ApiClient> adminClient() {
    auto c = std::make_shared<ApiClient>();
    c->setEnvironment(server->baseUrl());
    c->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
    return c;
  }
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpClient> raw;
  std::shared_ptr<ApiClient> client;
};

TEST_F(SdkAgainstServerTest, TheLoginHostOfALocalServerIsItself) {
  EXPECT_EQ(client->getBasePath(), server->baseUrl());
  EXPECT_EQ(client->getLoginBasePath(), server->baseUrl());
}

TEST_F(SdkAgainstServerTest, AllSixOperations) {
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  TokensApi api(client);
  api.headTokensMe();
  const auto info = api.getTokensMe();
  EXPECT_EQ(*info.organization->id, "acme");
  EXPECT_EQ(*info.OAuthClient->authorizedGrantType, OrgOAuthClient::AuthorizedGrantType::CLIENT_CREDENTIALS);
  EXPECT_EQ(*api.getTokensMe(true).homeOrganization->name, "Acme Corp");

  EXPECT_EQ(*api.getTokensTimeout().idleTokenTimeoutSeconds, 1800);
  IdleTokenTimeout setting;
  setting.idleTokenTimeoutSeconds = 900;
  setting.enableIdleTokenTimeout = true;
  const auto stored = api.putTokensTimeout(setting);
  EXPECT_EQ(*stored.idleTokenTimeoutSeconds, 900);
  EXPECT_EQ(*stored.inactivityTimeoutUnit, InactivityTimeoutUnit::Minutes) << "fields left out took the defaults";
  EXPECT_EQ(api.getTokensTimeout(), stored);
  EXPECT_EQ(*api.putTokensTimeout().idleTokenTimeoutSeconds, 1800) << "no body: the defaults";

  const auto paul = tokens::testing::paulLogin(*raw);
  api.deleteToken("acme-user");
  EXPECT_EQ(raw->head("/api/v2/tokens/me", paul.accessToken).status, 401);

  api.deleteTokensMe();
  try {
    ApiClient fresh;
    fresh.setEnvironment(server->baseUrl());
    fresh.setAccessToken(client->getAuthData().accessToken);
    TokensApi(std::shared_ptr<ApiClient>(&fresh, [](ApiClient*) {})).headTokensMe();
    FAIL() << "the token was revoked";
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 401);
  }
}

TEST_F(SdkAgainstServerTest, WithHttpInfoGivesStatusHeadersAndRateLimits) {
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  TokensApi api(client);
  const auto r = api.getTokensMeWithHttpInfo();
  EXPECT_EQ(r.getStatusCode(), 200);
  EXPECT_EQ(r.getCorrelationId().size(), 36U);
  EXPECT_EQ(r.getRateLimit().allowed, 300);
  EXPECT_EQ(r.getRateLimit().count, 1);
  EXPECT_EQ(*r.getBody().organization->id, "acme");
  const auto head = api.headTokensMeWithHttpInfo();
  EXPECT_EQ(head.getStatusCode(), 200);
  EXPECT_EQ(head.getRateLimit().count, 2);
  EXPECT_EQ(api.deleteTokenWithHttpInfo("acme-clone").getStatusCode(), 204);
}

TEST_F(SdkAgainstServerTest, ErrorsArriveAsApiExceptionsWithTheirErrorBody) {
  client->loginClientCredentialsGrant("acme-reporting", "acme-reporting-secret");
  TokensApi api(client);
  struct Case { std::function<void()> call; int status; std::string code; };
  IdleTokenTimeout tooShort;
  tooShort.idleTokenTimeoutSeconds = 10;
  auto admin = TokensApi(adminClient());
  for (const auto& c : std::vector<Case>{
           {[&] { admin.putTokensTimeout(tooShort); }, 400, "invalid.value"},
           {[&] { api.putTokensTimeout(IdleTokenTimeout{}); }, 403, "missing.any.permissions"},
           {[&] { api.deleteToken("acme-user"); }, 403, "missing.any.permissions"},
           {[&] { admin.deleteToken("mercy-nurse"); }, 404, "not.found"},
       }) {
    try {
      c.call();
      ADD_FAILURE() << "expected " << c.status;
    } catch (const ApiException& e) {
      EXPECT_EQ(e.getStatusCode(), c.status);
      ASSERT_TRUE(e.getErrorBody());
      EXPECT_EQ(*e.getErrorBody()->code, c.code);
      EXPECT_EQ(e.getCorrelationId(), *e.getErrorBody()->contextId);
      EXPECT_FALSE(e.isTransportError());
    }
  }
  try {
    admin.putTokensTimeout(tooShort);
  } catch (const ApiException& e) {
    EXPECT_EQ(*e.getErrorBody()->details->at(0).fieldName, "idleTokenTimeoutSeconds");
  }
}

TEST_F(SdkAgainstServerTest, ABadTokenIs401WhenNothingCanRenewIt) {
  client->setAccessToken("not-a-token");
  try {
    TokensApi(client).getTokensMe();
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 401);
    EXPECT_EQ(*e.getErrorBody()->code, "bad.credentials");
  }
}

TEST_F(SdkAgainstServerTest, LoginFlowsTheServerOffers) {
  const auto cc = client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  EXPECT_EQ(cc.expiresIn, 86400);
  EXPECT_TRUE(cc.refreshToken.empty());
  const auto pw = client->loginPasswordGrant("acme-desktop", "acme-desktop-secret", "paul@acme.example", "paul-password");
  EXPECT_FALSE(pw.refreshToken.empty());
  EXPECT_EQ(client->getAuthData().accessToken, pw.accessToken);
  const auto refreshed = client->refreshCodeAuthorizationGrant("acme-desktop", "acme-desktop-secret", pw.refreshToken);
  EXPECT_NE(refreshed.accessToken, pw.accessToken);
  EXPECT_NE(refreshed.refreshToken, pw.refreshToken) << "refresh tokens rotate";
  TokensApi(client).headTokensMe();

  try {
    client->loginClientCredentialsGrant("acme-admin-service", "wrong");
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 401);
    EXPECT_EQ(e.getOAuthError(), "invalid_client");
  }
  try {
    client->authorizePKCEGrant("acme-web", ApiClient::generatePKCECodeVerifier(), "code", "http://127.0.0.1:8765/callback");
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 400);
    EXPECT_EQ(e.getOAuthError(), "invalid_grant") << "a code the server never gave";
  }
}

TEST_F(SdkAgainstServerTest, AnExpiredUserTokenIsRefreshedAutomatically) {
  client->loginPasswordGrant("mercy-desktop", "mercy-desktop-secret", "nina@mercy.example", "nina-password");
  const auto before = client->getAuthData();
  tokens::testing::advanceClock(*raw, 3601);  // mercy-desktop tokens live an hour; refresh tokens 30 days
  EXPECT_EQ(*TokensApi(client).getTokensMe().organization->id, "mercy");
  EXPECT_NE(client->getAuthData().accessToken, before.accessToken);
  EXPECT_NE(client->getAuthData().refreshToken, before.refreshToken);
}

TEST_F(SdkAgainstServerTest, ARevokedClientCredentialsTokenIsReplacedByANewLogin) {
  const auto first = client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  ASSERT_EQ(raw->del("/api/v2/tokens/me", first.accessToken).status, 200);
  TokensApi(client).headTokensMe();
  EXPECT_NE(client->getAuthData().accessToken, first.accessToken);
}

TEST_F(SdkAgainstServerTest, SixteenThreadsShareOneClientAndOneRefresh) {
  client->loginPasswordGrant("mercy-desktop", "mercy-desktop-secret", "nina@mercy.example", "nina-password");
  tokens::testing::advanceClock(*raw, 3601);
  std::barrier start(16);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      TokensApi api(client);
      start.arrive_and_wait();
      for (int n = 0; n < 10; ++n) {
        try {
          api.headTokensMe();
          ++ok;
        } catch (const ApiException& e) {
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 160);
  const auto metrics = raw->get("/metrics").body;
  EXPECT_NE(metrics.find("tokens_logins_total{grant=\"refresh_token\"} 1\n"), std::string::npos)
      << "one refresh for all sixteen threads\n" << metrics;
}

TEST_F(SdkAgainstServerTest, ServiceUnavailableAndThrottlingAreRetried) {
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  ASSERT_EQ(raw->postJson("/_emulator/faults", R"({"method":"GET","path":"/api/v2/tokens/me","status":503,"count":2})").status, 201);
  std::vector<int> statuses;
  client->addPostResponseHook([&](const ResponseContext& ctx) { statuses.push_back(ctx.statusCode); });
  RetryConfig fast;
  fast.baseDelay = 10ms;
  client->setRetryConfig(fast);
  TokensApi api(client);
  api.getTokensMe();
  EXPECT_EQ(statuses, (std::vector<int>{503, 503, 200}));

  ASSERT_EQ(raw->postJson("/_emulator/faults", R"({"method":"HEAD","path":"/api/v2/tokens/me","status":429,"count":1,"retryAfterSeconds":1})").status, 201);
  const auto started = std::chrono::steady_clock::now();
  api.headTokensMe();
  EXPECT_GE(std::chrono::steady_clock::now() - started, 1s) << "Retry-After was honoured";
}

TEST_F(SdkAgainstServerTest, ARetryAfterBeyondTheCapIsNotWaitedFor) {
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  ASSERT_EQ(raw->postJson("/_emulator/faults", R"({"method":"HEAD","path":"/api/v2/tokens/me","status":429,"count":1,"retryAfterSeconds":600})").status, 201);
  const auto started = std::chrono::steady_clock::now();
  try {
    TokensApi(client).headTokensMe();
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 429);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(SdkAgainstServerTest, ASlowAnswerIsATimeout) {
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  ASSERT_EQ(raw->postJson("/_emulator/faults", R"({"method":"GET","path":"/api/v2/tokens/timeout","status":0,"count":1,"delayMs":2000})").status, 201);
  try {
    TokensApi(client).withCallOptions({.totalTimeout = 300ms}).getTokensTimeout();
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_TRUE(e.isTimeout()) << e.what();
    EXPECT_EQ(e.getStatusCode(), 0);
  }
  EXPECT_EQ(*TokensApi(client).getTokensTimeout().idleTokenTimeoutSeconds, 1800) << "the next call is fine";
}

TEST_F(SdkAgainstServerTest, NoServerIsATransportError) {
  const auto port = server->port();
  server->stop();
  ApiClient lonely;
  lonely.setEnvironment("http://127.0.0.1:" + std::to_string(port));
  RetryConfig quick;
  quick.maxRetries = 1;
  quick.baseDelay = 1ms;
  lonely.setRetryConfig(quick);
  try {
    lonely.loginClientCredentialsGrant("a", "b");
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_TRUE(e.isTransportError());
    EXPECT_FALSE(e.isTimeout());
  }
}

TEST_F(SdkAgainstServerTest, AsyncOperationsWithFuturesAndCallbacks) {
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  TokensApi api(client);
  auto info = api.getTokensMeAsync(true);
  auto timeout = api.getTokensTimeoutAsync();
  auto head = api.headTokensMeAsync();
  EXPECT_EQ(*info.get().organization->id, "acme");
  EXPECT_EQ(*timeout.get().idleTokenTimeoutSeconds, 1800);
  head.get();
  IdleTokenTimeout setting;
  setting.idleTokenTimeoutSeconds = 600;
  EXPECT_EQ(*api.putTokensTimeoutAsync(setting).get().idleTokenTimeoutSeconds, 600);

  std::promise<std::exception_ptr> failed;
  api.deleteTokenAsync("no-such-user", [&](std::exception_ptr error) { failed.set_value(error); });
  const auto error = failed.get_future().get();
  ASSERT_TRUE(error);
  try {
    std::rethrow_exception(error);
  } catch (const ApiException& e) {
    EXPECT_EQ(*e.getErrorBody()->code, "not.found");
  }
  api.deleteTokensMeAsync().get();
  EXPECT_EQ(raw->head("/api/v2/tokens/me", client->getAuthData().accessToken).status, 401);
}

TEST_F(SdkAgainstServerTest, AsyncCallsRenewAnExpiredTokenToo) {
  client->loginPasswordGrant("mercy-desktop", "mercy-desktop-secret", "nina@mercy.example", "nina-password");
  tokens::testing::advanceClock(*raw, 3601);
  EXPECT_EQ(*TokensApi(client).getTokensMeAsync().get().organization->id, "mercy");
}

TEST_F(SdkAgainstServerTest, AThousandAsyncCallsInFlight) {
  server->stop();
  server = tokens::testing::startServer({.extraArgs = {"--rate-limit-per-token", "0"}});
  raw = std::make_unique<HttpClient>(server->baseUrl());
  client->setEnvironment(server->baseUrl());
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  TokensApi api(client);
  std::vector<std::future<TokenInfo>> futures;
  futures.reserve(1000);
  for (int i = 0; i < 1000; ++i) futures.push_back(api.getTokensMeAsync());
  int ok = 0;
  for (auto& f : futures) ok += f.get().organization.has_value();
  EXPECT_EQ(ok, 1000);
  // The server counts a request once its answer is written, which may be just after the client read it:
  // wait (bounded) for the count to arrive.
  const std::string counted = "tokens_http_requests_total{route=\"/api/v2/tokens/me\",status=\"200\"} 1000\n";
  std::string metrics;
  for (int i = 0; i < 100 && metrics.find(counted) == std::string::npos; ++i) {
    if (i) std::this_thread::sleep_for(20ms);
    metrics = raw->get("/metrics").body;
  }
  EXPECT_NE(metrics.find(counted), std::string::npos) << metrics;
}

TEST_F(SdkAgainstServerTest, AnAsyncTimeout) {
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  ASSERT_EQ(raw->postJson("/_emulator/faults", R"({"method":"HEAD","path":"/api/v2/tokens/me","status":0,"count":1,"delayMs":2000})").status, 201);
  try {
    TokensApi(client).withCallOptions({.totalTimeout = 300ms}).headTokensMeAsync().get();
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_TRUE(e.isTimeout()) << e.what();
  }
}

TEST_F(SdkAgainstServerTest, TheLogFileNeverHoldsTokensOrSecrets) {
  const auto dir = tokens::testing::makeTempDir();
  LoggingConfig logging;
  logging.level = LogLevel::Trace;
  logging.logToStderr = false;
  logging.filePath = dir + "/sdk.log";
  logging.logRequestBody = logging.logResponseBody = true;
  client->setLoggingConfig(logging);
  const auto auth = client->loginPasswordGrant("acme-desktop", "acme-desktop-secret", "paul@acme.example", "paul-password");
  TokensApi(client).getTokensMe();
  const auto log = tokens::testing::readFile(dir + "/sdk.log");
  EXPECT_NE(log.find("/api/v2/tokens/me"), std::string::npos);
  for (const auto& secret : {auth.accessToken, auth.refreshToken, std::string("acme-desktop-secret"), std::string("paul-password")})
    EXPECT_EQ(log.find(secret), std::string::npos) << secret.substr(0, 4) << "... leaked";
}

}  // namespace
}  // namespace PureCloudPlatformClientV2::testing
