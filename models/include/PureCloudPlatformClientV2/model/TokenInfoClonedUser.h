#pragma once
#include <optional>
#include <string>

#include "PureCloudPlatformClientV2/model/Entity.h"

namespace PureCloudPlatformClientV2 {

/// Present on tokens of a cloned user: the native user it was cloned from, and that user's organization.
struct TokenInfoClonedUser {
  std::optional<std::string> id;
  std::optional<Entity> organization;

  bool operator==(const TokenInfoClonedUser&) const = default;
};

}  // namespace PureCloudPlatformClientV2
