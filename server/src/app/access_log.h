#pragma once
// The access log: one JSON line per answered request on stdout. It holds the method, the path without
// its query, the status, the latency and the correlation id: never a header, a body or a query string,
// so never a token, a secret or a password. Every line is valid JSON in plain ASCII, whatever bytes a
// request carried.

#include <memory>
#include <string>
#include <string_view>

#include "http/http_server.h"

namespace spdlog {
class logger;
}

namespace tokens::app {

/// An asynchronous logger: a slow stdout never stalls an event loop (lines are dropped instead).
std::shared_ptr<spdlog::logger> makeAccessLogger();
void logAccess(spdlog::logger& logger, const http::CompletedRequest& request);

/// `text` as a JSON string literal in ASCII: printable ASCII as it is, `"` and `\` escaped, and every other
/// byte (controls, and each byte of anything beyond ASCII, valid UTF-8 or not) as `\u00XX` for that
/// byte. A request target is ASCII by RFC 9112 anyway; this keeps each line parseable and exact.
std::string jsonString(std::string_view text);

}  // namespace tokens::app
