#include "api/oauth_handlers.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <sodium.h>

#include "api/error_responses.h"
#include "api/json_body.h"
#include "api/url_encoding.h"
#include "domain/password_hash.h"

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
std::optional<domain::LoginGrant> offeredGrant(std::string_view grantType) {
  if (grantType == "client_credentials") return domain::LoginGrant::ClientCredentials;
  if (grantType == "password") return domain::LoginGrant::Password;
  if (grantType == "refresh_token") return domain::LoginGrant::RefreshToken;
  if (grantType == "authorization_code") return domain::LoginGrant::AuthorizationCode;
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

}  // namespace

SecretVerifier::SecretVerifier() {
  domain::ensureCryptoReady();
  key_.resize(crypto_generichash_KEYBYTES);
  randombytes_buf(key_.data(), key_.size());
}

std::string SecretVerifier::keyed(std::string_view clientId, std::string_view secret) const {
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash_state state;
  crypto_generichash_init(&state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size(), out.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(clientId.data()), clientId.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()), out.size());
  return out;
}

void SecretVerifier::remember(const std::string& clientId, std::string_view secret) {
  auto value = keyed(clientId, secret);
  std::lock_guard lock(mutex_);
  verified_.insert_or_assign(clientId, std::move(value));
}

bool SecretVerifier::matches(const std::string& clientId, const std::string& keyedSecret) {
  std::lock_guard lock(mutex_);
  const auto it = verified_.find(clientId);
  return it != verified_.end() && domain::constantTimeEquals(it->second, keyedSecret);
}

bool SecretVerifier::remembered(const domain::Client& client, std::string_view secret) {
  return !client.secretHash.empty() && matches(client.id, keyed(client.id, secret));
}

bool SecretVerifier::verify(const domain::Client& client, std::string_view secret) {
  if (client.secretHash.empty()) return false;
  auto candidate = keyed(client.id, secret);
  if (matches(client.id, candidate)) return true;
  if (!domain::verifySecret(client.secretHash, secret)) return false;
  std::lock_guard lock(mutex_);
  verified_.insert_or_assign(client.id, std::move(candidate));
  return true;
}

OAuthHandlers::OAuthHandlers(service::TokenService& tokens, service::LoginState& logins, GrantRateLimiter& limiter,
                             SecretVerifier& secrets, domain::Metrics& metrics)
    : tokens_(tokens), logins_(logins), limiter_(limiter), secrets_(secrets), metrics_(metrics),
      dummyPasswordHash_(domain::hashSecret("no user has this password")) {}

HttpResponse OAuthHandlers::token(const HttpRequest& req) {
  if (!hasMediaType(req.contentType, "application/x-www-form-urlencoded"))
    return oauthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
  const auto form = parseForm(req.body);
  if (!form) return oauthError(400, "invalid_request", "The form body is malformed.");
  const auto* grantType = findField(*form, "grant_type");
  if (!grantType || grantType->empty()) return oauthError(400, "invalid_request", "grant_type is required.");

  // A grant this server does not offer is said so first: a PKCE exchange, for one, carries no secret, and
  // "invalid_client" would send its author looking in the wrong place.
  const auto grant = offeredGrant(*grantType);
  if (!grant) return oauthError(400, "unsupported_grant_type", "The grant type " + *grantType + " is not supported.");

  const auto credentials = clientCredentials(req, *form);
  if (!credentials) return invalidClient();
  const auto* client = tokens_.directory().client(credentials->id);
  if (!client) return invalidClient();

  const auto rate = limiter_.hit(client->id, tokens_.clock().nowMs());
  if (!rate.allowed) return tooManyRequests(req.correlationId, rate.resetSeconds);

  // What follows may verify a password, or a secret not remembered yet: Argon2id, ~20 ms of CPU, which
  // must not hold up an event loop. Then it runs on a worker, with its own copies of what it needs.
  const bool secretRemembered = credentials->secret && secrets_.remembered(*client, *credentials->secret);
  const bool slow = *grant == domain::LoginGrant::Password || (credentials->secret && !secretRemembered);
  if (!slow) return grantFor(*client, *grant, *credentials, secretRemembered, *form);
  return HttpResponse::later([this, client, grant = *grant, credentials = *credentials, form = *form] {
    return grantFor(*client, grant, credentials, false, form);
  });
}

