#pragma once
// POST /oauth/token (SPEC §5): client credentials, password, authorization code (with its secret, or PKCE
// without) and refresh-token grants. The login page that hands out codes is authorize_handlers.

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "domain/metrics.h"
#include "domain/rate_limiter.h"
#include "api/url_encoding.h"
#include "http/http_types.h"
#include "service/login_state.h"
#include "service/token_service.h"

namespace tokens::api {

using GrantRateLimiter = domain::FixedWindowRateLimiter<std::string>;

/// Verifies client secrets against their Argon2id hashes, remembering successes: a service that logs in
/// every minute should not pay 20 ms of CPU each time. What is remembered is a keyed BLAKE2b of the
/// secret under a key that lives only in this process, compared in constant time.
class SecretVerifier {
 public:
  SecretVerifier();
  bool verify(const domain::Client& client, std::string_view secret);
  /// Whether this secret was verified before (cheap: no Argon2id).
  bool remembered(const domain::Client& client, std::string_view secret);
  /// Seeds the cache with a secret known in clear at start-up (from the provisioning file).
  void remember(const std::string& clientId, std::string_view secret);

 private:
  std::string keyed(std::string_view clientId, std::string_view secret) const;
  bool matches(const std::string& clientId, const std::string& keyedSecret);
  std::string key_;
  std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> verified_;
};

/// The client as it identified itself: HTTP Basic, or client_id (and client_secret) in the form.
struct ClientCredentials {
  std::string id;
  std::optional<std::string> secret;
};

class OAuthHandlers {
 public:
  OAuthHandlers(service::TokenService& tokens, service::LoginState& logins, GrantRateLimiter& limiter,
                SecretVerifier& secrets, domain::Metrics& metrics);

  http::HttpResponse token(const http::HttpRequest& req);

 private:
  /// The grant itself, once the request is read: on the event loop, or on a worker when it checks a
  /// password or a secret not remembered yet. `secretRemembered`: the secret was found verified already.
  http::HttpResponse grantFor(const domain::Client& client, domain::LoginGrant grant,
                              const ClientCredentials& credentials, bool secretRemembered, const FormFields& form);

  service::TokenService& tokens_;
  service::LoginState& logins_;
  GrantRateLimiter& limiter_;
  SecretVerifier& secrets_;
  domain::Metrics& metrics_;
  std::string dummyPasswordHash_;  // verified against when the user is unknown, so timing tells nothing
};

}  // namespace tokens::api
