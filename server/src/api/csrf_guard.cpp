#include "api/csrf_guard.h"

#include <sodium.h>

#include "domain/token_crypto.h"

namespace tokens::api {

std::string CsrfGuard::key() const {
  {
    std::lock_guard lock(mutex_);
    if (!key_.empty()) return key_;
  }
  auto loaded = loadKey_();
  std::lock_guard lock(mutex_);
  if (key_.empty()) key_ = std::move(loaded);
  return key_;
}

std::string CsrfGuard::newNonce() const { return domain::generateOpaqueToken(); }

std::string CsrfGuard::tokenFor(std::string_view nonce) const {
  static_assert(crypto_generichash_KEYBYTES == 32, "the shared secret is 32 bytes");
  const auto k = key();
  unsigned char mac[32];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(nonce.data()), nonce.size(),
                     reinterpret_cast<const unsigned char*>(k.data()), k.size());
  char encoded[sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

bool CsrfGuard::valid(std::string_view nonce, std::string_view token) const {
  if (nonce.empty() || token.empty()) return false;
  return domain::constantTimeEquals(tokenFor(nonce), token);
}

}  // namespace tokens::api
