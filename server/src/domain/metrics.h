#pragma once
// Counters for GET /metrics (Prometheus text format). Lock-free: every request updates them.

#include <array>
#include <optional>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tokens::domain {

enum class Route : std::uint8_t {
  TokensMe, TokensTimeout, TokensUser, OAuthToken, OAuthAuthorize, Logout, EmulatorClock, EmulatorFaults, Healthz, Readyz, Metrics,
  Unmatched, Count
};
std::string_view routeLabel(Route route);

enum class LoginGrant : std::uint8_t { ClientCredentials, Password, RefreshToken, AuthorizationCode, Implicit, Count };
std::string_view grantLabel(LoginGrant grant);

class Metrics {
 public:
  void recordRequest(Route route, int status, std::chrono::nanoseconds latency);
  void recordLogin(LoginGrant grant) { logins_[static_cast<std::size_t>(grant)].fetch_add(1, std::memory_order_relaxed); }
  /// Prometheus text. `liveTokens` is none when the store cannot say (Redis down): the gauge is left out.
  std::string render(std::optional<std::size_t> liveTokens) const;

 private:
  static constexpr std::size_t kRoutes = static_cast<std::size_t>(Route::Count);
  static constexpr std::size_t kStatuses = 600;
  static constexpr std::array<double, 12> kBucketsSeconds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                          0.01,   0.025,   0.05,   0.1,   0.5,    1.0};

  std::array<std::array<std::atomic<std::uint64_t>, kStatuses>, kRoutes> requests_{};
  std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size() + 1> latencyBuckets_{};  // last: +Inf
  std::atomic<std::uint64_t> latencySumNanos_{0};
  std::atomic<std::uint64_t> latencyCount_{0};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(LoginGrant::Count)> logins_{};
};

}  // namespace tokens::domain
