#include "api/client_address.h"

namespace tokens::api {

namespace {

bool isLoopback(std::string_view address) {
  return address == "::1" || address.starts_with("127.") || address.starts_with("::ffff:127.");
}

// Longer than any IPv6 address with a zone: not an address, and it would only bloat the throttle's keys.
constexpr std::size_t kMaxAddressLength = 64;

}  // namespace

std::string clientAddress(const http::HttpRequest& req) {
  const auto forwardedFor = req.header("X-Forwarded-For");
  if (forwardedFor.empty() || !isLoopback(req.remoteAddress)) return std::string(req.remoteAddress);
  auto last = forwardedFor.substr(forwardedFor.rfind(',') + 1);
  while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
  while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
  return last.empty() || last.size() > kMaxAddressLength ? std::string(req.remoteAddress) : std::string(last);
}

}  // namespace tokens::api
