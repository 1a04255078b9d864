#include "api/csrf_guard.h"

#include <sodium.h>

#include "domain/token_crypto.h"

namespace tokens::api {

CsrfGuard::CsrfGuard() {
  domain::ensureCryptoReady();
  key_.resize(crypto_generichash_KEYBYTES);
  randombytes_buf(key_.data(), key_.size());
}

std::string CsrfGuard::newNonce() const { return domain::generateOpaqueToken(); }

std::string CsrfGuard::tokenFor(std::string_view nonce) const {
  unsigned char mac[32];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(nonce.data()), nonce.size(),
                     reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  char encoded[sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

bool CsrfGuard::valid(std::string_view nonce, std::string_view token) const {
  if (nonce.empty() || token.empty()) return false;
  return domain::constantTimeEquals(tokenFor(nonce), token);
}

}  // namespace tokens::api
