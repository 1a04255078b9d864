#pragma once
// GET and PUT /api/v2/tokens/timeout (SPEC §1, §4).

#include "api/authenticator.h"

namespace tokens::api {

class TimeoutHandlers {
 public:
  TimeoutHandlers(service::TokenService& tokens, Authenticator& auth) : tokens_(tokens), auth_(auth) {}

  http::HttpResponse get(const http::HttpRequest& req);
  http::HttpResponse put(const http::HttpRequest& req);

 private:
  service::TokenService& tokens_;
  Authenticator& auth_;
};

}  // namespace tokens::api
