// Precedence of where and who: flags > environment > profile file (docs/cli.md, "Precedence").

#include "cli_test_support.h"

namespace tokens::testing {
namespace {

using CliSettingsTest = CliServerTest;

std::string clientOf(const CliResult& r) {
  EXPECT_EQ(r.exitCode, 0) << r.err;
  if (r.exitCode != 0) return {};
  return std::string(parseJsonText(r.out).at("OAuthClient").at("id").as_string());
}

TEST_F(CliSettingsTest, EnvironmentAloneIsEnough) {
  env.vars["GENESYSCLOUD_API_REGION"] = server->baseUrl();
  env.vars["GENESYSCLOUD_OAUTHCLIENT_ID"] = kAcmeAdminService;
  env.vars["GENESYSCLOUD_OAUTHCLIENT_SECRET"] = kAcmeAdminSecret;
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get"})), kAcmeAdminService);
  EXPECT_FALSE(std::filesystem::exists(configPath()));
}

TEST_F(CliSettingsTest, EnvironmentOverridesTheProfileAndFlagsOverrideBoth) {
  // The profile points nowhere and holds a client without permissions.
  ASSERT_EQ(gct({"profiles", "new", "default", "--base-url", closedPortUrl(), "--client-id", kAcmeReporting,
                 "--client-secret", kAcmeReportingSecret})
                .exitCode,
            0);
  EXPECT_EQ(gct({"--retries", "0", "tokens", "me", "get"}).exitCode, 3);

  env.vars["GENESYSCLOUD_API_REGION"] = server->baseUrl();
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get"})), kAcmeReporting) << "location from the environment";

  env.vars["GENESYSCLOUD_OAUTHCLIENT_ID"] = kAcmeAdminService;
  env.vars["GENESYSCLOUD_OAUTHCLIENT_SECRET"] = kAcmeAdminSecret;
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get"})), kAcmeAdminService) << "client from the environment";

  EXPECT_EQ(clientOf(gct({"tokens", "me", "get", "--client-id", kAcmeReporting, "--client-secret", kAcmeReportingSecret})),
            kAcmeReporting)
      << "flags beat the environment (and may follow the subcommand)";
  EXPECT_EQ(gct({"--base-url", closedPortUrl(), "--retries", "0", "tokens", "me", "get"}).exitCode, 3)
      << "--base-url beats GENESYSCLOUD_API_REGION";
}

TEST_F(CliSettingsTest, ClientCredentialsFromAboveTheFileBeatItsStoredToken) {
  loginAsPaul();
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get"})), kAcmeDesktop);
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get", "--client-id", kAcmeAdminService, "--client-secret", kAcmeAdminSecret})),
            kAcmeAdminService);
  env.vars["GENESYSCLOUD_OAUTHCLIENT_ID"] = kAcmeAdminService;
  env.vars["GENESYSCLOUD_OAUTHCLIENT_SECRET"] = kAcmeAdminSecret;
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get"})), kAcmeAdminService);
  const auto reporting = acmeAdminToken(*http);
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get", "--access-token", reporting})), kAcmeAdminService)
      << "--access-token beats every other credential";
}

TEST_F(CliSettingsTest, AGivenAccessTokenIsUsedAsGiven) {
  // Even with client credentials at hand, a refused --access-token is not quietly replaced.
  env.vars["GENESYSCLOUD_OAUTHCLIENT_ID"] = kAcmeAdminService;
  env.vars["GENESYSCLOUD_OAUTHCLIENT_SECRET"] = kAcmeAdminSecret;
  const auto r = gct(at({"--access-token", "not-a-token", "tokens", "me", "verify"}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(stderrStatus(r), 401) << r.err;
}

TEST_F(CliSettingsTest, ProfileChosenByVariableOrFlag) {
  writeAdminProfile("admin");
  loginAsPaul("paul");
  env.vars["GCTOKENS_PROFILE"] = "admin";
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get"})), kAcmeAdminService);
  EXPECT_EQ(clientOf(gct({"tokens", "me", "get", "--profile", "paul"})), kAcmeDesktop);
}

}  // namespace
}  // namespace tokens::testing
