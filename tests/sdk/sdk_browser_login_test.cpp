// loginPKCEGrantWithBrowser against the real tokens-server: its login page, its code grant and the demo's
// public client acme-cli (registered with http://127.0.0.1/callback, any port). The test's Browser
// (tests/integration/browser_login.h) plays the user.

#include <gtest/gtest.h>

#include <future>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"
#include "api_test_support.h"
#include "loopback_sign_in.h"

namespace tokens::testing {
namespace {

namespace pc = PureCloudPlatformClientV2;
using namespace std::chrono_literals;

TEST(SdkBrowserLoginTest, PaulSignsInOnTheLoginPageThenTheClientUsesAndRenewsHisToken) {
  const auto server = startServer();
  HttpClient http(server->baseUrl());
  auto client = std::make_shared<pc::ApiClient>();
  client->setEnvironment(server->baseUrl());

  std::future<HttpResult> page;
  pc::LoopbackLoginOptions options;
  options.timeout = 30s;
  options.openUrl = [&](const std::string& url) {
    page = std::async(std::launch::async, [url, base = server->baseUrl()] {
      return signInThroughTheBrowser(base, url, "paul@acme.example", "paul-password");
    });
  };
  const pc::AuthData auth = client->loginPKCEGrantWithBrowser("acme-cli", options);
  const HttpResult shown = page.get();
  EXPECT_EQ(shown.status, 200) << shown.body;
  EXPECT_FALSE(auth.refreshToken.empty());

  pc::TokensApi api(client);
  EXPECT_EQ(*api.getTokensMe().OAuthClient->id, "acme-cli");

  // Once the token has expired, the client renews it as a public client (refresh token and client id).
  advanceClock(http, auth.expiresIn + 1);
  EXPECT_EQ(*api.getTokensMe().OAuthClient->id, "acme-cli");
  EXPECT_NE(client->getAuthData().accessToken, auth.accessToken);
}

}  // namespace
}  // namespace tokens::testing
