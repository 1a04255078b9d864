#include "api/ops_handlers.h"

#include "api/error_responses.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;

namespace {
HttpResponse statusBody(std::string_view status) {
  HttpResponse res;
  res.contentType = "application/json";
  res.body = "{\"status\":\"" + std::string(status) + "\"}";
  return res;
}
}  // namespace

HttpResponse OpsHandlers::healthz(const HttpRequest&) { return statusBody("ok"); }

HttpResponse OpsHandlers::readyz(const HttpRequest& req) {
  return store_.ready() ? statusBody("ready") : serviceUnavailable(req);
}

HttpResponse OpsHandlers::metrics(const HttpRequest&) {
  HttpResponse res;
  res.contentType = "text/plain; version=0.0.4; charset=utf-8";
  res.body = metrics_.render(store_.liveTokens());
  return res;
}

}  // namespace tokens::api
