// Help, version, and usage errors (exit code 2 with a JSON message on stderr). No server needed: none of
// these may reach the network.

#include <fstream>

#include "cli_test_support.h"

namespace tokens::testing {
namespace {

class CliUsageTest : public CliTest {
 protected:
  /// Expects exit code 2, nothing on stdout, and {"message": ...} on stderr; returns the message.
  std::string expectUsageError(const std::vector<std::string>& args, const std::string& stdinText = "") {
    const auto r = gct(args, stdinText);
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    const auto v = parseJsonText(r.err);
    if (!v.is_object() || !v.as_object().contains("message")) {
      ADD_FAILURE() << "no JSON message on stderr: " << r.err;
      return {};
    }
    return std::string(v.as_object().at("message").as_string());
  }
  std::string writeFile(const std::string& name, const std::string& text) {
    const std::string path = env.home + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
};

TEST_F(CliUsageTest, HelpDocumentsEveryCommand) {
  const auto root = gct({"--help"});
  EXPECT_EQ(root.exitCode, 0);
  for (const char* word : {"tokens", "login", "profiles", "--profile", "--config", "--base-url", "--region",
                           "--access-token", "--client-id", "--client-secret", "--output", "Exit codes"})
    EXPECT_NE(root.out.find(word), std::string::npos) << word;

  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> pages = {
      {{"tokens", "--help"}, {"me", "delete", "timeout"}},
      {{"tokens", "me", "--help"}, {"get", "delete", "verify"}},
      {{"tokens", "me", "get", "--help"}, {"--preserve-idle-ttl", "GET /api/v2/tokens/me"}},
      {{"tokens", "me", "delete", "--help"}, {"DELETE /api/v2/tokens/me"}},
      {{"tokens", "me", "verify", "--help"}, {"HEAD /api/v2/tokens/me"}},
      {{"tokens", "delete", "--help"}, {"USER_ID", "oauth:token:delete"}},
      {{"tokens", "timeout", "--help"}, {"get", "update"}},
      {{"tokens", "timeout", "update", "--help"}, {"--file", "--seconds", "--enable", "--disable", "--unit", "Minutes"}},
      {{"login", "--help"},
       {"--username", "--password", "--password-stdin", "--refresh-token", "--print-token", "--pkce", "--no-browser",
        "--login-timeout", "--redirect-port"}},
      {{"profiles", "--help"}, {"new", "list"}},
      {{"profiles", "new", "--help"}, {"NAME", "--force", "0600"}},
  };
  for (const auto& [args, words] : pages) {
    const auto r = gct(args);
    EXPECT_EQ(r.exitCode, 0) << args[0];
    EXPECT_NE(r.out.find("Global options"), std::string::npos) << r.out;
    for (const auto& word : words) EXPECT_NE(r.out.find(word), std::string::npos) << word << " in " << r.out;
  }
}

TEST_F(CliUsageTest, VersionPrintsTheVersion) {
  const auto r = gct({"--version"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out.rfind("gctokens ", 0), 0u) << r.out;
}

TEST_F(CliUsageTest, ParseErrorsAreUsageErrors) {
  expectUsageError({});
  expectUsageError({"tokens"});
  expectUsageError({"tokens", "me"});
  expectUsageError({"nonsense"});
  expectUsageError({"tokens", "me", "get", "--bogus"});
  expectUsageError({"tokens", "delete"});  // USER_ID is required
  expectUsageError({"--output", "xml", "tokens", "me", "get"});
  expectUsageError({"--retries", "many", "tokens", "me", "get"});
  expectUsageError({"--retries", "11", "tokens", "me", "get"});
  expectUsageError({"tokens", "timeout", "update", "--seconds", "soon"});
  expectUsageError({"tokens", "timeout", "update", "--enable", "--disable"});
  expectUsageError({"tokens", "timeout", "update", "--unit", "Days"});
  expectUsageError({"login", "--password", "x"});  // needs --username
}

TEST_F(CliUsageTest, MissingCredentialsAreUsageErrors) {
  const auto message = expectUsageError({"--base-url", "http://127.0.0.1:9", "tokens", "me", "get"});
  EXPECT_NE(message.find("no credentials"), std::string::npos) << message;
  const auto login = expectUsageError({"--base-url", "http://127.0.0.1:9", "login"});
  EXPECT_NE(login.find("--client-id"), std::string::npos) << login;
  expectUsageError({"--base-url", "http://127.0.0.1:9", "--client-id", "x", "--client-secret", "y", "login", "--username",
                    "paul@acme.example"});  // and no password
}

TEST_F(CliUsageTest, BrowserLoginUsageErrors) {
  const std::vector<std::string> pkce{"--base-url", "http://127.0.0.1:9", "login", "--pkce"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = pkce;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  EXPECT_NE(expectUsageError(pkce).find("--client-id"), std::string::npos);
  EXPECT_NE(expectUsageError(with({"--client-id", "acme-cli", "--client-secret", "s"})).find("public client"),
            std::string::npos);
  expectUsageError(with({"--client-id", "acme-cli", "--username", "paul@acme.example", "--password", "p"}));
  expectUsageError(with({"--client-id", "acme-cli", "--refresh-token", "r"}));
  EXPECT_NE(expectUsageError(with({"--client-id", "acme-cli", "--login-timeout", "0"})).find("--login-timeout"),
            std::string::npos);
  EXPECT_NE(expectUsageError(with({"--client-id", "acme-cli", "--redirect-port", "65536"})).find("--redirect-port"),
            std::string::npos);
  expectUsageError(with({"--client-id", "acme-cli", "--login-timeout", "soon"}));
  // The browser options belong to --pkce.
  for (const std::vector<std::string>& extra : {std::vector<std::string>{"--no-browser"}, {"--login-timeout", "5"},
                                                {"--redirect-port", "8765"}}) {
    std::vector<std::string> args{"--base-url", "http://127.0.0.1:9", "--client-id", "x", "--client-secret", "y", "login"};
    args.insert(args.end(), extra.begin(), extra.end());
    expectUsageError(args);
  }
}

TEST_F(CliUsageTest, BadLocationsAreUsageErrors) {
  EXPECT_NE(expectUsageError({"--region", "mars_north_1", "--access-token", "t", "tokens", "me", "get"}).find("mars_north_1"),
            std::string::npos);
  expectUsageError({"--base-url", "ftp://example.com", "--access-token", "t", "tokens", "me", "get"});
  expectUsageError({"--base-url", "http://127.0.0.1:9", "--region", "us_east_1", "--access-token", "t", "tokens", "me", "get"});
  env.vars["GENESYSCLOUD_REGION"] = "nowhere";
  expectUsageError({"--access-token", "t", "tokens", "me", "get"});
}

TEST_F(CliUsageTest, AProfileNamedButMissingIsAUsageError) {
  EXPECT_NE(expectUsageError({"--profile", "ghost", "--access-token", "t", "tokens", "me", "get"}).find("ghost"),
            std::string::npos);
  env.vars["GCTOKENS_PROFILE"] = "ghost";
  expectUsageError({"--access-token", "t", "tokens", "me", "get"});
}

TEST_F(CliUsageTest, AnInvalidProfilesFileIsAUsageErrorNamingFileAndLine) {
  const auto path = writeFile("bad.toml", "[default]\nbase_url = 'http://127.0.0.1:9'\nclient_id = [1, 2]\n");
  const auto message = expectUsageError({"--config", path, "tokens", "me", "get"});
  EXPECT_NE(message.find(path + ":3"), std::string::npos) << message;
  EXPECT_NE(message.find("client_id"), std::string::npos) << message;
  const auto broken = writeFile("broken.toml", "[default\n");
  EXPECT_NE(expectUsageError({"--config", broken, "profiles", "list"}).find(broken), std::string::npos);
}

TEST_F(CliUsageTest, TimeoutUpdateNeedsAValidBody) {
  const std::vector<std::string> base{"--base-url", "http://127.0.0.1:9", "--access-token", "t", "tokens", "timeout", "update"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  EXPECT_NE(expectUsageError(base).find("nothing to update"), std::string::npos);
  EXPECT_NE(expectUsageError(with({"--file", env.home + "/missing.json"})).find("missing.json"), std::string::npos);
  const auto notJson = writeFile("not.json", "{\"idleTokenTimeoutSeconds\": ");
  EXPECT_NE(expectUsageError(with({"--file", notJson})).find("not.json"), std::string::npos);
  const auto wrongType = writeFile("wrong.json", R"({"idleTokenTimeoutSeconds": "soon"})");
  EXPECT_NE(expectUsageError(with({"--file", wrongType})).find("idleTokenTimeoutSeconds"), std::string::npos);
  EXPECT_NE(expectUsageError(with({"--file", "-"}), "[1, 2").find("standard input"), std::string::npos);
}

}  // namespace
}  // namespace tokens::testing
