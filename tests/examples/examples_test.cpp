// The programs of examples/, run as a user would run them: as processes, configured only through the
// environment (GENESYSCLOUD_API_REGION, GENESYSCLOUD_ACCESS_TOKEN), against the real tokens-server. Their
// effects are checked with a plain HTTP client, independently of the SDK they are built on.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "PureCloudPlatformClientV2/model/Json.h"
#include "PureCloudPlatformClientV2/model/TokenInfo.h"
#include "api_test_support.h"

extern char** environ;

namespace tokens::testing {
namespace {

using namespace std::chrono_literals;
namespace sdk = PureCloudPlatformClientV2;

const std::map<std::string, std::string>& exampleBinaries() {
  static const std::map<std::string, std::string> binaries{
      {"delete_token", EXAMPLE_DELETE_TOKEN_BIN},
      {"delete_tokens_me", EXAMPLE_DELETE_TOKENS_ME_BIN},
      {"get_tokens_me", EXAMPLE_GET_TOKENS_ME_BIN},
      {"get_tokens_timeout", EXAMPLE_GET_TOKENS_TIMEOUT_BIN},
      {"head_tokens_me", EXAMPLE_HEAD_TOKENS_ME_BIN},
      {"put_tokens_timeout", EXAMPLE_PUT_TOKENS_TIMEOUT_BIN},
  };
  return binaries;
}

// The SDK operation each example calls, as its "Exception when calling TokensApi->..." line names it.
const std::map<std::string, std::string>& operationNames() {
  static const std::map<std::string, std::string> names{
      {"delete_token", "deleteToken"},         {"delete_tokens_me", "deleteTokensMe"},
      {"get_tokens_me", "getTokensMe"},        {"get_tokens_timeout", "getTokensTimeout"},
      {"head_tokens_me", "headTokensMe"},      {"put_tokens_timeout", "putTokensTimeout"},
  };
  return names;
}

struct RunResult {
  int exitCode = -1;  ///< -1: killed after the time limit, or died from a signal
  std::string out;
  std::string err;
};

bool isProxyVariable(std::string name) {
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name == "http_proxy" || name == "https_proxy" || name == "all_proxy" || name == "no_proxy";
}

// Runs one example with these arguments and variables. Nothing of the test's own environment that
// configures the SDK (GENESYSCLOUD*, proxies, HOME and its config file) reaches the child.
RunResult runExample(const std::string& name, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& vars, std::chrono::seconds limit = 60s) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    const auto key = entry.substr(0, eq);
    if (key.rfind("GENESYSCLOUD", 0) == 0 || isProxyVariable(key)) continue;
    env[key] = entry.substr(eq + 1);
  }
  for (const auto& [key, value] : vars) env[key] = value;
  std::vector<std::string> envText;
  for (const auto& [key, value] : env) envText.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& e : envText) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::vector<std::string> argvText{exampleBinaries().at(name)};
  argvText.insert(argvText.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argvText) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if (::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    throw std::runtime_error("posix_spawn failed for " + argvText[0] + ": " + std::strerror(rc));
  }

  RunResult result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  const auto deadline = std::chrono::steady_clock::now() + limit;
  bool killed = false;
  for (int open = 2; open > 0;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (const auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exitCode = !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string describe(const RunResult& r) {
  return "exit " + std::to_string(r.exitCode) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// A loopback port nothing listens on (bound, then released).
int closedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

class ExamplesTest : public FreshServerTest {
 protected:
  void SetUp() override {
    FreshServerTest::SetUp();
    home = makeTempDir();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(home, ec);
  }

  /// The variables a user sets to point the examples at this server; no config file.
  std::map<std::string, std::string> environmentFor(const std::optional<std::string>& token) const {
    std::map<std::string, std::string> vars{{"HOME", home},
                                            {"GENESYSCLOUDCPP_CONFIG_PATH", home + "/no-such-config"},
                                            {"GENESYSCLOUD_API_REGION", server->baseUrl()}};
    if (token) vars["GENESYSCLOUD_ACCESS_TOKEN"] = *token;
    return vars;
  }
  RunResult run(const std::string& name, const std::optional<std::string>& token,
                const std::vector<std::string>& args = {}) {
    return runExample(name, args, environmentFor(token));
  }

  /// Expects the example to have failed as the seed docs' examples report it, and returns the
  /// ErrorBody it printed after that line (when the answer had one).
  std::optional<sdk::ErrorBody> expectApiException(const std::string& name, const RunResult& r, int status) {
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    const auto line = firstLine(r.err);
    EXPECT_EQ(line.rfind("Exception when calling TokensApi->" + operationNames().at(name) + ": ", 0), 0U) << describe(r);
    EXPECT_NE(line.find("HTTP " + std::to_string(status)), std::string::npos) << describe(r);
    EXPECT_TRUE(r.out.empty()) << describe(r);
    const auto rest = r.err.find('\n') == std::string::npos ? std::string() : r.err.substr(r.err.find('\n') + 1);
    if (rest.empty()) return std::nullopt;
    auto body = sdk::fromJson<sdk::ErrorBody>(firstLine(rest));
    EXPECT_TRUE(body) << "the second line is the ErrorBody: " << describe(r);
    if (body) {
      EXPECT_EQ(body->status, status);
    }
    return body;
  }

  sdk::IdleTokenTimeout storedTimeout() {
    const auto r = http->get("/api/v2/tokens/timeout", acmeAdminToken(*http));
    EXPECT_EQ(r.status, 200) << r.body;
    return sdk::fromJson<sdk::IdleTokenTimeout>(r.body).value_or(sdk::IdleTokenTimeout{});
  }

  std::string home;
};

template <class Model>
Model parseOutput(const RunResult& r) {
  sdk::JsonError error;
  auto model = sdk::fromJson<Model>(r.out, &error);
  EXPECT_TRUE(model) << error.fieldName << " " << error.message << "\n" << describe(r);
  return model.value_or(Model{});
}

TEST_F(ExamplesTest, GetTokensMePrintsTheTokenInfoAsJson) {
  const auto r = run("get_tokens_me", acmeAdminToken(*http));
  ASSERT_EQ(r.exitCode, 0) << describe(r);
  EXPECT_TRUE(r.err.empty()) << describe(r);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line of JSON: " << describe(r);
  const auto info = parseOutput<sdk::TokenInfo>(r);
  ASSERT_TRUE(info.organization && info.homeOrganization && info.OAuthClient) << describe(r);
  EXPECT_EQ(info.organization->id, "acme");
  EXPECT_EQ(info.homeOrganization->name, "Acme Corp");
  EXPECT_EQ(info.OAuthClient->id, "acme-admin-service");
  EXPECT_NE(r.out.find("\"OAuthClient\""), std::string::npos) << "the JSON name keeps its capitals";
  EXPECT_FALSE(info.dateTokenIdles) << "no idle timeout applies to a client-credentials token";
}

TEST_F(ExamplesTest, GetTokensMePassesPreserveIdleTTLThrough) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds": 1800, "enableIdleTokenTimeout": true})");
  const auto paul = paulLogin(*http);

  const auto first = run("get_tokens_me", paul.accessToken);  // unset: this call is activity
  ASSERT_EQ(first.exitCode, 0) << describe(first);
  const auto idlesAt = parseOutput<sdk::TokenInfo>(first).dateTokenIdles;
  ASSERT_TRUE(idlesAt) << describe(first);

  advanceClock(*http, 60);
  const auto preserved = run("get_tokens_me", paul.accessToken, {"true"});
  ASSERT_EQ(preserved.exitCode, 0) << describe(preserved);
  EXPECT_EQ(parseOutput<sdk::TokenInfo>(preserved).dateTokenIdles, idlesAt) << "true: the idle clock was not reset";

  const auto reset = run("get_tokens_me", paul.accessToken, {"false"});
  ASSERT_EQ(reset.exitCode, 0) << describe(reset);
  const auto later = parseOutput<sdk::TokenInfo>(reset).dateTokenIdles;
  ASSERT_TRUE(later);
  EXPECT_GE(*later - *idlesAt, 60s) << "false: the call was activity";

  const auto bad = run("get_tokens_me", paul.accessToken, {"maybe"});
  EXPECT_EQ(bad.exitCode, 2) << describe(bad);
  EXPECT_NE(bad.err.find("usage"), std::string::npos) << describe(bad);
}

TEST_F(ExamplesTest, GetTokensTimeoutPrintsTheOrganizationsSetting) {
  const auto r = run("get_tokens_timeout", paulLogin(*http).accessToken);  // needs no permission
  ASSERT_EQ(r.exitCode, 0) << describe(r);
  const auto setting = parseOutput<sdk::IdleTokenTimeout>(r);
  EXPECT_EQ(setting.idleTokenTimeoutSeconds, 1800);
  EXPECT_EQ(setting.enableIdleTokenTimeout, false);
  EXPECT_EQ(setting.inactivityTimeoutUnit, sdk::InactivityTimeoutUnit::Minutes);
  EXPECT_EQ(setting.inactivityTimeoutGroupsEnabled, false);
  EXPECT_EQ(setting, storedTimeout());
}

TEST_F(ExamplesTest, PutTokensTimeoutWithoutArgumentsEnablesThirtyMinutes) {
  ASSERT_EQ(storedTimeout().enableIdleTokenTimeout, false);
  const auto r = run("put_tokens_timeout", acmeAdminToken(*http));
  ASSERT_EQ(r.exitCode, 0) << describe(r);
  const auto printed = parseOutput<sdk::IdleTokenTimeout>(r);
  EXPECT_EQ(printed.idleTokenTimeoutSeconds, 1800);
  EXPECT_EQ(printed.enableIdleTokenTimeout, true);
  const auto stored = storedTimeout();
  EXPECT_EQ(stored.enableIdleTokenTimeout, true) << "the setting really changed";
  EXPECT_EQ(printed, stored);

  // And the get example sees it too.
  const auto get = run("get_tokens_timeout", acmeAdminToken(*http));
  ASSERT_EQ(get.exitCode, 0) << describe(get);
  EXPECT_EQ(parseOutput<sdk::IdleTokenTimeout>(get), stored);
}

TEST_F(ExamplesTest, PutTokensTimeoutTakesTheSettingAsJson) {
  const auto r = run("put_tokens_timeout", acmeAdminToken(*http),
                     {R"({"idleTokenTimeoutSeconds": 900, "enableIdleTokenTimeout": true, "inactivityTimeoutUnit": "Hours"})"});
  ASSERT_EQ(r.exitCode, 0) << describe(r);
  const auto stored = storedTimeout();
  EXPECT_EQ(stored.idleTokenTimeoutSeconds, 900);
  EXPECT_EQ(stored.enableIdleTokenTimeout, true);
  EXPECT_EQ(stored.inactivityTimeoutUnit, sdk::InactivityTimeoutUnit::Hours);
  EXPECT_EQ(parseOutput<sdk::IdleTokenTimeout>(r), stored);
}

TEST_F(ExamplesTest, PutTokensTimeoutRefusesWhatTheServerOrTheModelRefuses) {
  const auto before = storedTimeout();

  const auto notTheModel = run("put_tokens_timeout", acmeAdminToken(*http), {R"({"idleTokenTimeoutSeconds": "soon"})"});
  EXPECT_EQ(notTheModel.exitCode, 2) << "a bad argument is not an API error: " << describe(notTheModel);
  EXPECT_NE(notTheModel.err.find("idleTokenTimeoutSeconds"), std::string::npos) << describe(notTheModel);

  const auto tooShort = run("put_tokens_timeout", acmeAdminToken(*http), {R"({"idleTokenTimeoutSeconds": 10})"});
  const auto invalid = expectApiException("put_tokens_timeout", tooShort, 400);
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->code, "invalid.value");

  const auto plainUser = run("put_tokens_timeout", paulLogin(*http).accessToken);
  const auto forbidden = expectApiException("put_tokens_timeout", plainUser, 403);
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->code, "missing.any.permissions");

  EXPECT_EQ(storedTimeout(), before) << "nothing changed";
}

