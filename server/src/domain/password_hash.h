#pragma once
// Slow salted hashes for client secrets and user passwords (Argon2id, libsodium's encoded form).

#include <string>
#include <string_view>

namespace tokens::domain {

/// Argon2id with t=2 and m=19 MiB, the parameters OWASP recommends for interactive logins; the salt and
/// parameters travel inside the encoded string, so later parameter changes keep old hashes valid.
std::string hashSecret(std::string_view secret);

/// Constant-time verification against an encoded hash; false for a malformed hash.
bool verifySecret(std::string_view encodedHash, std::string_view secret);

/// Whether `text` looks like a hash this server produces (used to check provisioning files).
bool isSecretHash(std::string_view text);

}  // namespace tokens::domain
