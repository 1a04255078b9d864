#include "api/api_router.h"

#include <algorithm>

#include <boost/context/detail/exception.hpp>
#include <spdlog/spdlog.h>

#include "api/error_responses.h"
#include "async/offload.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;
using http::Method;

ApiRouter::Endpoint ApiRouter::open(Method method, OpenHandler handler) {
  return {method, std::move(handler), nullptr, nullptr};
}

ApiRouter::Endpoint ApiRouter::authenticated(Method method, CallerHandler handler, ActivityRule activity) {
  return {method, nullptr, std::move(handler), activity};
}

ApiRouter::ApiRouter(Handlers handlers) : handlers_(handlers) {
  auto& tokens = handlers_.tokens;
  auto& timeout = handlers_.timeout;
  auto& oauth = handlers_.oauth;
  auto& authorize = handlers_.authorize;
  auto& ops = handlers_.ops;
  using service::Caller;
  using std::string_view;
  // Fixed segments come before the {userId} route, so "me" and "timeout" are never taken for user ids.
  add("/api/v2/tokens/me", false, Route::TokensMe,
      {authenticated(Method::Get, [&tokens](const HttpRequest& req, const Caller& caller, string_view) {
         return tokens.getMe(req, caller);
       }, TokensHandlers::getMeActivity),
       authenticated(Method::Head, [&tokens](const HttpRequest& req, const Caller& caller, string_view) {
         return tokens.headMe(req, caller);
       }),
       authenticated(Method::Delete, [&tokens](const HttpRequest& req, const Caller& caller, string_view) {
         return tokens.deleteMe(req, caller);
       })});
  add("/api/v2/tokens/timeout", false, Route::TokensTimeout,
      {authenticated(Method::Get, [&timeout](const HttpRequest& req, const Caller& caller, string_view) {
         return timeout.get(req, caller);
       }),
       authenticated(Method::Put, [&timeout](const HttpRequest& req, const Caller& caller, string_view) {
         return timeout.put(req, caller);
       })});
  add("/api/v2/tokens/", true, Route::TokensUser,
      {authenticated(Method::Delete, [&tokens](const HttpRequest& req, const Caller& caller, string_view userId) {
        return tokens.deleteUser(req, caller, userId);
      })});
  add("/oauth/token", false, Route::OAuthToken,
      {open(Method::Post, [&oauth](const HttpRequest& req, string_view) { return oauth.token(req); })});
  add("/oauth/authorize", false, Route::OAuthAuthorize,
      {open(Method::Get, [&authorize](const HttpRequest& req, string_view) { return authorize.show(req); }),
       open(Method::Post, [&authorize](const HttpRequest& req, string_view) { return authorize.submit(req); })});
  add("/logout", false, Route::Logout,
      {open(Method::Get, [&authorize](const HttpRequest& req, string_view) { return authorize.logout(req); })});
  add("/healthz", false, Route::Healthz,
      {open(Method::Get, [&ops](const HttpRequest& req, string_view) { return ops.healthz(req); })});
  add("/readyz", false, Route::Readyz,
      {open(Method::Get, [&ops](const HttpRequest& req, string_view) { return ops.readyz(req); })});
  add("/metrics", false, Route::Metrics,
      {open(Method::Get, [&ops](const HttpRequest& req, string_view) { return ops.metrics(req); })});
  if (auto* emulator = handlers_.emulator) {
    add("/_emulator/clock", false, Route::EmulatorClock,
        {open(Method::Get, [emulator](const HttpRequest& req, string_view) { return emulator->getClock(req); }),
         open(Method::Post, [emulator](const HttpRequest& req, string_view) { return emulator->advanceClock(req); })});
    add("/_emulator/faults", false, Route::EmulatorFaults,
        {open(Method::Post, [emulator](const HttpRequest& req, string_view) { return emulator->addFault(req); }),
         open(Method::Delete, [emulator](const HttpRequest& req, string_view) { return emulator->clearFaults(req); })});
  }
}

void ApiRouter::add(std::string path, bool hasParam, Route metric, std::vector<Endpoint> endpoints) {
  const auto has = [&](Method wanted) {
    return std::any_of(endpoints.begin(), endpoints.end(), [&](const Endpoint& e) { return e.method == wanted; });
  };
  std::string allow;
  for (const auto& endpoint : endpoints) {
    if (!allow.empty()) allow += ", ";
    allow += http::methodName(endpoint.method);
    if (endpoint.method == Method::Get && !has(Method::Head)) allow += ", HEAD";  // HEAD is served wherever GET is
  }
  routes_.push_back({std::move(path), hasParam, metric, std::move(endpoints), std::move(allow)});
}

