#pragma once
// Not public API. The engine behind ApiClient: its settings, the one blocking retry loop that API calls
// and logins alike go through, and the asynchronous calls. The token and its renewal are kept by
// TokenKeeper (internal/token_keeper.h); what goes to /oauth/token and comes back, in internal/grants.h.

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "PureCloudPlatformClientV2/AuthData.h"
#include "PureCloudPlatformClientV2/Configuration.h"
#include "internal/grants.h"
#include "internal/retry_policy.h"
#include "internal/sdk_logger.h"
#include "internal/token_keeper.h"
#include "internal/transport.h"

namespace PureCloudPlatformClientV2 {
class ApiClient;
}

namespace PureCloudPlatformClientV2::internal {

/// One API call as TokensApi describes it.
struct ApiCall {
  std::string method;
  std::string path;   ///< e.g. "/api/v2/tokens/me", already encoded
  std::string query;  ///< encoded, without '?'
  std::optional<std::string> jsonBody;
  const CallOptions* options = nullptr;
};

struct ApiResult {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

class ApiClientImpl : public std::enable_shared_from_this<ApiClientImpl> {
 public:
  ApiClientImpl();

  // Where.
  void setEnvironment(const std::string& hostOrBaseUrl);
  void setGateway(const GatewayConfig& gateway);
  std::string basePath() const;
  std::string loginBasePath() const;

  // Who: the token, kept by TokenKeeper.
  void setAccessToken(const std::string& token) { token_.setAccessToken(token); }
  AuthData authData() const { return token_.authData(); }
  void setAuthData(const AuthData& data, const std::string& clientId, const std::string& clientSecret) {
    token_.setAuthData(data, clientId, clientSecret);
  }
  void setTokenRenewedCallback(std::function<void(const AuthData&)> callback) {
    token_.setRenewedCallback(std::move(callback));
  }
  void setDeferredClientCredentials(const std::string& clientId, const std::string& clientSecret) {
    token_.setDeferredClientCredentials(clientId, clientSecret);
  }
  /// Performs a grant, makes its token the client's, and keeps what renewing it needs.
  AuthData login(const GrantRequest& grant);
  void setShouldRefreshAccessToken(bool refresh);
  void setTokenRenewalMargin(std::chrono::seconds margin);
  void setRefreshWaitMax(std::chrono::seconds wait);

  // How.
  void setRetryConfig(const RetryConfig& config);
  RetryConfig retryConfig() const;
  void setTimeouts(const TimeoutConfig& config);
  TimeoutConfig timeouts() const;
  void setLoggingConfig(const LoggingConfig& config) { logger_.configure(config); }
  void setTlsConfig(const TlsConfig& config);
  void setProxy(const ProxyConfig& config);
  void setDefaultHeader(const std::string& name, const std::string& value);
  void setUserAgent(const std::string& userAgent);
  void addPreRequestHook(PreRequestHook hook);
  void addPostResponseHook(PostResponseHook hook);

  /// Runs a call: authentication, retries, renewal after a 401. Throws ApiException.
  ApiResult execute(const ApiCall& call);

  /// The same, asynchronously: `done` gets the result or the ApiException (as an exception_ptr) on the
  /// transport's I/O thread. Retry backoffs wait on the event loop, not on a thread. A token renewal
  /// needed along the way runs on the I/O thread (one login round trip).
  using AsyncDone = std::function<void(std::exception_ptr, ApiResult)>;
  void executeAsync(ApiCall call, CallOptions options, AsyncDone done);

  // For tests: a fake network, no real waiting, fixed jitter.
  void setTransport(std::shared_ptr<Transport> transport);
  void setSleeper(Sleeper sleeper);
  void setJitter(Jitter jitter);

