// POST /oauth/token (SPEC §5): the grants and the RFC 6749 errors (the code grant: authorize_test.cpp).

#include <sys/resource.h>

#include "api_test_support.h"
#include "browser_login.h"

namespace tokens::testing {
namespace {

class OAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = startServer().release(); }
  static void TearDownTestSuite() { delete server_; }
  HttpClient http{server_->baseUrl()};
  static inline ServerProcess* server_ = nullptr;

  void expectOAuthError(const HttpResult& r, long status, const std::string& error) {
    EXPECT_EQ(r.status, status) << r.body;
    const auto o = jsonObject(r);
    EXPECT_EQ(o.at("error"), error.c_str()) << r.body;
    EXPECT_TRUE(o.contains("error_description"));
    EXPECT_TRUE(o.contains("description"));
  }
};

TEST_F(OAuthTest, ClientCredentialsGrantIssuesAnOpaqueBearerToken) {
  const auto r = http.postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, kAcmeAdminSecret);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto o = jsonObject(r);
  EXPECT_EQ(o.at("token_type"), "bearer");
  EXPECT_EQ(o.at("expires_in"), 86400);
  EXPECT_FALSE(o.contains("refresh_token"));
  const std::string token(o.at("access_token").as_string());
  EXPECT_EQ(token.size(), 43U) << "256 random bits, base64url";
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_EQ(http.head("/api/v2/tokens/me", token).status, 200);
}

TEST_F(OAuthTest, ClientCredentialsMayAlsoComeInTheForm) {
  const auto r = http.postForm("/oauth/token", "grant_type=client_credentials&client_id=acme-admin-service&client_secret=acme-admin-secret");
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(OAuthTest, BadClientsAreInvalidClient) {
  expectOAuthError(http.postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, "wrong"), 401, "invalid_client");
  expectOAuthError(http.postForm("/oauth/token", "grant_type=client_credentials", "nobody", "x"), 401, "invalid_client");
  expectOAuthError(http.postForm("/oauth/token", "grant_type=client_credentials"), 401, "invalid_client");
  expectOAuthError(http.postForm("/oauth/token", "grant_type=client_credentials", "acme-retired", "acme-retired-secret"), 401,
                   "invalid_client");
  const auto garbled = http.request("POST", "/oauth/token",
                                    {"Content-Type: application/x-www-form-urlencoded", "Authorization: Basic !!!"},
                                    "grant_type=client_credentials");
  expectOAuthError(garbled, 401, "invalid_client");
  EXPECT_FALSE(garbled.header("www-authenticate").empty());
}

TEST_F(OAuthTest, AClientMayOnlyUseItsOwnGrant) {
  expectOAuthError(http.postForm("/oauth/token", "grant_type=client_credentials", kAcmeDesktop, kAcmeDesktopSecret), 400,
                   "unauthorized_client");
  expectOAuthError(http.postForm("/oauth/token", "grant_type=password&username=paul%40acme.example&password=paul-password",
                                 kAcmeAdminService, kAcmeAdminSecret),
                   400, "unauthorized_client");
}

TEST_F(OAuthTest, TheSaml2BearerGrantIsNotOfferedYet) {
  expectOAuthError(http.postForm("/oauth/token", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion=x",
                                 "acme-sso", "acme-sso-secret"),
                   400, "unsupported_grant_type");
}

TEST_F(OAuthTest, AnAuthorizationCodeTheServerNeverGaveIsInvalidGrant) {
  // The whole code flow, through the login page, is in authorize_test.cpp.
  expectOAuthError(http.postForm("/oauth/token", "grant_type=authorization_code&code=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback",
                                 "acme-web", "acme-web-secret"),
                   400, "invalid_grant");
  expectOAuthError(http.postForm("/oauth/token", "grant_type=authorization_code&code=x", "acme-web", "acme-web-secret"), 400,
                   "invalid_request");
  expectOAuthError(http.postForm("/oauth/token", "grant_type=authorization_code&code=x&redirect_uri=x", kAcmeDesktop,
                                 kAcmeDesktopSecret),
                   400, "unauthorized_client");
}

