#include "internal/api_failure.h"

#include <optional>

#include <boost/json.hpp>

#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/Json.h"

namespace PureCloudPlatformClientV2::internal {

std::string headerValue(const std::map<std::string, std::string>& headers, const std::string& name) {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

ApiException failureOf(const std::string& method, const std::string& url, TransportResponse&& response,
                       std::chrono::milliseconds timeout) {
  if (response.failure == TransportFailure::Timeout)
    return ApiException(ApiException::Kind::Timeout, 0,
                        method + " " + url + ": no answer within " + std::to_string(timeout.count()) + " ms");
  if (response.failure != TransportFailure::None)
    return ApiException(ApiException::Kind::TransportError, 0, method + " " + url + ": " + response.failureMessage);

  std::optional<ErrorBody> errorBody;
  std::string what = "HTTP " + std::to_string(response.status);
  if (auto parsed = fromJson<ErrorBody>(response.body); parsed && (parsed->code || parsed->message)) {
    errorBody = std::move(parsed);
    if (errorBody->code) what += " " + *errorBody->code;
    if (errorBody->message) what += ": " + *errorBody->message;
  } else {
    // An OAuth error ({"error", "error_description"}) or something else entirely.
    boost::system::error_code ec;
    const auto json = boost::json::parse(response.body, ec);
    if (!ec && json.is_object()) {
      const auto& object = json.as_object();
      if (const auto* error = object.if_contains("error"); error && error->is_string())
        what += " " + std::string(error->as_string());
      if (const auto* description = object.if_contains("error_description"); description && description->is_string())
        what += ": " + std::string(description->as_string());
    }
  }
  what += " (" + method + " " + url;
  if (const auto id = headerValue(response.headers, "inin-correlation-id"); !id.empty())
    what += ", correlation id " + id;
  what += ")";
  return ApiException(ApiException::Kind::HttpError, response.status, std::move(what), std::move(response.body),
                      std::move(response.headers), std::move(errorBody));
}

}  // namespace PureCloudPlatformClientV2::internal
