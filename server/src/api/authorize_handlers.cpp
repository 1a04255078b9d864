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

std::string field(const FormFields& form, std::string_view name) {
  const auto* value = findField(form, name);
  return value ? *value : std::string();
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

HttpResponse redirectError(const AuthorizationRequest& signIn, std::string_view error, std::string_view description) {
  std::vector<std::pair<std::string, std::string>> params{{"error", std::string(error)},
                                                          {"error_description", std::string(description)}};
  if (!signIn.state.empty()) params.emplace_back("state", signIn.state);
  return redirectTo(redirectWith(signIn.redirectUri, params, signIn.responseType == "token"));
}

// The checks that must not redirect (RFC 6749 §4.1.2.1): an unknown client or an unregistered redirect
// URI would make this server an open redirector. Then those that answer through the redirect URI.
std::variant<AuthorizationRequest, HttpResponse> readRequest(const domain::Directory& directory,
                                                             const FormFields& form) {
  AuthorizationRequest signIn;
  const auto clientId = field(form, "client_id");
  signIn.client = clientId.empty() ? nullptr : directory.client(clientId);
  if (!signIn.client)
    return html(400, renderErrorPage("Unknown application",
                                     "The application that sent you here is not registered (unknown client_id). "
                                     "Contact its publisher."));
  signIn.redirectUri = field(form, "redirect_uri");
  if (!domain::redirectUriRegistered(*signIn.client, signIn.redirectUri))
    return html(400, renderErrorPage("Sign-in not possible",
                                     "The application asked to return to an address it has not registered "
                                     "(redirect_uri). For your safety, you were not sent there."));
  signIn.responseType = field(form, "response_type");
  signIn.state = field(form, "state");
  signIn.codeChallenge = field(form, "code_challenge");
  signIn.codeChallengeMethod = field(form, "code_challenge_method");
  if (signIn.client->state != domain::ClientState::active)
    return redirectError(signIn, "unauthorized_client", "The client is not active.");
  if (signIn.responseType.empty()) return redirectError(signIn, "invalid_request", "response_type is required.");
  if (signIn.responseType != "code" && signIn.responseType != "token")
    return redirectError(signIn, "unsupported_response_type", "response_type must be code or token.");
  const auto needed = signIn.responseType == "code" ? GrantType::CODE : GrantType::TOKEN;
  if (signIn.client->grantType != needed)
    return redirectError(signIn, "unauthorized_client",
                         "The client may not use response_type=" + signIn.responseType + ".");
  // A client without a secret can only redeem a code with PKCE: a code without a challenge would be useless
  // to it, and a gift to whoever intercepts it.
  if (signIn.responseType == "code" && signIn.client->secretHash.empty() && signIn.codeChallenge.empty())
    return redirectError(signIn, "invalid_request", "code_challenge is required for a public client (PKCE).");
  if (signIn.responseType == "code" && (!signIn.codeChallenge.empty() || !signIn.codeChallengeMethod.empty())) {
    if (signIn.codeChallengeMethod != "S256")
      return redirectError(signIn, "invalid_request", "code_challenge_method must be S256.");
    if (!domain::pkceChallengeWellFormed(signIn.codeChallenge))
      return redirectError(signIn, "invalid_request", "code_challenge must be 43 characters of base64url.");
  }
  return signIn;
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

HttpResponse AuthorizeHandlers::loginPage(const BrowserContext& browser, const AuthorizationRequest& signIn, int status,
                                          std::string email, std::optional<std::string> error) {
  // One nonce per browser, kept across attempts: two tabs with the login page both keep working.
  std::string nonce = browser.csrfNonce;
  const bool fresh = nonce.size() != 43;
  if (fresh) nonce = csrf_.newNonce();
  LoginPage page;
  page.applicationName = signIn.client->name;
  if (const auto* org = tokens_.directory().organization(signIn.client->organizationId))
    page.organizationName = org->name;
  page.hiddenFields = {
      {"client_id", signIn.client->id}, {"redirect_uri", signIn.redirectUri}, {"response_type", signIn.responseType}};
  if (!signIn.state.empty()) page.hiddenFields.emplace_back("state", signIn.state);
  if (!signIn.codeChallenge.empty()) {
    page.hiddenFields.emplace_back("code_challenge", signIn.codeChallenge);
    page.hiddenFields.emplace_back("code_challenge_method", signIn.codeChallengeMethod);
  }
  page.hiddenFields.emplace_back("csrf_token", csrf_.tokenFor(nonce));
  page.email = std::move(email);
  page.error = std::move(error);
  auto res = html(status, renderLoginPage(page));
  if (fresh) res.header("Set-Cookie", setCookie(kCsrfCookie, nonce, {.path = "/oauth", .secure = browser.secure}));
  return res;
}

HttpResponse AuthorizeHandlers::complete(const AuthorizationRequest& signIn, const domain::User& user) {
  const auto rate = authorizationsPerUser_.hit(user.id, tokens_.clock().nowMs());
  if (!rate.allowed)
    return redirectError(signIn, "temporarily_unavailable", "Too many sign-ins; try again in a minute.");
  std::vector<std::pair<std::string, std::string>> params;
  if (signIn.responseType == "code") {
    auto code = logins_.issueCode({signIn.client->id, user.id, signIn.redirectUri, signIn.codeChallenge});
    if (!code) return redirectError(signIn, "temporarily_unavailable", "The sign-in service is busy; try again.");
    params.emplace_back("code", std::move(*code));
  } else {
    const auto issued = tokens_.issue(*signIn.client, &user, "implicit", false);
    metrics_.recordLogin(domain::GrantKind::Implicit);
    params = {{"access_token", issued.accessToken},
              {"expires_in", std::to_string(issued.expiresInSeconds)},
              {"token_type", "bearer"}};
  }
  if (!signIn.state.empty()) params.emplace_back("state", signIn.state);
  return redirectTo(redirectWith(signIn.redirectUri, params, signIn.responseType == "token"));
}

HttpResponse AuthorizeHandlers::show(const HttpRequest& req) {
  const auto query = parseForm(req.query);
  if (!query) return html(400, renderErrorPage("Sign-in not possible", "The address of this page is malformed."));
  auto read = readRequest(tokens_.directory(), *query);
  if (auto* res = std::get_if<HttpResponse>(&read)) return std::move(*res);
  const auto& signIn = std::get<AuthorizationRequest>(read);
  // Signed in already (same browser, same organization): no form.
  if (const auto session = cookieValue(req.header("Cookie"), kSessionCookie))
    if (const auto* user = logins_.sessionUser(*session); user && user->organizationId == signIn.client->organizationId)
      return complete(signIn, *user);
  return loginPage(browserContext(req), signIn, 200, {}, std::nullopt);
}

HttpResponse AuthorizeHandlers::submit(const HttpRequest& req) {
  if (!hasMediaType(req.contentType, "application/x-www-form-urlencoded"))
    return html(415, renderErrorPage("Sign-in not possible", "The form was not sent as a form."));
  const auto form = parseForm(req.body);
  if (!form) return html(400, renderErrorPage("Sign-in not possible", "The form was malformed."));
  auto read = readRequest(tokens_.directory(), *form);
  if (auto* res = std::get_if<HttpResponse>(&read)) return std::move(*res);
  const auto& signIn = std::get<AuthorizationRequest>(read);

  const auto browser = browserContext(req);
  if (!sameOrigin(req) || !csrf_.valid(browser.csrfNonce, field(*form, "csrf_token")))
    return html(403, renderErrorPage("This sign-in page has expired",
                                     "The form was not sent from this sign-in page, or the page is too old. Go back "
                                     "to the application and sign in again."));

  auto email = field(*form, "email");
  auto password = field(*form, "password");
  if (email.empty() || password.empty())
    return loginPage(browser, signIn, 400, email, "Enter your email and your password.");
  if (email.size() > service::kMaxEmailLength)
    return loginPage(browser, signIn, 400, {}, "Enter a valid email address.");

  auto permit = credentials_.permitUser(signIn.client->organizationId, email, clientAddress(req));
  if (permit.refused()) {
    const auto seconds = permit.retryAfterSeconds();
    auto res = loginPage(browser, signIn, 429, email,
                         "Too many failed sign-in attempts. Try again in " + std::to_string(seconds) +
                             (seconds == 1 ? " second." : " seconds."));
    res.header("Retry-After", std::to_string(seconds));
    return res;
  }
  // The password check (Argon2id, ~20 ms of CPU) is offloaded to a worker (service::Credentials): a burst
  // of sign-ins must not hold up token verification.
  return checkPassword(signIn, browser, email, password, permit);
}

HttpResponse AuthorizeHandlers::checkPassword(const AuthorizationRequest& signIn, const BrowserContext& browser,
                                              const std::string& email, const std::string& password,
                                              service::CheckPermit& permit) {
  const auto* user = credentials_.checkUser(signIn.client->organizationId, email, password, permit);
  // The same words for an unknown user and a wrong password: the page tells nobody who has an account.
  if (!user) return loginPage(browser, signIn, 401, email, "Incorrect email or password.");
  auto res = complete(signIn, *user);
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
