#include "PureCloudPlatformClientV2/TokensApi.h"

#include "PureCloudPlatformClientV2/model/Json.h"
#include "internal/api_client_impl.h"

namespace PureCloudPlatformClientV2 {

using internal::ApiCall;
using internal::ApiResult;

namespace {

template <class Model>
Model parseBody(const ApiResult& r, const std::string& what) {
  JsonError error;
  auto model = fromJson<Model>(r.body, &error);
  if (!model)
    throw ApiException(ApiException::Kind::HttpError, r.status,
                       what + ": the answer is not the expected JSON (" + error.fieldName + " " + error.message + ")",
                       r.body, r.headers);
  return std::move(*model);
}

}  // namespace

TokensApi::TokensApi() : TokensApi(ApiClient::getDefault()) {}
TokensApi::TokensApi(std::shared_ptr<ApiClient> apiClient) : apiClient_(std::move(apiClient)) {}

TokensApi TokensApi::withCallOptions(CallOptions options) const {
  TokensApi copy(*this);
  copy.options_ = std::move(options);
  return copy;
}

ApiResponse<void> TokensApi::deleteTokenWithHttpInfo(const std::string& userId) {
  if (userId.empty()) throw std::invalid_argument("deleteToken: userId is required");
  auto r = apiClient_->impl().execute(
      ApiCall{"DELETE", "/api/v2/tokens/" + internal::percentEncode(userId), "", std::nullopt, &options_});
  return {r.status, std::move(r.headers)};
}
void TokensApi::deleteToken(const std::string& userId) { deleteTokenWithHttpInfo(userId); }

ApiResponse<void> TokensApi::deleteTokensMeWithHttpInfo() {
  auto r = apiClient_->impl().execute(ApiCall{"DELETE", "/api/v2/tokens/me", "", std::nullopt, &options_});
  return {r.status, std::move(r.headers)};
}
void TokensApi::deleteTokensMe() { deleteTokensMeWithHttpInfo(); }

ApiResponse<TokenInfo> TokensApi::getTokensMeWithHttpInfo(std::optional<bool> preserveIdleTTL) {
  std::string query;
  if (preserveIdleTTL) query = *preserveIdleTTL ? "preserveIdleTTL=true" : "preserveIdleTTL=false";
  auto r = apiClient_->impl().execute(ApiCall{"GET", "/api/v2/tokens/me", query, std::nullopt, &options_});
  auto body = parseBody<TokenInfo>(r, "getTokensMe");
  return {r.status, std::move(r.headers), std::move(body)};
}
TokenInfo TokensApi::getTokensMe(std::optional<bool> preserveIdleTTL) {
  return getTokensMeWithHttpInfo(preserveIdleTTL).getBody();
}

ApiResponse<IdleTokenTimeout> TokensApi::getTokensTimeoutWithHttpInfo() {
  auto r = apiClient_->impl().execute(ApiCall{"GET", "/api/v2/tokens/timeout", "", std::nullopt, &options_});
  auto body = parseBody<IdleTokenTimeout>(r, "getTokensTimeout");
  return {r.status, std::move(r.headers), std::move(body)};
}
IdleTokenTimeout TokensApi::getTokensTimeout() { return getTokensTimeoutWithHttpInfo().getBody(); }

ApiResponse<void> TokensApi::headTokensMeWithHttpInfo() {
  auto r = apiClient_->impl().execute(ApiCall{"HEAD", "/api/v2/tokens/me", "", std::nullopt, &options_});
  return {r.status, std::move(r.headers)};
}
void TokensApi::headTokensMe() { headTokensMeWithHttpInfo(); }

ApiResponse<IdleTokenTimeout> TokensApi::putTokensTimeoutWithHttpInfo(std::optional<IdleTokenTimeout> body) {
  auto r = apiClient_->impl().execute(
      ApiCall{"PUT", "/api/v2/tokens/timeout", "", body ? std::optional(toJson(*body)) : std::nullopt, &options_});
  auto stored = parseBody<IdleTokenTimeout>(r, "putTokensTimeout");
  return {r.status, std::move(r.headers), std::move(stored)};
}
IdleTokenTimeout TokensApi::putTokensTimeout(std::optional<IdleTokenTimeout> body) {
  return putTokensTimeoutWithHttpInfo(std::move(body)).getBody();
}

}  // namespace PureCloudPlatformClientV2
