#include "PureCloudPlatformClientV2/Region.h"

#include <array>
#include <utility>

namespace PureCloudPlatformClientV2 {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kRegions{{
    {"us_east_1", "mypurecloud.com"},       {"eu_west_1", "mypurecloud.ie"},
    {"ap_southeast_2", "mypurecloud.com.au"}, {"ap_northeast_1", "mypurecloud.jp"},
    {"eu_central_1", "mypurecloud.de"},      {"us_west_2", "usw2.pure.cloud"},
    {"ca_central_1", "cac1.pure.cloud"},     {"ap_northeast_2", "apne2.pure.cloud"},
    {"eu_west_2", "euw2.pure.cloud"},        {"ap_south_1", "aps1.pure.cloud"},
    {"us_east_2", "use2.us-gov-pure.cloud"}, {"sa_east_1", "sae1.pure.cloud"},
    {"me_central_1", "mec1.pure.cloud"},     {"ap_northeast_3", "apne3.pure.cloud"},
    {"eu_central_2", "euc2.pure.cloud"},     {"mx_central_1", "mxc1.pure.cloud"},
    {"ap_southeast_1", "apse1.pure.cloud"},  {"eusc_de_east_1", "edee1.eusc-pure.cloud"},
}};

}  // namespace

std::string_view regionHost(Region region) { return kRegions.at(static_cast<std::size_t>(region)).second; }

std::optional<Region> regionFromName(std::string_view name) {
  for (std::size_t i = 0; i < kRegions.size(); ++i) {
    const auto candidate = kRegions[i].first;
    if (candidate.size() != name.size()) continue;
    bool same = true;
    for (std::size_t c = 0; c < name.size() && same; ++c)
      same = candidate[c] == name[c] || (candidate[c] == '_' && name[c] == '-');
    if (same) return static_cast<Region>(i);
  }
  return std::nullopt;
}

}  // namespace PureCloudPlatformClientV2
