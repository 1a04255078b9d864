#pragma once
// Bearer authentication and the per-token rate limit, shared by every authenticated handler.

#include <variant>

#include "api/rate_limit.h"
#include "http/http_types.h"
#include "service/token_service.h"

namespace tokens::api {

using TokenRateLimiter = RateLimit<domain::Digest, domain::DigestHash>;

/// A request that passed authentication and the rate limit.
struct AuthenticatedCall {
  service::Caller caller;
  domain::RateDecision rate;

  /// Adds the inin-ratelimit-* headers every authenticated response carries (none when the limit is off).
  void decorate(http::HttpResponse& res) const { decorate(res, rate); }
  static void decorate(http::HttpResponse& res, const domain::RateDecision& rate);
};

enum class Activity { Record, Preserve };

class Authenticator {
 public:
  Authenticator(service::TokenService& tokens, TokenRateLimiter& limiter) : tokens_(tokens), limiter_(limiter) {}

  /// The caller, or the 401/429 response to send instead.
  std::variant<AuthenticatedCall, http::HttpResponse> authenticate(const http::HttpRequest& req, Activity activity);

 private:
  service::TokenService& tokens_;
  TokenRateLimiter& limiter_;
};

/// The token of an "Authorization: Bearer <token>" header; empty if the header is absent or of another
/// scheme. Sets `malformed` when it is Bearer but the token cannot be one of ours.
std::string_view bearerToken(std::string_view authorization, bool& malformed);

}  // namespace tokens::api
