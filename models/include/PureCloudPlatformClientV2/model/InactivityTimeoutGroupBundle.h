#pragma once
#include <optional>
#include <string>
#include <vector>

#include "PureCloudPlatformClientV2/model/InactivityTimeoutUnit.h"

namespace PureCloudPlatformClientV2 {

/// A timeout for the members of some groups; among the bundles a user is in, the smallest priority wins.
struct InactivityTimeoutGroupBundle {
  std::optional<int> priority;        ///< required, 1..5, unique within the setting
  std::optional<int> timeoutSeconds;  ///< required, 300..28800 (HIPAA organizations: ..900)
  std::optional<InactivityTimeoutUnit> inactivityTimeoutUnit;
  std::optional<std::vector<std::string>> groups;  ///< required, group ids, not empty

  bool operator==(const InactivityTimeoutGroupBundle&) const = default;
};

}  // namespace PureCloudPlatformClientV2
