#include "domain/password_hash.h"

#include <stdexcept>

#include <sodium.h>

#include "domain/token_crypto.h"

namespace tokens::domain {
namespace {
#ifndef TOKENS_FUZZ_BUILD
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19U * 1024U * 1024U;
#else
// The fuzz build only (cmake/Fuzzing.cmake): a fuzzer parses thousands of provisioning files a second,
// many with passwords in clear. The cheapest Argon2id keeps it fast; the code path stays the same.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_MIN;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_MIN;
#endif
}  // namespace

std::string hashSecret(std::string_view secret) {
  ensureCryptoReady();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), kOpsLimit, kMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a secret");
  return out;
}

bool verifySecret(std::string_view encodedHash, std::string_view secret) {
  ensureCryptoReady();
  if (encodedHash.empty() || encodedHash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(encodedHash);  // libsodium wants a C string
  return crypto_pwhash_str_verify(terminated.c_str(), secret.data(), secret.size()) == 0;
}

bool isSecretHash(std::string_view text) {
  ensureCryptoReady();
  if (!text.starts_with("$argon2id$") && !text.starts_with("$argon2i$")) return false;
  if (text.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(text);
  // -1 means libsodium cannot read the string: truncated, garbled, or parameters out of range.
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), kOpsLimit, kMemLimit) != -1;
}

}  // namespace tokens::domain
