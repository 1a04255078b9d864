#pragma once
// The ways a token is obtained (SPEC §5): the grant_type values of POST /oauth/token, and the login page's
// implicit grant. Not the wire enum of a client's authorized grants (models' AuthorizedGrantType), which
// names what a client may use and has no refresh_token.

#include <cstdint>
#include <string_view>

namespace tokens::domain {

enum class GrantKind : std::uint8_t { ClientCredentials, Password, RefreshToken, AuthorizationCode, Implicit, Count };

/// The grant_type (or "implicit"), for the metrics' labels.
constexpr std::string_view grantLabel(GrantKind grant) {
  switch (grant) {
    case GrantKind::ClientCredentials: return "client_credentials";
    case GrantKind::Password: return "password";
    case GrantKind::RefreshToken: return "refresh_token";
    case GrantKind::Implicit: return "implicit";
    default: return "authorization_code";
  }
}

}  // namespace tokens::domain
