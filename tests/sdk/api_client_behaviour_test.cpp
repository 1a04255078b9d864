// ApiClient's retry loop, token renewal and logging, driven through a scripted transport: the real
// engine, no network, no waiting (the sleeper records instead of sleeping).

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"
#include "fake_transport.h"
#include "internal/api_client_impl.h"

namespace PureCloudPlatformClientV2::testing {
namespace {

using namespace std::chrono_literals;

const std::string kTokenInfo = R"({"organization":{"id":"o","name":"Acme"},"OAuthClient":{"id":"c","name":"C"}})";
std::string grantBody(const std::string& token, int expiresIn = 86400, const std::string& refresh = "") {
  std::string b = R"({"access_token":")" + token + R"(","token_type":"bearer","expires_in":)" + std::to_string(expiresIn);
  if (!refresh.empty()) b += R"(,"refresh_token":")" + refresh + "\"";
  return b + "}";
}

class ApiClientBehaviourTest : public ::testing::Test {
 protected:
  void use(FakeTransport::Handler handler) {
    transport = std::make_shared<FakeTransport>(std::move(handler));
    internal::implOf(*client).setTransport(transport);
    internal::implOf(*client).setSleeper([this](std::chrono::milliseconds d) {
      std::lock_guard lock(sleepsMutex);
      sleeps.push_back(d);
    });
    internal::implOf(*client).setJitter([] { return 0.5; });
    client->setEnvironment("http://api.test");
  }
  std::shared_ptr<ApiClient> client = std::make_shared<ApiClient>();
  std::shared_ptr<FakeTransport> transport;
  std::mutex sleepsMutex;
  std::vector<std::chrono::milliseconds> sleeps;
};

TEST_F(ApiClientBehaviourTest, RetriesServiceUnavailableWithBackoffThenSucceeds) {
  std::atomic<int> calls{0};
  use([&](const TransportRequest&) { return ++calls <= 2 ? answer(503) : answer(200, kTokenInfo); });
  client->setAccessToken("t");
  RetryConfig retry;
  retry.baseDelay = 100ms;
  client->setRetryConfig(retry);
  TokensApi api(client);
  EXPECT_EQ(*api.getTokensMe().organization->id, "o");
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{50ms, 100ms})) << "half of 100 ms, then of 200 ms";
}

TEST_F(ApiClientBehaviourTest, HonoursRetryAfter) {
  std::atomic<int> calls{0};
  use([&](const TransportRequest&) { return ++calls == 1 ? answer(429, "", {{"retry-after", "7"}}) : answer(200); });
  client->setAccessToken("t");
  TokensApi(client).headTokensMe();
  EXPECT_EQ(sleeps, std::vector<std::chrono::milliseconds>{7000ms});
}

TEST_F(ApiClientBehaviourTest, ARetryAfterBeyondTheCapFailsAtOnce) {
  use([&](const TransportRequest&) {
    return answer(429, R"({"message":"slow down","code":"too.many.requests.retry.after","status":429})", {{"retry-after", "600"}});
  });
  client->setAccessToken("t");
  try {
    TokensApi(client).headTokensMe();
    FAIL() << "expected ApiException";
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 429);
    EXPECT_EQ(*e.getErrorBody()->code, "too.many.requests.retry.after");
  }
  EXPECT_TRUE(sleeps.empty());
  EXPECT_EQ(transport->requests().size(), 1U);
}

TEST_F(ApiClientBehaviourTest, GivesUpAfterMaxRetriesWithTheLastAnswer) {
  use([&](const TransportRequest&) { return answer(502); });
  client->setAccessToken("t");
  RetryConfig retry;
  retry.maxRetries = 3;
  client->setRetryConfig(retry);
  EXPECT_THROW(TokensApi(client).getTokensTimeout(), ApiException);
  EXPECT_EQ(transport->requests().size(), 4U);
  EXPECT_EQ(sleeps.size(), 3U);
}