TEST_F(ExamplesTest, DeleteTokenRevokesEveryTokenOfTheUserNamedOnTheCommandLine) {
  auto& h = *http;
  const auto viaDesktop = paulLogin(h);
  const auto viaKiosk = passwordLogin(h, kAcmeKiosk, kAcmeKioskSecret, "paul@acme.example", "paul-password");
  const auto ada = adaLogin(h);
  ASSERT_EQ(h.head("/api/v2/tokens/me", viaDesktop.accessToken).status, 200);

  const auto r = run("delete_token", acmeAdminToken(h), {"acme-user"});
  ASSERT_EQ(r.exitCode, 0) << describe(r);
  EXPECT_EQ(r.out, "TokensApi->deleteToken was successful\n");
  EXPECT_TRUE(r.err.empty()) << describe(r);

  EXPECT_EQ(h.head("/api/v2/tokens/me", viaDesktop.accessToken).status, 401);
  EXPECT_EQ(h.head("/api/v2/tokens/me", viaKiosk.accessToken).status, 401);
  EXPECT_EQ(refreshGrant(h, kAcmeDesktop, kAcmeDesktopSecret, viaDesktop.refreshToken).status, 400);
  EXPECT_EQ(h.head("/api/v2/tokens/me", ada.accessToken).status, 200) << "another user's token survives";
}

