#pragma once
// Not public API. What must never reach a log: Authorization headers, tokens, secrets, passwords.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace PureCloudPlatformClientV2::internal {

inline constexpr std::string_view kRedacted = "[REDACTED]";

/// Whether a header's value is a credential (Authorization, Proxy-Authorization, Cookie, Set-Cookie).
bool isSensitiveHeader(std::string_view name);
std::string redactHeaderValue(std::string_view name, std::string_view value);

/// A body with every credential field's value replaced: JSON keys and form fields named access_token,
/// refresh_token, id_token, client_secret, password, code, code_verifier, assertion (any case).
/// A body that is neither JSON nor a form is kept only if it holds none of those names.
std::string redactBody(std::string_view body);

}  // namespace PureCloudPlatformClientV2::internal
