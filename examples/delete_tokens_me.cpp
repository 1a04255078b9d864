// deleteTokensMe: the C++ twin of the seed docs' example (DELETE /api/v2/tokens/me).
//
//   GENESYSCLOUD_API_REGION=http://127.0.0.1:8080 GENESYSCLOUD_ACCESS_TOKEN=... example_delete_tokens_me
//
// Exit code 0 when the calling token was deleted, 1 on ApiException.

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
    // Delete auth token used to make the request.
    apiInstance.deleteTokensMe();
    std::cout << "TokensApi->deleteTokensMe was successful\n";
  } catch (const ApiException& e) {
    std::cerr << "Exception when calling TokensApi->deleteTokensMe: " << e.what() << "\n";
    if (e.getErrorBody()) std::cerr << toJson(*e.getErrorBody()) << "\n";
    return 1;
  }
  return 0;
}