TEST_F(ExamplesTest, DeleteTokenReportsUnknownUsersAndMissingPermissions) {
  auto& h = *http;
  // Without an argument: the docs' "userId_example", which does not exist.
  const auto missing = expectApiException("delete_token", run("delete_token", acmeAdminToken(h)), 404);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->code, "not.found");

  const auto paul = paulLogin(h);
  const auto reporting = clientCredentialsToken(h, kAcmeReporting, kAcmeReportingSecret);
  const auto forbidden = expectApiException("delete_token", run("delete_token", reporting, {"acme-user"}), 403);
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->code, "missing.any.permissions");
  EXPECT_EQ(h.head("/api/v2/tokens/me", paul.accessToken).status, 200) << "a refused call revokes nothing";
}

TEST_F(ExamplesTest, DeleteTokensMeRevokesTheCallingTokenAndItsRefreshToken) {
  auto& h = *http;
  const auto paul = paulLogin(h);
  const auto ada = adaLogin(h);
  ASSERT_FALSE(paul.refreshToken.empty());

  const auto r = run("delete_tokens_me", paul.accessToken);
  ASSERT_EQ(r.exitCode, 0) << describe(r);
  EXPECT_EQ(r.out, "TokensApi->deleteTokensMe was successful\n");
  EXPECT_EQ(h.head("/api/v2/tokens/me", paul.accessToken).status, 401);
  EXPECT_EQ(refreshGrant(h, kAcmeDesktop, kAcmeDesktopSecret, paul.refreshToken).status, 400);
  EXPECT_EQ(h.head("/api/v2/tokens/me", ada.accessToken).status, 200);

  expectApiException("delete_tokens_me", run("delete_tokens_me", paul.accessToken), 401);
}

