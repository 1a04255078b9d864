#pragma once
// The routes, and the counters of GET /metrics (Prometheus text format). Lock-free: every request updates them.

#include <array>
#include <optional>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/grant_kind.h"
#include "http/http_types.h"

namespace tokens::api {

enum class Route : std::uint8_t {
  TokensMe, TokensTimeout, TokensUser, OAuthToken, OAuthAuthorize, Logout, EmulatorClock, EmulatorFaults, Healthz, Readyz, Metrics,
  Unmatched, Count
};
std::string_view routeLabel(Route route);

/// The route's id as the connection layer carries it (http::RouteId), and back; any other id is Unmatched.
constexpr http::RouteId routeId(Route route) { return static_cast<http::RouteId>(route); }
constexpr Route routeOf(http::RouteId id) {
  return id < static_cast<http::RouteId>(Route::Unmatched) ? static_cast<Route>(id) : Route::Unmatched;
}

class Metrics {
 public:
  void recordRequest(Route route, int status, std::chrono::nanoseconds latency);
  void recordLogin(domain::GrantKind grant) { logins_[static_cast<std::size_t>(grant)].fetch_add(1, std::memory_order_relaxed); }
  /// Prometheus text. `liveTokens` is none when the store cannot say (Redis down): the gauge is left out.
  /// What the store reports of itself, when it could tell.
  struct StoreFigures {
    std::optional<std::size_t> liveTokens;
    std::optional<std::size_t> commits;  ///< durable stores: transactions committed
    std::optional<std::size_t> writes;   ///< and the writes in them (group commit: several to one)
  };
  std::string render(const StoreFigures& store) const;

 private:
  static constexpr std::size_t kRoutes = static_cast<std::size_t>(Route::Count);
  static constexpr std::size_t kStatuses = 600;
  static constexpr std::array<double, 12> kBucketsSeconds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                          0.01,   0.025,   0.05,   0.1,   0.5,    1.0};

  std::array<std::array<std::atomic<std::uint64_t>, kStatuses>, kRoutes> requests_{};
  std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size() + 1> latencyBuckets_{};  // last: +Inf
  std::atomic<std::uint64_t> latencySumNanos_{0};
  std::atomic<std::uint64_t> latencyCount_{0};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(domain::GrantKind::Count)> logins_{};
};

}  // namespace tokens::api
