#include "domain/permissions.h"

#include <array>
#include <optional>

namespace tokens::domain {
namespace {

// Splits "domain:entity:action" into its three segments; nullopt for any other shape (so a stray
// trailing ':' makes a fourth, empty segment, and the permission malformed).
std::optional<std::array<std::string_view, 3>> segments(std::string_view permission) {
  std::array<std::string_view, 3> out;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto colon = permission.find(':');
    const bool last = i + 1 == out.size();
    if ((colon == std::string_view::npos) != last) return std::nullopt;
    out[i] = permission.substr(0, colon);
    if (out[i].empty()) return std::nullopt;
    if (!last) permission.remove_prefix(colon + 1);
  }
  return out;
}

}  // namespace

bool permissionCovers(std::string_view granted, std::string_view required) {
  const auto g = segments(granted);
  const auto r = segments(required);
  if (!g || !r) return false;
  for (std::size_t i = 0; i < g->size(); ++i)
    if ((*g)[i] != "*" && (*g)[i] != (*r)[i]) return false;
  return true;
}

bool hasAnyPermission(const std::vector<std::string>& granted, const std::vector<std::string_view>& required) {
  for (const auto& g : granted)
    for (const auto r : required)
      if (permissionCovers(g, r)) return true;
  return false;
}

}  // namespace tokens::domain
