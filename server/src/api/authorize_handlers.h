#pragma once
// The browser side of the OAuth login service (SPEC §5): GET and POST /oauth/authorize (the login page
// of the code, PKCE and implicit grants) and GET /logout. The token side is oauth_handlers.

#include <string>

#include "api/csrf_guard.h"
#include "domain/concurrency_gate.h"
#include "domain/login_throttle.h"
#include "domain/rate_limiter.h"
#include "domain/metrics.h"
#include "http/http_types.h"
#include "service/login_state.h"
#include "service/token_service.h"

namespace tokens::api {

struct AuthorizationRequest;

/// What stands between the login page and abuse.
struct LoginProtection {
  /// Waits after repeated failures, per user and per address.
  domain::LoginThrottle throttle{};
  /// Password checks (Argon2id) running at once: fewer than the event loops, so a flood of sign-in
  /// attempts cannot stall token verification on every loop. Past it: 503, try again.
  domain::ConcurrencyGate passwordChecks;
  /// Completed authorizations per user per minute: a login session must not mint codes and tokens without
  /// end (each costs memory, an implicit token a durable write).
  domain::FixedWindowRateLimiter<std::string> authorizationsPerUser{60, std::chrono::seconds(60)};
};

class AuthorizeHandlers {
 public:
  AuthorizeHandlers(service::TokenService& tokens, service::LoginState& logins, LoginProtection& protection,
                    domain::Metrics& metrics);

  /// Shows the login page, or, with a live login session for the client's organization, answers at once.
  http::HttpResponse show(const http::HttpRequest& req);
  /// The login form's submission.
  http::HttpResponse submit(const http::HttpRequest& req);
  /// Ends the login session; back to the application if it names a registered redirect URI.
  http::HttpResponse logout(const http::HttpRequest& req);

 private:
  /// The redirect that completes a successful authorization: a code, or (implicit) the token itself.
  http::HttpResponse complete(const AuthorizationRequest& request, const domain::User& user);
  http::HttpResponse loginPage(const http::HttpRequest& req, const AuthorizationRequest& request, int status,
                               std::string email, std::optional<std::string> error);

  service::TokenService& tokens_;
  service::LoginState& logins_;
  LoginProtection& protection_;
  domain::Metrics& metrics_;
  CsrfGuard csrf_;
  std::string dummyPasswordHash_;  // verified against when the user is unknown, so timing tells nothing
};

}  // namespace tokens::api