TEST_F(ExamplesTest, HeadTokensMeSucceedsForALiveTokenOnly) {
  auto& h = *http;
  const auto token = acmeAdminToken(h);
  const auto live = run("head_tokens_me", token);
  ASSERT_EQ(live.exitCode, 0) << describe(live);
  EXPECT_EQ(live.out, "TokensApi->headTokensMe was successful\n");

  ASSERT_EQ(h.del("/api/v2/tokens/me", token).status, 200);
  const auto revoked = run("head_tokens_me", token);
  EXPECT_FALSE(expectApiException("head_tokens_me", revoked, 401)) << "a HEAD answer has no body to print";
}

TEST_F(ExamplesTest, EveryExampleExitsOneWithTheDocsLineForABadToken) {
  const auto before = storedTimeout();
  for (const auto& [name, binary] : exampleBinaries()) {
    SCOPED_TRACE(name);
    const auto r = run(name, std::string("not-a-token-the-server-issued"));
    const auto body = expectApiException(name, r, 401);
    if (name != "head_tokens_me") {
      ASSERT_TRUE(body);
      EXPECT_EQ(body->code, "bad.credentials");
    }
  }
  EXPECT_EQ(storedTimeout(), before);
}

TEST_F(ExamplesTest, WithoutATokenTheDocsPlaceholderIsSentAndRefused) {
  for (const auto& [name, binary] : exampleBinaries()) {
    SCOPED_TRACE(name);
    expectApiException(name, run(name, std::nullopt), 401);
  }
}

TEST_F(ExamplesTest, AnUnreachableServerIsAnExceptionToo) {
  // The SDK's config file is honoured: no retries, so that a refused connection fails at once.
  const auto config = home + "/config";
  std::ofstream(config) << "[retry]\nretry_max = 0\n";
  auto vars = environmentFor(acmeAdminToken(*http));
  vars["GENESYSCLOUDCPP_CONFIG_PATH"] = config;
  vars["GENESYSCLOUD_API_REGION"] = "http://127.0.0.1:" + std::to_string(closedPort());

  const auto started = std::chrono::steady_clock::now();
  const auto r = runExample("get_tokens_me", {}, vars);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(r.exitCode, 1) << describe(r);
  EXPECT_EQ(firstLine(r.err).rfind("Exception when calling TokensApi->getTokensMe: GET http://127.0.0.1:", 0), 0U)
      << describe(r);
  EXPECT_EQ(r.err.find("HTTP "), std::string::npos) << "no answer came: " << describe(r);
}

}  // namespace
}  // namespace tokens::testing
