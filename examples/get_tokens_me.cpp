// getTokensMe: the C++ twin of the seed docs' example (GET /api/v2/tokens/me).
//
//   GENESYSCLOUD_API_REGION=http://127.0.0.1:8080 GENESYSCLOUD_ACCESS_TOKEN=... example_get_tokens_me [true|false]
//
// Prints the TokenInfo as JSON. Exit code 0 on success, 1 on ApiException, 2 for a bad argument.

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"

using namespace PureCloudPlatformClientV2;

int main(int argc, char* argv[]) {
  // Configure OAuth2 access token for authorization: PureCloud OAuth
  const char* accessToken = std::getenv("GENESYSCLOUD_ACCESS_TOKEN");
  ApiClient::getDefault()->setAccessToken(accessToken && *accessToken ? accessToken : "YOUR_ACCESS_TOKEN");

  // create an instance of the API class
  TokensApi apiInstance;
  // std::optional<bool> | preserveIdleTTL indicates whether the idle token timeout should be reset or
  // preserved. If preserveIdleTTL is true, then TTL value is not reset. If unset or false, the value is
  // reset. (optional; unset when no argument is given)
  std::optional<bool> preserveIdleTTL;
  if (argc > 1) {
    const std::string arg = argv[1];
    if (arg != "true" && arg != "false") {
      std::cerr << "usage: " << argv[0] << " [true|false]\n";
      return 2;
    }
    preserveIdleTTL = arg == "true";
  }

  try {
    // Fetch information about the current token
    const TokenInfo result = apiInstance.getTokensMe(preserveIdleTTL);
    std::cout << toJson(result) << "\n";
  } catch (const ApiException& e) {
    std::cerr << "Exception when calling TokensApi->getTokensMe: " << e.what() << "\n";
    if (e.getErrorBody()) std::cerr << toJson(*e.getErrorBody()) << "\n";
    return 1;
  }
  return 0;
}