TEST_F(ApiClientBehaviourTest, CallOptionsOverrideTheClientsRetriesAndTimeouts) {
  use([&](const TransportRequest&) { return answer(503); });
  client->setAccessToken("t");
  RetryConfig none;
  none.enabled = false;
  auto api = TokensApi(client).withCallOptions({.connectTimeout = 1500ms, .totalTimeout = 2500ms, .retry = none});
  EXPECT_THROW(api.headTokensMe(), ApiException);
  ASSERT_EQ(transport->requests().size(), 1U);
  EXPECT_EQ(transport->requests()[0].totalTimeout, 2500ms);
  EXPECT_EQ(transport->requests()[0].connectTimeout, 1500ms);
}

TEST_F(ApiClientBehaviourTest, ConnectionFailuresAreRetriedTimeoutsAreNot) {
  std::atomic<int> calls{0};
  use([&](const TransportRequest&) { return ++calls == 1 ? noAnswer(TransportFailure::Connect) : answer(200); });
  client->setAccessToken("t");
  TokensApi(client).headTokensMe();
  EXPECT_EQ(calls, 2);

  use([&](const TransportRequest&) { return noAnswer(TransportFailure::Timeout); });
  client->setAccessToken("t");
  try {
    TokensApi(client).headTokensMe();
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_TRUE(e.isTimeout());
    EXPECT_TRUE(e.isTransportError());
    EXPECT_EQ(e.getStatusCode(), 0);
  }
  EXPECT_EQ(transport->requests().size(), 1U);
}

TEST_F(ApiClientBehaviourTest, LoginsAreNotRetriedWhereTheServerMayHaveActed) {
  use([&](const TransportRequest&) { return answer(502); });
  EXPECT_THROW(client->loginClientCredentialsGrant("id", "secret"), ApiException);
  EXPECT_EQ(transport->requests().size(), 1U);
  std::atomic<int> calls{0};
  use([&](const TransportRequest&) { return ++calls == 1 ? answer(503) : answer(200, grantBody("fresh")); });
  EXPECT_EQ(client->loginClientCredentialsGrant("id", "secret").accessToken, "fresh");
  EXPECT_EQ(calls, 2);
}

TEST_F(ApiClientBehaviourTest, LoginSendsBasicCredentialsToTheLoginHost) {
  use([&](const TransportRequest&) { return answer(200, grantBody("tok", 3600)); });
  client->setEnvironment("mypurecloud.ie");
  const auto auth = client->loginClientCredentialsGrant("my-id", "my-secret");
  EXPECT_EQ(auth.accessToken, "tok");
  EXPECT_EQ(auth.expiresIn, 3600);
  const auto r = transport->requests().at(0);
  EXPECT_EQ(r.url, "https://login.mypurecloud.ie/oauth/token");
  EXPECT_EQ(headerOf(r, "Authorization"), "Basic bXktaWQ6bXktc2VjcmV0");
  EXPECT_EQ(*r.body, "grant_type=client_credentials");
}

TEST_F(ApiClientBehaviourTest, AFailedLoginCarriesTheOAuthError) {
  use([&](const TransportRequest&) {
    return answer(401, R"({"error":"invalid_client","description":"Client authentication failed.","error_description":"Client authentication failed."})");
  });
  try {
    client->loginClientCredentialsGrant("id", "wrong");
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 401);
    EXPECT_EQ(e.getOAuthError(), "invalid_client");
    EXPECT_NE(std::string(e.what()).find("invalid_client"), std::string::npos) << e.what();
  }
}

TEST_F(ApiClientBehaviourTest, AClientCredentialsTokenIsRenewedAfterA401) {
  std::atomic<int> logins{0};
  use([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token")) return answer(200, grantBody("token-" + std::to_string(++logins)));
    return headerOf(r, "Authorization") == "Bearer token-2" ? answer(200, kTokenInfo) : answer(401);
  });
  client->loginClientCredentialsGrant("id", "secret");
  EXPECT_EQ(*TokensApi(client).getTokensMe().OAuthClient->id, "c");
  EXPECT_EQ(logins, 2);
  EXPECT_EQ(client->getAuthData().accessToken, "token-2");
}

