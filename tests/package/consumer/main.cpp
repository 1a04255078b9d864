// Uses the installed SDK; fails to compile if the public headers brought Boost, curl or a JSON
// library's headers along.
#include <PureCloudPlatformClientV2/PureCloudPlatformClientV2.h>

#include <cstdlib>
#include <iostream>

#if defined(BOOST_VERSION) || defined(CURLINC_CURL_H) || defined(BOOST_JSON_VALUE_HPP) || defined(SODIUM_H)
#error "a public SDK header included a dependency's header"
#endif

using namespace PureCloudPlatformClientV2;

int main() {
  auto client = std::make_shared<ApiClient>();
  client->setEnvironment(Region::eu_west_1);
  if (client->getLoginBasePath() != "https://login.mypurecloud.ie") return 1;
  IdleTokenTimeout setting;
  setting.idleTokenTimeoutSeconds = 900;
  if (toJson(setting) != R"({"idleTokenTimeoutSeconds":900})") return 2;
  // A real call, when a server is given (the test passes the one it started).
  if (const char* base = std::getenv("CONSUMER_BASE_URL")) {
    client->setEnvironment(base);
    client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
    const TokenInfo info = TokensApi(client).getTokensMe();
    std::cout << *info.organization->name << '\n';
  }
  std::cout << "ok\n";
  return 0;
}
