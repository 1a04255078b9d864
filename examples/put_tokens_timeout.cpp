// putTokensTimeout: the C++ twin of the seed docs' example (PUT /api/v2/tokens/timeout).
//
//   GENESYSCLOUD_API_REGION=http://127.0.0.1:8080 GENESYSCLOUD_ACCESS_TOKEN=... example_put_tokens_timeout ['JSON']
//
// Without an argument it enables a 30-minute idle timeout; with one, the argument is the IdleTokenTimeout
// as JSON, e.g. '{"idleTokenTimeoutSeconds": 900, "enableIdleTokenTimeout": true}'. Prints the stored
// setting as JSON. Exit code 0 on success, 1 on ApiException, 2 for an argument that is not that JSON.

#include <cstdlib>
#include <iostream>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"

using namespace PureCloudPlatformClientV2;

int main(int argc, char* argv[]) {
  // Configure OAuth2 access token for authorization: PureCloud OAuth
  const char* accessToken = std::getenv("GENESYSCLOUD_ACCESS_TOKEN");
  ApiClient::getDefault()->setAccessToken(accessToken && *accessToken ? accessToken : "YOUR_ACCESS_TOKEN");

  // create an instance of the API class
  TokensApi apiInstance;
  IdleTokenTimeout body;  // IdleTokenTimeout |  (optional)
  if (argc > 1) {
    JsonError error;
    const auto parsed = fromJson<IdleTokenTimeout>(argv[1], &error);
    if (!parsed) {
      std::cerr << "not an IdleTokenTimeout: " << (error.fieldName.empty() ? "" : error.fieldName + " ")
                << error.message << "\n";
      return 2;
    }
    body = *parsed;
  } else {
    body.idleTokenTimeoutSeconds = 1800;
    body.enableIdleTokenTimeout = true;
  }

  try {
    // Update or Enable/Disable the Idle Token Timeout
    const IdleTokenTimeout result = apiInstance.putTokensTimeout(body);
    std::cout << toJson(result) << "\n";
  } catch (const ApiException& e) {
    std::cerr << "Exception when calling TokensApi->putTokensTimeout: " << e.what() << "\n";
    if (e.getErrorBody()) std::cerr << toJson(*e.getErrorBody()) << "\n";
    return 1;
  }
  return 0;
}