HttpResponse OAuthHandlers::grantFor(const domain::Client& client, domain::LoginGrant grant,
                                     const ClientCredentials& credentials, bool secretRemembered,
                                     const FormFields& form) {
  // The secret first: only its owner learns that a client is not active. Without a secret, a client
  // identifies itself only: enough for a PKCE exchange (the verifier is the proof) and for a public
  // client's refresh, nothing else.
  const bool authenticated = credentials.secret.has_value();
  if (authenticated) {
    if (!secretRemembered && !secrets_.verify(client, *credentials.secret)) return invalidClient();
  } else {
    const bool publicRefresh = grant == domain::LoginGrant::RefreshToken && client.secretHash.empty();
    if (grant != domain::LoginGrant::AuthorizationCode && !publicRefresh) return invalidClient();
  }
  if (client.state != domain::ClientState::active)
    return oauthError(401, "invalid_client", "The client is not active.");

  using domain::GrantType;
  switch (grant) {
  case domain::LoginGrant::ClientCredentials: {
    if (client.grantType != GrantType::CLIENT_CREDENTIALS)
      return oauthError(400, "unauthorized_client", "The client may not use the client_credentials grant.");
    auto issued = tokens_.issue(client, nullptr, "client_credentials", false);
    metrics_.recordLogin(domain::LoginGrant::ClientCredentials);
    return tokenResponse(issued);
  }
  case domain::LoginGrant::Password: {
    if (client.grantType != GrantType::PASSWORD)
      return oauthError(400, "unauthorized_client", "The client may not use the password grant.");
    const auto* username = findField(form, "username");
    const auto* password = findField(form, "password");
    if (!username || username->empty() || !password)
      return oauthError(400, "invalid_request", "username and password are required.");
    const auto* user = tokens_.directory().userByEmail(client.organizationId, *username);
    const bool ok = domain::verifySecret(user ? user->passwordHash : dummyPasswordHash_, *password);
    if (!user || !ok) return oauthError(400, "invalid_grant", "Invalid username or password.");
    auto issued = tokens_.issue(client, user, "password", true);
    metrics_.recordLogin(domain::LoginGrant::Password);
    return tokenResponse(issued);
  }
  case domain::LoginGrant::AuthorizationCode: {
    if (client.grantType != GrantType::CODE)
      return oauthError(400, "unauthorized_client", "The client may not use the authorization_code grant.");
    const auto* code = findField(form, "code");
    const auto* redirectUri = findField(form, "redirect_uri");
    if (!code || code->empty() || !redirectUri)
      return oauthError(400, "invalid_request", "code and redirect_uri are required.");
    const auto* verifier = findField(form, "code_verifier");
    auto exchanged = logins_.exchangeCode(client, *code, *redirectUri,
                                          verifier ? std::optional<std::string_view>(*verifier) : std::nullopt,
                                          authenticated);
    if (const auto* error = std::get_if<service::CodeError>(&exchanged))
      return oauthError(400, "invalid_grant", service::describe(*error));
    metrics_.recordLogin(domain::LoginGrant::AuthorizationCode);
    return tokenResponse(std::get<service::IssuedTokens>(exchanged));
  }
  default: {  // LoginGrant::RefreshToken: offeredGrant() gives no other
    if (client.grantType != GrantType::PASSWORD && client.grantType != GrantType::CODE)
      return oauthError(400, "unauthorized_client", "The client may not use the refresh_token grant.");
    const auto* refreshToken = findField(form, "refresh_token");
    if (!refreshToken || refreshToken->empty()) return oauthError(400, "invalid_request", "refresh_token is required.");
    auto issued = tokens_.refresh(client, *refreshToken);
    if (!issued) return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or already used.");
    metrics_.recordLogin(domain::LoginGrant::RefreshToken);
    return tokenResponse(*issued);
  }
  }
}

}  // namespace tokens::api
