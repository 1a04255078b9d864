#pragma once
// Proof Key for Code Exchange (RFC 7636), S256 only: "plain" gives no protection against a stolen code.

#include <string>
#include <string_view>

namespace tokens::domain {

/// 43..128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1).
bool pkceVerifierWellFormed(std::string_view verifier);
/// A S256 challenge as a client sends it: 43 characters of base64url without padding.
bool pkceChallengeWellFormed(std::string_view challenge);
/// BASE64URL(SHA256(verifier)), without padding.
std::string pkceS256Challenge(std::string_view verifier);
/// Whether `verifier` answers `challenge`, compared in constant time.
bool pkceVerifierMatches(std::string_view verifier, std::string_view challenge);

}  // namespace tokens::domain
