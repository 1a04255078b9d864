#pragma once
// POST /oauth/token (SPEC §5): client credentials, password, authorization code (with its secret, or PKCE
// without) and refresh-token grants. The login page that hands out codes is authorize_handlers.

#include <optional>
#include <string>

#include "api/metrics.h"
#include "api/rate_limit.h"
#include "api/url_encoding.h"
#include "http/http_types.h"
#include "service/credentials.h"
#include "service/login_state.h"
#include "service/token_service.h"

namespace tokens::api {

using GrantRateLimiter = RateLimit<std::string>;

/// The client as it identified itself: HTTP Basic, or client_id (and client_secret) in the form.
struct ClientCredentials {
  std::string id;
  std::optional<std::string> secret;
};

/// What a grant needs once the request is read, owned, so that it can travel to a worker.
struct GrantRequest {
  const domain::Client* client = nullptr;
  domain::GrantKind grant = domain::GrantKind::ClientCredentials;
  ClientCredentials credentials;
  FormFields form;
  service::CheckPermit clientCheck;  ///< for the secret, when one was sent
  std::string address;               ///< the caller's, for the throttles
  std::string correlationId;
};

class OAuthHandlers {
 public:
  OAuthHandlers(service::TokenService& tokens, service::LoginState& logins, GrantRateLimiter& limiter,
                service::Credentials& credentials, Metrics& metrics);

  http::HttpResponse token(const http::HttpRequest& req);

 private:
  /// The grant itself, once the throttles let it through: on the event loop, or on a worker when it
  /// checks a password or a secret not verified before.
  http::HttpResponse grant(GrantRequest& request);
  http::HttpResponse clientCredentialsGrant(const domain::Client& client);
  http::HttpResponse passwordGrant(const GrantRequest& request);
  http::HttpResponse authorizationCodeGrant(const GrantRequest& request);
  http::HttpResponse refreshTokenGrant(const GrantRequest& request);

  service::TokenService& tokens_;
  service::LoginState& logins_;
  GrantRateLimiter& limiter_;
  service::Credentials& credentials_;
  Metrics& metrics_;
};

}  // namespace tokens::api
