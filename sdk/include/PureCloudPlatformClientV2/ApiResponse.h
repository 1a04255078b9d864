#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace PureCloudPlatformClientV2 {

/// The inin-ratelimit-* headers of a response, when it had them.
struct RateLimitInfo {
  std::optional<int> count;    ///< requests used in the current window
  std::optional<int> allowed;  ///< the window's allowance
  std::optional<int> reset;    ///< seconds until the window resets
};

/// Reads the inin-ratelimit-* headers.
RateLimitInfo rateLimitFromHeaders(const std::map<std::string, std::string>& headers);

/// What every response has: its status and headers.
class ApiResponseBase {
 public:
  ApiResponseBase(int statusCode, std::map<std::string, std::string> headers)
      : statusCode_(statusCode), headers_(std::move(headers)) {}
  int getStatusCode() const { return statusCode_; }
  /// Header names are lower case.
  const std::map<std::string, std::string>& getHeaders() const { return headers_; }
  std::string getHeader(const std::string& lowerCaseName) const {
    const auto it = headers_.find(lowerCaseName);
    return it == headers_.end() ? std::string() : it->second;
  }
  std::string getCorrelationId() const { return getHeader("inin-correlation-id"); }
  RateLimitInfo getRateLimit() const { return rateLimitFromHeaders(headers_); }

 private:
  int statusCode_;
  std::map<std::string, std::string> headers_;
};

/// A response with its HTTP details (the ...WithHttpInfo operations).
template <class T>
class ApiResponse : public ApiResponseBase {
 public:
  ApiResponse(int statusCode, std::map<std::string, std::string> headers, T body)
      : ApiResponseBase(statusCode, std::move(headers)), body_(std::move(body)) {}
  const T& getBody() const { return body_; }
  T& getBody() { return body_; }

 private:
  T body_;
};

/// The response of an operation without a body (deleteToken, headTokensMe, ...).
template <>
class ApiResponse<void> : public ApiResponseBase {
 public:
  using ApiResponseBase::ApiResponseBase;
};

}  // namespace PureCloudPlatformClientV2
