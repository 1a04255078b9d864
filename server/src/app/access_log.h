#pragma once
// The access log: one JSON line per answered request on stdout. It holds the method, the path without
// its query, the status, the latency and the correlation id: never a header, a body or a query string,
// so never a token, a secret or a password.

#include <memory>

#include "http/http_server.h"

namespace spdlog {
class logger;
}

namespace tokens::app {

/// An asynchronous logger: a slow stdout never stalls an event loop (lines are dropped instead).
std::shared_ptr<spdlog::logger> makeAccessLogger();
void logAccess(spdlog::logger& logger, const http::CompletedRequest& request);

}  // namespace tokens::app
