#pragma once
#include <optional>
#include <vector>

#include "PureCloudPlatformClientV2/model/InactivityTimeoutGroupBundle.h"
#include "PureCloudPlatformClientV2/model/InactivityTimeoutUnit.h"

namespace PureCloudPlatformClientV2 {

/// An organization's idle token timeout setting (GET/PUT /api/v2/tokens/timeout).
struct IdleTokenTimeout {
  std::optional<int> idleTokenTimeoutSeconds;
  std::optional<bool> enableIdleTokenTimeout;
  std::optional<InactivityTimeoutUnit> inactivityTimeoutUnit;
  std::optional<bool> inactivityTimeoutGroupsEnabled;
  std::optional<std::vector<InactivityTimeoutGroupBundle>> inactivityTimeoutGroupBundles;

  bool operator==(const IdleTokenTimeout&) const = default;
};

}  // namespace PureCloudPlatformClientV2
