#include "domain/pkce.h"

#include <algorithm>

#include <sodium.h>

#include "domain/token_crypto.h"

namespace tokens::domain {

namespace {

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool base64url(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

}  // namespace

bool pkceVerifierWellFormed(std::string_view verifier) {
  return verifier.size() >= 43 && verifier.size() <= 128 && std::all_of(verifier.begin(), verifier.end(), unreserved);
}

bool pkceChallengeWellFormed(std::string_view challenge) {
  return challenge.size() == 43 && std::all_of(challenge.begin(), challenge.end(), base64url);
}

std::string pkceS256Challenge(std::string_view verifier) {
  const Digest d = digestOf(verifier);
  char encoded[sodium_base64_ENCODED_LEN(sizeof d, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, d.data(), d.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

bool pkceVerifierMatches(std::string_view verifier, std::string_view challenge) {
  return pkceVerifierWellFormed(verifier) && constantTimeEquals(pkceS256Challenge(verifier), challenge);
}

}  // namespace tokens::domain
