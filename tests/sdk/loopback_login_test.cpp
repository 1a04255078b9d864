// ApiClient::loginPKCEGrantWithBrowser: the real loopback listener, a "browser" (a thread making the
// HTTP requests a browser would), and a scripted transport in place of the token endpoint.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/url/parse.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"
#include "fake_transport.h"
#include "free_port.h"
#include "http_client.h"
#include "internal/api_client_impl.h"
#include "raw_connection.h"
#include "url_query.h"

namespace PureCloudPlatformClientV2::testing {
namespace {

using namespace std::chrono_literals;
using tokens::testing::HttpClient;
using tokens::testing::HttpResult;
using tokens::testing::queryParams;
using Params = std::map<std::string, std::string>;

const std::string kTokenAnswer =
    R"({"access_token":"browser-token","token_type":"bearer","expires_in":3600,"refresh_token":"browser-refresh"})";

bool isBase64Url(const std::string& text) {
  return text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
}

class LoopbackLoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    transport = std::make_shared<FakeTransport>([](const TransportRequest& r) {
      return r.url.ends_with("/oauth/token") ? answer(200, kTokenAnswer) : answer(200, "{}");
    });
    internal::implOf(*client).setTransport(transport);
    client->setEnvironment("https://api.example.test");  // logins at https://login.example.test
  }

  /// An openUrl that plays the browser: keeps the URL, then (on its own thread, as a browser is another
  /// process) makes the requests `visit` gives for it and keeps the last answer.
  LoopbackLoginOptions browser(std::function<std::vector<std::string>(const Params&)> visit) {
    LoopbackLoginOptions options;
    options.timeout = 30s;  // a test that goes wrong fails in reasonable time
    options.openUrl = [this, visit](const std::string& url) {
      authorizeUrl = url;
      const auto urls = visit(queryParams(url));
      page = std::async(std::launch::async, [urls] {
        HttpResult last;
        for (const auto& u : urls) last = HttpClient("").get(u);
        return last;
      });
    };
    return options;
  }
  /// The redirect a server would send after a sign-in, with `query` appended (and the URL's state, unless
  /// `query` has one).
  static std::string redirect(const Params& authorize, const std::string& query) {
    const std::string state = query.find("state=") == std::string::npos ? "&state=" + authorize.at("state") : "";
    return authorize.at("redirect_uri") + "?" + query + state;
  }
  std::size_t exchanges() const { return transport->count("/oauth/token"); }

  std::shared_ptr<ApiClient> client = std::make_shared<ApiClient>();
  std::shared_ptr<FakeTransport> transport;
  std::string authorizeUrl;
  std::future<HttpResult> page;
};

TEST_F(LoopbackLoginTest, SendsTheBrowserToAuthorizeThenExchangesTheCodeWithTheVerifier) {
  auto options = browser([](const Params& p) { return std::vector{redirect(p, "code=the-code")}; });
  options.scope = "openid profile";
  const AuthData auth = client->loginPKCEGrantWithBrowser("acme-cli", options);

  // The authorize URL.
  ASSERT_TRUE(authorizeUrl.starts_with("https://login.example.test/oauth/authorize?")) << authorizeUrl;
  const Params p = queryParams(authorizeUrl);
  EXPECT_EQ(p.at("response_type"), "code");
  EXPECT_EQ(p.at("client_id"), "acme-cli");
  EXPECT_EQ(p.at("scope"), "openid profile");
  EXPECT_EQ(p.at("code_challenge_method"), "S256");
  const std::string challenge = p.at("code_challenge");
  EXPECT_EQ(challenge.size(), 43U);
  EXPECT_TRUE(isBase64Url(challenge)) << challenge;
  EXPECT_GE(p.at("state").size(), 22U) << "at least 128 bits";
  EXPECT_TRUE(isBase64Url(p.at("state")));
  const std::string redirectUri = p.at("redirect_uri");
  const auto uri = boost::urls::parse_uri(redirectUri);
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme(), "http");
  EXPECT_EQ(uri->host(), "127.0.0.1");
  EXPECT_GT(uri->port_number(), 0);
  EXPECT_EQ(uri->path(), "/callback");

  // The exchange: the code, and the verifier that the challenge was made from; no client secret.
  ASSERT_EQ(exchanges(), 1U);
  const TransportRequest exchange = transport->requests().back();
  EXPECT_EQ(exchange.url, "https://login.example.test/oauth/token");
  const Params form = queryParams("http://x/?" + exchange.body.value_or(""));
  EXPECT_EQ(form.at("grant_type"), "authorization_code");
  EXPECT_EQ(form.at("code"), "the-code");
  EXPECT_EQ(form.at("client_id"), "acme-cli");
  EXPECT_EQ(form.at("redirect_uri"), redirectUri);
  EXPECT_EQ(ApiClient::computePKCECodeChallenge(form.at("code_verifier")), challenge);
  EXPECT_EQ(headerOf(exchange, "Authorization"), "");

  // The client uses the token, keeps the refresh token, and the browser says it worked.
  EXPECT_EQ(auth.accessToken, "browser-token");
  EXPECT_EQ(client->getAuthData().accessToken, "browser-token");
  EXPECT_EQ(client->getAuthData().refreshToken, "browser-refresh");
  const HttpResult shown = page.get();
  EXPECT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("You are signed in"), std::string::npos) << shown.body;
  EXPECT_EQ(shown.header("cache-control"), "no-store");
}

