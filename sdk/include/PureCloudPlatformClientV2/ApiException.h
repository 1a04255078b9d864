#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "PureCloudPlatformClientV2/model/ErrorBody.h"

namespace PureCloudPlatformClientV2 {

/// Thrown by every operation and login that did not succeed: an HTTP error answer, or a failure to get
/// one (transport failure, timeout). what() is a one-line summary.
class ApiException : public std::runtime_error {
 public:
  enum class Kind { HttpError, TransportError, Timeout };

  ApiException(Kind kind, int statusCode, std::string summary, std::string rawBody = {},
               std::map<std::string, std::string> headers = {}, std::optional<ErrorBody> errorBody = std::nullopt);

  /// The HTTP status; 0 when no answer came.
  int getStatusCode() const { return statusCode_; }
  /// The ErrorBody when the body was one (API errors), else nullopt.
  const std::optional<ErrorBody>& getErrorBody() const { return errorBody_; }
  const std::string& getRawBody() const { return rawBody_; }
  /// Header names are lower case.
  const std::map<std::string, std::string>& getHeaders() const { return headers_; }
  std::string getCorrelationId() const;
  /// The OAuth error of a failed login ("invalid_grant", ...), else empty.
  std::string getOAuthError() const;
  bool isTransportError() const { return kind_ != Kind::HttpError; }
  bool isTimeout() const { return kind_ == Kind::Timeout; }
  Kind getKind() const { return kind_; }

 private:
  Kind kind_;
  int statusCode_;
  std::string rawBody_;
  std::map<std::string, std::string> headers_;
  std::optional<ErrorBody> errorBody_;
};

}  // namespace PureCloudPlatformClientV2
