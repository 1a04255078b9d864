#pragma once
#include <optional>
#include <string>

namespace PureCloudPlatformClientV2 {

struct NamedEntity {
  std::optional<std::string> id;
  std::optional<std::string> name;

  bool operator==(const NamedEntity&) const = default;
};

}  // namespace PureCloudPlatformClientV2
