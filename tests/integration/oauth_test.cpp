// POST /oauth/token (SPEC §5): the grants and the RFC 6749 errors (the code grant: authorize_test.cpp).

#include "api_test_support.h"

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
  const std::string body = "grant_type=password&username=paul%40acme.example&password=paul-password";
  const std::string login = "POST /oauth/token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
                            std::string("YWNtZS1kZXNrdG9wOmFjbWUtZGVza3RvcC1zZWNyZXQ=") +  // acme-desktop:acme-desktop-secret
                            "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
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

}  // namespace
}  // namespace tokens::testing
