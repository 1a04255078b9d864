#include "api/metrics.h"

#include <fmt/format.h>

namespace tokens::api {
namespace {
template <class... Args>
void appendf(std::string& out, fmt::format_string<Args...> format, Args&&... args) {
  fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
}
}  // namespace

std::string_view routeLabel(Route route) {
  switch (route) {
    case Route::TokensMe: return "/api/v2/tokens/me";
    case Route::TokensTimeout: return "/api/v2/tokens/timeout";
    case Route::TokensUser: return "/api/v2/tokens/{userId}";
    case Route::OAuthToken: return "/oauth/token";
    case Route::OAuthAuthorize: return "/oauth/authorize";
    case Route::Logout: return "/logout";
    case Route::EmulatorClock: return "/_emulator/clock";
    case Route::EmulatorFaults: return "/_emulator/faults";
    case Route::Healthz: return "/healthz";
    case Route::Readyz: return "/readyz";
    case Route::Metrics: return "/metrics";
    default: return "unmatched";
  }
}

void Metrics::recordRequest(Route route, int status, std::chrono::nanoseconds latency) {
  const auto r = static_cast<std::size_t>(route);
  if (r < kRoutes && status >= 0 && static_cast<std::size_t>(status) < kStatuses)
    requests_[r][static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < kBucketsSeconds.size() && seconds > kBucketsSeconds[bucket]) ++bucket;
  latencyBuckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latencySumNanos_.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
  latencyCount_.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const StoreFigures& store) const {
  std::string out;

  appendf(out, "# HELP tokens_http_requests_total HTTP requests answered, by route and status.\n");
  appendf(out, "# TYPE tokens_http_requests_total counter\n");
  for (std::size_t r = 0; r < kRoutes; ++r)
    for (std::size_t s = 0; s < kStatuses; ++s)
      if (const auto n = requests_[r][s].load(std::memory_order_relaxed))
        appendf(out, "tokens_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", routeLabel(static_cast<Route>(r)), s, n);

  appendf(out, "# HELP tokens_http_request_duration_seconds Time from a request's last byte to its response.\n");
  appendf(out, "# TYPE tokens_http_request_duration_seconds histogram\n");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < kBucketsSeconds.size(); ++b) {
    cumulative += latencyBuckets_[b].load(std::memory_order_relaxed);
    appendf(out, "tokens_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBucketsSeconds[b], cumulative);
  }
  cumulative += latencyBuckets_.back().load(std::memory_order_relaxed);
  appendf(out, "tokens_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  appendf(out, "tokens_http_request_duration_seconds_sum {}\n",
         static_cast<double>(latencySumNanos_.load(std::memory_order_relaxed)) / 1e9);
  appendf(out, "tokens_http_request_duration_seconds_count {}\n", latencyCount_.load(std::memory_order_relaxed));

  if (store.liveTokens) {
    appendf(out, "# HELP tokens_live_tokens Access and refresh tokens currently stored and not revoked.\n");
    appendf(out, "# TYPE tokens_live_tokens gauge\n");
    appendf(out, "tokens_live_tokens {}\n", *store.liveTokens);
  }
  if (store.commits && store.writes) {
    appendf(out, "# HELP tokens_store_commits_total Transactions the store's writer committed (each one fsync).\n");
    appendf(out, "# TYPE tokens_store_commits_total counter\n");
    appendf(out, "tokens_store_commits_total {}\n", *store.commits);
    appendf(out, "# HELP tokens_store_writes_total Writes (grants, revocations, activity...) in those transactions.\n");
    appendf(out, "# TYPE tokens_store_writes_total counter\n");
    appendf(out, "tokens_store_writes_total {}\n", *store.writes);
  }

  appendf(out, "# HELP tokens_logins_total Tokens issued by POST /oauth/token, by grant.\n");
  appendf(out, "# TYPE tokens_logins_total counter\n");
  for (std::size_t g = 0; g < logins_.size(); ++g)
    appendf(out, "tokens_logins_total{{grant=\"{}\"}} {}\n", domain::grantLabel(static_cast<domain::GrantKind>(g)),
           logins_[g].load(std::memory_order_relaxed));
  return out;
}

}  // namespace tokens::api