TEST_F(ApiClientBehaviourTest, AClientCredentialsTokenIsRenewedBeforeItExpires) {
  std::atomic<int> logins{0};
  use([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token")) return answer(200, grantBody("token-" + std::to_string(++logins), 30));
    return answer(200);
  });
  client->loginClientCredentialsGrant("id", "secret");  // expires in 30 s, inside the 60 s margin
  TokensApi(client).headTokensMe();
  EXPECT_EQ(logins, 2);
  EXPECT_EQ(headerOf(transport->requests().back(), "Authorization"), "Bearer token-2");
}

TEST_F(ApiClientBehaviourTest, SixteenThreadsHittingA401ShareOneRefresh) {
  std::atomic<int> refreshes{0};
  use([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token")) {
      ++refreshes;
      std::this_thread::sleep_for(50ms);  // a slow token endpoint: every thread arrives while it runs
      return answer(200, grantBody("new", 3600, "refresh-2"));
    }
    return headerOf(r, "Authorization") == "Bearer new" ? answer(200, kTokenInfo) : answer(401);
  });
  std::atomic<int> loginCalls{0};
  (void)loginCalls;
  // A password login that gave a refresh token, then the access token stops working.
  use([&, inner = transport](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token") && r.body->find("grant_type=password") != std::string::npos)
      return answer(200, grantBody("old", 3600, "refresh-1"));
    return inner->perform(r);
  });
  client->loginPasswordGrant("id", "secret", "u@x.example", "pw");
  refreshes = 0;

  std::barrier start(16);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      TokensApi api(client);
      start.arrive_and_wait();
      if (api.getTokensMe().organization) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 16);
  EXPECT_EQ(refreshes, 1) << "concurrent callers wait for one refresh";
  EXPECT_EQ(client->getAuthData().refreshToken, "refresh-2");
}

TEST_F(ApiClientBehaviourTest, AFailedRefreshIsEveryCallersExceptionNotACrash) {
  use([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token") && r.body->find("grant_type=password") != std::string::npos)
      return answer(200, grantBody("old", 3600, "refresh-1"));
    if (r.url.ends_with("/oauth/token")) {
      std::this_thread::sleep_for(20ms);
      return answer(400, R"({"error":"invalid_grant","error_description":"expired"})");
    }
    return answer(401, R"({"message":"Invalid login credentials.","code":"bad.credentials","status":401})");
  });
  client->loginPasswordGrant("id", "secret", "u@x.example", "pw");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      try {
        TokensApi(client).headTokensMe();
      } catch (const ApiException& e) {
        if (e.getStatusCode() == 400 || e.getStatusCode() == 401) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 8);
}

TEST_F(ApiClientBehaviourTest, ApiErrorsCarryTheErrorBodyAndHeaders) {
  use([&](const TransportRequest&) {
    return answer(404, R"({"message":"The requested resource was not found.","code":"not.found","status":404,"contextId":"abc"})",
                  {{"inin-correlation-id", "abc"}});
  });
  client->setAccessToken("t");
  try {
    TokensApi(client).deleteToken("someone");
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 404);
    EXPECT_FALSE(e.isTransportError());
    EXPECT_EQ(*e.getErrorBody()->code, "not.found");
    EXPECT_EQ(e.getCorrelationId(), "abc");
    EXPECT_NE(std::string(e.what()).find("404 not.found"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("DELETE http://api.test/api/v2/tokens/someone"), std::string::npos) << e.what();
  }
}

TEST_F(ApiClientBehaviourTest, PathParametersArePercentEncoded) {
  use([&](const TransportRequest&) { return answer(204); });
  client->setAccessToken("t");
  TokensApi(client).deleteToken("a b/c?");
  EXPECT_EQ(transport->requests().at(0).url, "http://api.test/api/v2/tokens/a%20b%2Fc%3F");
}

