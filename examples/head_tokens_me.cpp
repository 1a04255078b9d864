// headTokensMe: the C++ twin of the seed docs' example (HEAD /api/v2/tokens/me).
//
//   GENESYSCLOUD_API_REGION=http://127.0.0.1:8080 GENESYSCLOUD_ACCESS_TOKEN=... example_head_tokens_me
//
// Exit code 0 when the token is valid, 1 on ApiException (a revoked, expired or unknown token: 401).

#include <cstdlib>
#include <iostream>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"

using namespace PureCloudPlatformClientV2;

int main() {
  // Configure OAuth2 access token for authorization: PureCloud OAuth
  const char* accessToken = std::getenv("GENESYSCLOUD_ACCESS_TOKEN");
  ApiClient::getDefault()->setAccessToken(accessToken && *accessToken ? accessToken : "YOUR_ACCESS_TOKEN");

  // create an instance of the API class
  TokensApi apiInstance;

  try {
    // Verify user token
    apiInstance.headTokensMe();
    std::cout << "TokensApi->headTokensMe was successful\n";
  } catch (const ApiException& e) {
    // A HEAD answer has no body: the status and the correlation id are all there is.
    std::cerr << "Exception when calling TokensApi->headTokensMe: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
