#pragma once
// The one place that checks who a caller claims to be (SPEC §5): a client's secret and a user's
// password, for /oauth/token and the login page alike, under the guessing throttle.
//
// Every check goes in two steps, because the slow one (Argon2id, ~20 ms of CPU) must not run at all
// while the throttle says wait:
//   1. permit...(): refused (wait), or permitted, and then cheap or slow;
//   2. check...(), which also reports the outcome. A slow check hashes through async::offload: in a
//      request fiber, on the worker pool while the event loop serves others (it may throw
//      async::Overloaded when every worker is busy).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "domain/clock.h"
#include "domain/directory.h"
#include "domain/guess_throttle.h"

namespace tokens::service {

/// RFC 5321's limit on a forward path: a longer email is none, and would only bloat the throttle's keys.
inline constexpr std::size_t kMaxEmailLength = 254;

/// The throttle's answer before a check.
struct CheckPermit {
  std::int64_t waitMs = 0;  ///< > 0: refused; the caller may try again after this long
  std::vector<domain::GuessThrottle::Key> keys;
  std::shared_ptr<domain::GuessThrottle::Attempt> attempt;  ///< set for a slow check: report to it

  bool refused() const { return waitMs > 0; }
  /// Whether the check will hash (Argon2id, offloaded to a worker).
  bool slow() const { return attempt != nullptr; }
  /// Whole seconds to wait, rounded up (Retry-After).
  std::int64_t retryAfterSeconds() const { return (waitMs + 999) / 1000; }
};

class Credentials {
 public:
  /// `sharedThrottle`: where the guessing throttle counts when several nodes share it (null: here).
  Credentials(const domain::Directory& directory, const domain::Clock& clock, domain::GuessThrottleLimits limits = {},
              domain::GuessLedger* sharedThrottle = nullptr);

  /// Seeds the memory of verified secrets with one known in clear at start-up (the provisioning file).
  void rememberSecret(const std::string& clientId, std::string_view secret);

  /// Before a client's secret is checked from `address`. A secret verified before needs no hash: cheap.
  CheckPermit permitClient(const domain::Client& client, std::string_view secret, std::string_view address);
  /// Checks the secret as permitted and reports the outcome. A success is remembered: a service that logs
  /// in every minute pays for Argon2id once.
  bool checkClient(const domain::Client& client, std::string_view secret, CheckPermit& permit);

  /// The wait (ms, 0: none) a user's password check would meet now, without starting one: the cheap
  /// refusal for a caller not authenticated yet, who must not put checks in flight on someone's account.
  std::int64_t userWait(std::string_view organizationId, std::string_view email, std::string_view address);

  /// Before a user's password is checked (always slow). `email` as typed; callers bound its length.
  CheckPermit permitUser(std::string_view organizationId, std::string_view email, std::string_view address);
  /// The user whose password this is, or null (unknown email or wrong password: the same time either
  /// way, so that timing tells nobody who has an account). Reports the outcome.
  const domain::User* checkUser(std::string_view organizationId, std::string_view email, std::string_view password,
                                CheckPermit& permit);

  domain::GuessThrottle& throttle() { return throttle_; }

 private:
  /// What is remembered of a verified secret: a keyed BLAKE2b of it under a key that lives only in this
  /// process, compared in constant time.
  std::string keyed(std::string_view clientId, std::string_view secret) const;
  bool remembered(const domain::Client& client, std::string_view secret);

  const domain::Directory& directory_;
  const domain::Clock& clock_;
  domain::GuessThrottle throttle_;
  std::string dummyPasswordHash_;  // verified against when the user is unknown
  std::string memoryKey_;
  std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> verifiedSecrets_;  // client id -> keyed secret
};

}  // namespace tokens::service
