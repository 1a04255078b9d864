#pragma once
// The route table: path and method to handler, 404 and 405 for the rest, emulator faults first, and
// store failures turned into 503 rather than escaping. An authenticated endpoint is declared so here:
// the router authenticates its caller (401), applies the per-token rate limit (429), records activity as
// the endpoint says, and adds the inin-ratelimit-* headers to whatever the handler answers.

#include <functional>
#include <string>
#include <vector>

#include "api/authenticator.h"
#include "api/authorize_handlers.h"
#include "api/emulator_handlers.h"
#include "api/metrics.h"
#include "api/oauth_handlers.h"
#include "api/ops_handlers.h"
#include "api/timeout_handlers.h"
#include "api/tokens_handlers.h"
#include "http/request_dispatcher.h"

namespace tokens::api {

struct Handlers {
  Authenticator& authenticator;
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
  /// SPEC §3 errors for what the connection layer answers itself.
  http::HttpResponse refuse(const http::Refusal& refusal) override;

 private:
  /// `param` is the trailing {param} segment of the path, still percent-encoded ("" for a fixed path).
  using OpenHandler = std::function<http::HttpResponse(const http::HttpRequest&, std::string_view param)>;
  using CallerHandler =
      std::function<http::HttpResponse(const http::HttpRequest&, const service::Caller&, std::string_view param)>;
  using ActivityRule = Activity (*)(const http::HttpRequest&);

  /// One method of a route: open to anyone, or for an authenticated caller.
  struct Endpoint {
    http::Method method;
    OpenHandler open;
    CallerHandler authenticated;
    ActivityRule activity = nullptr;  ///< authenticated only; null: every call is activity
  };
  static Endpoint open(http::Method method, OpenHandler handler);
  static Endpoint authenticated(http::Method method, CallerHandler handler, ActivityRule activity = nullptr);

  struct RouteEntry {
    std::string path;  ///< exact path, or the prefix before a trailing {param} segment
    bool hasParam = false;
    Route metric = Route::Unmatched;
    std::vector<Endpoint> endpoints;
    std::string allow;  ///< for 405s, e.g. "GET, PUT"
  };
  void add(std::string path, bool hasParam, Route metric, std::vector<Endpoint> endpoints);
  http::HttpResponse route(const http::HttpRequest& req);
  http::HttpResponse call(const Endpoint& endpoint, const http::HttpRequest& req, std::string_view param);

  Handlers handlers_;
  std::vector<RouteEntry> routes_;
};

}  // namespace tokens::api
