#pragma once
// ApiClient: where the API is, who calls it, and how calls behave (retries, timeouts, logging, TLS).
// Thread-safe: one client is meant to be shared by every thread and every API object of a program.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "PureCloudPlatformClientV2/AuthData.h"
#include "PureCloudPlatformClientV2/Configuration.h"
#include "PureCloudPlatformClientV2/LoopbackLogin.h"
#include "PureCloudPlatformClientV2/Region.h"

namespace PureCloudPlatformClientV2 {

namespace internal {
class ApiClientImpl;
struct ApiClientAccess;
}

class ApiClient {
 public:
  /// A client for us_east_1, configured from ~/.genesyscloudcpp/config and the GENESYSCLOUD_*
  /// environment variables when present (docs/sdk.md gives the precedence).
  ApiClient();
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  /// The process-wide client that API objects use when given none (created on first use).
  static std::shared_ptr<ApiClient> getDefault();
  static void setDefault(std::shared_ptr<ApiClient> client);

  // ---- where ----------------------------------------------------------------------------------------
  void setEnvironment(Region region);
  /// A host ("mypurecloud.ie", "api.mypurecloud.ie": https, with "api." added when missing) or a base URL
  /// with its scheme ("http://127.0.0.1:8080": used as it is). The login host is derived as the other
  /// SDKs do: "api." becomes "login."; a base URL whose host has no "api." logs in at itself.
  void setEnvironment(const std::string& hostOrBaseUrl);
  /// Sends every request through a gateway; overrides the environment's URLs.
  void setGateway(const GatewayConfig& gateway);
  std::string getBasePath() const;       ///< e.g. "https://api.mypurecloud.com"
  std::string getLoginBasePath() const;  ///< e.g. "https://login.mypurecloud.com"

  // ---- who ------------------------------------------------------------------------------------------
  /// Uses this token from now on (no refresh is possible for it).
  void setAccessToken(const std::string& accessToken);
  /// The current token and what came with it.
  AuthData getAuthData() const;
  /// Uses a token obtained earlier (one an application stored, say) with what renewing it needs: its
  /// refresh token when it has one (renewed with the refresh grant; `clientSecret` empty for a PKCE
  /// client), else client credentials when given, else nothing (like setAccessToken).
  void setAuthData(const AuthData& authData, const std::string& clientId = {}, const std::string& clientSecret = {});
  /// Called after each automatic renewal, on the thread that renewed, with the new token (to store it,
  /// for instance). Must not call back into this client's login functions.
  void setTokenRenewedCallback(std::function<void(const AuthData&)> callback);

  /// Client credentials grant. The client keeps the credentials to renew the token before it expires
  /// and after a 401. Throws ApiException.
  AuthData loginClientCredentialsGrant(const std::string& clientId, const std::string& clientSecret);
  /// Resource owner password grant (username: the user's email).
  AuthData loginPasswordGrant(const std::string& clientId, const std::string& clientSecret,
                              const std::string& username, const std::string& password);
  /// Exchanges an authorization code (code grant with the client secret).
  AuthData loginCodeAuthorizationGrant(const std::string& clientId, const std::string& clientSecret,
                                       const std::string& authCode, const std::string& redirectUri);
  /// Refresh token grant: a new token (and a new refresh token: they rotate). With an empty
  /// `clientSecret`, as a public (PKCE) client: the client id in the form, no HTTP Basic.
  AuthData refreshCodeAuthorizationGrant(const std::string& clientId, const std::string& clientSecret,
                                         const std::string& refreshToken);
  /// Exchanges an authorization code obtained with PKCE (no client secret).
  AuthData authorizePKCEGrant(const std::string& clientId, const std::string& codeVerifier,
                              const std::string& authCode, const std::string& redirectUri);
  /// Signs a user in through the system browser, as a native application should (RFC 8252, PKCE with
  /// S256, RFC 7636), and exchanges the code with authorizePKCEGrant: the client then uses the token and
  /// renews it with its refresh token. Steps: listens on `http://127.0.0.1:PORT/callback` (loopback only;
  /// the path is `options.redirectPath`), opens `<login base>/oauth/authorize?response_type=code
  /// &client_id=…&redirect_uri=…&state=…&code_challenge=…&code_challenge_method=S256` with
  /// `options.openUrl`, waits for the browser's redirect, checks its `state`, exchanges the code, and
  /// shows the outcome in the browser. Blocks until then. `clientId`: a public client (no secret) allowed that redirect URI.
  /// Throws ApiException: Timeout when no redirect came within `options.timeout`; HttpError with status 0
  /// when the redirect carries an OAuth error (getOAuthError(), e.g. "access_denied") or a wrong `state`
  /// (the code is then not exchanged); the exchange's own ApiException. Throws std::invalid_argument for
  /// bad options, std::runtime_error when it cannot listen or open the browser, and whatever openUrl throws.
  AuthData loginPKCEGrantWithBrowser(const std::string& clientId, const LoopbackLoginOptions& options = {});
  /// SAML2 bearer grant.
  AuthData loginSAML2BearerGrant(const std::string& clientId, const std::string& clientSecret,
                                 const std::string& orgName, const std::string& assertion);

  /// A PKCE code verifier: `length` (43..128) characters from the unreserved set, from a CSPRNG.
  static std::string generatePKCECodeVerifier(std::size_t length = 128);
  /// base64url(SHA-256(verifier)), without padding (the S256 method).
  static std::string computePKCECodeChallenge(const std::string& codeVerifier);

  /// Whether a 401 triggers a refresh (when a refresh token or client credentials are held). Default on.
  void setShouldRefreshAccessToken(bool refresh);
  /// How long before expiry a client-credentials token is renewed. Default 60 s.
  void setTokenRenewalMargin(std::chrono::seconds margin);

  // ---- how ------------------------------------------------------------------------------------------
  void setRetryConfig(const RetryConfig& config);
  RetryConfig getRetryConfig() const;
  void setTimeouts(const TimeoutConfig& config);
  TimeoutConfig getTimeouts() const;
  void setLoggingConfig(const LoggingConfig& config);
  void setTlsConfig(const TlsConfig& config);
  void setProxy(const ProxyConfig& config);
  /// Sent with every request.
  void setDefaultHeader(const std::string& name, const std::string& value);
  void setUserAgent(const std::string& userAgent);
  void addPreRequestHook(PreRequestHook hook);
  void addPostResponseHook(PostResponseHook hook);

 private:
  friend struct internal::ApiClientAccess;  // the SDK's own parts reach the engine through it
  std::shared_ptr<internal::ApiClientImpl> impl_;
};

}  // namespace PureCloudPlatformClientV2