TEST_F(LoopbackLoginTest, TheTokenIsRenewedWithTheRefreshTokenAsAPublicClient) {
  std::atomic<int> meCalls{0};
  transport = std::make_shared<FakeTransport>([&](const TransportRequest& r) {
    if (r.url.ends_with("/oauth/token")) {
      return r.body->starts_with("grant_type=refresh_token")
                 ? answer(200, R"({"access_token":"renewed","expires_in":3600,"refresh_token":"r2"})")
                 : answer(200, kTokenAnswer);
    }
    return ++meCalls == 1 ? answer(401) : answer(200, "{}");
  });
  internal::implOf(*client).setTransport(transport);
  client->loginPKCEGrantWithBrowser("acme-cli", browser([](const Params& p) { return std::vector{redirect(p, "code=c")}; }));
  page.get();

  TokensApi(client).getTokensMe();
  const TransportRequest renewal = transport->requests().at(2);
  EXPECT_EQ(renewal.body, "grant_type=refresh_token&refresh_token=browser-refresh&client_id=acme-cli");
  EXPECT_EQ(headerOf(renewal, "Authorization"), "");
  EXPECT_EQ(client->getAuthData().accessToken, "renewed");
}

TEST_F(LoopbackLoginTest, AWrongStateIsRefusedAndTheCodeIsNotExchanged) {
  auto options = browser([](const Params& p) { return std::vector{redirect(p, "code=stolen&state=forged")}; });
  try {
    client->loginPKCEGrantWithBrowser("acme-cli", options);
    FAIL() << "expected ApiException";
  } catch (const ApiException& e) {
    EXPECT_FALSE(e.isTransportError());
    EXPECT_EQ(e.getStatusCode(), 0);
    EXPECT_NE(std::string(e.what()).find("state"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("stolen"), std::string::npos) << "never shows the code";
  }
  EXPECT_EQ(exchanges(), 0U);
  EXPECT_EQ(client->getAuthData().accessToken, "");
  const HttpResult shown = page.get();
  EXPECT_EQ(shown.status, 400);
  EXPECT_NE(shown.body.find("Sign-in failed"), std::string::npos);
}

TEST_F(LoopbackLoginTest, AMissingStateIsRefusedToo) {
  auto options = browser([](const Params& p) { return std::vector{p.at("redirect_uri") + "?code=c"}; });
  EXPECT_THROW(client->loginPKCEGrantWithBrowser("acme-cli", options), ApiException);
  EXPECT_EQ(exchanges(), 0U);
  EXPECT_EQ(page.get().status, 400);
}

TEST_F(LoopbackLoginTest, AnErrorRedirectBecomesTheOAuthError) {
  auto options = browser([](const Params& p) {
    return std::vector{redirect(p, "error=access_denied&error_description=The+user+said+%3Cb%3Eno%3C%2Fb%3E")};
  });
  try {
    client->loginPKCEGrantWithBrowser("acme-cli", options);
    FAIL() << "expected ApiException";
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getOAuthError(), "access_denied");
    EXPECT_EQ(e.getStatusCode(), 0);
    EXPECT_FALSE(e.isTransportError());
    EXPECT_NE(std::string(e.what()).find("The user said <b>no</b>"), std::string::npos) << e.what();
    EXPECT_NE(e.getRawBody().find(R"("error_description":"The user said <b>no</b>")"), std::string::npos);
  }
  EXPECT_EQ(exchanges(), 0U);
  const HttpResult shown = page.get();
  EXPECT_EQ(shown.status, 400);
  EXPECT_NE(shown.body.find("The user said &lt;b&gt;no&lt;/b&gt;"), std::string::npos) << "escaped: " << shown.body;
  EXPECT_EQ(shown.body.find("<b>"), std::string::npos);
}

