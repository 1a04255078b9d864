#pragma once
// One command's connection to the API: an ApiClient configured from the resolved settings, logged in
// when the settings call for it, and the bookkeeping that keeps the profile's stored tokens current.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "PureCloudPlatformClientV2/ApiClient.h"
#include "PureCloudPlatformClientV2/ApiException.h"
#include "PureCloudPlatformClientV2/TokensApi.h"
#include "profiles.h"
#include "settings.h"

namespace gctokens {

class ApiSession {
 public:
  /// Loads the profiles file and resolves the settings (see settings.h). Throws CliError.
  ApiSession(const GlobalOptions& options, bool profileMustExist = true);

  const ResolvedSettings& settings() const { return settings_; }
  ProfilesFile& profilesFile() { return file_; }

  /// A client pointed at the resolved server, with the CLI's retry, timeout and logging settings, but
  /// no credentials yet (what `login` starts from).
  std::shared_ptr<PureCloudPlatformClientV2::ApiClient> client() { return client_; }

  /// Runs `operation(tokensApi)` with credentials: the given or stored access token, else a client
  /// credentials login. When a token from the profile is refused (401) and the profile can get a new one
  /// (refresh token, or client credentials), gets it, stores it in the profile, and tries once more.
  /// Throws CliError (usage) when there are no credentials at all, ApiException when the API fails.
  template <class Operation>
  auto call(Operation&& operation) -> decltype(operation(std::declval<PureCloudPlatformClientV2::TokensApi&>())) {
    PureCloudPlatformClientV2::TokensApi& api = authenticatedApi();
    std::optional<PureCloudPlatformClientV2::ApiException> refused;
    try {
      return operation(api);
    } catch (const PureCloudPlatformClientV2::ApiException& e) {
      if (!mayRenewAfter(e)) throw;
      refused = e;
    }
    renewStoredToken(*refused);
    return operation(api);
  }

  /// Removes the access and refresh tokens from the profile (after `tokens me delete` revoked them), when
  /// they came from it.
  void forgetStoredTokens();

 private:
  PureCloudPlatformClientV2::TokensApi& authenticatedApi();
  bool mayRenewAfter(const PureCloudPlatformClientV2::ApiException& e) const;
  /// Gets a new token for the stored one and stores it; rethrows `refused` when that is impossible.
  void renewStoredToken(const PureCloudPlatformClientV2::ApiException& refused);

  ProfilesFile file_;
  ResolvedSettings settings_;
  std::shared_ptr<PureCloudPlatformClientV2::ApiClient> client_;
  std::optional<PureCloudPlatformClientV2::TokensApi> api_;
  bool renewed_ = false;
};

/// Applies the CLI's settings (location, retries, timeouts, logging, user agent) to a client.
void configureClient(PureCloudPlatformClientV2::ApiClient& client, const GlobalOptions& options,
                     const ResolvedSettings& settings);

}  // namespace gctokens
