#include "api/oauth_handlers.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/client_address.h"
#include "api/error_responses.h"
#include "api/json_body.h"
#include "domain/token_crypto.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;

namespace {

// RFC 6749 §5.2 errors; "description" too, as Genesys Cloud sends both.
HttpResponse oauthError(int status, std::string_view error, std::string_view description) {
  HttpResponse res;
  res.status = status;
  res.contentType = "application/json";
  boost::json::object body;
  body["error"] = error;
  body["description"] = description;
  body["error_description"] = description;
  res.body = boost::json::serialize(body);
  res.header("Cache-Control", "no-store");
  if (status == 401) res.header("WWW-Authenticate", "Basic realm=\"oauth\"");
  return res;
}

HttpResponse invalidClient() { return oauthError(401, "invalid_client", "Client authentication failed."); }

HttpResponse tokenResponse(const service::IssuedTokens& issued) {
  HttpResponse res;
  res.contentType = "application/json";
  boost::json::object body;
  body["access_token"] = issued.accessToken;
  body["token_type"] = "bearer";
  body["expires_in"] = issued.expiresInSeconds;
  if (issued.refreshToken) body["refresh_token"] = *issued.refreshToken;
  res.body = boost::json::serialize(body);
  res.header("Cache-Control", "no-store");
  res.header("Pragma", "no-cache");
  return res;
}

// The grants this server offers so far, by their grant_type; nullopt for any other.
std::optional<domain::GrantKind> offeredGrant(std::string_view grantType) {
  if (grantType == "client_credentials") return domain::GrantKind::ClientCredentials;
  if (grantType == "password") return domain::GrantKind::Password;
  if (grantType == "refresh_token") return domain::GrantKind::RefreshToken;
  if (grantType == "authorization_code") return domain::GrantKind::AuthorizationCode;
  return std::nullopt;
}

// HTTP Basic first (client_secret_basic), else client_id/client_secret in the form (client_secret_post).
std::optional<ClientCredentials> clientCredentials(const HttpRequest& req, const FormFields& form) {
  const auto auth = req.authorization;
  if (auth.size() > 6 && domain::lowercaseAscii(auth.substr(0, 6)) == "basic ") {
    const auto decoded = domain::decodeBase64(auth.substr(6));
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return ClientCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
  }
  const auto* id = findField(form, "client_id");
  if (!id || id->empty()) return std::nullopt;
  const auto* secret = findField(form, "client_secret");
  return ClientCredentials{*id, secret ? std::optional<std::string>(*secret) : std::nullopt};
}

// Without a secret, a client identifies itself only: enough for a PKCE exchange (the verifier is the
// proof) and for a public client's refresh, nothing else.
bool mayGoWithoutSecret(const domain::Client& client, domain::GrantKind grant) {
  if (grant == domain::GrantKind::AuthorizationCode) return true;
  return grant == domain::GrantKind::RefreshToken && client.secretHash.empty();
}

}  // namespace

OAuthHandlers::OAuthHandlers(service::TokenService& tokens, service::LoginState& logins, GrantRateLimiter& limiter,
                             service::Credentials& credentials, Metrics& metrics)
    : tokens_(tokens), logins_(logins), limiter_(limiter), credentials_(credentials), metrics_(metrics) {}

HttpResponse OAuthHandlers::token(const HttpRequest& req) {
  if (!hasMediaType(req.contentType, "application/x-www-form-urlencoded"))
    return oauthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
  auto form = parseForm(req.body);
  if (!form) return oauthError(400, "invalid_request", "The form body is malformed.");
  const auto* grantType = findField(*form, "grant_type");
  if (!grantType || grantType->empty()) return oauthError(400, "invalid_request", "grant_type is required.");

  // A grant this server does not offer is said so first: a PKCE exchange, for one, carries no secret, and
  // "invalid_client" would send its author looking in the wrong place.
  const auto offered = offeredGrant(*grantType);
  if (!offered) return oauthError(400, "unsupported_grant_type", "The grant type " + *grantType + " is not supported.");

  auto credentials = clientCredentials(req, *form);
  if (!credentials) return invalidClient();
  const auto* client = tokens_.directory().client(credentials->id);
  if (!client) return invalidClient();
  if (!credentials->secret && !mayGoWithoutSecret(*client, *offered)) return invalidClient();

  // The throttles first, before anything is hashed (SPEC §5): a guesser who is made to wait costs nothing.
  GrantRequest request{client, *offered, std::move(*credentials), {}, {}, clientAddress(req), req.correlationId};
  if (request.credentials.secret) {
    request.clientCheck = credentials_.permitClient(*client, *request.credentials.secret, request.address);
    if (request.clientCheck.refused()) return tooManyRequests(req.correlationId, request.clientCheck.retryAfterSeconds());
  }
  if (*offered == domain::GrantKind::Password) {
    const auto* username = findField(*form, "username");
    if (username && !username->empty() && username->size() <= service::kMaxEmailLength) {
      // Only a wait, here: a check of the user's password starts (and counts in flight on the user's
      // account) once the client is authenticated (passwordGrant), else whoever knows a client's id could
      // make anyone's sign-ins wait.
      if (const auto wait = credentials_.userWait(client->organizationId, *username, request.address); wait > 0)
        return tooManyRequests(req.correlationId, (wait + 999) / 1000);
    }
  }
  // The grant limit counts tokens granted, never failed attempts: whoever knows a client's id must not be
  // able to use up its allowance.
  if (const auto rate = limiter_.peek(client->id, tokens_.clock().nowMs()); !rate.allowed)
    return tooManyRequests(req.correlationId, rate.resetSeconds);

  request.form = std::move(*form);
  return grant(request);
}