TEST_F(LoopbackLoginTest, AFailedExchangeIsThrownAndShownInTheBrowser) {
  transport = std::make_shared<FakeTransport>([](const TransportRequest&) {
    return answer(400, R"({"error":"invalid_grant","error_description":"The code has expired."})");
  });
  internal::implOf(*client).setTransport(transport);
  try {
    client->loginPKCEGrantWithBrowser("acme-cli",
                                      browser([](const Params& p) { return std::vector{redirect(p, "code=c")}; }));
    FAIL() << "expected ApiException";
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 400);
    EXPECT_EQ(e.getOAuthError(), "invalid_grant");
  }
  const HttpResult shown = page.get();
  EXPECT_EQ(shown.status, 400);
  EXPECT_NE(shown.body.find("The code has expired."), std::string::npos) << shown.body;
}

TEST_F(LoopbackLoginTest, NoRedirectInTimeIsATimeout) {
  LoopbackLoginOptions options;
  options.timeout = 1s;
  options.openUrl = [](const std::string&) {};  // the user never signs in
  const auto start = std::chrono::steady_clock::now();
  try {
    client->loginPKCEGrantWithBrowser("acme-cli", options);
    FAIL() << "expected ApiException";
  } catch (const ApiException& e) {
    EXPECT_TRUE(e.isTimeout());
    EXPECT_NE(std::string(e.what()).find("no sign-in within 1 s"), std::string::npos) << e.what();
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 1s);
  EXPECT_LT(took, 5s);
  EXPECT_EQ(exchanges(), 0U);
}

TEST_F(LoopbackLoginTest, OtherRequestsAreAnsweredAndTheWaitGoesOn) {
  std::map<std::string, long> statuses;
  std::unique_ptr<tokens::testing::RawConnection> spare;
  LoopbackLoginOptions options;
  options.timeout = 30s;
  options.openUrl = [&](const std::string& url) {
    const Params p = queryParams(url);
    const auto uri = boost::urls::parse_uri(p.at("redirect_uri"));
    const std::string root = "http://127.0.0.1:" + std::string(uri->port());
    // A browser's spare connection that never sends a request must not hold the others up.
    spare = std::make_unique<tokens::testing::RawConnection>(static_cast<std::uint16_t>(uri->port_number()));
    page = std::async(std::launch::async, [&statuses, root, signedIn = redirect(p, "code=c")] {
      HttpClient http("");
      statuses["/favicon.ico"] = http.get(root + "/favicon.ico").status;
      statuses["/other"] = http.get(root + "/other?code=c").status;
      statuses["POST /callback"] = http.request("POST", root + "/callback", {}, std::string("code=c")).status;
      return http.get(signedIn);
    });
  };
  EXPECT_EQ(client->loginPKCEGrantWithBrowser("acme-cli", options).accessToken, "browser-token");
  EXPECT_EQ(page.get().status, 200);
  EXPECT_EQ(statuses["/favicon.ico"], 404);
  EXPECT_EQ(statuses["/other"], 404);
  EXPECT_EQ(statuses["POST /callback"], 405);
  EXPECT_EQ(exchanges(), 1U);
}

