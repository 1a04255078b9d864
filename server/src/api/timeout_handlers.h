#pragma once
// GET and PUT /api/v2/tokens/timeout (SPEC §1, §4): authenticated routes (api/api_router.h).

#include "api/authenticator.h"

namespace tokens::api {

class TimeoutHandlers {
 public:
  explicit TimeoutHandlers(service::TokenService& tokens) : tokens_(tokens) {}

  http::HttpResponse get(const http::HttpRequest& req, const service::Caller& caller);
  http::HttpResponse put(const http::HttpRequest& req, const service::Caller& caller);

 private:
  service::TokenService& tokens_;
};

}  // namespace tokens::api
