#include "internal/config_file.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <boost/property_tree/ini_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include "PureCloudPlatformClientV2/Region.h"
#include "internal/api_client_impl.h"

namespace PureCloudPlatformClientV2::internal {
namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

LogLevel parseLevel(const std::string& s, LogLevel fallback) {
  if (s == "none") return LogLevel::None;
  if (s == "error") return LogLevel::Error;
  if (s == "debug") return LogLevel::Debug;
  if (s == "trace") return LogLevel::Trace;
  return fallback;
}

}  // namespace

std::string defaultConfigPath() {
  if (const char* path = env("GENESYSCLOUDCPP_CONFIG_PATH")) return path;
  if (const char* home = env("HOME")) return std::string(home) + "/.genesyscloudcpp/config";
  return {};
}

void applyConfigFile(ApiClientImpl& client, const std::string& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) return;
  boost::property_tree::ptree tree;
  try {
    boost::property_tree::read_ini(path, tree);
  } catch (const boost::property_tree::ini_parser_error& e) {
    std::fprintf(stderr, "PureCloudPlatformClientV2: ignoring %s: %s\n", path.c_str(), e.what());
    return;
  }
  try {
    LoggingConfig logging;
    logging.level = parseLevel(tree.get<std::string>("logging.log_level", "none"), LogLevel::None);
    logging.format = tree.get<std::string>("logging.log_format", "text") == "json" ? LogFormat::Json : LogFormat::Text;
    logging.logToStderr = tree.get<bool>("logging.log_to_console", true);
    logging.filePath = tree.get<std::string>("logging.log_file_path", "");
    logging.logRequestBody = tree.get<bool>("logging.log_request_body", false);
    logging.logResponseBody = tree.get<bool>("logging.log_response_body", false);
    client.setLoggingConfig(logging);

    RetryConfig retry = client.retryConfig();
    retry.maxRetries = tree.get<int>("retry.retry_max", retry.maxRetries);
    retry.baseDelay = std::chrono::milliseconds(
        static_cast<long long>(tree.get<double>("retry.retry_wait_min", static_cast<double>(retry.baseDelay.count()) / 1000) * 1000));
    retry.maxDelay = std::chrono::milliseconds(
        static_cast<long long>(tree.get<double>("retry.retry_wait_max", static_cast<double>(retry.maxDelay.count()) / 1000) * 1000));
    retry.maxRetryTime = std::chrono::milliseconds(static_cast<long long>(
        tree.get<double>("retry.max_retry_time", static_cast<double>(retry.maxRetryTime.count()) / 1000) * 1000));
    retry.retryAfterCap = std::chrono::seconds(tree.get<long long>("retry.retry_after_cap", retry.retryAfterCap.count()));
    retry.enabled = retry.maxRetries > 0;
    client.setRetryConfig(retry);

    client.setShouldRefreshAccessToken(tree.get<bool>("reauthentication.refresh_access_token", true));
    client.setRefreshWaitMax(std::chrono::seconds(tree.get<long long>("reauthentication.refresh_token_wait_max", 10)));

    if (const auto host = tree.get<std::string>("general.host", ""); !host.empty()) client.setEnvironment(host);

    if (const auto gatewayHost = tree.get<std::string>("gateway.host", ""); !gatewayHost.empty()) {
      GatewayConfig g;
      g.host = gatewayHost;
      g.protocol = tree.get<std::string>("gateway.protocol", "https");
      g.port = tree.get<int>("gateway.port", -1);
      g.pathParamsLogin = tree.get<std::string>("gateway.path_params_login", "");
      g.pathParamsApi = tree.get<std::string>("gateway.path_params_api", "");
      client.setGateway(g);
    }
  } catch (const boost::property_tree::ptree_error& e) {
    std::fprintf(stderr, "PureCloudPlatformClientV2: ignoring a value of %s: %s\n", path.c_str(), e.what());
  }
}

void applyEnvironment(ApiClientImpl& client) {
  if (const char* apiRegion = env("GENESYSCLOUD_API_REGION")) {
    client.setEnvironment(apiRegion);
  } else if (const char* region = env("GENESYSCLOUD_REGION")) {
    if (const auto r = regionFromName(region))
      client.setEnvironment(std::string(regionHost(*r)));
    else
      client.setEnvironment(region);  // a host, as some tools set it
  }
  const char* id = env("GENESYSCLOUD_OAUTHCLIENT_ID");
  const char* secret = env("GENESYSCLOUD_OAUTHCLIENT_SECRET");
  if (id && secret) client.setDeferredClientCredentials(id, secret);
}

}  // namespace PureCloudPlatformClientV2::internal
