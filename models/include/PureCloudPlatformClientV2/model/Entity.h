#pragma once
#include <optional>
#include <string>

namespace PureCloudPlatformClientV2 {

/// A reference to an entity by id.
struct Entity {
  std::optional<std::string> id;

  bool operator==(const Entity&) const = default;
};

}  // namespace PureCloudPlatformClientV2
