#pragma once
// The Genesys Cloud regions, as the other SDKs name them (PureCloudRegionHosts).

#include <optional>
#include <string>
#include <string_view>

namespace PureCloudPlatformClientV2 {

enum class Region {
  us_east_1, eu_west_1, ap_southeast_2, ap_northeast_1, eu_central_1, us_west_2, ca_central_1, ap_northeast_2,
  eu_west_2, ap_south_1, us_east_2, sa_east_1, me_central_1, ap_northeast_3, eu_central_2, mx_central_1,
  ap_southeast_1, eusc_de_east_1
};

/// The region's host: us_east_1 -> "mypurecloud.com", eusc_de_east_1 -> "edee1.eusc-pure.cloud".
std::string_view regionHost(Region region);

/// The region named "us_east_1" or "us-east-1" (as GENESYSCLOUD_REGION spells it), if any.
std::optional<Region> regionFromName(std::string_view name);

}  // namespace PureCloudPlatformClientV2
