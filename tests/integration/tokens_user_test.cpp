// DELETE /api/v2/tokens/{userId}: every token of the user, from every client, within the caller's
// organization only (SPEC §1).

#include "api_test_support.h"

namespace tokens::testing {
namespace {

using TokensUserTest = FreshServerTest;

TEST_F(TokensUserTest, RevokesEveryTokenOfTheUserFromEveryClientRefreshTokensIncluded) {
  auto& h = *http;
  const auto viaDesktop = paulLogin(h);
  const auto viaKiosk = passwordLogin(h, kAcmeKiosk, kAcmeKioskSecret, "paul@acme.example", "paul-password");
  const auto ada = adaLogin(h);
  ASSERT_FALSE(viaDesktop.refreshToken.empty());
  ASSERT_FALSE(viaKiosk.refreshToken.empty());

  const auto r = h.del("/api/v2/tokens/acme-user", acmeAdminToken(h));
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());

  EXPECT_EQ(h.head("/api/v2/tokens/me", viaDesktop.accessToken).status, 401);
  EXPECT_EQ(h.head("/api/v2/tokens/me", viaKiosk.accessToken).status, 401);
  EXPECT_EQ(refreshGrant(h, kAcmeDesktop, kAcmeDesktopSecret, viaDesktop.refreshToken).status, 400);
  EXPECT_EQ(refreshGrant(h, kAcmeKiosk, kAcmeKioskSecret, viaKiosk.refreshToken).status, 400);
  EXPECT_EQ(h.head("/api/v2/tokens/me", ada.accessToken).status, 200) << "another user's token must survive";
}

TEST_F(TokensUserTest, AUserCanBeNamedPercentEncoded) {
  auto& h = *http;
  const auto paul = paulLogin(h);
  EXPECT_EQ(h.del("/api/v2/tokens/acme%2Duser", acmeAdminToken(h)).status, 204);
  EXPECT_EQ(h.head("/api/v2/tokens/me", paul.accessToken).status, 401);
}

TEST_F(TokensUserTest, NeedsTheTokenDeletePermission) {
  auto& h = *http;
  const auto paul = paulLogin(h);
  const auto reporting = clientCredentialsToken(h, kAcmeReporting, kAcmeReportingSecret);
  const auto r = h.del("/api/v2/tokens/acme-user", reporting);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.errorCode(), "missing.any.permissions");
  EXPECT_EQ(jsonObject(r).at("messageParams").at("permissions"), "oauth:token:delete");
  EXPECT_EQ(h.del("/api/v2/tokens/acme-admin", paul.accessToken).status, 403) << "a plain user may not either";
  EXPECT_EQ(h.head("/api/v2/tokens/me", paul.accessToken).status, 200) << "a refused call revokes nothing";
}

TEST_F(TokensUserTest, AnotherOrganizationsUsersAreNotFoundAndUntouched) {
  auto& h = *http;
  const auto nurse = passwordLogin(h, kMercyDesktop, kMercyDesktopSecret, "nina@mercy.example", "nina-password");
  const auto acme = acmeAdminToken(h);
  const auto r = h.del("/api/v2/tokens/mercy-nurse", acme);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.errorCode(), "not.found");
  EXPECT_EQ(h.head("/api/v2/tokens/me", nurse.accessToken).status, 200);
  // The other way round, too; and the organization's own admin can.
  const auto paul = paulLogin(h);
  const auto mercy = clientCredentialsToken(h, kMercyAdminService, kMercyAdminSecret);
  EXPECT_EQ(h.del("/api/v2/tokens/acme-user", mercy).status, 404);
  EXPECT_EQ(h.head("/api/v2/tokens/me", paul.accessToken).status, 200);
  EXPECT_EQ(h.del("/api/v2/tokens/mercy-nurse", mercy).status, 204);
  EXPECT_EQ(h.head("/api/v2/tokens/me", nurse.accessToken).status, 401);
}

TEST_F(TokensUserTest, UnknownUsersAreNotFound) {
  auto& h = *http;
  const auto acme = acmeAdminToken(h);
  EXPECT_EQ(h.del("/api/v2/tokens/no-such-user", acme).status, 404);
  EXPECT_EQ(h.del("/api/v2/tokens/%zz", acme).status, 404);
  EXPECT_EQ(h.del("/api/v2/tokens/", acme).status, 404) << "an empty user id";
}

}  // namespace
}  // namespace tokens::testing
