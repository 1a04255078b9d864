#include "internal/grants.h"

#include <cctype>
#include <cstring>

#include <boost/json.hpp>
#include <sodium.h>

namespace PureCloudPlatformClientV2::internal {

GrantRequest clientCredentialsGrant(const std::string& clientId, const std::string& clientSecret) {
  return {"grant_type=client_credentials", clientId, clientSecret, true, Renewal::ClientCredentials};
}

GrantRequest passwordGrant(const std::string& clientId, const std::string& clientSecret, const std::string& username,
                           const std::string& password) {
  return {"grant_type=password&username=" + percentEncode(username) + "&password=" + percentEncode(password), clientId,
          clientSecret, true, Renewal::RefreshToken};
}

GrantRequest authorizationCodeGrant(const std::string& clientId, const std::string& clientSecret,
                                    const std::string& code, const std::string& redirectUri) {
  return {"grant_type=authorization_code&code=" + percentEncode(code) + "&redirect_uri=" + percentEncode(redirectUri),
          clientId, clientSecret, true, Renewal::RefreshToken};
}

GrantRequest pkceGrant(const std::string& clientId, const std::string& codeVerifier, const std::string& code,
                       const std::string& redirectUri) {
  return {"grant_type=authorization_code&code=" + percentEncode(code) + "&code_verifier=" + percentEncode(codeVerifier) +
              "&client_id=" + percentEncode(clientId) + "&redirect_uri=" + percentEncode(redirectUri),
          clientId, "", false, Renewal::RefreshToken};
}

GrantRequest refreshTokenGrant(const std::string& clientId, const std::string& clientSecret,
                               const std::string& refreshToken) {
  GrantRequest grant{"grant_type=refresh_token&refresh_token=" + percentEncode(refreshToken), clientId, clientSecret,
                     true, Renewal::RefreshToken};
  if (clientSecret.empty()) {  // a PKCE client: no secret, the id goes in the form
    grant.basicAuth = false;
    grant.form += "&client_id=" + percentEncode(clientId);
  }
  return grant;
}

GrantRequest saml2BearerGrant(const std::string& clientId, const std::string& clientSecret, const std::string& orgName,
                              const std::string& assertion) {
  return {"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&orgName=" + percentEncode(orgName) +
              "&assertion=" + percentEncode(assertion),
          clientId, clientSecret, true, Renewal::None};
}

std::optional<AuthData> parseTokenResponse(std::string_view body, std::chrono::system_clock::time_point now) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(body, ec);
  const auto* object = !ec ? json.if_object() : nullptr;
  const auto* token = object ? object->if_contains("access_token") : nullptr;
  if (!token || !token->is_string()) return std::nullopt;
  AuthData data;
  data.accessToken = std::string(token->as_string());
  if (const auto* refresh = object->if_contains("refresh_token"); refresh && refresh->is_string())
    data.refreshToken = std::string(refresh->as_string());
  if (const auto* type = object->if_contains("token_type"); type && type->is_string())
    data.tokenType = std::string(type->as_string());
  if (const auto* expiresIn = object->if_contains("expires_in"); expiresIn && expiresIn->is_int64())
    data.expiresIn = static_cast<int>(expiresIn->as_int64());
  data.tokenExpiryTime = now + std::chrono::seconds(data.expiresIn);
  return data;
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string basicAuthorization(const std::string& id, const std::string& secret) {
  const std::string raw = id + ":" + secret;
  std::string encoded(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  return "Basic " + encoded;
}

}  // namespace PureCloudPlatformClientV2::internal
