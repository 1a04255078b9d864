#pragma once
// Not public API. The engine behind ApiClient: settings, the token and its renewal, and the retry loop
// every call goes through.

#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "PureCloudPlatformClientV2/AuthData.h"
#include "PureCloudPlatformClientV2/Configuration.h"
#include "internal/retry_policy.h"
#include "internal/sdk_logger.h"
#include "internal/transport.h"

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

/// A token request to POST /oauth/token, and how the token it gives can be renewed later.
struct GrantRequest {
  std::string form;          ///< application/x-www-form-urlencoded body
  std::string clientId;      ///< sent as HTTP Basic with clientSecret, unless basicAuth is false
  std::string clientSecret;
  bool basicAuth = true;
  enum class Renewal { None, ClientCredentials, RefreshToken } renewal = Renewal::None;
};

class ApiClientImpl : public std::enable_shared_from_this<ApiClientImpl> {
 public:
  ApiClientImpl();

  // Where.
  void setEnvironment(const std::string& hostOrBaseUrl);
  void setGateway(const GatewayConfig& gateway);
  std::string basePath() const;
  std::string loginBasePath() const;

  // Who.
  void setAccessToken(const std::string& token);
  AuthData authData() const;
  void setAuthData(const AuthData& data, const std::string& clientId, const std::string& clientSecret);
  void setTokenRenewedCallback(std::function<void(const AuthData&)> callback);
  /// Performs a grant, makes its token the client's, and keeps what renewing it needs.
  AuthData login(const GrantRequest& grant);
  /// Client credentials to log in with on first use (GENESYSCLOUD_OAUTHCLIENT_ID/SECRET).
  void setDeferredClientCredentials(const std::string& clientId, const std::string& clientSecret);
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
  struct TokenState {
    AuthData data;
    GrantRequest::Renewal renewal = GrantRequest::Renewal::None;
    std::string clientId;
    std::string clientSecret;
  };
  struct Attempt {
    TransportResponse response;
    std::string hookedUrl;  ///< where pre-request hooks sent it; empty without hooks
    const std::string& urlOf(const TransportRequest& request) const { return hookedUrl.empty() ? request.url : hookedUrl; }
  };
  /// What a call keeps from one attempt to the next, blocking or asynchronous alike.
  struct RetryState {
    std::string token;
    bool renewedAfter401 = false;
    int retries = 0;
    std::chrono::milliseconds waited{0};
  };
  /// After an attempt that did not succeed: the same request again now with a renewed token (0 ms), after
  /// a backoff, or nullopt to give up. Updates `state`; a failed renewal throws its ApiException.
  std::optional<std::chrono::milliseconds> afterFailure(const Settings& s, const RetryConfig& retry,
                                                        const TransportResponse& response, RetryState& state);
  /// The backoff before retrying this outcome (Retry-After or jitter), counted in `state`; nullopt: give up.
  static std::optional<std::chrono::milliseconds> backoffFor(CallKind kind, const RetryConfig& retry, const Jitter& jitter,
                                                             const TransportResponse& response, RetryState& state);

  std::shared_ptr<const Settings> settings() const;
  /// Copy-on-write: calls read a snapshot without holding the lock.
  template <class Change>
  void update(Change change);
  /// Sets s.apiBase and s.loginBase from s.environment and s.gateway.
  static void deriveBasePaths(Settings& s);

  struct AsyncCall;
  /// One request on the wire, with hooks and logging.
  Attempt send(const Settings& s, const TransportRequest& request, int attempt);
  /// The halves of send(): pre-request hooks before, logging and post-response hooks after.
  void beforeSend(const Settings& s, TransportRequest& request) const;
  void afterSend(const Settings& s, const TransportRequest& request, const TransportResponse& response,
                 std::chrono::milliseconds elapsed, int attempt);
  static void setCallHeaders(const Settings& s, TransportRequest& request, const std::string& token);
  static TransportRequest callRequest(const Settings& s, const ApiCall& call);
  void startAsyncAttempt(const std::shared_ptr<AsyncCall>& call, std::chrono::milliseconds delay);
  void onAsyncAttempt(const std::shared_ptr<AsyncCall>& call, TransportResponse response);
  void deliver(AsyncCall& call, std::exception_ptr error, ApiResult result);
  /// POST /oauth/token with the login retry rules. Throws ApiException.
  AuthData performGrant(const Settings& s, const GrantRequest& grant);
  /// The token to send: renewed first when it is missing or about to expire and can be renewed.
  std::string tokenForRequest(const Settings& s);
  /// Single-flight renewal: the first caller renews, concurrent callers wait for its result. Returns the
  /// token to use now; empty if the token cannot be renewed. Rethrows the renewal's failure.
  std::string renewToken(const Settings& s, const std::string& staleToken);
  GrantRequest renewalGrant(const TokenState& state) const;

  mutable std::mutex settingsMutex_;
  std::shared_ptr<const Settings> settings_;

  mutable std::mutex authMutex_;
  std::condition_variable authChanged_;
  TokenState token_;
  bool renewing_ = false;
  unsigned renewals_ = 0;  // completed renewals, to tell a waiter that its renewal ended
  std::exception_ptr lastRenewalError_;
  std::function<void(const AuthData&)> onRenewed_;  // guarded by authMutex_

  SdkLogger logger_;
};

/// The refresh grant: HTTP Basic for a confidential client; for a public (PKCE) client, whose secret is
/// empty, the client id in the form instead (RFC 6749 §6).
GrantRequest refreshTokenGrant(const std::string& clientId, const std::string& clientSecret,
                               const std::string& refreshToken);
/// RFC 3986 percent-encoding of everything but unreserved characters (path segments, form values).
std::string percentEncode(std::string_view text);
/// "Basic base64(id:secret)".
std::string basicAuthorization(const std::string& id, const std::string& secret);

}  // namespace PureCloudPlatformClientV2::internal
