#pragma once
// Not public API. ~/.genesyscloudcpp/config (INI, the sections the other SDKs use) and the GENESYSCLOUD_*
// environment variables, applied to a client at construction.

#include <string>

namespace PureCloudPlatformClientV2::internal {

class ApiClientImpl;

/// The config file's path: $GENESYSCLOUDCPP_CONFIG_PATH, else $HOME/.genesyscloudcpp/config.
std::string defaultConfigPath();

/// Applies the file at `path` if it exists. A malformed file is reported on stderr and ignored, rather
/// than making every program that links the SDK fail to start.
void applyConfigFile(ApiClientImpl& client, const std::string& path);

/// GENESYSCLOUD_API_REGION (a base URL or host), GENESYSCLOUD_REGION (a region name such as us-east-1),
/// GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (logged in with on first use).
void applyEnvironment(ApiClientImpl& client);

}  // namespace PureCloudPlatformClientV2::internal
