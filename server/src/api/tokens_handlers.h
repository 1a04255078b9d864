#pragma once
// /api/v2/tokens/me (GET, HEAD, DELETE) and DELETE /api/v2/tokens/{userId} (SPEC §1). Every one is an
// authenticated route: the router authenticates, applies the rate limit and adds its headers
// (api/api_router.h); a handler sees the caller.

#include "api/authenticator.h"
#include "service/login_state.h"

namespace tokens::api {

class TokensHandlers {
 public:
  TokensHandlers(service::TokenService& tokens, service::LoginState& logins) : tokens_(tokens), logins_(logins) {}

  /// GET /api/v2/tokens/me counts as activity unless preserveIdleTTL=true, or a value that is not
  /// true/false (answered 400, and touching nothing).
  static Activity getMeActivity(const http::HttpRequest& req);
  http::HttpResponse getMe(const http::HttpRequest& req, const service::Caller& caller);
  http::HttpResponse headMe(const http::HttpRequest& req, const service::Caller& caller);
  http::HttpResponse deleteMe(const http::HttpRequest& req, const service::Caller& caller);
  http::HttpResponse deleteUser(const http::HttpRequest& req, const service::Caller& caller,
                                std::string_view encodedUserId);

 private:
  service::TokenService& tokens_;
  service::LoginState& logins_;
};

}  // namespace tokens::api
