#pragma once
// Not public API. The one home of what goes to POST /oauth/token (each grant's form, and whether the
// client authenticates with HTTP Basic) and of what comes back (the token response), for the logins of
// ApiClient, the browser logins and the renewals alike.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "PureCloudPlatformClientV2/AuthData.h"

namespace PureCloudPlatformClientV2::internal {

/// How a token, once it is due or refused, can be renewed without the user.
enum class Renewal { None, ClientCredentials, RefreshToken };

/// A token request, and how the token it gives can be renewed later.
struct GrantRequest {
  std::string form;          ///< application/x-www-form-urlencoded body
  std::string clientId;      ///< sent as HTTP Basic with clientSecret, unless basicAuth is false
  std::string clientSecret;
  bool basicAuth = true;
  Renewal renewal = Renewal::None;
};

GrantRequest clientCredentialsGrant(const std::string& clientId, const std::string& clientSecret);
GrantRequest passwordGrant(const std::string& clientId, const std::string& clientSecret, const std::string& username,
                           const std::string& password);
GrantRequest authorizationCodeGrant(const std::string& clientId, const std::string& clientSecret,
                                    const std::string& code, const std::string& redirectUri);
/// A public client's code exchange: the verifier is the proof, the client id goes in the form (no Basic).
GrantRequest pkceGrant(const std::string& clientId, const std::string& codeVerifier, const std::string& code,
                       const std::string& redirectUri);
/// The refresh grant: HTTP Basic for a confidential client; for a public (PKCE) client, whose secret is
/// empty, the client id in the form instead (RFC 6749 §6).
GrantRequest refreshTokenGrant(const std::string& clientId, const std::string& clientSecret,
                               const std::string& refreshToken);
GrantRequest saml2BearerGrant(const std::string& clientId, const std::string& clientSecret, const std::string& orgName,
                              const std::string& assertion);

/// The token a successful answer of /oauth/token carries, its expiry reckoned from `now`; nullopt when
/// the body holds no access_token.
std::optional<AuthData> parseTokenResponse(std::string_view body, std::chrono::system_clock::time_point now);

/// RFC 3986 percent-encoding of everything but unreserved characters (path segments, form values).
std::string percentEncode(std::string_view text);
/// "Basic base64(id:secret)".
std::string basicAuthorization(const std::string& id, const std::string& secret);

}  // namespace PureCloudPlatformClientV2::internal
