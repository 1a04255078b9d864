#pragma once
// The settings of an ApiClient: plain structs with documented defaults (see docs/sdk.md for the config
// file and environment variables that fill them).

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace PureCloudPlatformClientV2 {

/// When and how calls are retried. Retried: 429, 502, 503, 504 and connection failures. Logins are
/// retried only where the server cannot have acted: 429, 503 and failures to connect.
struct RetryConfig {
  bool enabled = true;
  int maxRetries = 5;                                   ///< retries after the first attempt
  std::chrono::milliseconds baseDelay{500};             ///< upper bound of the first backoff
  std::chrono::milliseconds maxDelay{30000};            ///< upper bound of any one backoff
  std::chrono::milliseconds maxRetryTime{300000};       ///< all the waiting of one call together (> the cap)
  std::chrono::seconds retryAfterCap{180};              ///< a longer Retry-After: give up at once
};

struct TimeoutConfig {
  std::chrono::milliseconds connect{10000};
  std::chrono::milliseconds total{16000};  ///< one attempt, from connecting to the last byte
};

enum class LogLevel { None, Error, Debug, Trace };
enum class LogFormat { Text, Json };

/// What the client logs. Authorization headers, tokens, client secrets and passwords are always
/// redacted, bodies included.
struct LoggingConfig {
  LogLevel level = LogLevel::None;
  LogFormat format = LogFormat::Text;
  bool logToStderr = true;
  std::string filePath;  ///< appended to, when not empty
  std::function<void(LogLevel level, const std::string& line)> callback;
  bool logRequestBody = false;
  bool logResponseBody = false;
};

/// A gateway in front of Genesys Cloud (as the other SDKs' setGateway): every URL is
/// protocol://host[:port][/pathParams...].
struct GatewayConfig {
  std::string protocol = "https";
  std::string host;
  int port = -1;  ///< -1: the protocol's default
  std::string pathParamsLogin;
  std::string pathParamsApi;
};

struct TlsConfig {
  std::string caFile;          ///< empty: the system's CAs
  std::string clientCertFile;  ///< PEM, for mutual TLS
  std::string clientKeyFile;
  std::string clientKeyPassword;
  bool verifyPeer = true;
};

struct ProxyConfig {
  std::string url;  ///< e.g. "http://proxy.example:3128"; empty: none (curl's environment variables apply)
  std::string username;
  std::string password;
};

/// Overrides for the calls of one TokensApi (see TokensApi::withCallOptions).
struct CallOptions {
  std::optional<std::chrono::milliseconds> connectTimeout;
  std::optional<std::chrono::milliseconds> totalTimeout;
  std::optional<RetryConfig> retry;
};

/// What a pre-request hook sees and may change (headers, e.g. for tracing).
struct RequestContext {
  std::string method;
  std::string url;
  std::map<std::string, std::string> headers;
};

/// What a post-response hook sees, once per attempt.
struct ResponseContext {
  std::string method;
  std::string url;
  int statusCode = 0;  ///< 0 after a transport failure
  std::map<std::string, std::string> headers;
  std::string correlationId;
  std::chrono::milliseconds elapsed{0};
  int attempt = 1;
};

using PreRequestHook = std::function<void(RequestContext&)>;
using PostResponseHook = std::function<void(const ResponseContext&)>;

}  // namespace PureCloudPlatformClientV2
