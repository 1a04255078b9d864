#include "app/server_parts.h"

#include <algorithm>
#include <chrono>

namespace tokens::app {

namespace {
constexpr std::chrono::seconds kRateWindow{60};
}  // namespace

ServerParts::ServerParts(const ServerOptions& options, store::TokenStore& store,
                         provision::Provisioning& provisioning, domain::Clock& clock)
    : tokens(store, provisioning.directory, clock),
      tokenLimiter(options.rateLimitPerToken, kRateWindow, "token:", store.sharedRateCounters()),
      grantLimiter(options.rateLimitGrantsPerClient, kRateWindow, "grants:", store.sharedRateCounters()),
      credentials(provisioning.directory, clock, {}, store.sharedGuessLedger()),
      authenticator(tokens, tokenLimiter),
      loginStore(store.makeLoginStateStore()),
      logins(tokens, clock, *loginStore),
      tokensHandlers(tokens, logins),
      timeoutHandlers(tokens),
      oauthHandlers(tokens, logins, grantLimiter, credentials, metrics),
      authorizeHandlers(tokens, logins, credentials, metrics),
      opsHandlers(store, metrics),
      emulatorHandlers(clock, store, faults),
      router({authenticator, tokensHandlers, timeoutHandlers, oauthHandlers, authorizeHandlers, opsHandlers,
              options.emulator ? &emulatorHandlers : nullptr, options.emulator ? &faults : nullptr}) {
  for (auto& [clientId, secret] : provisioning.clearSecrets) {
    credentials.rememberSecret(clientId, secret);
    std::fill(secret.begin(), secret.end(), '\0');  // the keyed digest is all that is kept
  }
  provisioning.clearSecrets.clear();
}

}  // namespace tokens::app
