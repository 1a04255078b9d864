#pragma once
// The browser side of the OAuth login service (SPEC §5): GET and POST /oauth/authorize (the login page
// of the code, PKCE and implicit grants) and GET /logout. The token side is oauth_handlers.

#include <string>

#include "api/csrf_guard.h"
#include "domain/login_throttle.h"
#include "domain/metrics.h"
#include "http/http_types.h"
#include "service/login_state.h"
#include "service/token_service.h"

namespace tokens::api {

struct AuthorizationRequest;

class AuthorizeHandlers {
 public:
  AuthorizeHandlers(service::TokenService& tokens, service::LoginState& logins, domain::LoginThrottle& throttle,
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
  domain::LoginThrottle& throttle_;
  domain::Metrics& metrics_;
  CsrfGuard csrf_;
  std::string dummyPasswordHash_;  // verified against when the user is unknown, so timing tells nothing
};

}  // namespace tokens::api
