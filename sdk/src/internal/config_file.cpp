#include "internal/config_file.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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

// Typed reads of "section.key" values: a value that does not parse is named on stderr and the default
// kept, rather than failing the program or being dropped without a word.
class ConfigReader {
 public:
  ConfigReader(const boost::property_tree::ptree& tree, std::string path) : tree_(tree), path_(std::move(path)) {}

  std::string text(const char* key, const std::string& fallback) const { return raw(key).value_or(fallback); }

  bool boolean(const char* key, bool fallback) const {
    const auto value = raw(key);
    if (!value) return fallback;
    std::string word(*value);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (word == "true" || word == "yes" || word == "on" || word == "1") return true;
    if (word == "false" || word == "no" || word == "off" || word == "0") return false;
    return warn(key, *value, "true or false"), fallback;
  }

  double number(const char* key, double fallback, double min, double max) const {
    const auto value = raw(key);
    if (!value) return fallback;
    double number = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
    // Negated: from_chars reads "nan", for which every comparison is false, and a NaN cast to an integer
    // later would be undefined behaviour.
    if (ec != std::errc() || end != value->data() + value->size() || !(number >= min && number <= max))
      return warn(key, *value, "a number from " + std::to_string(static_cast<long long>(min)) + " to " +
                               std::to_string(static_cast<long long>(max))),
             fallback;
    return number;
  }

  template <class Enum>
  Enum choice(const char* key, Enum fallback, std::initializer_list<std::pair<const char*, Enum>> choices) const {
    const auto given = raw(key);
    if (!given) return fallback;
    std::string expected;
    for (const auto& [name, value] : choices) {
      if (*given == name) return value;
      expected += expected.empty() ? name : std::string(", ") + name;
    }
    return warn(key, *given, "one of " + expected), fallback;
  }

 private:
  std::optional<std::string> raw(const char* key) const {
    auto value = tree_.get_optional<std::string>(key);
    if (!value) return std::nullopt;
    auto& trimmed = *value;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
    return trimmed;
  }
  void warn(const char* key, const std::string& value, const std::string& expected) const {
    std::fprintf(stderr, "PureCloudPlatformClientV2: %s: ignoring %s = %s (expected %s)\n", path_.c_str(), key,
                 value.c_str(), expected.c_str());
  }

  const boost::property_tree::ptree& tree_;
  std::string path_;
};

}  // namespace

std::string defaultConfigPath() {
  if (const char* path = env("GENESYSCLOUDCPP_CONFIG_PATH")) return path;
  if (const char* home = env("HOME")) return std::string(home) + "/.genesyscloudcpp/config";
  return {};
}

std::optional<ConfigFileSettings> parseConfigFile(std::istream& in, const std::string& name,
                                                  const RetryConfig& retryDefaults) {
  boost::property_tree::ptree tree;
  try {
    boost::property_tree::read_ini(in, tree);
  } catch (const boost::property_tree::ini_parser_error& e) {
    std::fprintf(stderr, "PureCloudPlatformClientV2: ignoring %s: %s\n", name.c_str(), e.what());
    return std::nullopt;
  }
  const ConfigReader read(tree, name);
  using std::chrono::milliseconds;
  constexpr double kDay = 86400;
  ConfigFileSettings settings;

  auto& logging = settings.logging;
  logging.level = read.choice("logging.log_level", LogLevel::None,
                              {{"none", LogLevel::None}, {"error", LogLevel::Error}, {"debug", LogLevel::Debug},
                               {"trace", LogLevel::Trace}});
  logging.format = read.choice("logging.log_format", LogFormat::Text, {{"text", LogFormat::Text}, {"json", LogFormat::Json}});
  logging.logToStderr = read.boolean("logging.log_to_console", true);
  logging.filePath = read.text("logging.log_file_path", "");
  logging.logRequestBody = read.boolean("logging.log_request_body", false);
  logging.logResponseBody = read.boolean("logging.log_response_body", false);

  auto& retry = settings.retry;
  retry = retryDefaults;
  retry.maxRetries = static_cast<int>(read.number("retry.retry_max", retry.maxRetries, 0, 100));
  const auto seconds = [&](const char* key, milliseconds fallback) {
    return milliseconds(static_cast<long long>(read.number(key, static_cast<double>(fallback.count()) / 1000, 0, kDay) * 1000));
  };
  retry.baseDelay = seconds("retry.retry_wait_min", retry.baseDelay);
  retry.maxDelay = seconds("retry.retry_wait_max", retry.maxDelay);
  retry.maxRetryTime = seconds("retry.max_retry_time", retry.maxRetryTime);
  retry.retryAfterCap = std::chrono::seconds(
      static_cast<long long>(read.number("retry.retry_after_cap", static_cast<double>(retry.retryAfterCap.count()), 0, kDay)));
  retry.enabled = retry.maxRetries > 0;

  settings.refreshAccessToken = read.boolean("reauthentication.refresh_access_token", true);
  settings.refreshWaitMax =
      std::chrono::seconds(static_cast<long long>(read.number("reauthentication.refresh_token_wait_max", 10, 0, kDay)));
  settings.host = read.text("general.host", "");

  if (const auto gatewayHost = read.text("gateway.host", ""); !gatewayHost.empty()) {
    GatewayConfig g;
    g.host = gatewayHost;
    g.protocol = read.text("gateway.protocol", "https");
    g.port = static_cast<int>(read.number("gateway.port", -1, -1, 65535));
    g.pathParamsLogin = read.text("gateway.path_params_login", "");
    g.pathParamsApi = read.text("gateway.path_params_api", "");
    settings.gateway = std::move(g);
  }
  return settings;
}

void applyConfigFile(ApiClientImpl& client, const std::string& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) return;
  std::ifstream in(path);
  if (!in) return;
  const auto settings = parseConfigFile(in, path, client.retryConfig());
  if (!settings) return;
  client.setLoggingConfig(settings->logging);
  client.setRetryConfig(settings->retry);
  client.setShouldRefreshAccessToken(settings->refreshAccessToken);
  client.setRefreshWaitMax(settings->refreshWaitMax);
  if (!settings->host.empty()) client.setEnvironment(settings->host);
  if (settings->gateway) client.setGateway(*settings->gateway);
}

void applyEnvironment(ApiClientImpl& client) {
  if (const char* apiRegion = env("GENESYSCLOUD_API_REGION")) {
    client.setEnvironment(apiRegion);
  } else if (const char* region = env("GENESYSCLOUD_REGION")) {
    if (const auto known = regionFromName(region))
      client.setEnvironment(std::string(regionHost(*known)));
    else
      client.setEnvironment(region);  // a host, as some tools set it
  }
  const char* id = env("GENESYSCLOUD_OAUTHCLIENT_ID");
  const char* secret = env("GENESYSCLOUD_OAUTHCLIENT_SECRET");
  if (id && secret) client.setDeferredClientCredentials(id, secret);
}

}  // namespace PureCloudPlatformClientV2::internal