TEST_F(ApiClientBehaviourTest, HooksSeeAndShapeEveryAttempt) {
  std::atomic<int> calls{0};
  use([&](const TransportRequest&) { return ++calls == 1 ? answer(503) : answer(200); });
  client->setAccessToken("t");
  client->addPreRequestHook([](RequestContext& ctx) { ctx.headers["X-Trace"] = "abc"; });
  std::vector<int> statuses;
  client->addPostResponseHook([&](const ResponseContext& ctx) { statuses.push_back(ctx.statusCode); });
  TokensApi(client).headTokensMe();
  EXPECT_EQ(headerOf(transport->requests().at(1), "X-Trace"), "abc");
  EXPECT_EQ(statuses, (std::vector<int>{503, 200}));
}

TEST_F(ApiClientBehaviourTest, LogsAreRedacted) {
  use([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token")) return answer(200, grantBody("super-secret-token", 3600, "super-refresh"));
    return answer(200, kTokenInfo);
  });
  std::vector<std::string> lines;
  LoggingConfig logging;
  logging.level = LogLevel::Trace;
  logging.logToStderr = false;
  logging.logRequestBody = logging.logResponseBody = true;
  logging.callback = [&](LogLevel, const std::string& line) { lines.push_back(line); };
  client->setLoggingConfig(logging);
  client->loginPasswordGrant("id", "client-secret-value", "u@x.example", "the-password");
  TokensApi(client).getTokensMe();
  ASSERT_GE(lines.size(), 2U);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  for (const char* secret : {"super-secret-token", "super-refresh", "the-password", "client-secret-value", "aWQ6Y2xpZW50"})
    EXPECT_EQ(all.find(secret), std::string::npos) << secret << " leaked:\n" << all;
  EXPECT_NE(all.find("Bearer [REDACTED]"), std::string::npos) << all;
  EXPECT_NE(all.find("Acme"), std::string::npos) << "bodies are logged when asked";
}

TEST_F(ApiClientBehaviourTest, JsonLogLinesAreJson) {
  use([&](const TransportRequest&) { return answer(200); });
  client->setAccessToken("t");
  std::vector<std::string> lines;
  LoggingConfig logging;
  logging.level = LogLevel::Debug;
  logging.format = LogFormat::Json;
  logging.logToStderr = false;
  logging.callback = [&](LogLevel, const std::string& line) { lines.push_back(line); };
  client->setLoggingConfig(logging);
  TokensApi(client).headTokensMe();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0].front(), '{');
  EXPECT_NE(lines[0].find(R"("method":"HEAD")"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("status":200)"), std::string::npos) << lines[0];
}

TEST_F(ApiClientBehaviourTest, AStoredTokenIsRenewedWithItsRefreshTokenAndTheCallbackHearsOfIt) {
  use([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token")) {
      EXPECT_NE(r.body->find("grant_type=refresh_token&refresh_token=stored-refresh"), std::string::npos) << *r.body;
      EXPECT_EQ(headerOf(r, "Authorization"), "Basic bXktaWQ6bXktc2VjcmV0");
      return answer(200, grantBody("renewed", 3600, "next-refresh"));
    }
    return headerOf(r, "Authorization") == "Bearer renewed" ? answer(200) : answer(401);
  });
  AuthData stored;
  stored.accessToken = "stale";
  stored.refreshToken = "stored-refresh";
  client->setAuthData(stored, "my-id", "my-secret");
  std::vector<AuthData> heard;
  client->setTokenRenewedCallback([&](const AuthData& a) { heard.push_back(a); });
  TokensApi(client).headTokensMe();
  ASSERT_EQ(heard.size(), 1U);
  EXPECT_EQ(heard[0].accessToken, "renewed");
  EXPECT_EQ(heard[0].refreshToken, "next-refresh");
}

