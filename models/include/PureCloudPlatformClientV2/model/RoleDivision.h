#pragma once
#include <optional>
#include <string>

namespace PureCloudPlatformClientV2 {

struct RoleDivision {
  std::optional<std::string> roleId;      ///< required by the API
  std::optional<std::string> divisionId;  ///< required by the API

  bool operator==(const RoleDivision&) const = default;
};

}  // namespace PureCloudPlatformClientV2
