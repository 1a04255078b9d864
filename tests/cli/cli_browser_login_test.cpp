// `gctokens login --pkce`: the sign-in URL on stderr, the browser opener, and the outcomes that need no
// server (timeout, an error redirect, a wrong state), where the test sends the redirect itself; then the
// whole sign-in on the real server's login page, where the test's Browser plays the user.

#include <fstream>

#include "cli_test_support.h"
#include "http_client.h"
#include "loopback_sign_in.h"
#include "url_query.h"

namespace tokens::testing {
namespace {

// Nothing listens there: the sign-in never reaches the token endpoint in these tests.
const std::string kBase = "http://127.0.0.1:9";
const std::string kAuthorize = kBase + "/oauth/authorize?";

/// The last line of stderr: the error JSON, after the lines that told the user where to sign in.
boost::json::object lastErrorLine(const CliResult& r) {
  auto text = r.err;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const auto value = parseJsonText(text.substr(text.rfind('\n') + 1));
  return value.is_object() ? value.as_object() : boost::json::object();
}

class CliBrowserLoginTest : public CliTest {
 protected:
  std::vector<std::string> signIn(std::vector<std::string> extra) const {
    std::vector<std::string> args{"--base-url", kBase, "login", "--pkce", "--client-id", "acme-cli"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  /// Runs the sign-in in the background, waits for its URL, and brings the browser back with `query`
  /// (the URL's state added unless `query` has one); returns the finished run.
  CliResult signInAndRedirect(const std::string& query) {
    CliProcess gctokens(signIn({"--no-browser", "--login-timeout", "30"}), env);
    const std::string url = gctokens.waitForStderrLine(kAuthorize, std::chrono::seconds(30));
    EXPECT_FALSE(url.empty()) << "no sign-in URL on stderr";
    if (url.empty()) return gctokens.finish();
    const auto p = queryParams(url);
    const std::string state = query.find("state=") == std::string::npos ? "&state=" + p.at("state") : "";
    browserPage = HttpClient("").get(p.at("redirect_uri") + "?" + query + state);
    return gctokens.finish();
  }
  /// A fake xdg-open first on the PATH the CLI gets, with `body` as its script.
  std::string installOpener(const std::string& body) {
    const std::string dir = env.home + "/bin";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/xdg-open") << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(dir + "/xdg-open", std::filesystem::perms::owner_all);
    env.vars["PATH"] = dir + ":" + std::getenv("PATH");
    return dir;
  }

  HttpResult browserPage;
};

TEST_F(CliBrowserLoginTest, NoBrowserPrintsTheUrlOnStderrThenTimesOut) {
  const auto r = gct(signIn({"--no-browser", "--login-timeout", "1", "--redirect-port", "0"}));
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_EQ(r.out, "") << "stdout is for the result only";
  const auto start = r.err.find("\n" + kAuthorize);
  ASSERT_NE(start, std::string::npos) << r.err;
  const std::string url = r.err.substr(start + 1, r.err.find('\n', start + 1) - start - 1);
  const auto p = queryParams(url);
  EXPECT_EQ(p.at("client_id"), "acme-cli");
  EXPECT_EQ(p.at("response_type"), "code");
  EXPECT_EQ(p.at("code_challenge_method"), "S256");
  EXPECT_TRUE(p.at("redirect_uri").starts_with("http://127.0.0.1:")) << url;
  EXPECT_TRUE(p.at("redirect_uri").ends_with("/callback")) << url;
  EXPECT_FALSE(p.at("state").empty());
  EXPECT_NE(std::string(lastErrorLine(r).at("message").as_string()).find("no sign-in within 1 s"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(configPath()));
}

TEST_F(CliBrowserLoginTest, AnErrorRedirectIsAnApiErrorWithTheOAuthError) {
  const auto r = signInAndRedirect("error=access_denied&error_description=The+user+denied+access.");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_EQ(r.out, "");
  const auto error = lastErrorLine(r);
  EXPECT_EQ(error.at("code"), "access_denied");
  EXPECT_EQ(error.at("message"), "The user denied access.");
  EXPECT_EQ(browserPage.status, 400);
  EXPECT_NE(browserPage.body.find("The user denied access."), std::string::npos) << browserPage.body;
  EXPECT_FALSE(std::filesystem::exists(configPath()));
}

TEST_F(CliBrowserLoginTest, AWrongStateIsRefusedWithoutUsingTheCode) {
  const auto r = signInAndRedirect("code=stolen-code&state=forged");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(std::string(lastErrorLine(r).at("message").as_string()).find("state"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("stolen-code"), std::string::npos) << "the code is never shown";
  EXPECT_EQ(browserPage.status, 400);
  EXPECT_FALSE(std::filesystem::exists(configPath()));
}

TEST_F(CliBrowserLoginTest, OpensTheBrowserWithTheUrlAsOneArgumentAndPrintsItToo) {
  const std::string dir = installOpener("printf '%s\\n' \"$#\" \"$1\" > \"$(dirname \"$0\")/opened\"");
  const auto r = gct(signIn({"--login-timeout", "1"}));
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_NE(r.err.find("open in your browser"), std::string::npos) << r.err;
  std::ifstream opened(dir + "/opened");
  std::string count, url;
  std::getline(opened, count);
  std::getline(opened, url);
  EXPECT_EQ(count, "1");
  EXPECT_TRUE(url.starts_with(kAuthorize)) << url;
  EXPECT_NE(r.err.find("\n" + url + "\n"), std::string::npos) << "the same URL, for when no browser shows up";
}

TEST_F(CliBrowserLoginTest, ABrowserThatCannotOpenLeavesTheUrlToTheUser) {
  installOpener("exit 3");
  const auto r = gct(signIn({"--login-timeout", "1"}));
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_NE(r.err.find("Could not open a browser"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\n" + kAuthorize), std::string::npos) << r.err;
}

using CliBrowserLoginServerTest = CliServerTest;

TEST_F(CliBrowserLoginServerTest, PaulSignsInTheProfileKeepsHisTokensAndLaterCommandsRenewThem) {
  CliProcess gctokens(at({"login", "--pkce", "--no-browser", "--client-id", "acme-cli"}), env);
  const std::string url = gctokens.waitForStderrLine(server->baseUrl() + "/oauth/authorize?", std::chrono::seconds(30));
  ASSERT_FALSE(url.empty()) << "no sign-in URL on stderr";
  const HttpResult shown = signInThroughTheBrowser(server->baseUrl(), url, "paul@acme.example", "paul-password");
  const CliResult r = gctokens.finish();

  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(shown.status, 200) << shown.body;
  const auto summary = parseJsonText(r.out).as_object();
  EXPECT_EQ(summary.at("grant"), "authorization_code");
  EXPECT_EQ(summary.at("refreshToken"), true);
  const std::string access = storedValue("default", "access_token");
  ASSERT_FALSE(access.empty()) << configText();
  EXPECT_EQ(r.out.find(access), std::string::npos);
  EXPECT_EQ(r.err.find(access), std::string::npos);
  EXPECT_EQ(storedValue("default", "client_id"), "acme-cli");
  EXPECT_EQ(storedValue("default", "client_secret"), "");
  EXPECT_EQ(http->head("/api/v2/tokens/me", access).status, 200);

  // An expired stored token is renewed with the refresh token and the client id alone.
  advanceClock(*http, static_cast<int>(summary.at("expiresIn").as_int64()) + 1);
  const auto me = gct({"tokens", "me", "get"});
  ASSERT_EQ(me.exitCode, 0) << me.err;
  EXPECT_EQ(parseJsonText(me.out).at("OAuthClient").at("id"), "acme-cli");
  EXPECT_NE(storedValue("default", "access_token"), access);
}

}  // namespace
}  // namespace tokens::testing
