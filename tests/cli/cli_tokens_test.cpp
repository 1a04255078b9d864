// `gctokens tokens ...`: every operation against the demo organizations, every output format, and the
// exit codes of API errors (1) and of no answer (3).

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "cli_test_support.h"

namespace tokens::testing {
namespace {

using CliTokensTest = CliServerTest;

TEST_F(CliTokensTest, MeGetWithAClientCredentialsProfileLogsInFirst) {
  writeAdminProfile();
  const std::string before = configText();
  const auto r = gct({"tokens", "me", "get"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto info = parseJsonText(r.out);
  EXPECT_EQ(info.at("organization").at("id"), "acme");
  EXPECT_EQ(info.at("homeOrganization").at("name"), "Acme Corp");
  EXPECT_EQ(info.at("OAuthClient").at("id"), kAcmeAdminService.c_str());
  EXPECT_EQ(info.at("authorizedScope"), boost::json::parse(R"(["oauth","directory"])"));
  EXPECT_EQ(configText(), before) << "a command's own login is not stored";
}

TEST_F(CliTokensTest, MeGetShowsAClonedUser) {
  const auto login = passwordLogin(*http, kAcmeDesktop, kAcmeDesktopSecret, "cleo@acme.example", "cleo-password");
  const auto r = gct(at({"--access-token", login.accessToken, "tokens", "me", "get"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(parseJsonText(r.out).at("clonedUser").at("id"), "mercy-nurse");
}

TEST_F(CliTokensTest, EveryOutputFormatCarriesTheSameData) {
  writeAdminProfile();
  const auto json = gct({"tokens", "me", "get"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  EXPECT_NE(json.out.find("\n  \"organization\": {"), std::string::npos) << "pretty-printed: " << json.out;

  const auto yaml = gct({"tokens", "me", "get", "--output", "yaml"});
  ASSERT_EQ(yaml.exitCode, 0) << yaml.err;
  const YAML::Node doc = YAML::Load(yaml.out);
  EXPECT_EQ(doc["organization"]["id"].as<std::string>(), "acme");
  EXPECT_EQ(doc["OAuthClient"]["authorizedGrantType"].as<std::string>(), "CLIENT-CREDENTIALS");
  EXPECT_EQ(doc["authorizedScope"][1].as<std::string>(), "directory");

  const auto table = gct({"-o", "table", "tokens", "me", "get"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_TRUE(std::regex_search(table.out, std::regex("(^|\n)organization\\.id +acme\n"))) << table.out;
  EXPECT_TRUE(std::regex_search(table.out, std::regex("\nauthorizedScope\\[1\\] +directory\n"))) << table.out;
  EXPECT_TRUE(std::regex_search(table.out, std::regex("\nOAuthClient\\.id +acme-admin-service\n"))) << table.out;

  const auto timeoutYaml = gct({"tokens", "timeout", "get", "-o", "yaml"});
  const YAML::Node setting = YAML::Load(timeoutYaml.out);
  EXPECT_EQ(setting["idleTokenTimeoutSeconds"].as<int>(), 1800);
  EXPECT_FALSE(setting["enableIdleTokenTimeout"].as<bool>());
  EXPECT_EQ(setting["inactivityTimeoutUnit"].as<std::string>(), "Minutes");
  EXPECT_TRUE(setting["inactivityTimeoutGroupBundles"].IsSequence());
}

TEST_F(CliTokensTest, VerifyExitsZeroForAValidTokenAndOneForARefusedOne) {
  const auto token = acmeAdminToken(*http);
  const auto ok = gct(at({"--access-token", token, "tokens", "me", "verify"}));
  EXPECT_EQ(ok.exitCode, 0) << ok.err;
  EXPECT_EQ(ok.out, "");
  EXPECT_EQ(ok.err, "");
  const auto table = gct(at({"--access-token", token, "-o", "table", "tokens", "me", "verify"}));
  EXPECT_EQ(table.exitCode, 0);
  EXPECT_NE(table.out.find("valid"), std::string::npos) << table.out;

  const auto refused = gct(at({"--access-token", "not-a-token", "tokens", "me", "verify"}));
  EXPECT_EQ(refused.exitCode, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(stderrStatus(refused), 401) << refused.err;
}

TEST_F(CliTokensTest, MeDeleteRevokesTheTokenAndForgetsIt) {
  loginAsPaul();
  const std::string access = storedValue("default", "access_token");
  const std::string refresh = storedValue("default", "refresh_token");
  const auto r = gct({"tokens", "me", "delete"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(http->head("/api/v2/tokens/me", access).status, 401);
  EXPECT_EQ(refreshGrant(*http, kAcmeDesktop, kAcmeDesktopSecret, refresh).status, 400) << "the refresh token died too";
  EXPECT_EQ(storedValue("default", "access_token"), "") << configText();
  EXPECT_EQ(storedValue("default", "refresh_token"), "") << configText();
  EXPECT_EQ(storedValue("default", "client_id"), kAcmeDesktop) << "the rest of the profile stays";

  const auto gone = gct(at({"--access-token", access, "tokens", "me", "get"}));
  EXPECT_EQ(gone.exitCode, 1);
  EXPECT_EQ(stderrCode(gone), "bad.credentials") << gone.err;
}

TEST_F(CliTokensTest, DeleteRevokesEveryTokenOfAUser) {
  const auto paul1 = paulLogin(*http);
  const auto paul2 = passwordLogin(*http, kAcmeKiosk, kAcmeKioskSecret, "paul@acme.example", "paul-password");
  const auto ada = adaLogin(*http);
  const auto r = gct(asAdmin({"tokens", "delete", "acme-user"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(http->head("/api/v2/tokens/me", paul1.accessToken).status, 401);
  EXPECT_EQ(http->head("/api/v2/tokens/me", paul2.accessToken).status, 401);
  EXPECT_EQ(http->head("/api/v2/tokens/me", ada.accessToken).status, 200);

  const auto table = gct(asAdmin({"-o", "table", "tokens", "delete", "acme-user"}));
  EXPECT_EQ(table.exitCode, 0);
  EXPECT_NE(table.out.find("acme-user"), std::string::npos) << table.out;
}

TEST_F(CliTokensTest, DeleteErrorsAreApiErrors) {
  const auto unknown = gct(asAdmin({"tokens", "delete", "no-such-user"}));
  EXPECT_EQ(unknown.exitCode, 1);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(stderrCode(unknown), "not.found") << unknown.err;
  EXPECT_EQ(stderrStatus(unknown), 404);
  EXPECT_FALSE(parseJsonText(unknown.err).at("contextId").as_string().empty());

  const auto otherOrg = gct(asAdmin({"tokens", "delete", "mercy-nurse"}));
  EXPECT_EQ(stderrCode(otherOrg), "not.found") << "a token of Acme never touches Mercy";

  const auto forbidden = gct(at({"--client-id", kAcmeReporting, "--client-secret", kAcmeReportingSecret, "tokens",
                                 "delete", "acme-user"}));
  EXPECT_EQ(forbidden.exitCode, 1);
  EXPECT_EQ(stderrCode(forbidden), "missing.any.permissions") << forbidden.err;
  EXPECT_EQ(stderrStatus(forbidden), 403);
}

TEST_F(CliTokensTest, TimeoutUpdateWithFlagsChangesOnlyWhatTheyName) {
  writeAdminProfile();
  const auto get = gct({"tokens", "timeout", "get"});
  ASSERT_EQ(get.exitCode, 0) << get.err;
  EXPECT_EQ(parseJsonText(get.out).at("idleTokenTimeoutSeconds"), 1800);

  const auto update = gct({"tokens", "timeout", "update", "--seconds", "900", "--enable"});
  ASSERT_EQ(update.exitCode, 0) << update.err;
  EXPECT_EQ(parseJsonText(update.out).at("idleTokenTimeoutSeconds"), 900);
  EXPECT_EQ(parseJsonText(update.out).at("enableIdleTokenTimeout"), true);

  const auto unit = gct({"tokens", "timeout", "update", "--unit", "hours"});
  ASSERT_EQ(unit.exitCode, 0) << unit.err;
  const auto stored = parseJsonText(gct({"tokens", "timeout", "get"}).out);
  EXPECT_EQ(stored.at("inactivityTimeoutUnit"), "Hours");
  EXPECT_EQ(stored.at("idleTokenTimeoutSeconds"), 900) << "kept";
  EXPECT_EQ(stored.at("enableIdleTokenTimeout"), true) << "kept";

  ASSERT_EQ(gct({"tokens", "timeout", "update", "--disable"}).exitCode, 0);
  const auto table = gct({"tokens", "timeout", "get", "-o", "table"});
  EXPECT_TRUE(std::regex_search(table.out, std::regex("enableIdleTokenTimeout +false\n"))) << table.out;
}

TEST_F(CliTokensTest, TimeoutUpdateFromAFileAndFromStandardInput) {
  writeAdminProfile();
  const std::string path = env.home + "/timeout.json";
  std::ofstream(path) << R"({"idleTokenTimeoutSeconds": 3600, "enableIdleTokenTimeout": true,
    "inactivityTimeoutGroupsEnabled": true,
    "inactivityTimeoutGroupBundles": [{"priority": 1, "timeoutSeconds": 600, "groups": ["acme-support"]}]})";
  const auto fromFile = gct({"tokens", "timeout", "update", "--file", path});
  ASSERT_EQ(fromFile.exitCode, 0) << fromFile.err;
  const auto setting = parseJsonText(fromFile.out);
  EXPECT_EQ(setting.at("idleTokenTimeoutSeconds"), 3600);
  EXPECT_EQ(setting.at("inactivityTimeoutGroupBundles").at(0).at("groups").at(0), "acme-support");

  // Flags change the file's values.
  const auto fileAndFlags = gct({"tokens", "timeout", "update", "--file", path, "--seconds", "7200", "--disable-groups"});
  ASSERT_EQ(fileAndFlags.exitCode, 0) << fileAndFlags.err;
  EXPECT_EQ(parseJsonText(fileAndFlags.out).at("idleTokenTimeoutSeconds"), 7200);
  EXPECT_EQ(parseJsonText(fileAndFlags.out).at("inactivityTimeoutGroupsEnabled"), false);

  // A body replaces the setting whole: what stdin leaves out takes the defaults.
  const auto fromStdin = gct({"tokens", "timeout", "update", "--file", "-"}, R"({"idleTokenTimeoutSeconds": 600})");
  ASSERT_EQ(fromStdin.exitCode, 0) << fromStdin.err;
  const auto replaced = parseJsonText(gct({"tokens", "timeout", "get"}).out);
  EXPECT_EQ(replaced.at("idleTokenTimeoutSeconds"), 600);
  EXPECT_EQ(replaced.at("enableIdleTokenTimeout"), false);
  EXPECT_EQ(replaced.at("inactivityTimeoutGroupBundles"), boost::json::array());
}

TEST_F(CliTokensTest, TimeoutUpdateErrorsAreApiErrors) {
  writeAdminProfile();
  const auto outOfRange = gct({"tokens", "timeout", "update", "--seconds", "10"});
  EXPECT_EQ(outOfRange.exitCode, 1);
  EXPECT_EQ(stderrCode(outOfRange), "invalid.value") << outOfRange.err;
  EXPECT_NE(outOfRange.err.find("idleTokenTimeoutSeconds"), std::string::npos) << outOfRange.err;

  const auto hipaa = gct(at({"--client-id", kMercyAdminService, "--client-secret", kMercyAdminSecret, "tokens", "timeout",
                             "update", "--seconds", "1800", "--enable"}));
  EXPECT_EQ(hipaa.exitCode, 1);
  EXPECT_EQ(stderrCode(hipaa), "invalid.value") << hipaa.err;

  const auto plainUser = gct(at({"--access-token", paulLogin(*http).accessToken, "tokens", "timeout", "update",
                                 "--seconds", "900"}));
  EXPECT_EQ(plainUser.exitCode, 1);
  EXPECT_EQ(stderrCode(plainUser), "missing.any.permissions") << plainUser.err;
}

TEST_F(CliTokensTest, PreserveIdleTtlDoesNotResetTheIdleClock) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds": 1800, "enableIdleTokenTimeout": true})");
  const auto token = paulLogin(*http).accessToken;
  auto idles = [&](bool preserve) {
    std::vector<std::string> args{"--access-token", token, "tokens", "me", "get"};
    if (preserve) args.emplace_back("--preserve-idle-ttl");
    const auto r = gct(at(args));
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const auto text = parseJsonText(r.out).at("dateTokenIdles").as_string();
    return *PureCloudPlatformClientV2::parseDateTime(std::string_view(text.data(), text.size()));
  };
  const auto first = idles(true);
  advanceClock(*http, 120);
  EXPECT_EQ(idles(true), first) << "--preserve-idle-ttl: no activity";
  idles(false);  // activity: the idle clock restarts now
  EXPECT_GE(idles(true) - first, std::chrono::seconds(120));
}

TEST_F(CliTokensTest, AnExpiredStoredTokenIsRenewedAndStored) {
  // acme-kiosk tokens live 8 hours; the refresh token lets the CLI get a new one by itself.
  ASSERT_EQ(gct(at({"login", "--client-id", kAcmeKiosk, "--client-secret", kAcmeKioskSecret, "--username",
                    "paul@acme.example", "--password", "paul-password"}))
                .exitCode,
            0);
  const std::string old = storedValue("default", "access_token");
  advanceClock(*http, 8 * 3600 + 1);
  const auto r = gct({"tokens", "me", "get"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string renewed = storedValue("default", "access_token");
  EXPECT_NE(renewed, old);
  EXPECT_EQ(http->head("/api/v2/tokens/me", renewed).status, 200);

  // A stored client-credentials token is renewed with the client credentials.
  ASSERT_EQ(gct(asAdmin({"--profile", "svc", "login"})).exitCode, 0);
  const std::string svcOld = storedValue("svc", "access_token");
  advanceClock(*http, 86400 + 1);
  const auto svc = gct({"--profile", "svc", "tokens", "timeout", "get"});
  ASSERT_EQ(svc.exitCode, 0) << svc.err;
  EXPECT_NE(storedValue("svc", "access_token"), svcOld);
}

TEST_F(CliTokensTest, ARefusedStoredTokenThatCannotBeRenewedIsAnApiError) {
  ASSERT_EQ(gct({"profiles", "new", "default", "--base-url", server->baseUrl(), "--access-token", "stale-token"}).exitCode, 0);
  const auto r = gct({"tokens", "me", "get"});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(stderrCode(r), "bad.credentials") << r.err;
}

TEST_F(CliTokensTest, NoAnswerIsExitCodeThree) {
  const auto closed = gct({"--base-url", closedPortUrl(), "--retries", "0", "--client-id", kAcmeAdminService,
                           "--client-secret", kAcmeAdminSecret, "tokens", "me", "get"});
  EXPECT_EQ(closed.exitCode, 3);
  EXPECT_EQ(closed.out, "");
  EXPECT_FALSE(parseJsonText(closed.err).at("message").as_string().empty()) << closed.err;

  const auto withToken = gct({"--base-url", closedPortUrl(), "--retries", "0", "--access-token", "t", "tokens", "me", "verify"});
  EXPECT_EQ(withToken.exitCode, 3) << withToken.err;

  // An answer that comes too late is no answer either.
  const auto fault = http->postJson("/_emulator/faults",
                                    R"({"method": "GET", "path": "/api/v2/tokens/timeout", "status": 0, "count": 1, "delayMs": 3000})");
  ASSERT_EQ(fault.status, 201) << fault.body;
  const auto slow = gct(asAdmin({"--timeout", "1", "--retries", "0", "tokens", "timeout", "get"}));
  EXPECT_EQ(slow.exitCode, 3) << slow.err;
}

TEST_F(CliTokensTest, RetriesRideOutAPassingOutage) {
  const auto token = acmeAdminToken(*http);
  const auto fault = http->postJson("/_emulator/faults",
                                    R"({"method": "GET", "path": "/api/v2/tokens/timeout", "status": 503, "count": 1})");
  ASSERT_EQ(fault.status, 201) << fault.body;
  const auto retried = gct(at({"--access-token", token, "tokens", "timeout", "get"}));
  EXPECT_EQ(retried.exitCode, 0) << retried.err;

  ASSERT_EQ(http->postJson("/_emulator/faults",
                           R"({"method": "GET", "path": "/api/v2/tokens/timeout", "status": 503, "count": 1})")
                .status,
            201);
  const auto noRetry = gct(at({"--access-token", token, "--retries", "0", "tokens", "timeout", "get"}));
  EXPECT_EQ(noRetry.exitCode, 1);
  EXPECT_EQ(stderrCode(noRetry), "service.unavailable") << noRetry.err;
}

TEST_F(CliTokensTest, VerboseLogsNoSecretAndNoToken) {
  const auto token = acmeAdminToken(*http);
  const auto withToken = gct(at({"--verbose", "--access-token", token, "tokens", "me", "get"}));
  ASSERT_EQ(withToken.exitCode, 0) << withToken.err;
  EXPECT_FALSE(withToken.err.empty()) << "--verbose logs the requests";
  EXPECT_EQ(withToken.err.find(token), std::string::npos) << withToken.err;
  parseJsonText(withToken.out);  // stdout stays clean JSON

  const auto withSecret = gct(asAdmin({"-v", "tokens", "me", "get"}));
  ASSERT_EQ(withSecret.exitCode, 0) << withSecret.err;
  EXPECT_EQ(withSecret.err.find(kAcmeAdminSecret), std::string::npos) << withSecret.err;

  const auto password = gct(at({"-v", "login", "--no-save", "--client-id", kAcmeDesktop, "--client-secret",
                                kAcmeDesktopSecret, "--username", "paul@acme.example", "--password", "paul-password"}));
  ASSERT_EQ(password.exitCode, 0) << password.err;
  EXPECT_EQ(password.err.find("paul-password"), std::string::npos) << password.err;
  EXPECT_EQ(password.err.find(kAcmeDesktopSecret), std::string::npos) << password.err;
}

}  // namespace
}  // namespace tokens::testing
