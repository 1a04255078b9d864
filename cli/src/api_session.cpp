#include "api_session.h"

#include <algorithm>
#include <chrono>

#include "PureCloudPlatformClientV2/Region.h"
#include "cli_error.h"

namespace gctokens {

namespace pc = PureCloudPlatformClientV2;

void configureClient(pc::ApiClient& client, const GlobalOptions& options, const ResolvedSettings& settings) {
  // Always set, even to the default: the CLI's precedence rules, not the SDK's own config file, decide.
  if (settings.baseUrl) {
    client.setEnvironment(*settings.baseUrl);
  } else if (!settings.region) {
    client.setEnvironment(pc::Region::us_east_1);
  } else if (const auto region = pc::regionFromName(*settings.region)) {
    client.setEnvironment(*region);
  } else {
    client.setEnvironment(*settings.region);  // a host name (validateRegionName let only those through)
  }

  // A person is waiting at the terminal: fewer retries than the SDK's defaults for services, and a
  // bound on all of the waiting together.
  pc::RetryConfig retry;
  retry.enabled = options.retries > 0;
  retry.maxRetries = std::max(options.retries, 0);
  retry.maxRetryTime = std::chrono::milliseconds(static_cast<long long>(options.timeoutSeconds * 1000));
  retry.retryAfterCap = std::chrono::seconds(60);
  client.setRetryConfig(retry);

  pc::TimeoutConfig timeouts;
  timeouts.total = std::chrono::milliseconds(static_cast<long long>(options.timeoutSeconds * 1000));
  timeouts.connect = std::min(timeouts.connect, timeouts.total);
  client.setTimeouts(timeouts);

  // Set either way, so that no SDK configuration file or variable can send log lines to stdout, where
  // they would corrupt the command's output. The SDK redacts tokens and secrets in what it logs.
  pc::LoggingConfig logging;
  logging.level = options.verbose ? pc::LogLevel::Debug : pc::LogLevel::None;
  logging.logToStderr = true;
  client.setLoggingConfig(logging);

#ifdef GCTOKENS_VERSION
  client.setUserAgent(std::string("gctokens/") + GCTOKENS_VERSION);
#endif
}

ApiSession::ApiSession(const GlobalOptions& options, bool profileMustExist)
    : file_(ProfilesFile::load(resolveConfigPath(options.configPath))),
      settings_(resolveSettings(options, file_, profileMustExist)),
      client_(std::make_shared<pc::ApiClient>()) {
  configureClient(*client_, options, settings_);
}

pc::TokensApi& ApiSession::authenticatedApi() {
  if (api_) return *api_;
  if (settings_.accessToken) {
    client_->setAccessToken(*settings_.accessToken);
  } else if (settings_.clientId && settings_.clientSecret) {
    // The token is not stored: a command run with client credentials logs in afresh each time, and the
    // SDK renews it should it expire mid-command.
    client_->loginClientCredentialsGrant(*settings_.clientId, *settings_.clientSecret);
  } else {
    throw usageError("no credentials: give --access-token, or --client-id and --client-secret (or "
                     "GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET), or run 'gctokens login' "
                     "for profile '" + settings_.profileName + "'");
  }
  api_.emplace(client_);
  return *api_;
}

bool ApiSession::mayRenewAfter(const pc::ApiException& e) const {
  // A refresh token needs the client id only (a public client, from `login --pkce`, has no secret);
  // without one, the client credentials grant needs both.
  return !renewed_ && !e.isTransportError() && e.getStatusCode() == 401 && settings_.accessTokenFromProfile &&
         settings_.clientId && (settings_.refreshToken || settings_.clientSecret);
}

void ApiSession::renewStoredToken(const pc::ApiException& refused) {
  renewed_ = true;
  pc::AuthData auth;
  try {
    if (settings_.refreshToken) {
      auth = client_->refreshCodeAuthorizationGrant(*settings_.clientId, settings_.clientSecret.value_or(""),
                                                    *settings_.refreshToken);
    } else {
      auth = client_->loginClientCredentialsGrant(*settings_.clientId, *settings_.clientSecret);
    }
  } catch (const pc::ApiException& e) {
    // The server could not be reached: say so. It refused: the user needs the original answer (why the
    // stored token was refused), not the details of the failed renewal.
    if (e.isTransportError()) throw;
    throw refused;
  }
  Profile profile = settings_.profile.value_or(Profile{settings_.profileName});
  profile.accessToken = auth.accessToken;
  profile.refreshToken = auth.refreshToken.empty() ? std::nullopt : std::optional<std::string>(auth.refreshToken);
  file_.put(profile);
  file_.save();
  settings_.profile = profile;
  settings_.accessToken = profile.accessToken;
  settings_.refreshToken = profile.refreshToken;
}

void ApiSession::forgetStoredTokens() {
  if (!settings_.accessTokenFromProfile || !settings_.profile) return;
  Profile profile = *settings_.profile;
  profile.accessToken.reset();
  profile.refreshToken.reset();
  file_.put(profile);
  file_.save();
  settings_.profile = profile;
}

}  // namespace gctokens
