// `gctokens login`: the client credentials, password and refresh grants, what is stored, and that no
// token is printed unless asked for.

#include "cli_test_support.h"

namespace tokens::testing {
namespace {

using CliLoginTest = CliServerTest;

TEST_F(CliLoginTest, ClientCredentialsLoginStoresTheTokenAndPrintsNone) {
  const auto r = gct(asAdmin({"login"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto summary = parseJsonText(r.out).as_object();
  EXPECT_EQ(summary.at("profile"), "default");
  EXPECT_EQ(summary.at("grant"), "client_credentials");
  EXPECT_EQ(summary.at("expiresIn"), 86400);
  EXPECT_EQ(summary.at("refreshToken"), false);

  const std::string token = storedValue("default", "access_token");
  ASSERT_FALSE(token.empty()) << configText();
  EXPECT_EQ(r.out.find(token), std::string::npos) << "the token is never printed by default";
  EXPECT_EQ(r.err.find(token), std::string::npos);
  EXPECT_EQ(http->head("/api/v2/tokens/me", token).status, 200);
  EXPECT_EQ(storedValue("default", "client_id"), kAcmeAdminService);
  EXPECT_EQ(storedValue("default", "base_url"), server->baseUrl());

  // The stored token is what later commands use: with no flags at all.
  const auto me = gct({"tokens", "me", "get"});
  ASSERT_EQ(me.exitCode, 0) << me.err;
  EXPECT_EQ(parseJsonText(me.out).at("OAuthClient").at("id"), kAcmeAdminService.c_str());
}

TEST_F(CliLoginTest, PrintTokenPrintsOnlyTheToken) {
  const auto r = gct(asAdmin({"login", "--print-token", "--no-save"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.back(), '\n');
  const std::string token = r.out.substr(0, r.out.size() - 1);
  EXPECT_EQ(token.find_first_of(" \n{"), std::string::npos) << token;
  EXPECT_EQ(http->head("/api/v2/tokens/me", token).status, 200);
  EXPECT_FALSE(std::filesystem::exists(configPath())) << "--no-save writes nothing";
}

TEST_F(CliLoginTest, PasswordLoginStoresAccessAndRefreshTokens) {
  const auto r = gct({"--profile", "paul", "login", "--base-url", server->baseUrl(), "--client-id", kAcmeDesktop,
                      "--client-secret", kAcmeDesktopSecret, "--username", "paul@acme.example", "--password",
                      "paul-password", "-o", "yaml"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("grant: password"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("refreshToken: true"), std::string::npos) << r.out;
  const std::string access = storedValue("paul", "access_token"), refresh = storedValue("paul", "refresh_token");
  ASSERT_FALSE(access.empty());
  ASSERT_FALSE(refresh.empty());
  EXPECT_EQ(r.out.find(access), std::string::npos);
  EXPECT_EQ(r.out.find(refresh), std::string::npos);

  const auto me = gct({"--profile", "paul", "tokens", "me", "get"});
  ASSERT_EQ(me.exitCode, 0) << me.err;
  EXPECT_EQ(parseJsonText(me.out).at("OAuthClient").at("authorizedGrantType"), "PASSWORD");

  const auto list = gct({"profiles", "list"});
  EXPECT_EQ(list.out.find(access), std::string::npos);
  EXPECT_EQ(list.out.find(refresh), std::string::npos);
  EXPECT_NE(list.out.find("****" + refresh.substr(refresh.size() - 4)), std::string::npos) << list.out;
}

TEST_F(CliLoginTest, PasswordFromStandardInput) {
  const auto r = gct(at({"login", "--client-id", kAcmeKiosk, "--client-secret", kAcmeKioskSecret, "--username",
                         "ada@acme.example", "--password-stdin"}),
                     "ada-password\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(parseJsonText(r.out).at("expiresIn"), 28800);
  EXPECT_EQ(http->head("/api/v2/tokens/me", storedValue("default", "access_token")).status, 200);
}

TEST_F(CliLoginTest, RefreshLoginRotatesTheRefreshToken) {
  const auto first = passwordLogin(*http, kAcmeDesktop, kAcmeDesktopSecret, "paul@acme.example", "paul-password");
  ASSERT_FALSE(first.refreshToken.empty());
  const std::vector<std::string> refresh{"login", "--client-id", kAcmeDesktop, "--client-secret", kAcmeDesktopSecret,
                                         "--refresh-token", first.refreshToken};
  const auto r = gct(at(refresh));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(parseJsonText(r.out).at("grant"), "refresh_token");
  const std::string access = storedValue("default", "access_token");
  EXPECT_EQ(http->head("/api/v2/tokens/me", access).status, 200);
  EXPECT_NE(storedValue("default", "refresh_token"), first.refreshToken);

  const auto again = gct(at(refresh));  // a refresh token is single-use
  EXPECT_EQ(again.exitCode, 1) << again.out;
  EXPECT_EQ(stderrCode(again), "invalid_grant") << again.err;
}

TEST_F(CliLoginTest, RefusedLoginsAreApiErrors) {
  const auto badPassword = gct(at({"login", "--client-id", kAcmeDesktop, "--client-secret", kAcmeDesktopSecret,
                                   "--username", "paul@acme.example", "--password", "wrong"}));
  EXPECT_EQ(badPassword.exitCode, 1);
  EXPECT_EQ(badPassword.out, "");
  EXPECT_EQ(stderrCode(badPassword), "invalid_grant") << badPassword.err;
  EXPECT_EQ(stderrStatus(badPassword), 400);
  EXPECT_EQ(badPassword.err.find("wrong"), std::string::npos) << "the password is not echoed";

  const auto badSecret = gct(at({"login", "--client-id", kAcmeAdminService, "--client-secret", "not-the-secret"}));
  EXPECT_EQ(badSecret.exitCode, 1);
  EXPECT_EQ(stderrCode(badSecret), "invalid_client") << badSecret.err;
  EXPECT_EQ(stderrStatus(badSecret), 401);

  const auto disabled = gct(at({"login", "--client-id", "acme-retired", "--client-secret", "acme-retired-secret"}));
  EXPECT_EQ(disabled.exitCode, 1) << disabled.err;
  EXPECT_FALSE(std::filesystem::exists(configPath())) << "a failed login stores nothing";
}

TEST_F(CliLoginTest, LoginIntoANamedProfileKeepsTheOthers) {
  writeAdminProfile("admin");
  loginAsPaul("paul");
  EXPECT_EQ(storedValue("admin", "client_id"), kAcmeAdminService);
  EXPECT_EQ(storedValue("paul", "client_id"), kAcmeDesktop);
  const auto admin = gct({"--profile", "admin", "tokens", "me", "get"});
  EXPECT_EQ(parseJsonText(admin.out).at("OAuthClient").at("id"), kAcmeAdminService.c_str());
  const auto paul = gct({"--profile", "paul", "tokens", "me", "get"});
  EXPECT_EQ(parseJsonText(paul.out).at("OAuthClient").at("id"), kAcmeDesktop.c_str());
}

}  // namespace
}  // namespace tokens::testing
