// getTokensTimeout: the C++ twin of the seed docs' example (GET /api/v2/tokens/timeout).
//
//   GENESYSCLOUD_API_REGION=http://127.0.0.1:8080 GENESYSCLOUD_ACCESS_TOKEN=... example_get_tokens_timeout
//
// Prints the IdleTokenTimeout as JSON. Exit code 0 on success, 1 on ApiException.

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
    // Get the current Idle Token Timeout Value
    const IdleTokenTimeout result = apiInstance.getTokensTimeout();
    std::cout << toJson(result) << "\n";
  } catch (const ApiException& e) {
    std::cerr << "Exception when calling TokensApi->getTokensTimeout: " << e.what() << "\n";
    if (e.getErrorBody()) std::cerr << toJson(*e.getErrorBody()) << "\n";
    return 1;
  }
  return 0;
}
