#pragma once
// TokensApi: the six operations of the Genesys Cloud Tokens API. Every operation throws ApiException
// when it does not succeed. Thread-safe, cheap to copy.
//
// Each operation comes three ways: blocking (`getTokensMe`), with its HTTP details
// (`getTokensMeWithHttpInfo`), and asynchronous (`getTokensMeAsync`), either as a std::future (get()
// rethrows the ApiException) or with a callback. Asynchronous calls run on the ApiClient's one I/O thread
// (a curl multi event loop), which also runs the callbacks: keep them short and never block in them.

#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "PureCloudPlatformClientV2/ApiClient.h"
#include "PureCloudPlatformClientV2/ApiException.h"
#include "PureCloudPlatformClientV2/ApiResponse.h"
#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "PureCloudPlatformClientV2/model/TokenInfo.h"

namespace PureCloudPlatformClientV2 {

class TokensApi {
 public:
  /// Uses ApiClient::getDefault().
  TokensApi();
  explicit TokensApi(std::shared_ptr<ApiClient> apiClient);

  /// Callbacks of the asynchronous forms: `error` is null on success, else holds the ApiException.
  template <class T>
  using Callback = std::function<void(std::exception_ptr error, T result)>;
  using VoidCallback = std::function<void(std::exception_ptr error)>;

  /// A copy whose calls use these timeouts and retry settings instead of the client's.
  TokensApi withCallOptions(CallOptions options) const;
  std::shared_ptr<ApiClient> getApiClient() const { return apiClient_; }

  /// Delete all auth tokens for the specified user. DELETE /api/v2/tokens/{userId}.
  /// Requires ANY permissions: oauth:token:delete
  void deleteToken(const std::string& userId);
  ApiResponse<void> deleteTokenWithHttpInfo(const std::string& userId);
  std::future<void> deleteTokenAsync(const std::string& userId);
  void deleteTokenAsync(const std::string& userId, VoidCallback callback);

  /// Delete auth token used to make the request. DELETE /api/v2/tokens/me.
  void deleteTokensMe();
  ApiResponse<void> deleteTokensMeWithHttpInfo();
  std::future<void> deleteTokensMeAsync();
  void deleteTokensMeAsync(VoidCallback callback);

  /// Fetch information about the current token. GET /api/v2/tokens/me.
  /// @param preserveIdleTTL if true, the idle token timeout is not reset by this call.
  TokenInfo getTokensMe(std::optional<bool> preserveIdleTTL = std::nullopt);
  ApiResponse<TokenInfo> getTokensMeWithHttpInfo(std::optional<bool> preserveIdleTTL = std::nullopt);
  std::future<TokenInfo> getTokensMeAsync(std::optional<bool> preserveIdleTTL = std::nullopt);
  void getTokensMeAsync(std::optional<bool> preserveIdleTTL, Callback<TokenInfo> callback);

  /// Get the current Idle Token Timeout Value. GET /api/v2/tokens/timeout.
  IdleTokenTimeout getTokensTimeout();
  ApiResponse<IdleTokenTimeout> getTokensTimeoutWithHttpInfo();
  std::future<IdleTokenTimeout> getTokensTimeoutAsync();
  void getTokensTimeoutAsync(Callback<IdleTokenTimeout> callback);

  /// Verify user token. HEAD /api/v2/tokens/me.
  void headTokensMe();
  ApiResponse<void> headTokensMeWithHttpInfo();
  std::future<void> headTokensMeAsync();
  void headTokensMeAsync(VoidCallback callback);

  /// Update or Enable/Disable the Idle Token Timeout. PUT /api/v2/tokens/timeout.
  /// Requires ANY permissions: directory:organization:admin
  IdleTokenTimeout putTokensTimeout(std::optional<IdleTokenTimeout> body = std::nullopt);
  ApiResponse<IdleTokenTimeout> putTokensTimeoutWithHttpInfo(std::optional<IdleTokenTimeout> body = std::nullopt);
  std::future<IdleTokenTimeout> putTokensTimeoutAsync(std::optional<IdleTokenTimeout> body = std::nullopt);
  void putTokensTimeoutAsync(std::optional<IdleTokenTimeout> body, Callback<IdleTokenTimeout> callback);

 private:
  std::shared_ptr<ApiClient> apiClient_;
  CallOptions options_;
};

}  // namespace PureCloudPlatformClientV2
