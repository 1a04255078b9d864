#pragma once
// Fixtures of the CLI tests: a temporary HOME per test (the profiles file lives there), and for the
// tests that talk to an API, the real server on an ephemeral loopback port.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "api_test_support.h"
#include "cli_runner.h"
#include "free_port.h"

namespace tokens::testing {

/// stdout (or stderr) of a run, parsed as JSON; fails the test and gives null when it is not JSON.
inline boost::json::value parseJsonText(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text;
  return ec ? boost::json::value() : value;
}

/// The "code" of the ErrorBody on stderr, or "".
inline std::string stderrCode(const CliResult& r) {
  const auto v = parseJsonText(r.err);
  if (!v.is_object() || !v.as_object().contains("code")) return {};
  return std::string(v.as_object().at("code").as_string());
}

inline std::int64_t stderrStatus(const CliResult& r) {
  const auto v = parseJsonText(r.err);
  if (!v.is_object() || !v.as_object().contains("status")) return 0;
  return v.as_object().at("status").as_int64();
}

/// A loopback URL where nothing listens.
inline std::string closedPortUrl() { return "http://127.0.0.1:" + std::to_string(freeLoopbackPort()); }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { env.home = makeTempDir(); }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(env.home, ec);
  }

  CliResult gct(const std::vector<std::string>& args, const std::string& stdinText = "") {
    return runCli(args, env, stdinText);
  }
  std::string configPath() const { return env.home + "/.gctokens/config.toml"; }
  std::string configText() const { return readFile(configPath()); }

  CliEnvironment env;
};

class CliServerTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    server = startServer();
    http = std::make_unique<HttpClient>(server->baseUrl());
  }

  /// args, with --base-url pointing at the test's server.
  std::vector<std::string> at(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--base-url", server->baseUrl()});
    return args;
  }
  /// args, as the Acme admin service (client credentials on the command line).
  std::vector<std::string> asAdmin(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--base-url", server->baseUrl(), "--client-id", kAcmeAdminService, "--client-secret",
                               kAcmeAdminSecret});
    return args;
  }
  /// Stores a profile for the Acme admin service and makes it the default one.
  void writeAdminProfile(const std::string& name = "default") {
    const auto r = gct({"profiles", "new", name, "--base-url", server->baseUrl(), "--client-id", kAcmeAdminService,
                        "--client-secret", kAcmeAdminSecret});
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }
  /// `gctokens login` with the password grant through acme-desktop; the profile then holds Paul's tokens.
  void loginAsPaul(const std::string& profile = "default") {
    const auto r = gct({"--profile", profile, "login", "--base-url", server->baseUrl(), "--client-id", kAcmeDesktop,
                        "--client-secret", kAcmeDesktopSecret, "--username", "paul@acme.example", "--password",
                        "paul-password"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }
  /// A string value of the profile as stored (crudely read from the TOML text: key = 'value').
  std::string storedValue(const std::string& profile, const std::string& key) const {
    const std::string text = configText();
    const auto section = text.find("[" + profile + "]");
    if (section == std::string::npos) return {};
    const auto end = text.find("\n[", section + 1);
    const std::string body = text.substr(section, end == std::string::npos ? std::string::npos : end - section);
    const auto at = body.find("\n" + key + " = ");
    if (at == std::string::npos) return {};
    const auto start = at + key.size() + 5;
    const char quote = body[start - 1];
    return body.substr(start, body.find(quote, start) - start);
  }

  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpClient> http;
};

}  // namespace tokens::testing