TEST_F(OAuthTest, MalformedRequestsAreInvalidRequest) {
  expectOAuthError(http.postForm("/oauth/token", "", kAcmeAdminService, kAcmeAdminSecret), 400, "invalid_request");
  expectOAuthError(http.request("POST", "/oauth/token", {"Content-Type: application/json"}, R"({"grant_type":"client_credentials"})"),
                   400, "invalid_request");
  expectOAuthError(http.postForm("/oauth/token", "grant_type=password&username=paul%40acme.example", kAcmeDesktop, kAcmeDesktopSecret),
                   400, "invalid_request");
}

TEST_F(OAuthTest, PasswordGrantMatchesEmailsCaseInsensitivelyWithinTheClientsOrganization) {
  const auto login = passwordLogin(http, kAcmeDesktop, kAcmeDesktopSecret, "Paul@ACME.example", "paul-password");
  EXPECT_FALSE(login.accessToken.empty());
  EXPECT_FALSE(login.refreshToken.empty());
  const auto info = jsonObject(http.get("/api/v2/tokens/me", login.accessToken));
  EXPECT_EQ(info.at("OAuthClient").at("id"), "acme-desktop");

  const auto wrong = http.postForm("/oauth/token", "grant_type=password&username=paul%40acme.example&password=nope",
                                   kAcmeDesktop, kAcmeDesktopSecret);
  expectOAuthError(wrong, 400, "invalid_grant");
  const auto unknown = http.postForm("/oauth/token", "grant_type=password&username=who%40acme.example&password=nope",
                                     kAcmeDesktop, kAcmeDesktopSecret);
  expectOAuthError(unknown, 400, "invalid_grant");
  EXPECT_EQ(jsonObject(wrong).at("error_description"), jsonObject(unknown).at("error_description"))
      << "an unknown user must look exactly like a wrong password";
  const auto otherOrg = http.postForm("/oauth/token", "grant_type=password&username=nina%40mercy.example&password=nina-password",
                                      kAcmeDesktop, kAcmeDesktopSecret);
  expectOAuthError(otherOrg, 400, "invalid_grant");
}

TEST_F(OAuthTest, RefreshTokensRotateAndWorkOnce) {
  const auto login = paulLogin(http);
  const auto first = refreshGrant(http, kAcmeDesktop, kAcmeDesktopSecret, login.refreshToken);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto o = jsonObject(first);
  const std::string access(o.at("access_token").as_string());
  const std::string rotated(o.at("refresh_token").as_string());
  EXPECT_NE(rotated, login.refreshToken);
  EXPECT_EQ(http.head("/api/v2/tokens/me", access).status, 200);
  expectOAuthError(refreshGrant(http, kAcmeDesktop, kAcmeDesktopSecret, login.refreshToken), 400, "invalid_grant");
  {
    SCOPED_TRACE("a refresh token belongs to the client it was issued to");
    expectOAuthError(refreshGrant(http, kAcmeKiosk, kAcmeKioskSecret, rotated), 400, "invalid_grant");
  }
  EXPECT_EQ(refreshGrant(http, kAcmeDesktop, kAcmeDesktopSecret, rotated).status, 200);
  {
    SCOPED_TRACE("an access token is not a refresh token");
    expectOAuthError(refreshGrant(http, kAcmeDesktop, kAcmeDesktopSecret, login.accessToken), 400, "invalid_grant");
  }
  EXPECT_EQ(http.head("/api/v2/tokens/me", login.refreshToken).status, 401) << "and a refresh token is not an access token";
}

