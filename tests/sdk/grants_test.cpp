// internal/grants.h: what each login sends to /oauth/token, and what is read of the answer.

#include <gtest/gtest.h>

#include <chrono>

#include "internal/grants.h"

namespace PureCloudPlatformClientV2::internal {
namespace {

using std::chrono::system_clock;

TEST(Grants, EachFormEncodesItsValuesAndSaysHowItRenews) {
  const auto password = passwordGrant("id", "secret", "ann@acme.test", "p&ss w=rd");
  EXPECT_EQ(password.form, "grant_type=password&username=ann%40acme.test&password=p%26ss%20w%3Drd");
  EXPECT_TRUE(password.basicAuth);
  EXPECT_EQ(password.renewal, Renewal::RefreshToken);

  const auto service = clientCredentialsGrant("id", "secret");
  EXPECT_EQ(service.form, "grant_type=client_credentials");
  EXPECT_EQ(service.renewal, Renewal::ClientCredentials);

  const auto code = authorizationCodeGrant("id", "secret", "c/1", "http://127.0.0.1:7777/cb");
  EXPECT_EQ(code.form, "grant_type=authorization_code&code=c%2F1&redirect_uri=http%3A%2F%2F127.0.0.1%3A7777%2Fcb");

  const auto saml = saml2BearerGrant("id", "secret", "acme", "PHNhbWw+");
  EXPECT_EQ(saml.form, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&orgName=acme&assertion=PHNhbWw%2B");
  EXPECT_EQ(saml.renewal, Renewal::None);
}

TEST(Grants, APublicClientSendsItsIdInTheFormNotBasic) {
  const auto pkce = pkceGrant("cli", "verifier", "code", "http://127.0.0.1/cb");
  EXPECT_FALSE(pkce.basicAuth);
  EXPECT_NE(pkce.form.find("&code_verifier=verifier&client_id=cli&"), std::string::npos);

  const auto publicRefresh = refreshTokenGrant("cli", "", "r+t");
  EXPECT_FALSE(publicRefresh.basicAuth);
  EXPECT_EQ(publicRefresh.form, "grant_type=refresh_token&refresh_token=r%2Bt&client_id=cli");
  const auto confidentialRefresh = refreshTokenGrant("web", "secret", "rt");
  EXPECT_TRUE(confidentialRefresh.basicAuth);
  EXPECT_EQ(confidentialRefresh.form, "grant_type=refresh_token&refresh_token=rt");
}

TEST(Grants, TheTokenResponseIsReadWithItsExpiry) {
  const auto now = system_clock::now();
  const auto data = parseTokenResponse(
      R"({"access_token":"at","refresh_token":"rt","token_type":"bearer","expires_in":86399})", now);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->accessToken, "at");
  EXPECT_EQ(data->refreshToken, "rt");
  EXPECT_EQ(data->tokenType, "bearer");
  EXPECT_EQ(data->expiresIn, 86399);
  EXPECT_EQ(data->tokenExpiryTime, now + std::chrono::seconds(86399));
}

TEST(Grants, AnAnswerWithoutAnAccessTokenIsNone) {
  const auto now = system_clock::now();
  EXPECT_FALSE(parseTokenResponse(R"({"refresh_token":"rt"})", now));
  EXPECT_FALSE(parseTokenResponse(R"({"access_token":42})", now));
  EXPECT_FALSE(parseTokenResponse("[]", now));
  EXPECT_FALSE(parseTokenResponse("not json", now));
  const auto minimal = parseTokenResponse(R"({"access_token":"at","expires_in":"soon"})", now);
  ASSERT_TRUE(minimal);
  EXPECT_TRUE(minimal->refreshToken.empty());
  EXPECT_EQ(minimal->expiresIn, AuthData{}.expiresIn);  // a field of the wrong type is left at its default
}

TEST(Grants, BasicAuthorizationIsBase64OfIdColonSecret) {
  EXPECT_EQ(basicAuthorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617
}

}  // namespace
}  // namespace PureCloudPlatformClientV2::internal
