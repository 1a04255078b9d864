#pragma once
// The server's own view of a request and a response: what handlers see, free of Beast and Asio, so that
// handlers compile fast and are tested without sockets.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tokens::http {

enum class Method { Get, Head, Post, Put, Delete, Patch, Options, Other };

std::string_view methodName(Method method);

/// Which route answered, for the access log's observer and the metrics: the dispatcher gives it a meaning;
/// the connection layer only carries it from the response to CompletedRequest.
using RouteId = std::uint8_t;
inline constexpr RouteId kNoRoute = 0xFF;

struct HttpRequest {
  Method method = Method::Get;
  std::string_view methodText;     ///< as sent, for 405s and the access log
  std::string_view path;           ///< the target up to '?', not decoded
  std::string_view query;          ///< after '?', not decoded
  std::string_view authorization;  ///< the Authorization header, if any
  std::string_view contentType;
  std::string_view body;
  std::string_view remoteAddress;
  std::string_view host;           ///< the absolute form's host[:port], else the Host field (RFC 9112 §3.2)

  /// Any other header ("Cookie", "Origin", "X-Forwarded-Proto"...), "" when absent. Looked up only when
  /// asked: the API's hot path needs none of them, the browser-facing pages several.
  std::string_view header(std::string_view name) const { return lookup ? lookup(source, name) : std::string_view(); }
  using HeaderLookup = std::string_view (*)(const void* source, std::string_view name);
  HeaderLookup lookup = nullptr;  ///< set by the connection layer, with `source` its parsed request
  const void* source = nullptr;
  std::string correlationId;       ///< the ININ-Correlation-Id this request will be answered with
};

struct HttpResponse {
  int status = 200;
  std::string contentType;  ///< empty when there is no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool closeConnection = false;
  std::chrono::milliseconds delay{0};  ///< the emulator's injected latency
  RouteId route = kNoRoute;

  void header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

}  // namespace tokens::http
