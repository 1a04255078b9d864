#pragma once
#include <chrono>
#include <string>

namespace PureCloudPlatformClientV2 {

/// What a login gives: the token the client now uses, and when it expires.
struct AuthData {
  std::string accessToken;
  std::string refreshToken;  ///< empty when the grant gave none
  std::string tokenType = "bearer";
  int expiresIn = 0;  ///< seconds, as the server said
  std::chrono::system_clock::time_point tokenExpiryTime{};
};

}  // namespace PureCloudPlatformClientV2