HttpResponse OAuthHandlers::grant(GrantRequest& request) {
  const auto& client = *request.client;
  // The secret first: only its owner learns that a client is not active.
  if (request.credentials.secret && !credentials_.checkClient(client, *request.credentials.secret, request.clientCheck))
    return invalidClient();
  if (client.state != domain::ClientState::active) return oauthError(401, "invalid_client", "The client is not active.");

  HttpResponse res;
  switch (request.grant) {
    case domain::GrantKind::ClientCredentials: res = clientCredentialsGrant(client); break;
    case domain::GrantKind::Password: res = passwordGrant(request); break;
    case domain::GrantKind::AuthorizationCode: res = authorizationCodeGrant(request); break;
    case domain::GrantKind::RefreshToken: res = refreshTokenGrant(request); break;
    case domain::GrantKind::Implicit:  // the login page's, never a grant_type here (offeredGrant)
    case domain::GrantKind::Count:
      return oauthError(400, "unsupported_grant_type", "The implicit grant is not a token request.");
  }
  if (res.status == 200) {
    limiter_.hit(client.id, tokens_.clock().nowMs());
    metrics_.recordLogin(request.grant);
  }
  return res;
}

HttpResponse OAuthHandlers::clientCredentialsGrant(const domain::Client& client) {
  if (client.grantType != domain::GrantType::CLIENT_CREDENTIALS)
    return oauthError(400, "unauthorized_client", "The client may not use the client_credentials grant.");
  return tokenResponse(tokens_.issue(client, nullptr, "client_credentials", false));
}

HttpResponse OAuthHandlers::passwordGrant(const GrantRequest& request) {
  const auto& client = *request.client;
  if (client.grantType != domain::GrantType::PASSWORD)
    return oauthError(400, "unauthorized_client", "The client may not use the password grant.");
  const auto* username = findField(request.form, "username");
  const auto* password = findField(request.form, "password");
  if (!username || username->empty() || !password)
    return oauthError(400, "invalid_request", "username and password are required.");
  if (username->size() > service::kMaxEmailLength) return oauthError(400, "invalid_grant", "Invalid username or password.");
  auto userCheck = credentials_.permitUser(client.organizationId, *username, request.address);
  if (userCheck.refused()) return tooManyRequests(request.correlationId, userCheck.retryAfterSeconds());
  const auto* user = credentials_.checkUser(client.organizationId, *username, *password, userCheck);
  if (!user) return oauthError(400, "invalid_grant", "Invalid username or password.");
  return tokenResponse(tokens_.issue(client, user, "password", true));
}

HttpResponse OAuthHandlers::authorizationCodeGrant(const GrantRequest& request) {
  const auto& client = *request.client;
  if (client.grantType != domain::GrantType::CODE)
    return oauthError(400, "unauthorized_client", "The client may not use the authorization_code grant.");
  const auto* code = findField(request.form, "code");
  const auto* redirectUri = findField(request.form, "redirect_uri");
  if (!code || code->empty() || !redirectUri)
    return oauthError(400, "invalid_request", "code and redirect_uri are required.");
  const auto* verifier = findField(request.form, "code_verifier");
  auto exchanged = logins_.exchangeCode(client, *code, *redirectUri,
                                        verifier ? std::optional<std::string_view>(*verifier) : std::nullopt,
                                        request.credentials.secret.has_value());
  if (const auto* error = std::get_if<service::CodeError>(&exchanged))
    return oauthError(400, "invalid_grant", service::messageOf(*error));
  return tokenResponse(std::get<service::IssuedTokens>(exchanged));
}

HttpResponse OAuthHandlers::refreshTokenGrant(const GrantRequest& request) {
  const auto& client = *request.client;
  if (client.grantType != domain::GrantType::PASSWORD && client.grantType != domain::GrantType::CODE)
    return oauthError(400, "unauthorized_client", "The client may not use the refresh_token grant.");
  const auto* refreshToken = findField(request.form, "refresh_token");
  if (!refreshToken || refreshToken->empty()) return oauthError(400, "invalid_request", "refresh_token is required.");
  auto issued = tokens_.refresh(client, *refreshToken);
  if (!issued) return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or already used.");
  return tokenResponse(*issued);
}

}  // namespace tokens::api
