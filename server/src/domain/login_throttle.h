#pragma once
// Slowing down password guessing on the login page: after repeated failures for one user (email within an
// organization) or from one address, further attempts are refused until a waiting time has passed, and that time doubles with
// each further failure. A refused attempt is not checked at all, so guessing costs the server nothing.
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tokens::domain {

struct LoginThrottleLimits {
  int freeFailuresPerUser = 5;      ///< failures before the first wait, per email
  int freeFailuresPerAddress = 20;  ///< and per client address (one office shares an address)
  std::int64_t firstWaitMs = 1000;  ///< then 2 s, 4 s, ... up to maxWaitMs
  std::int64_t maxWaitMs = 15 * 60 * 1000;
  std::int64_t forgetAfterMs = 15 * 60 * 1000;  ///< a key without failures for this long starts over
  std::size_t maxKeys = 100000;  ///< bound on memory: past it, forgotten keys are swept first
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleLimits limits = {}) : limits_(limits) {}

  /// How long (ms) an attempt for `email` of `organizationId` from `address` must still wait; nullopt: it
  /// may proceed. Callers bound the email's length (a key is kept per distinct email).
  std::optional<std::int64_t> waitBefore(std::string_view organizationId, std::string_view email,
                                         std::string_view address, std::int64_t nowMs);
  void recordFailure(std::string_view organizationId, std::string_view email, std::string_view address,
                     std::int64_t nowMs);
  /// A successful login clears the user's failures (not the address's: a guesser with one good account
  /// must not reset the count for the others).
  void recordSuccess(std::string_view organizationId, std::string_view email);
  /// How many users and addresses it tracks (bounded by maxKeys).
  std::size_t trackedKeys();

 private:
  struct Failures {
    int count = 0;
    std::int64_t lastMs = 0;
  };
  std::optional<std::int64_t> waitFor(const std::string& key, int freeFailures, std::int64_t nowMs) const;
  void fail(const std::string& key, std::int64_t nowMs);
  void sweep(std::int64_t nowMs);

  LoginThrottleLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> failures_;  // "u:<org>\n<email lowercase>" and "a:<address>"
};

}  // namespace tokens::domain
