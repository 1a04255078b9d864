// The idle token timeout in force (SPEC §4), driven by the emulator clock instead of sleeps.

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "api_test_support.h"

namespace tokens::testing {
namespace {

using IdleTimeoutTest = FreshServerTest;
using PureCloudPlatformClientV2::parseDateTime;

std::chrono::system_clock::time_point serverNow(HttpClient& http) {
  const auto r = http.get("/_emulator/clock");
  return *parseDateTime(std::string(jsonObject(r).at("now").as_string()));
}

std::optional<std::chrono::system_clock::time_point> idlesAt(HttpClient& http, const std::string& token,
                                                             bool preserve = true) {
  const auto r = http.get(std::string("/api/v2/tokens/me?preserveIdleTTL=") + (preserve ? "true" : "false"), token);
  EXPECT_EQ(r.status, 200) << r.body;
  const auto o = jsonObject(r);
  if (!o.contains("dateTokenIdles")) return std::nullopt;
  return parseDateTime(std::string(o.at("dateTokenIdles").as_string()));
}

TEST_F(IdleTimeoutTest, AnIdleUserTokenIsRevokedAndActivityKeepsItAlive) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":1800,"enableIdleTokenTimeout":true})");
  const auto busy = paulLogin(*http).accessToken;
  const auto idle = adaLogin(*http).accessToken;
  advanceClock(*http, 1000);
  EXPECT_EQ(http->head("/api/v2/tokens/me", busy).status, 200);  // activity at t=1000
  advanceClock(*http, 1000);                                     // t=2000: 1000 s after busy's last use
  EXPECT_EQ(http->head("/api/v2/tokens/me", busy).status, 200);
  const auto r = http->get("/api/v2/tokens/me", idle);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.errorCode(), "bad.credentials");
}

TEST_F(IdleTimeoutTest, DateTokenIdlesIsLastActivityPlusTheTimeout) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":1200,"enableIdleTokenTimeout":true})");
  const auto token = paulLogin(*http).accessToken;
  advanceClock(*http, 100);
  const auto before = serverNow(*http);
  const auto at = idlesAt(*http, token, false);  // activity now
  const auto after = serverNow(*http);
  ASSERT_TRUE(at);
  EXPECT_GE(*at, before + std::chrono::seconds(1200));
  EXPECT_LE(*at, after + std::chrono::seconds(1200));
}

TEST_F(IdleTimeoutTest, PreserveIdleTtlReadsWithoutResettingTheClock) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":1800,"enableIdleTokenTimeout":true})");
  const auto token = paulLogin(*http).accessToken;
  const auto first = idlesAt(*http, token, true);
  advanceClock(*http, 1000);
  EXPECT_EQ(idlesAt(*http, token, true), first) << "preserveIdleTTL=true leaves the idle clock alone";
  advanceClock(*http, 801);  // 1801 s after the last counted activity
  EXPECT_EQ(http->head("/api/v2/tokens/me", token).status, 401);
}

TEST_F(IdleTimeoutTest, EveryAuthenticatedRequestCountsAsActivity) {
  const auto admin = acmeAdminToken(*http);
  putTimeout(*http, admin, R"({"idleTokenTimeoutSeconds":600,"enableIdleTokenTimeout":true})");
  const auto token = adaLogin(*http).accessToken;
  for (int i = 0; i < 3; ++i) {
    advanceClock(*http, 500);
    EXPECT_EQ(http->get("/api/v2/tokens/timeout", token).status, 200);  // not a tokens/me call, still activity
  }
  EXPECT_EQ(http->head("/api/v2/tokens/me", token).status, 200);
}

TEST_F(IdleTimeoutTest, ClientCredentialsTokensNeverIdle) {
  const auto admin = acmeAdminToken(*http);
  putTimeout(*http, admin, R"({"idleTokenTimeoutSeconds":300,"enableIdleTokenTimeout":true})");
  const auto service = clientCredentialsToken(*http, kAcmeReporting, kAcmeReportingSecret);
  advanceClock(*http, 3600);
  const auto r = http->get("/api/v2/tokens/me", service);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(jsonObject(r).contains("dateTokenIdles"));
}

