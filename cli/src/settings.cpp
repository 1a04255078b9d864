#include "settings.h"

#include <cstdlib>

#include "PureCloudPlatformClientV2/Region.h"
#include "cli_error.h"

namespace gctokens {
namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::optional<std::string> flag(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

}  // namespace

const char* toString(SettingSource source) {
  switch (source) {
    case SettingSource::Flag: return "flag";
    case SettingSource::Environment: return "environment";
    case SettingSource::Profile: return "profile";
    case SettingSource::Default: return "default";
  }
  return "default";
}

bool looksLikeHost(const std::string& text) {
  return text.find('.') != std::string::npos && text.find_first_of(" /:") == std::string::npos;
}

void validateRegionName(const std::string& name) {
  // A host ("mypurecloud.ie") is accepted too, as the SDK accepts it in GENESYSCLOUD_REGION.
  if (!PureCloudPlatformClientV2::regionFromName(name) && !looksLikeHost(name))
    throw usageError("unknown region '" + name + "' (e.g. us_east_1, eu_west_1, ap_southeast_2, or a host such as "
                     "mypurecloud.ie)");
}

void validateBaseUrl(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    const std::string protocol = url.substr(0, scheme);
    if ((protocol != "http" && protocol != "https") || scheme + 3 >= url.size())
      throw usageError("bad base URL '" + url + "' (expected http://HOST[:PORT] or https://HOST)");
  } else if (url.empty() || url.find_first_of(" /") != std::string::npos) {
    throw usageError("bad base URL '" + url + "' (expected http://HOST[:PORT] or https://HOST)");
  }
}

ResolvedSettings resolveSettings(const GlobalOptions& options, const ProfilesFile& file, bool profileMustExist) {
  ResolvedSettings s;
  s.configPath = file.path();
  s.profileName = resolveProfileName(options.profile);
  s.profile = file.find(s.profileName);
  const bool namedExplicitly = !options.profile.empty() || env("GCTOKENS_PROFILE").has_value();
  if (!s.profile && profileMustExist && namedExplicitly)
    throw usageError("no profile '" + s.profileName + "' in " + file.path() + " (see: gctokens profiles list)");
  const Profile stored = s.profile.value_or(Profile{});

  if (!options.baseUrl.empty() && !options.region.empty()) throw usageError("give --base-url or --region, not both");

  // Where: the highest layer that names a location wins, a base URL before a region within it.
  struct Layer {
    std::optional<std::string> baseUrl, region;
    SettingSource source;
  };
  const Layer layers[] = {
      {flag(options.baseUrl), flag(options.region), SettingSource::Flag},
      {env("GENESYSCLOUD_API_REGION"), env("GENESYSCLOUD_REGION"), SettingSource::Environment},
      {stored.baseUrl, stored.region, SettingSource::Profile},
  };
  for (const auto& layer : layers) {
    if (layer.baseUrl) {
      s.baseUrl = layer.baseUrl;
    } else if (layer.region) {
      s.region = layer.region;
    } else {
      continue;
    }
    s.locationSource = layer.source;
    break;
  }
  if (s.baseUrl) validateBaseUrl(*s.baseUrl);
  if (s.region) validateRegionName(*s.region);

  // Who.
  const auto flagId = flag(options.clientId), flagSecret = flag(options.clientSecret);
  const auto envId = env("GENESYSCLOUD_OAUTHCLIENT_ID"), envSecret = env("GENESYSCLOUD_OAUTHCLIENT_SECRET");
  s.clientId = flagId ? flagId : envId ? envId : stored.clientId;
  s.clientSecret = flagSecret ? flagSecret : envSecret ? envSecret : stored.clientSecret;
  const bool credentialsAboveProfile = flagId || flagSecret || envId || envSecret;
  if (const auto token = flag(options.accessToken)) {
    s.accessToken = token;
  } else if (stored.accessToken && !credentialsAboveProfile) {
    s.accessToken = stored.accessToken;
    s.refreshToken = stored.refreshToken;
    s.accessTokenFromProfile = true;
  }
  return s;
}

}  // namespace gctokens