 private:
  struct Settings {
    std::string environment = "mypurecloud.com";  // a host, or a base URL with its scheme
    std::optional<GatewayConfig> gateway;
    RetryConfig retry;
    TimeoutConfig timeouts;
    TlsConfig tls;
    ProxyConfig proxy;
    std::vector<std::pair<std::string, std::string>> defaultHeaders;
    std::string userAgent = "PureCloudPlatformClientV2-cpp/0.1.0";
    std::vector<PreRequestHook> preHooks;
    std::vector<PostResponseHook> postHooks;
    bool refreshOn401 = true;
    std::chrono::seconds renewalMargin{60};
    std::chrono::seconds refreshWaitMax{10};
    std::shared_ptr<Transport> transport;
    Sleeper sleeper;
    Jitter jitter;
    // Derived from environment and gateway by update(): every call needs them, none should rebuild them.
    std::string apiBase;
    std::string loginBase;
  };
  struct Attempt {
    TransportResponse response;
    std::string hookedUrl;  ///< where pre-request hooks sent it; empty without hooks
    const std::string& urlOf(const TransportRequest& request) const { return hookedUrl.empty() ? request.url : hookedUrl; }
  };
  /// What a call keeps from one attempt to the next, blocking or asynchronous alike.
  struct RetryState {
    std::string token;  ///< the bearer token an API call sends; empty for a login
    bool renewedAfter401 = false;
    int retries = 0;
    std::chrono::milliseconds waited{0};
  };

  std::shared_ptr<const Settings> snapshot() const;
  /// Copy-on-write: calls read a snapshot without holding the lock.
  template <class Change>
  void update(Change change);
  /// Sets apiBase and loginBase from environment and gateway.
  static void deriveBasePaths(Settings& settings);

  /// The blocking retry loop, for API calls (`kind` Api: a bearer token, renewed once after a 401) and
  /// logins alike: sends `request` until it succeeds (2xx), waiting out each allowed retry's backoff.
  /// Throws the last attempt's ApiException.
  Attempt sendUntilDone(const Settings& settings, CallKind kind, const RetryConfig& retry, TransportRequest& request,
                        RetryState& state);
  /// After an attempt that did not succeed: the same request again now with a renewed token (0 ms), after
  /// a backoff, or nullopt to give up. Updates `state`; a failed renewal throws its ApiException.
  std::optional<std::chrono::milliseconds> afterFailure(const Settings& settings, CallKind kind,
                                                        const RetryConfig& retry, const TransportResponse& response,
                                                        RetryState& state);
  /// POST /oauth/token with the login retry rules. Throws ApiException.
  AuthData performGrant(const Settings& settings, const GrantRequest& grant);
  /// The login loop as TokenKeeper takes it, bound to `settings` by reference: the keeper runs it before
  /// it returns, while the caller holds its snapshot (and a small capture costs no allocation per call).
  TokenKeeper::PerformGrant grantPerformer(const Settings& settings);
  /// TokenKeeper's token for a request (renewed first when due) and its renewal after a 401, with this
  /// client's margin, wait and login loop.
  std::string tokenFor(const Settings& settings);
  std::string renewAfter401(const Settings& settings, const std::string& staleToken);

  /// One request on the wire, with hooks and logging.
  Attempt send(const Settings& settings, const TransportRequest& request, int attempt);
  /// The halves of send(): pre-request hooks before, logging and post-response hooks after.
  void beforeSend(const Settings& settings, TransportRequest& request) const;
  void afterSend(const Settings& settings, const TransportRequest& request, const TransportResponse& response,
                 std::chrono::milliseconds elapsed, int attempt);
  static void setCallHeaders(const Settings& settings, TransportRequest& request, const std::string& token);
  static TransportRequest callRequest(const Settings& settings, const ApiCall& call);
  static TransportRequest grantRequest(const Settings& settings, const GrantRequest& grant);

  struct AsyncCall;
  void startAsyncAttempt(const std::shared_ptr<AsyncCall>& pending, std::chrono::milliseconds delay);
  void onAsyncAttempt(const std::shared_ptr<AsyncCall>& pending, TransportResponse response);
  void deliver(AsyncCall& pending, std::exception_ptr error, ApiResult result);

  mutable std::mutex settingsMutex_;
  std::shared_ptr<const Settings> settings_;
  SdkLogger logger_;
  TokenKeeper token_{logger_};
};

/// What the SDK's own parts (the API classes, LoopbackLogin, the tests) reach an ApiClient's engine by:
/// not a member of ApiClient's public surface.
struct ApiClientAccess {
  static ApiClientImpl& impl(const ApiClient& client);
};
inline ApiClientImpl& implOf(const ApiClient& client) { return ApiClientAccess::impl(client); }

}  // namespace PureCloudPlatformClientV2::internal
