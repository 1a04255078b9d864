#pragma once
// The route table: path and method to handler, 404 and 405 for the rest, emulator faults first, and
// store failures turned into 503 rather than escaping.

#include <functional>
#include <string>
#include <vector>

#include "api/authorize_handlers.h"
#include "api/emulator_handlers.h"
#include "api/oauth_handlers.h"
#include "api/ops_handlers.h"
#include "api/timeout_handlers.h"
#include "api/tokens_handlers.h"
#include "http/request_dispatcher.h"

namespace tokens::api {

struct Handlers {
  TokensHandlers& tokens;
  TimeoutHandlers& timeout;
  OAuthHandlers& oauth;
  AuthorizeHandlers& authorize;
  OpsHandlers& ops;
  EmulatorHandlers* emulator = nullptr;  ///< null unless --emulator
  domain::FaultInjector* faults = nullptr;
};

class ApiRouter final : public http::RequestDispatcher {
 public:
  explicit ApiRouter(Handlers handlers);
  http::HttpResponse dispatch(const http::HttpRequest& req) override;

 private:
  using Handler = std::function<http::HttpResponse(const http::HttpRequest&, std::string_view param)>;
  struct Route {
    std::string path;      ///< exact path, or the prefix before a trailing {param} segment
    bool hasParam = false;
    domain::Route metric = domain::Route::Unmatched;
    std::vector<std::pair<http::Method, Handler>> methods;
    std::string allow;     ///< for 405s, e.g. "GET, PUT"
  };
  void add(std::string path, bool hasParam, domain::Route metric, std::vector<std::pair<http::Method, Handler>> methods);
  http::HttpResponse route(const http::HttpRequest& req);
  static std::function<http::HttpResponse()> guarded(std::function<http::HttpResponse()> work,
                                                     const http::HttpRequest& req, domain::Route metric,
                                                     std::chrono::milliseconds delay);

  Handlers handlers_;
  std::vector<Route> routes_;
};

}  // namespace tokens::api
