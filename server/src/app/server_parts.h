#pragma once
// The server's parts, wired together once: built in the order they depend on one another (members are
// constructed top to bottom) and destroyed in the reverse. runServer (app/application.cpp) owns one and
// only starts and stops what runs: the HTTP server and the maintenance.

#include <memory>

#include "api/api_router.h"
#include "app/server_options.h"
#include "domain/clock.h"
#include "domain/faults.h"
#include "provision/provisioning.h"
#include "store/token_store.h"

namespace tokens::app {

struct ServerParts {
  /// Takes the clear secrets out of `provisioning` (their keyed digests are all that is kept).
  ServerParts(const ServerOptions& options, store::TokenStore& store, provision::Provisioning& provisioning,
              domain::Clock& clock);
  ServerParts(const ServerParts&) = delete;
  ServerParts& operator=(const ServerParts&) = delete;

  api::Metrics metrics;
  domain::FaultInjector faults;
  service::TokenService tokens;
  api::TokenRateLimiter tokenLimiter;
  api::GrantRateLimiter grantLimiter;
  service::Credentials credentials;
  api::Authenticator authenticator;
  std::unique_ptr<store::LoginStateStore> loginStore;
  service::LoginState logins;
  api::TokensHandlers tokensHandlers;
  api::TimeoutHandlers timeoutHandlers;
  api::OAuthHandlers oauthHandlers;
  api::AuthorizeHandlers authorizeHandlers;
  api::OpsHandlers opsHandlers;
  api::EmulatorHandlers emulatorHandlers;
  api::ApiRouter router;
};

}  // namespace tokens::app