HttpResponse ApiRouter::route(const HttpRequest& req) {
  for (const auto& entry : routes_) {
    std::string_view param;
    if (entry.hasParam) {
      if (!req.path.starts_with(entry.path)) continue;
      param = req.path.substr(entry.path.size());
      if (param.empty() || param.find('/') != std::string_view::npos) continue;
    } else if (req.path != entry.path) {
      continue;
    }
    const Endpoint* endpoint = nullptr;
    const Endpoint* getEndpoint = nullptr;
    for (const auto& candidate : entry.endpoints) {
      if (candidate.method == req.method) endpoint = &candidate;
      if (candidate.method == Method::Get) getEndpoint = &candidate;
    }
    if (!endpoint && req.method == Method::Head) endpoint = getEndpoint;  // the body is dropped on the way out
    HttpResponse res = endpoint ? call(*endpoint, req, param) : methodNotAllowed(req, entry.allow);
    res.route = routeId(entry.metric);
    return res;
  }
  return notFound(req);
}

HttpResponse ApiRouter::call(const Endpoint& endpoint, const HttpRequest& req, std::string_view param) {
  if (endpoint.open) return endpoint.open(req, param);
  const Activity activity = endpoint.activity ? endpoint.activity(req) : Activity::Record;
  auto auth = handlers_.authenticator.authenticate(req, activity);
  if (auto* refused = std::get_if<HttpResponse>(&auth)) return std::move(*refused);  // 401, or 429 with its headers
  const auto& authenticatedCall = std::get<AuthenticatedCall>(auth);
  HttpResponse res = endpoint.authenticated(req, authenticatedCall.caller, param);
  authenticatedCall.decorate(res);
  return res;
}

namespace {

// Inside a catch block: the store out of reach or every worker busy is 503 (it may come back), anything
// else 500; nothing escapes to the request's fiber.
HttpResponse answerForFailure(std::string_view what, std::string_view correlationId) noexcept {
  try {
    throw;
  } catch (const async::Overloaded&) {
    auto res = errorForStatus(correlationId, 503);
    res.header("Retry-After", "1");
    return res;
  } catch (const store::StoreUnavailable& e) {
    spdlog::warn("store unavailable while serving {}: {}", what, e.what());
    return errorForStatus(correlationId, 503);
  } catch (const std::exception& e) {
    spdlog::error("unexpected error while serving {}: {}", what, e.what());
    return errorForStatus(correlationId, 500);
  } catch (...) {
    return errorForStatus(correlationId, 500);
  }
}

}  // namespace

HttpResponse ApiRouter::refuse(const http::Refusal& refusal) {
  using Reason = http::Refusal::Reason;
  switch (refusal.reason) {
    case Reason::BodyTooLarge: return entityTooLarge(refusal.correlationId, refusal.bodyLimitBytes);
    case Reason::TooManyConnections:
      return errorResponse(refusal.correlationId, 503, "service.unavailable",
                           "The server has too many open connections; retry later.");
    default: return errorForStatus(refusal.correlationId, refusal.status());
  }
}

HttpResponse ApiRouter::dispatch(const HttpRequest& req) {
  try {
    std::chrono::milliseconds delay{0};
    if (handlers_.faults && !req.path.starts_with("/_emulator/")) {
      if (auto fault = handlers_.faults->take(http::methodName(req.method), req.path)) {
        delay = std::chrono::milliseconds(fault->delayMs);
        if (fault->status != 0) {
          auto res = fault->status == 429 ? tooManyRequests(req.correlationId, fault->retryAfterSeconds.value_or(1))
                                          : errorForStatus(req.correlationId, fault->status);
          if (fault->retryAfterSeconds && fault->status != 429)
            res.header("Retry-After", std::to_string(*fault->retryAfterSeconds));
          if (fault->status == 401) res.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
          res.delay = delay;
          return res;
        }
      }
    }
    auto res = route(req);
    res.delay = delay;
    return res;
  } catch (const boost::context::detail::forced_unwind&) {
    throw;  // a request fiber destroyed while it waited (its loop is gone): it must unwind, not answer
  } catch (...) {
    return answerForFailure(std::string(req.methodText) + " " + std::string(req.path), req.correlationId);
  }
}

}  // namespace tokens::api
