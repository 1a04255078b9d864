#include "service/credentials.h"

#include <sodium.h>

#include "async/offload.h"
#include "domain/password_hash.h"
#include "domain/token_crypto.h"

namespace tokens::service {

Credentials::Credentials(const domain::Directory& directory, const domain::Clock& clock,
                         domain::GuessThrottleLimits limits, domain::GuessLedger* sharedThrottle)
    : directory_(directory), clock_(clock), throttle_(limits, sharedThrottle),
      dummyPasswordHash_(domain::hashSecret("no user has this password")) {
  domain::ensureCryptoReady();
  memoryKey_.resize(crypto_generichash_KEYBYTES);
  randombytes_buf(memoryKey_.data(), memoryKey_.size());
}

std::string Credentials::keyed(std::string_view clientId, std::string_view secret) const {
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash_state state;
  crypto_generichash_init(&state, reinterpret_cast<const unsigned char*>(memoryKey_.data()), memoryKey_.size(),
                          out.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(clientId.data()), clientId.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()), out.size());
  return out;
}

void Credentials::rememberSecret(const std::string& clientId, std::string_view secret) {
  auto value = keyed(clientId, secret);
  std::lock_guard lock(mutex_);
  verifiedSecrets_.insert_or_assign(clientId, std::move(value));
}

bool Credentials::remembered(const domain::Client& client, std::string_view secret) {
  if (client.secretHash.empty()) return false;
  const auto candidate = keyed(client.id, secret);
  std::lock_guard lock(mutex_);
  const auto it = verifiedSecrets_.find(client.id);
  return it != verifiedSecrets_.end() && domain::constantTimeEquals(it->second, candidate);
}

CheckPermit Credentials::permitClient(const domain::Client& client, std::string_view secret, std::string_view address) {
  CheckPermit permit;
  permit.keys = domain::GuessThrottle::clientKeys(client.id, address);
  const auto now = clock_.nowMs();
  if (remembered(client, secret)) {
    permit.waitMs = throttle_.waitBefore(permit.keys, now);
    return permit;
  }
  auto start = throttle_.begin(permit.keys, now);
  permit.waitMs = start.waitMs;
  permit.attempt = std::move(start.attempt);
  return permit;
}

bool Credentials::checkClient(const domain::Client& client, std::string_view secret, CheckPermit& permit) {
  if (!permit.slow()) {
    // Permitted as remembered: it still is (a remembered secret is never forgotten while running).
    const bool ok = remembered(client, secret);
    if (ok) throttle_.recordSuccess(permit.keys);
    return ok;
  }
  // Argon2id, ~20 ms of CPU: off the event loop (async/offload.h).
  const bool ok = !client.secretHash.empty() &&
                  async::offload([&] { return domain::verifySecret(client.secretHash, secret); });
  if (!ok) {
    permit.attempt->failed(clock_.nowMs());
    return false;
  }
  permit.attempt->succeeded();
  rememberSecret(client.id, secret);
  return true;
}

std::int64_t Credentials::userWait(std::string_view organizationId, std::string_view email, std::string_view address) {
  return throttle_.waitBefore(domain::GuessThrottle::userKeys(organizationId, email, address), clock_.nowMs());
}

CheckPermit Credentials::permitUser(std::string_view organizationId, std::string_view email, std::string_view address) {
  CheckPermit permit;
  permit.keys = domain::GuessThrottle::userKeys(organizationId, email, address);
  auto start = throttle_.begin(permit.keys, clock_.nowMs());
  permit.waitMs = start.waitMs;
  permit.attempt = std::move(start.attempt);
  return permit;
}

const domain::User* Credentials::checkUser(std::string_view organizationId, std::string_view email,
                                           std::string_view password, CheckPermit& permit) {
  const auto* user = directory_.userByEmail(organizationId, email);
  const auto& hash = user ? user->passwordHash : dummyPasswordHash_;
  const bool ok = async::offload([&] { return domain::verifySecret(hash, password); });
  if (!user || !ok) {
    if (permit.attempt) permit.attempt->failed(clock_.nowMs());
    return nullptr;
  }
  if (permit.attempt) permit.attempt->succeeded();
  return user;
}

}  // namespace tokens::service
