#include "domain/permissions.h"

namespace tokens::domain {
namespace {

// Splits off the segment before the next ':' (or the rest).
std::string_view nextSegment(std::string_view& rest) {
  const auto colon = rest.find(':');
  const auto segment = rest.substr(0, colon);
  rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  return segment;
}

}  // namespace

bool permissionCovers(std::string_view granted, std::string_view required) {
  for (int i = 0; i < 3; ++i) {
    const auto g = nextSegment(granted);
    const auto r = nextSegment(required);
    if (g.empty() || r.empty()) return false;
    if (g != "*" && g != r) return false;
  }
  return granted.empty() && required.empty();  // exactly three segments on both sides
}

bool hasAnyPermission(const std::vector<std::string>& granted, const std::vector<std::string_view>& required) {
  for (const auto& g : granted)
    for (const auto r : required)
      if (permissionCovers(g, r)) return true;
  return false;
}

}  // namespace tokens::domain
