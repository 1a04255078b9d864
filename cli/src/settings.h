#pragma once
// Which server and which credentials a command uses: the global flags, the environment and the chosen
// profile, merged with one precedence rule (docs/cli.md, "Precedence"):
//
//   flags  >  environment variables  >  profile file  >  built-in default (region us_east_1)
//
// The location (a base URL or a region) is taken whole from the highest layer that gives either; within
// one layer a base URL beats a region. client_id and client_secret are taken one by one. A profile's
// stored access token (and refresh token) is used unless client credentials come from a flag or the
// environment: then the CLI logs in with those instead, as the user evidently meant.

#include <optional>
#include <string>

#include "profiles.h"

namespace gctokens {

/// The options every command accepts (they may be written before or after the subcommand).
struct GlobalOptions {
  std::string configPath;
  std::string profile;
  std::string baseUrl;
  std::string region;
  std::string accessToken;
  std::string clientId;
  std::string clientSecret;
  std::string output = "json";
  bool verbose = false;
  int retries = 2;
  double timeoutSeconds = 30;
};

enum class SettingSource { Flag, Environment, Profile, Default };
const char* toString(SettingSource source);

struct ResolvedSettings {
  std::string configPath;
  std::string profileName;
  std::optional<Profile> profile;  ///< the profile as stored, when the file has it

  // Where. At most one of the two is set; neither: the default region (us_east_1).
  std::optional<std::string> baseUrl;
  std::optional<std::string> region;
  SettingSource locationSource = SettingSource::Default;

  // Who.
  std::optional<std::string> clientId;
  std::optional<std::string> clientSecret;
  std::optional<std::string> accessToken;
  std::optional<std::string> refreshToken;  ///< only with a stored access token
  bool accessTokenFromProfile = false;      ///< may be refreshed and rewritten in the profile
};

/// Merges flags, environment and profile. `profileMustExist`: a profile chosen by name (--profile or
/// GCTOKENS_PROFILE) must be in the file; the implicit "default" never has to be. Throws CliError
/// (usage) for a bad region name, a bad base URL or an unreadable profiles file.
ResolvedSettings resolveSettings(const GlobalOptions& options, const ProfilesFile& file, bool profileMustExist);

/// Throws CliError (usage) unless `name` is a region the SDK knows ("us_east_1" or "us-east-1") or a
/// host name ("mypurecloud.ie").
void validateRegionName(const std::string& name);
/// Throws CliError (usage) unless `url` is an http(s) URL or a bare host name.
void validateBaseUrl(const std::string& url);

}  // namespace gctokens
