#pragma once
// /api/v2/tokens/me (GET, HEAD, DELETE) and DELETE /api/v2/tokens/{userId} (SPEC §1).

#include "api/authenticator.h"
#include "service/login_state.h"

namespace tokens::api {

class TokensHandlers {
 public:
  TokensHandlers(service::TokenService& tokens, service::LoginState& logins, Authenticator& auth)
      : tokens_(tokens), logins_(logins), auth_(auth) {}

  http::HttpResponse getMe(const http::HttpRequest& req);
  http::HttpResponse headMe(const http::HttpRequest& req);
  http::HttpResponse deleteMe(const http::HttpRequest& req);
  http::HttpResponse deleteUser(const http::HttpRequest& req, std::string_view encodedUserId);

 private:
  service::TokenService& tokens_;
  service::LoginState& logins_;
  Authenticator& auth_;
};

}  // namespace tokens::api
