#include "api/error_responses.h"

#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/Json.h"

namespace tokens::api {
namespace {

using PureCloudPlatformClientV2::Detail;
using PureCloudPlatformClientV2::ErrorBody;

HttpResponse respond(ErrorBody body) {
  HttpResponse res;
  res.status = *body.status;
  res.contentType = "application/json";
  res.body = PureCloudPlatformClientV2::toJson(body);
  return res;
}

ErrorBody makeBody(std::string_view correlationId, int status, std::string_view code, std::string message) {
  ErrorBody body;
  body.message = std::move(message);
  body.code = std::string(code);
  body.status = status;
  body.contextId = std::string(correlationId);
  return body;
}

struct StatusDefaults {
  int status;
  std::string_view code;
  std::string_view message;
};

constexpr StatusDefaults kDefaults[] = {
    {400, "bad.request", "The request could not be understood by the server due to malformed syntax."},
    {401, "bad.credentials", "Invalid login credentials."},
    {403, "missing.any.permissions", "You are not authorized to perform the requested action."},
    {404, "not.found", "The requested resource was not found."},
    {405, "method.not.allowed", "The method is not allowed on this resource."},
    {408, "request.timeout", "The client did not produce a request within the server timeout limit."},
    {409, "conflict", "The request conflicts with the current state of the target resource."},
    {413, "request.entity.too.large", "The request is over the size limit."},
    {415, "unsupported.media.type", "Unsupported or incorrect media type."},
    {429, "too.many.requests.retry.after", "Rate limit exceeded the maximum."},
    {431, "request.header.fields.too.large", "The request's header fields are over the size limit."},
    {500, "internal.server.error", "The server encountered an unexpected condition which prevented it from fulfilling the request."},
    {502, "bad.gateway", "The server received an invalid response from an upstream server."},
    {503, "service.unavailable", "Service Unavailable - The server is currently unavailable."},
    {504, "gateway.timeout", "The request timed out."},
};

}  // namespace

HttpResponse errorResponse(std::string_view correlationId, int status, std::string_view code, std::string message) {
  return respond(makeBody(correlationId, status, code, std::move(message)));
}

HttpResponse errorForStatus(std::string_view correlationId, int status) {
  for (const auto& d : kDefaults)
    if (d.status == status) return errorResponse(correlationId, status, d.code, std::string(d.message));
  return errorResponse(correlationId, status, status >= 500 ? "internal.server.error" : "bad.request",
                       "The request failed with status " + std::to_string(status) + ".");
}

HttpResponse malformedBody(const HttpRequest& req, std::string where) {
  auto body = makeBody(req.correlationId, 400, "bad.request",
                       "The request could not be understood by the server due to malformed syntax.");
  Detail detail;
  detail.errorCode = "malformed.json";
  detail.entityName = std::move(where);
  body.details = std::vector<Detail>{std::move(detail)};
  return respond(std::move(body));
}

HttpResponse invalidValue(const HttpRequest& req, const std::vector<domain::FieldError>& errors) {
  std::string message = "Invalid value";
  if (!errors.empty()) message = errors.front().fieldName + " " + errors.front().message;
  if (errors.size() > 1) message += " (and " + std::to_string(errors.size() - 1) + " more)";
  auto body = makeBody(req.correlationId, 400, "invalid.value", std::move(message));
  std::vector<Detail> details;
  for (const auto& e : errors) {
    Detail d;
    d.errorCode = "invalid.value";
    d.fieldName = e.fieldName;
    d.entityName = e.message;
    details.push_back(std::move(d));
  }
  body.details = std::move(details);
  return respond(std::move(body));
}

HttpResponse authenticationRequired(const HttpRequest& req) {
  auto res = errorResponse(req.correlationId, 401, "authentication.required",
                           "No authentication bearer token specified in authorization header.");
  res.header("WWW-Authenticate", "Bearer");
  return res;
}

HttpResponse badCredentials(const HttpRequest& req) {
  auto res = errorResponse(req.correlationId, 401, "bad.credentials", "Invalid login credentials.");
  res.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return res;
}

HttpResponse credentialsExpired(const HttpRequest& req) {
  auto res = errorResponse(req.correlationId, 401, "credentials.expired",
                           "The supplied credentials are expired and cannot be used.");
  res.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return res;
}

HttpResponse missingPermissions(const HttpRequest& req, const std::vector<std::string_view>& permissions) {
  std::string list;
  for (const auto p : permissions) {
    if (!list.empty()) list += ", ";
    list += p;
  }
  auto body = makeBody(req.correlationId, 403, "missing.any.permissions",
                       "Unable to perform the requested action. You must have at least one of the following "
                       "permissions assigned: " + list);
  body.messageWithParams =
      "Unable to perform the requested action. You must have at least one of the following permissions assigned: "
      "{permissions}";
  body.messageParams = std::map<std::string, std::string>{{"permissions", list}};
  return respond(std::move(body));
}

HttpResponse notFound(const HttpRequest& req) { return errorForStatus(req.correlationId, 404); }

HttpResponse methodNotAllowed(const HttpRequest& req, std::string allow) {
  auto res = errorResponse(req.correlationId, 405, "method.not.allowed",
                           "The method " + std::string(req.methodText) + " is not allowed here. Allowed: " + allow);
  res.header("Allow", std::move(allow));
  return res;
}

HttpResponse unsupportedMediaType(const HttpRequest& req, std::string_view expected) {
  return errorResponse(req.correlationId, 415, "unsupported.media.type",
                       "Unsupported Media Type - the body must be " + std::string(expected) + ".");
}

HttpResponse tooManyRequests(std::string_view correlationId, std::int64_t retryAfterSeconds) {
  auto res = errorResponse(correlationId, 429, "too.many.requests.retry.after",
                           "Rate limit exceeded the maximum. Retry the request in [" +
                               std::to_string(retryAfterSeconds) + "] seconds");
  res.header("Retry-After", std::to_string(retryAfterSeconds));
  return res;
}

HttpResponse serviceUnavailable(const HttpRequest& req) { return errorForStatus(req.correlationId, 503); }

HttpResponse entityTooLarge(std::string_view correlationId, std::size_t maxBytes) {
  return errorResponse(correlationId, 413, "request.entity.too.large",
                       "The request is over the size limit. Maximum bytes: " + std::to_string(maxBytes));
}

}  // namespace tokens::api
