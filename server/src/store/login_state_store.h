#pragma once
// Where the browser logins (SPEC §5, service/login_state.h) keep what lives between two requests:
// authorization codes and login sessions, by digest only, and the secrets every node must share (the
// login page's CSRF key). In process memory for the memory and SQLite stores; in Redis for the Redis
// store, so that a login page shown by one node can be posted to another and its code exchanged on a
// third (docs/redis.md).
//
// Expiry is decided by the caller on the server's clock (the emulator moves it); the store only keeps
// the times and forgets entries some time after they cannot matter any more.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/token_crypto.h"

namespace tokens::store {

using domain::Digest;

/// What an authorization code stands for: a user's consent for one client, one redirect URI and, with
/// PKCE, one challenge.
struct CodeGrant {
  std::string clientId;
  std::string userId;
  std::string redirectUri;
  std::string codeChallenge;  ///< S256; empty when the authorization request had none
};

/// A spent or expired code is remembered this long after its expiry, so that a late replay still
/// revokes what the code gave.
inline constexpr std::int64_t kSpentCodeMemoryMs = 10 * 60 * 1000;

enum class CodeClaim { Unknown, WrongClient, Claimed, Replayed };

struct ClaimedCode {
  CodeClaim outcome = CodeClaim::Unknown;
  CodeGrant grant;                  ///< Claimed: what the code stands for
  std::int64_t expiresAtMs = 0;     ///< Claimed
  std::vector<Digest> issued;       ///< Replayed: what the first exchange issued, to revoke
};

class LoginStateStore {
 public:
  virtual ~LoginStateStore() = default;

  /// Keeps a fresh code until `expiresAtMs`; false when no more can be kept now. Throws StoreUnavailable.
  virtual bool putCode(const Digest& code, const CodeGrant& grant, std::int64_t expiresAtMs, std::int64_t nowMs) = 0;
  /// Claims a code for `clientId`, atomically: the first claim by the code's own client is Claimed
  /// (spent, whatever comes next); any later one by it is Replayed, with what the first recorded;
  /// another client's claim is WrongClient and changes nothing.
  virtual ClaimedCode claimCode(const Digest& code, std::string_view clientId) = 0;
  /// Records what the claimed code issued. False when the code was replayed meanwhile: the caller then
  /// revokes these itself.
  virtual bool recordIssued(const Digest& code, std::span<const Digest> issued) = 0;

  /// Keeps a login session of `userId` until `expiresAtMs`; false when no more can be kept now.
  virtual bool putSession(const Digest& session, std::string_view userId, std::int64_t expiresAtMs,
                          std::int64_t nowMs) = 0;
  /// The user of a live session.
  virtual std::optional<std::string> sessionUser(const Digest& session, std::int64_t nowMs) = 0;
  virtual void endSession(const Digest& session) = 0;
  virtual void endSessionsOf(std::string_view userId) = 0;

  /// A random secret of 32 bytes under `name`, made by whichever node asks first and the same for all
  /// after. Throws StoreUnavailable.
  virtual std::string sharedSecret(std::string_view name) = 0;
};

/// The in-process kind (memory and SQLite stores): a restart voids codes in flight and signs browsers out
/// of the login page, not out of their tokens.
std::unique_ptr<LoginStateStore> makeMemoryLoginStateStore();

}  // namespace tokens::store
