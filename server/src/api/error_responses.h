#pragma once
// SPEC §3 errors: every one an ErrorBody whose status is the HTTP status and whose contextId is the
// response's ININ-Correlation-Id.

#include <string>
#include <string_view>
#include <vector>

#include "domain/idle_timeout.h"
#include "http/http_types.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;

HttpResponse errorResponse(std::string_view correlationId, int status, std::string_view code, std::string message);

/// An error for a status alone, with the code and message SPEC §3 gives it (fault injection, and
/// the errors the connection layer answers before there is a request).
HttpResponse errorForStatus(std::string_view correlationId, int status);

HttpResponse malformedBody(const HttpRequest& req, std::string where);
HttpResponse invalidValue(const HttpRequest& req, const std::vector<domain::FieldError>& errors);
HttpResponse authenticationRequired(const HttpRequest& req);
HttpResponse badCredentials(const HttpRequest& req);
HttpResponse credentialsExpired(const HttpRequest& req);
HttpResponse missingPermissions(const HttpRequest& req, const std::vector<std::string_view>& permissions);
HttpResponse notFound(const HttpRequest& req);
HttpResponse methodNotAllowed(const HttpRequest& req, std::string allow);
HttpResponse unsupportedMediaType(const HttpRequest& req, std::string_view expected);
HttpResponse tooManyRequests(std::string_view correlationId, std::int64_t retryAfterSeconds);
HttpResponse serviceUnavailable(const HttpRequest& req);

/// The body limit of the connection layer, for the 413 message.
HttpResponse entityTooLarge(std::string_view correlationId, std::size_t maxBytes);

}  // namespace tokens::api
