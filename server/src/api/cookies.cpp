#include "api/cookies.h"

namespace tokens::api {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const auto pair = trim(header.substr(0, semicolon));
    header = semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || trim(pair.substr(0, equals)) != name) continue;
    auto value = trim(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

std::string setCookie(std::string_view name, std::string_view value, const CookieOptions& options) {
  std::string out;
  out.append(name).append("=").append(value).append("; Path=").append(options.path);
  if (options.maxAge) out.append("; Max-Age=").append(std::to_string(options.maxAge->count()));
  out.append("; HttpOnly; SameSite=Lax");
  if (options.secure) out.append("; Secure");
  return out;
}

}  // namespace tokens::api
