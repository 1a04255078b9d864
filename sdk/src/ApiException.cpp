#include "PureCloudPlatformClientV2/ApiException.h"

#include <boost/json.hpp>

#include "PureCloudPlatformClientV2/ApiResponse.h"

namespace PureCloudPlatformClientV2 {

ApiException::ApiException(Kind kind, int statusCode, std::string summary, std::string rawBody,
                           std::map<std::string, std::string> headers, std::optional<ErrorBody> errorBody)
    : std::runtime_error(std::move(summary)), kind_(kind), statusCode_(statusCode), rawBody_(std::move(rawBody)),
      headers_(std::move(headers)), errorBody_(std::move(errorBody)) {}

std::string ApiException::getCorrelationId() const {
  const auto it = headers_.find("inin-correlation-id");
  if (it != headers_.end()) return it->second;
  return errorBody_ && errorBody_->contextId ? *errorBody_->contextId : std::string();
}

std::string ApiException::getOAuthError() const {
  boost::system::error_code ec;
  const auto json = boost::json::parse(rawBody_, ec);
  if (ec || !json.is_object()) return {};
  const auto* error = json.as_object().if_contains("error");
  return error && error->is_string() ? std::string(error->as_string()) : std::string();
}

RateLimitInfo rateLimitFromHeaders(const std::map<std::string, std::string>& headers) {
  auto read = [&](const char* name) -> std::optional<int> {
    const auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    try {
      return std::stoi(it->second);
    } catch (...) {
      return std::nullopt;
    }
  };
  return {read("inin-ratelimit-count"), read("inin-ratelimit-allowed"), read("inin-ratelimit-reset")};
}

}  // namespace PureCloudPlatformClientV2
