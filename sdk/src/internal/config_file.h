#pragma once
// Not public API. ~/.genesyscloudcpp/config (INI, the sections the other SDKs use) and the GENESYSCLOUD_*
// environment variables, applied to a client at construction.

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>

#include "PureCloudPlatformClientV2/Configuration.h"

namespace PureCloudPlatformClientV2::internal {

class ApiClientImpl;

/// What a config file sets. A key the file leaves out (or whose value does not parse, which is named on
/// stderr) keeps its default: the SDK's, or for retries the client's current configuration.
struct ConfigFileSettings {
  LoggingConfig logging;
  RetryConfig retry;
  bool refreshAccessToken = true;
  std::chrono::seconds refreshWaitMax{10};
  std::string host;  ///< empty: not set
  std::optional<GatewayConfig> gateway;
};

/// Parses config text (INI). nullopt for text that is not INI (reported on stderr with `name`). Pure:
/// it touches no client and no file, so that tests/fuzz/fuzz_sdk_config.cpp can run it on any bytes.
std::optional<ConfigFileSettings> parseConfigFile(std::istream& in, const std::string& name,
                                                  const RetryConfig& retryDefaults);

/// The config file's path: $GENESYSCLOUDCPP_CONFIG_PATH, else $HOME/.genesyscloudcpp/config.
std::string defaultConfigPath();

/// Applies the file at `path` if it exists. A malformed file is reported on stderr and ignored, rather
/// than making every program that links the SDK fail to start.
void applyConfigFile(ApiClientImpl& client, const std::string& path);

/// GENESYSCLOUD_API_REGION (a base URL or host), GENESYSCLOUD_REGION (a region name such as us-east-1),
/// GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (logged in with on first use).
void applyEnvironment(ApiClientImpl& client);

}  // namespace PureCloudPlatformClientV2::internal
