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
  Metrics::StoreFigures figures;
  try {
    figures.liveTokens = store_.liveTokens();
    if (const auto commits = store_.commitCounts()) {
      figures.commits = commits->commits;
      figures.writes = commits->writes;
    }
  } catch (const store::StoreUnavailable&) {
    // The request counters still matter most while the store is out of reach.
  }
  res.body = metrics_.render(figures);
  return res;
}

}  // namespace tokens::api
