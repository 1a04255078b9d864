#pragma once
#include <optional>
#include <string>

namespace PureCloudPlatformClientV2 {

struct DomainEntityRef {
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::string> selfUri;

  bool operator==(const DomainEntityRef&) const = default;
};

}  // namespace PureCloudPlatformClientV2