TEST_F(ApiClientBehaviourTest, AStoredTokenWithoutARefreshTokenFallsBackToClientCredentials) {
  use([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token")) {
      EXPECT_EQ(*r.body, "grant_type=client_credentials");
      return answer(200, grantBody("fresh"));
    }
    return headerOf(r, "Authorization") == "Bearer fresh" ? answer(200) : answer(401);
  });
  AuthData stored;
  stored.accessToken = "stale";
  client->setAuthData(stored, "my-id", "my-secret");
  TokensApi(client).headTokensMe();
  EXPECT_EQ(client->getAuthData().accessToken, "fresh");
}

TEST_F(ApiClientBehaviourTest, ARefreshWithoutASecretIsAPublicClientsWithItsIdInTheForm) {
  use([&](const TransportRequest&) { return answer(200, grantBody("fresh", 3600, "next")); });
  client->refreshCodeAuthorizationGrant("acme-cli", "", "r/1");
  client->refreshCodeAuthorizationGrant("acme-desktop", "s", "r/2");
  const auto requests = transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(*requests[0].body, "grant_type=refresh_token&refresh_token=r%2F1&client_id=acme-cli");
  EXPECT_EQ(headerOf(requests[0], "Authorization"), "");
  EXPECT_EQ(*requests[1].body, "grant_type=refresh_token&refresh_token=r%2F2");
  EXPECT_EQ(headerOf(requests[1], "Authorization"), internal::basicAuthorization("acme-desktop", "s"));
}

TEST_F(ApiClientBehaviourTest, AsyncCallsRetryThroughTheTransportNotBySleeping) {
  std::atomic<int> calls{0};
  use([&](const TransportRequest&) { return ++calls <= 2 ? answer(503) : answer(200, kTokenInfo); });
  client->setAccessToken("t");
  RetryConfig retry;
  retry.baseDelay = 100ms;
  client->setRetryConfig(retry);
  const auto info = TokensApi(client).getTokensMeAsync().get();
  EXPECT_EQ(*info.organization->name, "Acme");
  EXPECT_TRUE(sleeps.empty()) << "no thread slept";
  EXPECT_EQ(transport->asyncDelays(), (std::vector<std::chrono::milliseconds>{0ms, 50ms, 100ms}));
}

TEST_F(ApiClientBehaviourTest, AsyncErrorsArriveAsApiExceptions) {
  use([&](const TransportRequest&) { return answer(404, R"({"message":"gone","code":"not.found","status":404})"); });
  client->setAccessToken("t");
  TokensApi api(client);
  auto future = api.deleteTokenAsync("nobody");
  try {
    future.get();
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 404);
  }
  std::exception_ptr seen;
  api.getTokensTimeoutAsync([&](std::exception_ptr error, IdleTokenTimeout) { seen = error; });
  ASSERT_TRUE(seen);
  EXPECT_THROW(std::rethrow_exception(seen), ApiException);
}

TEST_F(ApiClientBehaviourTest, AnAsyncAnswerThatIsNotTheModelIsAnError) {
  use([&](const TransportRequest&) { return answer(200, R"({"idleTokenTimeoutSeconds":"soon"})"); });
  client->setAccessToken("t");
  EXPECT_THROW(TokensApi(client).getTokensTimeoutAsync().get(), ApiException);
}

TEST_F(ApiClientBehaviourTest, ACallbackThatThrowsIsCalledOnceAndLogged) {
  use([&](const TransportRequest&) { return answer(200); });
  client->setAccessToken("t");
  std::vector<std::string> lines;
  LoggingConfig logging;
  logging.level = LogLevel::Error;
  logging.logToStderr = false;
  logging.callback = [&](LogLevel, const std::string& line) { lines.push_back(line); };
  client->setLoggingConfig(logging);
  int calls = 0;
  TokensApi(client).headTokensMeAsync([&](std::exception_ptr) {
    ++calls;
    throw std::runtime_error("careless callback");
  });
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("careless callback"), std::string::npos);
}

}  // namespace
}  // namespace PureCloudPlatformClientV2::testing
