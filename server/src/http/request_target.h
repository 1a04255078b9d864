#pragma once
// The request line's target and the Host field, as RFC 9112 §3.2 has them: the checks the connection
// layer makes before a request reaches a handler. Pure functions of the bytes, fuzzed by
// tests/fuzz/fuzz_http_request.cpp.

#include <optional>
#include <string_view>

namespace tokens::http {

struct RequestTarget {
  std::string_view path;       ///< up to '?', not decoded; "/" for an absolute form without a path
  std::string_view query;      ///< after '?', not decoded
  std::string_view authority;  ///< the absolute form's host[:port]; empty for the origin form
};

/// Splits a target: the origin form "/path?query" (and anything else that is not an absolute URI, which
/// then simply matches no route), or the absolute form "http://host[:port]/path?query" that servers must
/// accept (RFC 9112 §3.2.2). nullopt: an absolute http(s) form that is malformed or carries user info.
std::optional<RequestTarget> parseRequestTarget(std::string_view target);

/// Whether a Host field value is a valid host[:port] (RFC 9112 §3.2): not empty, no user info.
bool validHost(std::string_view value);

}  // namespace tokens::http