TEST_F(IdleTimeoutTest, TheBundleWithTheSmallestPriorityNumberWinsForItsMembers) {
  putTimeout(*http, acmeAdminToken(*http), R"({"enableIdleTokenTimeout":false,"inactivityTimeoutGroupsEnabled":true,
      "inactivityTimeoutGroupBundles":[
        {"priority":2,"timeoutSeconds":900,"groups":["acme-support","acme-engineering"]},
        {"priority":1,"timeoutSeconds":300,"groups":["acme-support"]}]})");
  const auto paul = paulLogin(*http).accessToken;  // acme-support: both bundles, priority 1 wins -> 300 s
  const auto ada = adaLogin(*http).accessToken;    // acme-engineering: 900 s
  const auto cleo = passwordLogin(*http, kAcmeDesktop, kAcmeDesktopSecret, "cleo@acme.example", "cleo-password").accessToken;
  EXPECT_FALSE(idlesAt(*http, cleo)) << "in no bundle, and the organization's timeout is off";
  advanceClock(*http, 301);
  EXPECT_EQ(http->head("/api/v2/tokens/me", paul).status, 401);
  EXPECT_EQ(http->head("/api/v2/tokens/me", ada).status, 200);
  advanceClock(*http, 901);
  EXPECT_EQ(http->head("/api/v2/tokens/me", ada).status, 401);
  EXPECT_EQ(http->head("/api/v2/tokens/me", cleo).status, 200);
}

TEST_F(IdleTimeoutTest, BundlesApplyOnlyWhileGroupsAreEnabled) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":1800,"enableIdleTokenTimeout":true,
      "inactivityTimeoutGroupsEnabled":false,
      "inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":300,"groups":["acme-support"]}]})");
  const auto paul = paulLogin(*http).accessToken;
  advanceClock(*http, 600);
  EXPECT_EQ(http->head("/api/v2/tokens/me", paul).status, 200) << "the organization's 1800 s applies";
}

TEST_F(IdleTimeoutTest, AChangeAppliesAtOnceToLiveTokens) {
  const auto admin = acmeAdminToken(*http);
  const auto token = paulLogin(*http).accessToken;
  EXPECT_FALSE(idlesAt(*http, token));
  advanceClock(*http, 400);  // idle for 400 s while no timeout applied
  putTimeout(*http, admin, R"({"idleTokenTimeoutSeconds":300,"enableIdleTokenTimeout":true})");
  const auto r = http->head("/api/v2/tokens/me", token);
  EXPECT_EQ(r.status, 401) << "idle longer than the new timeout: revoked by the change";

  const auto fresh = paulLogin(*http).accessToken;
  EXPECT_TRUE(idlesAt(*http, fresh));
  putTimeout(*http, admin, R"({"enableIdleTokenTimeout":false})");
  EXPECT_FALSE(idlesAt(*http, fresh)) << "turning it off removes dateTokenIdles at once";
  advanceClock(*http, 3600);
  EXPECT_EQ(http->head("/api/v2/tokens/me", fresh).status, 200);
}

TEST_F(IdleTimeoutTest, NoRefreshTokenIsIssuedWhileATimeoutApplies) {
  EXPECT_FALSE(paulLogin(*http).refreshToken.empty()) << "without a timeout the password grant gives one";
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":900,"enableIdleTokenTimeout":true})");
  EXPECT_TRUE(paulLogin(*http).refreshToken.empty());
}

TEST_F(IdleTimeoutTest, AnIdleSessionCannotBeRevivedThroughItsRefreshToken) {
  const auto login = paulLogin(*http);
  ASSERT_FALSE(login.refreshToken.empty());
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":300,"enableIdleTokenTimeout":true})");
  advanceClock(*http, 400);
  // The refresh token is presented first, before the idle access token is ever seen again.
  const auto refreshed = refreshGrant(*http, kAcmeDesktop, kAcmeDesktopSecret, login.refreshToken);
  EXPECT_EQ(refreshed.status, 400) << refreshed.body;
  EXPECT_EQ(http->head("/api/v2/tokens/me", login.accessToken).status, 401);
}

TEST_F(IdleTimeoutTest, AnIdledOutTokenTakesItsRefreshTokenWithIt) {
  const auto login = paulLogin(*http);
  ASSERT_FALSE(login.refreshToken.empty());
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":300,"enableIdleTokenTimeout":true})");
  advanceClock(*http, 301);
  EXPECT_EQ(http->head("/api/v2/tokens/me", login.accessToken).status, 401);
  EXPECT_EQ(refreshGrant(*http, kAcmeDesktop, kAcmeDesktopSecret, login.refreshToken).status, 400);
}

}  // namespace
}  // namespace tokens::testing
