#include "api/authenticator.h"

#include "api/error_responses.h"

namespace tokens::api {
namespace {

constexpr std::size_t kMaxTokenLength = 512;

bool isTokenChar(char c) {
  // base64url, plus what other issuers' opaque tokens use ('.', '~', '+', '/', '=' for JWT-like tokens).
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = static_cast<char>(text[i] | 0x20), b = static_cast<char>(prefix[i] | 0x20);
    if (a != b) return false;
  }
  return true;
}

}  // namespace

std::string_view bearerToken(std::string_view authorization, bool& malformed) {
  malformed = false;
  if (!startsWithNoCase(authorization, "bearer ")) return {};
  auto token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return {};  // "Bearer" and nothing: no token specified
  if (token.size() > kMaxTokenLength) {
    malformed = true;
    return {};
  }
  for (const char c : token) {
    if (!isTokenChar(c)) {
      malformed = true;
      return {};
    }
  }
  return token;
}

void AuthenticatedCall::decorate(http::HttpResponse& res, const domain::RateDecision& rate) {
  if (rate.limit == 0) return;
  res.header("inin-ratelimit-count", std::to_string(rate.count));
  res.header("inin-ratelimit-allowed", std::to_string(rate.limit));
  res.header("inin-ratelimit-reset", std::to_string(rate.resetSeconds));
}

std::variant<AuthenticatedCall, http::HttpResponse> Authenticator::authenticate(const http::HttpRequest& req,
                                                                                Activity activity) {
  bool malformed = false;
  const auto token = bearerToken(req.authorization, malformed);
  if (malformed) return badCredentials(req);
  if (token.empty()) return authenticationRequired(req);

  auto result = tokens_.authenticate(token);
  if (const auto* error = std::get_if<service::AuthError>(&result))
    return *error == service::AuthError::Expired ? credentialsExpired(req) : badCredentials(req);

  AuthenticatedCall call{std::move(std::get<service::Caller>(result)), {}};
  call.rate = limiter_.hit(call.caller.token->record.digest, tokens_.clock().nowMs());
  if (!call.rate.allowed) {
    auto res = tooManyRequests(req.correlationId, call.rate.resetSeconds);
    call.decorate(res);
    return res;
  }
  if (activity == Activity::Record) tokens_.recordActivity(call.caller);
  return call;
}

}  // namespace tokens::api