TEST_F(LoopbackLoginTest, AFixedPortIsUsedAndABusyOneIsAnError) {
  const int port = tokens::testing::freeLoopbackPort();
  auto options = browser([](const Params& p) { return std::vector{redirect(p, "code=c")}; });
  options.port = port;
  options.redirectPath = "/native/done";
  client->loginPKCEGrantWithBrowser("acme-cli", options);
  EXPECT_EQ(queryParams(authorizeUrl).at("redirect_uri"), "http://127.0.0.1:" + std::to_string(port) + "/native/done");
  EXPECT_EQ(page.get().status, 200);

  // Another program listening on the port.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  options.port = ntohs(addr.sin_port);
  bool opened = false;
  options.openUrl = [&](const std::string&) { opened = true; };
  EXPECT_THROW(client->loginPKCEGrantWithBrowser("acme-cli", options), std::runtime_error);
  EXPECT_FALSE(opened);
  ::close(fd);
}

TEST_F(LoopbackLoginTest, BadOptionsAreRefusedBeforeAnything) {
  bool opened = false;
  LoopbackLoginOptions options;
  options.openUrl = [&](const std::string&) { opened = true; };
  EXPECT_THROW(client->loginPKCEGrantWithBrowser("", options), std::invalid_argument);
  for (const char* path : {"", "callback", "/call back", "/callback?x=1", "/callback#f"}) {
    auto bad = options;
    bad.redirectPath = path;
    EXPECT_THROW(client->loginPKCEGrantWithBrowser("acme-cli", bad), std::invalid_argument) << path;
  }
  auto badPort = options;
  badPort.port = 65536;
  EXPECT_THROW(client->loginPKCEGrantWithBrowser("acme-cli", badPort), std::invalid_argument);
  auto badTimeout = options;
  badTimeout.timeout = 0s;
  EXPECT_THROW(client->loginPKCEGrantWithBrowser("acme-cli", badTimeout), std::invalid_argument);
  EXPECT_FALSE(opened);
}

#ifdef __linux__
// The system opener, replaced by a script of the same name first on PATH.
class SystemBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gct-opener-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    oldPath = std::getenv("PATH");
    ::setenv("PATH", (dir.string() + ":" + oldPath).c_str(), 1);
  }
  void TearDown() override {
    ::setenv("PATH", oldPath.c_str(), 1);
    std::filesystem::remove_all(dir);
  }
  void writeOpener(const std::string& body) {
    const auto path = dir / "xdg-open";
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  }
  std::filesystem::path dir;
  std::string oldPath;
};

TEST_F(SystemBrowserTest, TheUrlReachesTheOpenerAsOneArgumentWithoutAShell) {
  const auto record = dir / "args";
  writeOpener("printf '%s\\n' \"$#\" \"$1\" > '" + record.string() + "'");
  const std::string pwned = (dir / "pwned").string();
  const std::string url = "https://login.example.test/oauth/authorize?a=1&b=$(touch " + pwned + ");c=`id`|d'\"";
  openInSystemBrowser(url);
  std::ifstream in(record);
  std::string count, got;
  std::getline(in, count);
  std::getline(in, got);
  EXPECT_EQ(count, "1");
  EXPECT_EQ(got, url);
  EXPECT_FALSE(std::filesystem::exists(pwned));
}

// A browser started by the opener outlives it; had it inherited the listening socket, the port would stay
// taken after the sign-in (found in review: Asio opens sockets without SOCK_CLOEXEC).
TEST_F(SystemBrowserTest, TheOpenersChildrenDoNotInheritTheListeningSocket) {
  writeOpener("sleep 3 >/dev/null 2>&1 &\nexit 0");
  auto client = std::make_shared<ApiClient>();
  client->setEnvironment("https://api.example.test");
  LoopbackLoginOptions options;
  options.port = tokens::testing::freeLoopbackPort();
  options.timeout = 1s;
  EXPECT_THROW(client->loginPKCEGrantWithBrowser("acme-cli", options), ApiException);  // nobody comes back
  options.openUrl = [](const std::string&) {};
  // A timeout again, not "cannot listen": the port is free while the opener's child still runs.
  EXPECT_THROW(client->loginPKCEGrantWithBrowser("acme-cli", options), ApiException);
}

TEST_F(SystemBrowserTest, AnOpenerThatFailsIsAnError) {
  writeOpener("exit 3");
  EXPECT_THROW(openInSystemBrowser("https://login.example.test/"), std::runtime_error);
}
#endif

}  // namespace
}  // namespace PureCloudPlatformClientV2::testing
