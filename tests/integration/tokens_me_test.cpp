// GET, HEAD and DELETE /api/v2/tokens/me over real sockets (SPEC §1, §2, §3).

#include <regex>

#include "api_test_support.h"

namespace tokens::testing {
namespace {

class TokensMeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = startServer().release(); }
  static void TearDownTestSuite() { delete server_; }
  HttpClient http{server_->baseUrl()};
  static inline ServerProcess* server_ = nullptr;
};

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST_F(TokensMeTest, DescribesAClientCredentialsToken) {
  const auto token = acmeAdminToken(http);
  const auto r = http.get("/api/v2/tokens/me", token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  const auto info = jsonObject(r);
  EXPECT_EQ(info.at("organization").at("id"), "acme");
  EXPECT_EQ(info.at("organization").at("name"), "Acme Corp");
  EXPECT_EQ(info.at("homeOrganization").at("id"), "acme");
  EXPECT_EQ(info.at("authorizedScope"), boost::json::parse(R"(["oauth","directory"])"));
  const auto& client = info.at("OAuthClient").as_object();
  EXPECT_EQ(client.at("id"), "acme-admin-service");
  EXPECT_EQ(client.at("name"), "Acme admin service");
  EXPECT_EQ(client.at("authorizedGrantType"), "CLIENT-CREDENTIALS");
  EXPECT_EQ(client.at("state"), "active");
  EXPECT_FALSE(info.contains("clonedUser"));
  EXPECT_FALSE(info.contains("dateTokenIdles")) << "no idle timeout applies to client-credentials tokens";
}

TEST_F(TokensMeTest, ShowsTheOriginalUserOfAClonedUser) {
  const auto login = passwordLogin(http, kAcmeDesktop, kAcmeDesktopSecret, "CLEO@acme.example", "cleo-password");
  const auto info = jsonObject(http.get("/api/v2/tokens/me", login.accessToken));
  EXPECT_EQ(info.at("clonedUser").at("id"), "mercy-nurse");
  EXPECT_EQ(info.at("clonedUser").at("organization").at("id"), "mercy");
  EXPECT_EQ(info.at("OAuthClient").at("authorizedGrantType"), "PASSWORD");
}

TEST_F(TokensMeTest, EveryResponseCarriesAFreshCorrelationIdThatErrorsRepeat) {
  const auto token = acmeAdminToken(http);
  const auto a = http.get("/api/v2/tokens/me", token);
  const auto b = http.get("/api/v2/tokens/me", token);
  EXPECT_TRUE(std::regex_match(a.header("inin-correlation-id"), kUuid)) << a.header("inin-correlation-id");
  EXPECT_NE(a.header("inin-correlation-id"), b.header("inin-correlation-id"));
  const auto error = http.get("/api/v2/tokens/me", "not-a-token");
  ASSERT_EQ(error.status, 401);
  EXPECT_EQ(jsonObject(error).at("contextId").as_string(), error.header("inin-correlation-id").c_str());
  EXPECT_EQ(jsonObject(error).at("status"), 401);
  EXPECT_TRUE(std::regex_match(http.get("/nowhere").header("inin-correlation-id"), kUuid));
}

TEST_F(TokensMeTest, AuthenticatedResponsesCarryRateLimitHeaders) {
  const auto token = acmeAdminToken(http);
  const auto first = http.get("/api/v2/tokens/me", token);
  const auto second = http.head("/api/v2/tokens/me", token);
  EXPECT_EQ(first.header("inin-ratelimit-allowed"), "300");
  EXPECT_EQ(first.header("inin-ratelimit-count"), "1");
  EXPECT_EQ(second.header("inin-ratelimit-count"), "2");
  const int reset = std::stoi(second.header("inin-ratelimit-reset"));
  EXPECT_GT(reset, 0);
  EXPECT_LE(reset, 60);
}

TEST_F(TokensMeTest, HeadVerifiesWithoutABody) {
  const auto token = acmeAdminToken(http);
  const auto ok = http.head("/api/v2/tokens/me", token);
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(ok.body.empty());
  EXPECT_EQ(ok.header("content-length"), "0");
  const auto bad = http.head("/api/v2/tokens/me", "unknown-token");
  EXPECT_EQ(bad.status, 401);
  EXPECT_TRUE(bad.body.empty());
  EXPECT_FALSE(bad.header("inin-correlation-id").empty());
}

TEST_F(TokensMeTest, DeleteRevokesTheTokenAndTheRefreshTokenIssuedWithIt) {
  const auto login = paulLogin(http);
  ASSERT_FALSE(login.refreshToken.empty());
  const auto other = paulLogin(http);
  const auto r = http.del("/api/v2/tokens/me", login.accessToken);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  const auto after = http.get("/api/v2/tokens/me", login.accessToken);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.errorCode(), "bad.credentials");
  const auto refresh = refreshGrant(http, kAcmeDesktop, kAcmeDesktopSecret, login.refreshToken);
  EXPECT_EQ(refresh.status, 400);
  EXPECT_EQ(jsonObject(refresh).at("error"), "invalid_grant");
  EXPECT_EQ(http.head("/api/v2/tokens/me", other.accessToken).status, 200) << "other sessions of the user stay";
}

TEST_F(TokensMeTest, AnExpiredTokenIsCredentialsExpired) {
  const auto login = passwordLogin(http, kMercyDesktop, kMercyDesktopSecret, "nina@mercy.example", "nina-password");
  EXPECT_EQ(login.expiresIn, 3600);
  advanceClock(http, 3601);
  const auto r = http.get("/api/v2/tokens/me", login.accessToken);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.errorCode(), "credentials.expired");
}

TEST_F(TokensMeTest, PreserveIdleTtlMustBeABoolean) {
  const auto token = acmeAdminToken(http);
  EXPECT_EQ(http.get("/api/v2/tokens/me?preserveIdleTTL=true", token).status, 200);
  EXPECT_EQ(http.get("/api/v2/tokens/me?preserveIdleTTL=false", token).status, 200);
  const auto bad = http.get("/api/v2/tokens/me?preserveIdleTTL=maybe", token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.errorCode(), "invalid.value");
  EXPECT_EQ(jsonObject(bad).at("details").at(0).at("fieldName"), "preserveIdleTTL");
}

}  // namespace
}  // namespace tokens::testing
