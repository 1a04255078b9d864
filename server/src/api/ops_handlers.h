#pragma once
// /healthz, /readyz and /metrics (SPEC §8): unauthenticated, for load balancers and Prometheus.

#include "api/metrics.h"
#include "http/http_types.h"
#include "store/token_store.h"

namespace tokens::api {

class OpsHandlers {
 public:
  OpsHandlers(store::TokenStore& store, const Metrics& metrics) : store_(store), metrics_(metrics) {}

  http::HttpResponse healthz(const http::HttpRequest& req);
  http::HttpResponse readyz(const http::HttpRequest& req);
  http::HttpResponse metrics(const http::HttpRequest& req);

 private:
  store::TokenStore& store_;
  const Metrics& metrics_;
};

}  // namespace tokens::api
