#pragma once
// The browser side of the OAuth login service (SPEC §5): GET and POST /oauth/authorize (the login page
// of the code, PKCE and implicit grants) and GET /logout. The token side is oauth_handlers.

#include <string>

#include "api/csrf_guard.h"
#include "domain/rate_limiter.h"
#include "api/metrics.h"
#include "http/http_types.h"
#include "service/credentials.h"
#include "service/login_state.h"
#include "service/token_service.h"

namespace tokens::api {

struct AuthorizationRequest;

/// What the login page needs of the browser's request, copied so that a worker can use it.
struct BrowserContext {
  std::string csrfNonce;  ///< from the tokens_csrf cookie, if any
  bool secure = false;    ///< served over TLS: cookies get Secure
};

class AuthorizeHandlers {
 public:
  AuthorizeHandlers(service::TokenService& tokens, service::LoginState& logins, service::Credentials& credentials,
                    Metrics& metrics);

  /// Shows the login page, or, with a live login session for the client's organization, answers at once.
  http::HttpResponse show(const http::HttpRequest& req);
  /// The login form's submission.
  http::HttpResponse submit(const http::HttpRequest& req);
  /// Ends the login session; back to the application if it names a registered redirect URI.
  http::HttpResponse logout(const http::HttpRequest& req);

 private:
  /// The redirect that completes a successful authorization: a code, or (implicit) the token itself.
  http::HttpResponse complete(const AuthorizationRequest& signIn, const domain::User& user);
  http::HttpResponse loginPage(const BrowserContext& browser, const AuthorizationRequest& signIn, int status,
                               std::string email, std::optional<std::string> error);
  /// The form's password check (its hash offloaded by service::Credentials) and what follows.
  http::HttpResponse checkPassword(const AuthorizationRequest& signIn, const BrowserContext& browser,
                                   const std::string& email, const std::string& password, service::CheckPermit& permit);

  service::TokenService& tokens_;
  service::LoginState& logins_;
  service::Credentials& credentials_;  // the password check, and the waits after repeated failures
  // Completed authorizations per user per minute: a login session must not mint codes and tokens without
  // end (each costs memory, an implicit token a durable write).
  domain::FixedWindowRateLimiter<std::string> authorizationsPerUser_{60, std::chrono::seconds(60)};
  Metrics& metrics_;
  CsrfGuard csrf_;
};

}  // namespace tokens::api
