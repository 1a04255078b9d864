#pragma once
// Opaque tokens, their digests, and the small pieces of cryptography around them.

#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tokens::domain {

/// SHA-256 of a token: what the store keeps instead of the token.
using Digest = std::array<unsigned char, 32>;

struct DigestHash {
  // A digest is uniformly distributed already: its first bytes are as good a hash as any.
  std::size_t operator()(const Digest& d) const noexcept {
    std::size_t h;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
  }
};

/// Initialises libsodium once; every function here calls it, so callers need not.
void ensureCryptoReady();

/// 256 bits from the operating system's CSPRNG, base64url without padding (43 characters).
std::string generateOpaqueToken();
/// A fresh token whose digest (digestOf) begins with `firstByte`: for the second token of a pair, in a
/// store that keeps a pair together by that byte (TokenStore::keepsPairsTogether). About 256 tries.
std::string generateOpaqueTokenWithDigestStartingWith(unsigned char firstByte);
Digest digestOf(std::string_view token);
std::string toHex(std::span<const unsigned char> bytes);
inline std::string toHex(const Digest& digest) { return toHex(std::span<const unsigned char>(digest)); }
/// The digest toHex() wrote, or none for anything else (any case accepted).
std::optional<Digest> digestFromHex(std::string_view hex);

/// Constant-time equality (the lengths are not secret).
bool constantTimeEquals(std::string_view a, std::string_view b);

/// Standard base64 (with or without padding), as HTTP Basic credentials use it.
std::optional<std::string> decodeBase64(std::string_view text);

}  // namespace tokens::domain
