#pragma once
// Genesys Cloud permissions are "domain:entity:action"; a granted permission may use "*" for any segment.

#include <string>
#include <string_view>
#include <vector>

namespace tokens::domain {

inline constexpr std::string_view kTokenDeletePermission = "oauth:token:delete";
inline constexpr std::string_view kOrganizationAdminPermission = "directory:organization:admin";

/// Whether `granted` covers `required`, segment by segment.
bool permissionCovers(std::string_view granted, std::string_view required);

/// Whether any granted permission covers any of the required ones ("Requires ANY permissions").
bool hasAnyPermission(const std::vector<std::string>& granted, const std::vector<std::string_view>& required);

}  // namespace tokens::domain