// The bytes of a password grant for Paul through acme-desktop, for tests that send many at once.
std::string rawPaulPasswordGrant(const std::string& password) {
  const std::string body = "grant_type=password&username=paul%40acme.example&password=" + password;
  return "POST /oauth/token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
         std::string("YWNtZS1kZXNrdG9wOmFjbWUtZGVza3RvcC1zZWNyZXQ=") +  // acme-desktop:acme-desktop-secret
         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

class GrantRateLimitTest : public FreshServerTest {
  ServerConfig config() override { return {.extraArgs = {"--rate-limit-grants-per-client", "3"}}; }
};

TEST_F(GrantRateLimitTest, TheFourthGrantOfAClientInAWindowIsRefused) {
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(acmeAdminToken(*http).empty());
  const auto r = http->postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, kAcmeAdminSecret);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.errorCode(), "too.many.requests.retry.after");
  const int retryAfter = std::stoi(r.header("retry-after"));
  EXPECT_GT(retryAfter, 0);
  EXPECT_LE(retryAfter, 60);
  EXPECT_FALSE(clientCredentialsToken(*http, kAcmeReporting, kAcmeReportingSecret).empty()) << "other clients are not limited";
  advanceClock(*http, 60);
  EXPECT_FALSE(acmeAdminToken(*http).empty()) << "a new window";
}

// Password checks (Argon2id, ~20 ms of CPU each) run on a worker, not on the event loop: with one loop,
// a token verification sent after a burst of logins is answered before the logins are.
class PasswordChecksOffTheLoopTest : public FreshServerTest {
 protected:
  ServerConfig config() override {
    ServerConfig c;
    c.threads = 1;
    c.extraArgs = {"--worker-threads", "1"};
    return c;
  }
};

TEST_F(PasswordChecksOffTheLoopTest, ABurstOfLoginsDoesNotHoldUpTokenVerification) {
  const auto token = acmeAdminToken(*http);
  const std::string login = rawPaulPasswordGrant("paul-password");
  std::vector<std::unique_ptr<RawConnection>> logins;
  for (int i = 0; i < 8; ++i) {
    logins.push_back(std::make_unique<RawConnection>(server->port()));
    logins.back()->send(login);
  }
  RawConnection verify(server->port());
  verify.send("HEAD /api/v2/tokens/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
  EXPECT_NE(verify.readUntil("\r\n\r\n", std::chrono::seconds(5)).find("HTTP/1.1 200"), std::string::npos);
  // Eight checks in a row on one worker take well over the verification's round trip: the last login
  // cannot have been answered yet. Then every login is answered, and succeeds.
  const auto lastLogin = logins.back()->readUntil("\r\n\r\n", std::chrono::milliseconds(1));
  EXPECT_EQ(lastLogin.find("HTTP/1.1 200"), std::string::npos) << "the logins were answered first";
  for (auto& c : logins)
    EXPECT_NE(c->readUntil("\r\n\r\n", std::chrono::seconds(10)).find("HTTP/1.1 200"), std::string::npos);
}

// Guessing is bounded (SPEC §5): a failed client authentication counts toward a throttle of that client
// *and caller address*, never toward the client's grant limit; a wrong password toward a throttle of the
// user (and the address), shared by the password grant and the login page. Another caller is 127.0.0.2:
// the whole 127/8 is loopback.
class GuessingTest : public FreshServerTest {
 protected:
  ServerConfig config() override { return {.extraArgs = {"--rate-limit-grants-per-client", "3"}}; }

  HttpResult passwordGrant(HttpClient& client, const std::string& password) {
    return client.postForm("/oauth/token", "grant_type=password&username=paul%40acme.example&password=" + password,
                           kAcmeDesktop, kAcmeDesktopSecret);
  }
  static void expectThrottled(const HttpResult& r, int retryAfter) {
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(r.errorCode(), "too.many.requests.retry.after") << r.body;
    EXPECT_EQ(r.header("retry-after"), std::to_string(retryAfter));
  }
};

TEST_F(GuessingTest, WrongSecretsNeitherLockTheClientOutNorUseItsGrantLimit) {
  HttpClient attacker(server->baseUrl());
  attacker.setLocalAddress("127.0.0.2");
  int refusedAsWrong = 0, throttled = 0;
  for (int i = 0; i < 300; ++i) {
    const auto r = attacker.postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, "guess-" + std::to_string(i));
    if (r.status == 401) ++refusedAsWrong;
    else if (r.status == 429) ++throttled;
    else ADD_FAILURE() << r.status << " " << r.body;
  }
  EXPECT_GE(refusedAsWrong, 10) << "ten free failures";
  EXPECT_LE(refusedAsWrong, 14) << "then a wait, doubling: only a few more get checked in the test's time";
  EXPECT_EQ(refusedAsWrong + throttled, 300);
  const auto right = attacker.postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, kAcmeAdminSecret);
  EXPECT_EQ(right.status, 429) << "the guesser's own address waits, right secret or not (no oracle)";
  // The client's real caller, elsewhere: its whole grant allowance (3) is there.
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(acmeAdminToken(*http).empty()) << i;
  EXPECT_EQ(http->postForm("/oauth/token", "grant_type=client_credentials", kAcmeAdminService, kAcmeAdminSecret).status, 429)
      << "granted tokens still count";
}

