// deleteToken: the C++ twin of the seed docs' example (DELETE /api/v2/tokens/{userId}).
//
//   GENESYSCLOUD_API_REGION=http://127.0.0.1:8080 GENESYSCLOUD_ACCESS_TOKEN=... example_delete_token USER_ID
//
// Exit code 0 when the user's tokens were deleted, 1 on ApiException.

#include <cstdlib>
#include <iostream>
#include <string>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"

using namespace PureCloudPlatformClientV2;

int main(int argc, char* argv[]) {
  // Configure OAuth2 access token for authorization: PureCloud OAuth
  const char* accessToken = std::getenv("GENESYSCLOUD_ACCESS_TOKEN");
  ApiClient::getDefault()->setAccessToken(accessToken && *accessToken ? accessToken : "YOUR_ACCESS_TOKEN");

  // create an instance of the API class
  TokensApi apiInstance;
  const std::string userId = argc > 1 ? argv[1] : "userId_example";  // std::string | User ID

  try {
    // Delete all auth tokens for the specified user.
    apiInstance.deleteToken(userId);
    std::cout << "TokensApi->deleteToken was successful\n";
  } catch (const ApiException& e) {
    std::cerr << "Exception when calling TokensApi->deleteToken: " << e.what() << "\n";
    if (e.getErrorBody()) std::cerr << toJson(*e.getErrorBody()) << "\n";
    return 1;
  }
  return 0;
}
