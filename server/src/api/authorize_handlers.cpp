#include "api/authorize_handlers.h"

#include <variant>

#include <boost/url/url.hpp>

#include "api/client_address.h"
#include "api/cookies.h"
#include "api/json_body.h"
#include "api/login_pages.h"
#include "api/url_encoding.h"
#include "domain/pkce.h"
#include "domain/redirect_uri.h"

namespace tokens::api {

using domain::GrantType;
using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view kSessionCookie = "tokens_session";
constexpr std::string_view kCsrfCookie = "tokens_csrf";

/// An authorization request whose client and redirect URI are known good: from here on, errors go back
/// to the application through its redirect URI.
struct AuthorizationRequest {
  const domain::Client* client = nullptr;
  std::string redirectUri;
  std::string responseType;  ///< "code" or "token"
  std::string state;
  std::string codeChallenge;
  std::string codeChallengeMethod;
};

namespace {

std::string field(const FormFields& f, std::string_view name) {
  const auto* v = findField(f, name);
  return v ? *v : std::string();
}

// Every browser-facing answer: never cached, never framed, no referrer to other sites. "same-origin", not
// "no-referrer": under no-referrer, browsers send "Origin: null" with the form, which sameOrigin() refuses.
void browserHeaders(HttpResponse& res) {
  res.header("Cache-Control", "no-store");
  res.header("Pragma", "no-cache");
  res.header("X-Frame-Options", "DENY");
  res.header("X-Content-Type-Options", "nosniff");
  res.header("Referrer-Policy", "same-origin");
}

HttpResponse html(int status, std::string body) {
  HttpResponse res;
  res.status = status;
  res.contentType = "text/html; charset=utf-8";
  res.body = std::move(body);
  browserHeaders(res);
  // No script and no outside asset at all. No form-action: browsers apply it to the redirect that
  // follows the form, which goes to the application's origin.
  res.header("Content-Security-Policy",
             "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'");
  return res;
}

HttpResponse redirectTo(std::string location) {
  HttpResponse res;
  res.status = 302;
  res.header("Location", std::move(location));
  browserHeaders(res);
  return res;
}

bool overTls(const HttpRequest& req) { return domain::lowercaseAscii(req.header("X-Forwarded-Proto")) == "https"; }

// The redirect URI with `params` added to its query, or (implicit grant) as its fragment.
std::string redirectWith(std::string_view redirectUri, const std::vector<std::pair<std::string, std::string>>& params,
                         bool inFragment) {
  boost::urls::url url(redirectUri);
  if (!inFragment) {
    for (const auto& [k, v] : params) url.params().append({k, v});
    return std::string(url.buffer());
  }
  boost::urls::url encoder;  // only to percent-encode "k=v&..." the way a query is
  for (const auto& [k, v] : params) encoder.params().append({k, v});
  url.set_encoded_fragment(encoder.encoded_query());
  return std::string(url.buffer());
}

HttpResponse redirectError(const AuthorizationRequest& r, std::string_view error, std::string_view description) {
  std::vector<std::pair<std::string, std::string>> params{{"error", std::string(error)},
                                                          {"error_description", std::string(description)}};
  if (!r.state.empty()) params.emplace_back("state", r.state);
  return redirectTo(redirectWith(r.redirectUri, params, r.responseType == "token"));
}

// The checks that must not redirect (RFC 6749 §4.1.2.1): an unknown client or an unregistered redirect
// URI would make this server an open redirector. Then those that answer through the redirect URI.
std::variant<AuthorizationRequest, HttpResponse> readRequest(const domain::Directory& directory, const FormFields& f) {
  AuthorizationRequest r;
  const auto clientId = field(f, "client_id");
  r.client = clientId.empty() ? nullptr : directory.client(clientId);
  if (!r.client)
    return html(400, renderErrorPage("Unknown application",
                                     "The application that sent you here is not registered (unknown client_id). "
                                     "Contact its publisher."));
  r.redirectUri = field(f, "redirect_uri");
  if (!domain::redirectUriRegistered(*r.client, r.redirectUri))
    return html(400, renderErrorPage("Sign-in not possible",
                                     "The application asked to return to an address it has not registered "
                                     "(redirect_uri). For your safety, you were not sent there."));
  r.responseType = field(f, "response_type");
  r.state = field(f, "state");
  r.codeChallenge = field(f, "code_challenge");
  r.codeChallengeMethod = field(f, "code_challenge_method");
  if (r.client->state != domain::ClientState::active)
    return redirectError(r, "unauthorized_client", "The client is not active.");
  if (r.responseType.empty()) return redirectError(r, "invalid_request", "response_type is required.");
  if (r.responseType != "code" && r.responseType != "token")
    return redirectError(r, "unsupported_response_type", "response_type must be code or token.");
  const auto needed = r.responseType == "code" ? GrantType::CODE : GrantType::TOKEN;
  if (r.client->grantType != needed)
    return redirectError(r, "unauthorized_client", "The client may not use response_type=" + r.responseType + ".");
  // A client without a secret can only redeem a code with PKCE: a code without a challenge would be useless
  // to it, and a gift to whoever intercepts it.
  if (r.responseType == "code" && r.client->secretHash.empty() && r.codeChallenge.empty())
    return redirectError(r, "invalid_request", "code_challenge is required for a public client (PKCE).");
  if (r.responseType == "code" && (!r.codeChallenge.empty() || !r.codeChallengeMethod.empty())) {
    if (r.codeChallengeMethod != "S256")
      return redirectError(r, "invalid_request", "code_challenge_method must be S256.");
    if (!domain::pkceChallengeWellFormed(r.codeChallenge))
      return redirectError(r, "invalid_request", "code_challenge must be 43 characters of base64url.");
  }
  return r;
}

// The form's own origin: a POST from anywhere else is a forgery. Browsers send Origin with every POST
// (Referer where an old one does not); a POST with neither did not come from a browser's form, and is
// refused too. Behind a proxy, the proxy must pass the Host the browser used (docs/login.md).
bool sameOrigin(const HttpRequest& req) {
  const std::string expected = std::string(overTls(req) ? "https://" : "http://") + std::string(req.host);
  if (const auto origin = req.header("Origin"); !origin.empty())
    return domain::lowercaseAscii(origin) == domain::lowercaseAscii(expected);
  const auto referer = domain::lowercaseAscii(req.header("Referer"));
  const auto origin = domain::lowercaseAscii(expected);
  return referer.size() > origin.size() && referer.starts_with(origin) && referer[origin.size()] == '/';
}

}  // namespace

AuthorizeHandlers::AuthorizeHandlers(service::TokenService& tokens, service::LoginState& logins,
                                     service::Credentials& credentials, Metrics& metrics)
    : tokens_(tokens), logins_(logins), credentials_(credentials), metrics_(metrics),
      csrf_([&logins] { return logins.sharedSecret("csrf"); }) {}

BrowserContext browserContext(const HttpRequest& req) {
  return {std::string(cookieValue(req.header("Cookie"), kCsrfCookie).value_or("")), overTls(req)};
}

HttpResponse AuthorizeHandlers::loginPage(const BrowserContext& browser, const AuthorizationRequest& r, int status,
                                          std::string email, std::optional<std::string> error) {
  // One nonce per browser, kept across attempts: two tabs with the login page both keep working.
  std::string nonce = browser.csrfNonce;
  const bool fresh = nonce.size() != 43;
  if (fresh) nonce = csrf_.newNonce();
  LoginPage page;
  page.applicationName = r.client->name;
  if (const auto* org = tokens_.directory().organization(r.client->organizationId)) page.organizationName = org->name;
  page.hiddenFields = {{"client_id", r.client->id}, {"redirect_uri", r.redirectUri}, {"response_type", r.responseType}};
  if (!r.state.empty()) page.hiddenFields.emplace_back("state", r.state);
  if (!r.codeChallenge.empty()) {
    page.hiddenFields.emplace_back("code_challenge", r.codeChallenge);
    page.hiddenFields.emplace_back("code_challenge_method", r.codeChallengeMethod);
  }
  page.hiddenFields.emplace_back("csrf_token", csrf_.tokenFor(nonce));
  page.email = std::move(email);
  page.error = std::move(error);
  auto res = html(status, renderLoginPage(page));
  if (fresh) res.header("Set-Cookie", setCookie(kCsrfCookie, nonce, {.path = "/oauth", .secure = browser.secure}));
  return res;
}

HttpResponse AuthorizeHandlers::complete(const AuthorizationRequest& r, const domain::User& user) {
  const auto rate = authorizationsPerUser_.hit(user.id, tokens_.clock().nowMs());
  if (!rate.allowed) return redirectError(r, "temporarily_unavailable", "Too many sign-ins; try again in a minute.");
  std::vector<std::pair<std::string, std::string>> params;
  if (r.responseType == "code") {
    auto code = logins_.issueCode({r.client->id, user.id, r.redirectUri, r.codeChallenge});
    if (!code) return redirectError(r, "temporarily_unavailable", "The sign-in service is busy; try again.");
    params.emplace_back("code", std::move(*code));
  } else {
    const auto issued = tokens_.issue(*r.client, &user, "implicit", false);
    metrics_.recordLogin(domain::GrantKind::Implicit);
    params = {{"access_token", issued.accessToken},
              {"expires_in", std::to_string(issued.expiresInSeconds)},
              {"token_type", "bearer"}};
  }
  if (!r.state.empty()) params.emplace_back("state", r.state);
  return redirectTo(redirectWith(r.redirectUri, params, r.responseType == "token"));
}

HttpResponse AuthorizeHandlers::show(const HttpRequest& req) {
  const auto query = parseForm(req.query);
  if (!query) return html(400, renderErrorPage("Sign-in not possible", "The address of this page is malformed."));
  auto read = readRequest(tokens_.directory(), *query);
  if (auto* res = std::get_if<HttpResponse>(&read)) return std::move(*res);
  const auto& r = std::get<AuthorizationRequest>(read);
  // Signed in already (same browser, same organization): no form.
  if (const auto session = cookieValue(req.header("Cookie"), kSessionCookie))
    if (const auto* user = logins_.sessionUser(*session); user && user->organizationId == r.client->organizationId)
      return complete(r, *user);
  return loginPage(browserContext(req), r, 200, {}, std::nullopt);
}

HttpResponse AuthorizeHandlers::submit(const HttpRequest& req) {
  if (!hasMediaType(req.contentType, "application/x-www-form-urlencoded"))
    return html(415, renderErrorPage("Sign-in not possible", "The form was not sent as a form."));
  const auto form = parseForm(req.body);
  if (!form) return html(400, renderErrorPage("Sign-in not possible", "The form was malformed."));
  auto read = readRequest(tokens_.directory(), *form);
  if (auto* res = std::get_if<HttpResponse>(&read)) return std::move(*res);
  const auto& r = std::get<AuthorizationRequest>(read);

  const auto browser = browserContext(req);
  if (!sameOrigin(req) || !csrf_.valid(browser.csrfNonce, field(*form, "csrf_token")))
    return html(403, renderErrorPage("This sign-in page has expired",
                                     "The form was not sent from this sign-in page, or the page is too old. Go back "
                                     "to the application and sign in again."));

  auto email = field(*form, "email");
  auto password = field(*form, "password");
  if (email.empty() || password.empty()) return loginPage(browser, r, 400, email, "Enter your email and your password.");
  if (email.size() > service::kMaxEmailLength) return loginPage(browser, r, 400, {}, "Enter a valid email address.");

  auto permit = credentials_.permitUser(r.client->organizationId, email, clientAddress(req));
  if (permit.refused()) {
    const auto seconds = permit.retryAfterSeconds();
    auto res = loginPage(browser, r, 429, email,
                         "Too many failed sign-in attempts. Try again in " + std::to_string(seconds) +
                             (seconds == 1 ? " second." : " seconds."));
    res.header("Retry-After", std::to_string(seconds));
    return res;
  }
  // The password check (Argon2id, ~20 ms of CPU) runs on a worker, never on an event loop: a burst of
  // sign-ins must not hold up token verification. The work owns copies of all it needs.
  return HttpResponse::later([this, r, browser, email = std::move(email), password = std::move(password),
                              permit = std::move(permit)]() mutable {
    return checkPassword(r, browser, email, password, permit);
  });
}

HttpResponse AuthorizeHandlers::checkPassword(const AuthorizationRequest& r, const BrowserContext& browser,
                                              const std::string& email, const std::string& password,
                                              service::CheckPermit& permit) {
  const auto* user = credentials_.checkUser(r.client->organizationId, email, password, permit);
  // The same words for an unknown user and a wrong password: the page tells nobody who has an account.
  if (!user) return loginPage(browser, r, 401, email, "Incorrect email or password.");
  auto res = complete(r, *user);
  // Without a session (the store of them is full) the user simply sees the form again next time.
  if (const auto session = logins_.startSession(*user)) {
    const auto lifetime = std::chrono::seconds(service::kLoginSessionLifetimeMs / 1000);
    res.header("Set-Cookie", setCookie(kSessionCookie, *session, {.maxAge = lifetime, .secure = browser.secure}));
  }
  return res;
}

HttpResponse AuthorizeHandlers::logout(const HttpRequest& req) {
  if (const auto session = cookieValue(req.header("Cookie"), kSessionCookie)) logins_.endSession(*session);
  const auto query = parseForm(req.query).value_or(FormFields{});
  const auto* client = tokens_.directory().client(field(query, "client_id"));
  const auto redirectUri = field(query, "redirect_uri");
  auto res = client && domain::redirectUriRegistered(*client, redirectUri) ? redirectTo(redirectUri)
                                                                           : html(200, renderSignedOutPage());
  res.header("Set-Cookie", setCookie(kSessionCookie, "", {.maxAge = std::chrono::seconds(0), .secure = overTls(req)}));
  return res;
}

}  // namespace tokens::api