TEST_F(GuessingTest, ThePasswordGrantWaitsAfterFiveFailuresAndTheWaitGrows) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(passwordGrant(*http, "wrong").status, 400) << i;
  expectThrottled(passwordGrant(*http, "paul-password"), 1);  // the right password during the wait: the same 429
  expectThrottled(passwordGrant(*http, "wrong"), 1);
  advanceClock(*http, 1);
  EXPECT_EQ(passwordGrant(*http, "wrong").status, 400) << "one more guess after the wait";
  expectThrottled(passwordGrant(*http, "paul-password"), 2);
  advanceClock(*http, 2);
  EXPECT_EQ(passwordGrant(*http, "paul-password").status, 200);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(passwordGrant(*http, "wrong").status, 400) << "a success starts the count over";
}

TEST_F(GuessingTest, TheLoginPageAndThePasswordGrantShareTheUsersCount) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(passwordGrant(*http, "wrong").status, 400);
  Browser browser(server->baseUrl());
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(browser.login({"acme-web", "http://127.0.0.1:8765/callback"}, "paul@acme.example", "wrong").status, 401);
  expectThrottled(passwordGrant(*http, "paul-password"), 1);
  EXPECT_EQ(browser.login({"acme-web", "http://127.0.0.1:8765/callback"}, "paul@acme.example", "paul-password").status, 429);
}

// Guesses sent all at once: with the password workers kept to one, 800 concurrent checks would overflow
// its queue (256) and answer 503. Attempts in flight count toward the throttle, so only a handful are
// hashed and the rest answer 429 before any hashing.
class ConcurrentGuessingTest : public FreshServerTest {
 protected:
  ServerConfig config() override {
    // The server inherits this process's limit on open files: 800 connections need more than 1024.
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 4096);
    setrlimit(RLIMIT_NOFILE, &limit);
    return {.threads = 2, .extraArgs = {"--worker-threads", "1"}};
  }
};

TEST_F(ConcurrentGuessingTest, EightHundredGuessesAtOnceCostAHandfulOfHashesAndNo503) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  const int guesses = limit.rlim_cur >= 2000 ? 800 : 400;
  const std::string request = rawPaulPasswordGrant("wrong");
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < guesses; ++i) {
    connections.push_back(std::make_unique<RawConnection>(server->port()));
    connections.back()->send(request);
  }
  std::map<std::string, int> byStatus;
  for (auto& c : connections) {
    const auto head = c->readUntil("\r\n\r\n", std::chrono::seconds(20));
    ++byStatus[head.substr(0, std::min<std::size_t>(head.size(), 12))];
  }
  EXPECT_EQ(byStatus["HTTP/1.1 503"], 0);
  EXPECT_GE(byStatus["HTTP/1.1 400"], 5) << "the free ones were checked";
  EXPECT_LE(byStatus["HTTP/1.1 400"], 16 + 5) << "the burst in flight, and a few after the first waits";
  EXPECT_GE(byStatus["HTTP/1.1 429"], guesses - 16 - 5);
  EXPECT_EQ(byStatus["HTTP/1.1 400"] + byStatus["HTTP/1.1 429"], guesses);
  EXPECT_EQ(http->get("/healthz").status, 200);
}

}  // namespace
}  // namespace tokens::testing
