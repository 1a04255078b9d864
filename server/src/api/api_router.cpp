#include "api/api_router.h"

#include <algorithm>

#include <boost/context/detail/exception.hpp>
#include <spdlog/spdlog.h>

#include "api/error_responses.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;
using http::Method;

ApiRouter::ApiRouter(Handlers handlers) : handlers_(handlers) {
  auto& t = handlers_.tokens;
  auto& to = handlers_.timeout;
  auto& o = handlers_.oauth;
  auto& az = handlers_.authorize;
  auto& ops = handlers_.ops;
  using R = domain::Route;
  // Fixed segments come before the {userId} route, so "me" and "timeout" are never taken for user ids.
  add("/api/v2/tokens/me", false, R::TokensMe,
      {{Method::Get, [&t](const HttpRequest& r, std::string_view) { return t.getMe(r); }},
       {Method::Head, [&t](const HttpRequest& r, std::string_view) { return t.headMe(r); }},
       {Method::Delete, [&t](const HttpRequest& r, std::string_view) { return t.deleteMe(r); }}});
  add("/api/v2/tokens/timeout", false, R::TokensTimeout,
      {{Method::Get, [&to](const HttpRequest& r, std::string_view) { return to.get(r); }},
       {Method::Put, [&to](const HttpRequest& r, std::string_view) { return to.put(r); }}});
  add("/api/v2/tokens/", true, R::TokensUser,
      {{Method::Delete, [&t](const HttpRequest& r, std::string_view id) { return t.deleteUser(r, id); }}});
  add("/oauth/token", false, R::OAuthToken,
      {{Method::Post, [&o](const HttpRequest& r, std::string_view) { return o.token(r); }}});
  add("/oauth/authorize", false, R::OAuthAuthorize,
      {{Method::Get, [&az](const HttpRequest& r, std::string_view) { return az.show(r); }},
       {Method::Post, [&az](const HttpRequest& r, std::string_view) { return az.submit(r); }}});
  add("/logout", false, R::Logout, {{Method::Get, [&az](const HttpRequest& r, std::string_view) { return az.logout(r); }}});
  add("/healthz", false, R::Healthz, {{Method::Get, [&ops](const HttpRequest& r, std::string_view) { return ops.healthz(r); }}});
  add("/readyz", false, R::Readyz, {{Method::Get, [&ops](const HttpRequest& r, std::string_view) { return ops.readyz(r); }}});
  add("/metrics", false, R::Metrics, {{Method::Get, [&ops](const HttpRequest& r, std::string_view) { return ops.metrics(r); }}});
  if (auto* e = handlers_.emulator) {
    add("/_emulator/clock", false, R::EmulatorClock,
        {{Method::Get, [e](const HttpRequest& r, std::string_view) { return e->getClock(r); }},
         {Method::Post, [e](const HttpRequest& r, std::string_view) { return e->advanceClock(r); }}});
    add("/_emulator/faults", false, R::EmulatorFaults,
        {{Method::Post, [e](const HttpRequest& r, std::string_view) { return e->addFault(r); }},
         {Method::Delete, [e](const HttpRequest& r, std::string_view) { return e->clearFaults(r); }}});
  }
}

void ApiRouter::add(std::string path, bool hasParam, domain::Route metric,
                    std::vector<std::pair<Method, Handler>> methods) {
  const auto has = [&](Method wanted) {
    return std::any_of(methods.begin(), methods.end(), [&](const auto& m) { return m.first == wanted; });
  };
  std::string allow;
  for (const auto& [m, h] : methods) {
    if (!allow.empty()) allow += ", ";
    allow += http::methodName(m);
    if (m == Method::Get && !has(Method::Head)) allow += ", HEAD";  // HEAD is served wherever GET is
  }
  routes_.push_back({std::move(path), hasParam, metric, std::move(methods), std::move(allow)});
}

HttpResponse ApiRouter::route(const HttpRequest& req) {
  for (const auto& r : routes_) {
    std::string_view param;
    if (r.hasParam) {
      if (!req.path.starts_with(r.path)) continue;
      param = req.path.substr(r.path.size());
      if (param.empty() || param.find('/') != std::string_view::npos) continue;
    } else if (req.path != r.path) {
      continue;
    }
    const Handler* handler = nullptr;
    const Handler* getHandler = nullptr;
    for (const auto& [m, h] : r.methods) {
      if (m == req.method) handler = &h;
      if (m == Method::Get) getHandler = &h;
    }
    if (!handler && req.method == Method::Head) handler = getHandler;  // the body is dropped on the way out
    HttpResponse res = handler ? (*handler)(req, param) : methodNotAllowed(req, r.allow);
    res.route = r.metric;
    return res;
  }
  return notFound(req);
}

namespace {

// Inside a catch block, for an answer made at once or later on a worker alike: the store out of reach is
// 503 (it may come back), anything else 500; neither escapes to a loop or a worker thread.
HttpResponse answerForFailure(std::string_view what, std::string_view correlationId) noexcept {
  try {
    throw;
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

std::function<HttpResponse()> ApiRouter::guarded(std::function<HttpResponse()> work, const HttpRequest& req,
                                                domain::Route metric, std::chrono::milliseconds delay) {
  // What dispatch() does for an answer made at once, for one made later on a worker: the route for the
  // metrics, the emulator's delay, and failures as 503/500 instead of an exception on a worker thread.
  return [work = std::move(work), metric, delay, correlationId = req.correlationId,
          what = std::string(req.methodText) + " " + std::string(req.path)]() noexcept {
    HttpResponse res;
    try {
      res = work();
    } catch (...) {
      res = answerForFailure(what, correlationId);
    }
    res.route = metric;
    res.delay = delay;
    return res;
  };
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
    if (res.deferred) res.deferred = guarded(std::move(res.deferred), req, res.route, delay);
    return res;
  } catch (const boost::context::detail::forced_unwind&) {
    throw;  // a request fiber destroyed while it waited (its loop is gone): it must unwind, not answer
  } catch (...) {
    return answerForFailure(std::string(req.methodText) + " " + std::string(req.path), req.correlationId);
  }
}

}  // namespace tokens::api
