#include "PureCloudPlatformClientV2/TokensApi.h"

#include "PureCloudPlatformClientV2/model/Json.h"
#include "internal/api_client_impl.h"

namespace PureCloudPlatformClientV2 {

using internal::ApiCall;
using internal::ApiResult;

namespace {

// ---- the calls, one description each, used by the blocking and the asynchronous forms alike ----

ApiCall deleteTokenCall(const std::string& userId) {
  if (userId.empty()) throw std::invalid_argument("deleteToken: userId is required");
  return {"DELETE", "/api/v2/tokens/" + internal::percentEncode(userId), "", std::nullopt, nullptr};
}
ApiCall deleteTokensMeCall() { return {"DELETE", "/api/v2/tokens/me", "", std::nullopt, nullptr}; }
ApiCall getTokensMeCall(std::optional<bool> preserveIdleTTL) {
  std::string query;
  if (preserveIdleTTL) query = *preserveIdleTTL ? "preserveIdleTTL=true" : "preserveIdleTTL=false";
  return {"GET", "/api/v2/tokens/me", std::move(query), std::nullopt, nullptr};
}
ApiCall getTokensTimeoutCall() { return {"GET", "/api/v2/tokens/timeout", "", std::nullopt, nullptr}; }
ApiCall headTokensMeCall() { return {"HEAD", "/api/v2/tokens/me", "", std::nullopt, nullptr}; }
ApiCall putTokensTimeoutCall(const std::optional<IdleTokenTimeout>& body) {
  return {"PUT", "/api/v2/tokens/timeout", "", body ? std::optional(toJson(*body)) : std::nullopt, nullptr};
}

template <class Model>
Model parseBody(const ApiResult& r, const char* operation) {
  JsonError error;
  auto model = fromJson<Model>(r.body, &error);
  if (!model)
    throw ApiException(ApiException::Kind::HttpError, r.status,
                       std::string(operation) + ": the answer is not the expected JSON (" + error.fieldName + " " +
                           error.message + ")",
                       r.body, r.headers);
  return std::move(*model);
}

ApiResult run(const std::shared_ptr<ApiClient>& client, ApiCall call, const CallOptions& options) {
  call.options = &options;
  return internal::implOf(*client).execute(call);
}

template <class Model>
ApiResponse<Model> runWithBody(const std::shared_ptr<ApiClient>& client, ApiCall call, const CallOptions& options,
                               const char* operation) {
  auto result = run(client, std::move(call), options);
  auto body = parseBody<Model>(result, operation);
  return {result.status, std::move(result.headers), std::move(body)};
}

ApiResponse<void> runWithoutBody(const std::shared_ptr<ApiClient>& client, ApiCall call, const CallOptions& options) {
  auto result = run(client, std::move(call), options);
  return {result.status, std::move(result.headers)};
}

template <class Model>
void runAsync(const std::shared_ptr<ApiClient>& client, ApiCall call, const CallOptions& options, const char* operation,
              TokensApi::Callback<Model> callback) {
  internal::implOf(*client).executeAsync(
      std::move(call), options, [callback = std::move(callback), operation](std::exception_ptr error, ApiResult result) {
        Model model{};
        if (!error) {
          try {
            model = parseBody<Model>(result, operation);
          } catch (...) {
            error = std::current_exception();
          }
        }
        callback(error, std::move(model));
      });
}

void runAsync(const std::shared_ptr<ApiClient>& client, ApiCall call, const CallOptions& options,
              TokensApi::VoidCallback callback) {
  internal::implOf(*client).executeAsync(
      std::move(call), options, [callback = std::move(callback)](std::exception_ptr error, ApiResult) { callback(error); });
}

template <class Model>
std::future<Model> futureOf(const std::shared_ptr<ApiClient>& client, ApiCall call, const CallOptions& options,
                            const char* operation) {
  auto promise = std::make_shared<std::promise<Model>>();
  auto future = promise->get_future();
  runAsync<Model>(client, std::move(call), options, operation, [promise](std::exception_ptr error, Model model) {
    if (error)
      promise->set_exception(error);
    else
      promise->set_value(std::move(model));
  });
  return future;
}

std::future<void> futureOf(const std::shared_ptr<ApiClient>& client, ApiCall call, const CallOptions& options) {
  auto promise = std::make_shared<std::promise<void>>();
  auto future = promise->get_future();
  runAsync(client, std::move(call), options, [promise](std::exception_ptr error) {
    if (error)
      promise->set_exception(error);
    else
      promise->set_value();
  });
  return future;
}

}  // namespace

TokensApi::TokensApi() : TokensApi(ApiClient::getDefault()) {}
TokensApi::TokensApi(std::shared_ptr<ApiClient> apiClient) : apiClient_(std::move(apiClient)) {}

TokensApi TokensApi::withCallOptions(CallOptions options) const {
  TokensApi copy(*this);
  copy.options_ = std::move(options);
  return copy;
}

// deleteToken
ApiResponse<void> TokensApi::deleteTokenWithHttpInfo(const std::string& userId) {
  return runWithoutBody(apiClient_, deleteTokenCall(userId), options_);
}
void TokensApi::deleteToken(const std::string& userId) { deleteTokenWithHttpInfo(userId); }
std::future<void> TokensApi::deleteTokenAsync(const std::string& userId) {
  return futureOf(apiClient_, deleteTokenCall(userId), options_);
}
void TokensApi::deleteTokenAsync(const std::string& userId, VoidCallback callback) {
  runAsync(apiClient_, deleteTokenCall(userId), options_, std::move(callback));
}

// deleteTokensMe
ApiResponse<void> TokensApi::deleteTokensMeWithHttpInfo() { return runWithoutBody(apiClient_, deleteTokensMeCall(), options_); }
void TokensApi::deleteTokensMe() { deleteTokensMeWithHttpInfo(); }
std::future<void> TokensApi::deleteTokensMeAsync() { return futureOf(apiClient_, deleteTokensMeCall(), options_); }
void TokensApi::deleteTokensMeAsync(VoidCallback callback) {
  runAsync(apiClient_, deleteTokensMeCall(), options_, std::move(callback));
}

// getTokensMe
ApiResponse<TokenInfo> TokensApi::getTokensMeWithHttpInfo(std::optional<bool> preserveIdleTTL) {
  return runWithBody<TokenInfo>(apiClient_, getTokensMeCall(preserveIdleTTL), options_, "getTokensMe");
}
TokenInfo TokensApi::getTokensMe(std::optional<bool> preserveIdleTTL) {
  return std::move(getTokensMeWithHttpInfo(preserveIdleTTL).getBody());
}
std::future<TokenInfo> TokensApi::getTokensMeAsync(std::optional<bool> preserveIdleTTL) {
  return futureOf<TokenInfo>(apiClient_, getTokensMeCall(preserveIdleTTL), options_, "getTokensMe");
}
void TokensApi::getTokensMeAsync(std::optional<bool> preserveIdleTTL, Callback<TokenInfo> callback) {
  runAsync<TokenInfo>(apiClient_, getTokensMeCall(preserveIdleTTL), options_, "getTokensMe", std::move(callback));
}

// getTokensTimeout
ApiResponse<IdleTokenTimeout> TokensApi::getTokensTimeoutWithHttpInfo() {
  return runWithBody<IdleTokenTimeout>(apiClient_, getTokensTimeoutCall(), options_, "getTokensTimeout");
}
IdleTokenTimeout TokensApi::getTokensTimeout() { return std::move(getTokensTimeoutWithHttpInfo().getBody()); }
std::future<IdleTokenTimeout> TokensApi::getTokensTimeoutAsync() {
  return futureOf<IdleTokenTimeout>(apiClient_, getTokensTimeoutCall(), options_, "getTokensTimeout");
}
void TokensApi::getTokensTimeoutAsync(Callback<IdleTokenTimeout> callback) {
  runAsync<IdleTokenTimeout>(apiClient_, getTokensTimeoutCall(), options_, "getTokensTimeout", std::move(callback));
}

// headTokensMe
ApiResponse<void> TokensApi::headTokensMeWithHttpInfo() { return runWithoutBody(apiClient_, headTokensMeCall(), options_); }
void TokensApi::headTokensMe() { headTokensMeWithHttpInfo(); }
std::future<void> TokensApi::headTokensMeAsync() { return futureOf(apiClient_, headTokensMeCall(), options_); }
void TokensApi::headTokensMeAsync(VoidCallback callback) {
  runAsync(apiClient_, headTokensMeCall(), options_, std::move(callback));
}

// putTokensTimeout
ApiResponse<IdleTokenTimeout> TokensApi::putTokensTimeoutWithHttpInfo(std::optional<IdleTokenTimeout> body) {
  return runWithBody<IdleTokenTimeout>(apiClient_, putTokensTimeoutCall(body), options_, "putTokensTimeout");
}
IdleTokenTimeout TokensApi::putTokensTimeout(std::optional<IdleTokenTimeout> body) {
  return std::move(putTokensTimeoutWithHttpInfo(std::move(body)).getBody());
}
std::future<IdleTokenTimeout> TokensApi::putTokensTimeoutAsync(std::optional<IdleTokenTimeout> body) {
  return futureOf<IdleTokenTimeout>(apiClient_, putTokensTimeoutCall(body), options_, "putTokensTimeout");
}
void TokensApi::putTokensTimeoutAsync(std::optional<IdleTokenTimeout> body, Callback<IdleTokenTimeout> callback) {
  runAsync<IdleTokenTimeout>(apiClient_, putTokensTimeoutCall(body), options_, "putTokensTimeout", std::move(callback));
}

}  // namespace PureCloudPlatformClientV2
