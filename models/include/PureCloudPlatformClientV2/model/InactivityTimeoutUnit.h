#pragma once
#include <string_view>

namespace PureCloudPlatformClientV2 {

/// The unit a timeout is shown in (the value itself is always in seconds).
enum class InactivityTimeoutUnit { Minutes, Hours, outdated_sdk_version };

std::string_view toString(InactivityTimeoutUnit value);
/// Unknown names give outdated_sdk_version.
InactivityTimeoutUnit inactivityTimeoutUnitFromString(std::string_view text);

}  // namespace PureCloudPlatformClientV2
