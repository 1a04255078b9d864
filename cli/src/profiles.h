#pragma once
// The profiles file (TOML, default ~/.gctokens/config.toml): one top-level table per profile.
//
//   [default]
//   base_url = "http://127.0.0.1:8080"     # or region = "us_east_1"
//   client_id = "acme-admin-service"
//   client_secret = "acme-admin-secret"
//   access_token = "..."                   # written by `gctokens login`
//   refresh_token = "..."
//
// The file holds secrets: it is always written with mode 0600 (its directory, when created, 0700), and
// atomically (a temporary file renamed over it), so that a crash never leaves half a file behind.

#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace gctokens {

struct Profile {
  std::string name;
  std::optional<std::string> baseUrl;
  std::optional<std::string> region;
  std::optional<std::string> clientId;
  std::optional<std::string> clientSecret;
  std::optional<std::string> accessToken;
  std::optional<std::string> refreshToken;
};

class ProfilesFile {
 public:
  /// Reads `path`; a file that does not exist is an empty one. Throws CliError (usage) naming the file,
  /// the line and the key when the file is not valid TOML or a key has the wrong type.
  static ProfilesFile load(const std::string& path);

  const std::string& path() const { return path_; }
  bool existedOnLoad() const { return existed_; }
  std::vector<std::string> profileNames() const;
  std::optional<Profile> find(const std::string& name) const;

  /// Stores the profile: keys with a value are written, keys without one are removed; keys the CLI does
  /// not know are kept as they were.
  void put(const Profile& profile);
  /// Writes the file (mode 0600, atomically); creates its directory (0700) when missing. Throws CliError.
  void save() const;

 private:
  std::string path_;
  bool existed_ = false;
  toml::table table_;
};

/// --config, else $GCTOKENS_CONFIG, else ~/.gctokens/config.toml.
std::string resolveConfigPath(const std::string& flagValue);
/// --profile, else $GCTOKENS_PROFILE, else "default".
std::string resolveProfileName(const std::string& flagValue);
/// Whether a profile name is usable: letters, digits, '-' and '_'.
bool isValidProfileName(const std::string& name);

/// What may be shown of a secret: "****" and, for secrets long enough that it gives nothing away, the
/// last 4 characters.
std::string maskSecret(const std::string& secret);

}  // namespace gctokens
