#pragma once
// The store interface (SPEC §7): issued tokens, revocations, activity and idle-timeout settings.
// Every implementation passes tests/unit/store_contract_test.cpp.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "domain/token_crypto.h"
#include "store/login_state_store.h"

namespace tokens::domain {
class GuessLedger;  // domain/guess_throttle.h
}  // namespace tokens::domain

namespace tokens::store {

class RateCounters;  // store/rate_counters.h

using domain::Digest;
using PureCloudPlatformClientV2::IdleTokenTimeout;

enum class TokenKind : std::uint8_t { Access = 0, Refresh = 1 };

struct TokenRecord {
  Digest digest{};
  TokenKind kind = TokenKind::Access;
  std::string organizationId;
  std::string clientId;
  std::string userId;     ///< empty for client-credentials tokens
  std::string grantType;  ///< "client_credentials", "password", ...
  std::int64_t issuedAtMs = 0;
  std::int64_t expiresAtMs = 0;
  std::optional<Digest> pairDigest;  ///< the refresh token issued with an access token, and back

  bool operator==(const TokenRecord&) const = default;
};

/// Moves a token's last activity forward to `ms`, never back: two requests may touch the same token out of
/// order. True if it moved.
inline bool advanceActivity(std::atomic<std::int64_t>& lastActivityMs, std::int64_t ms) {
  auto seen = lastActivityMs.load(std::memory_order_relaxed);
  while (seen < ms && !lastActivityMs.compare_exchange_weak(seen, ms, std::memory_order_relaxed)) {
  }
  return seen < ms;
}

/// A stored token as the request path sees it: a copy of the record and of its last activity, taken when
/// it was found. Activity goes to the store with TokenStore::touch; the copy only follows it along.
struct TokenEntry {
  explicit TokenEntry(TokenRecord r, std::int64_t activityMs) : record(std::move(r)), lastActivityMs(activityMs) {}
  const TokenRecord record;
  std::atomic<std::int64_t> lastActivityMs;

  void advanceActivityTo(std::int64_t ms) { advanceActivity(lastActivityMs, ms); }
};

/// The store could not do what was asked (disk full, database locked, unreachable): answered 503.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;

  /// Stores tokens issued together (an access token and its refresh token), all or none. Durable
  /// before it returns. Throws StoreUnavailable.
  virtual void insert(std::span<const TokenRecord> records, std::int64_t nowMs) = 0;

  /// The live token with this digest, or null. Expired tokens stay findable until purged, so that they
  /// can be told apart from unknown ones.
  virtual std::shared_ptr<TokenEntry> find(const Digest& digest) = 0;

  /// Replaces a token that is used up by the ones issued for it (a refresh token by the next pair), as one
  /// step: if `used` is still live, it is revoked and `issued` stored, durable before it returns; if not,
  /// nothing changes and the answer is false. No revocation can fall between the two, so a user revoked
  /// while a refresh is under way keeps no token (the refresh either fails, or its tokens are revoked too).
  /// If keepsPairsTogether(), every digest of `issued` begins with the byte `used` begins with.
  virtual bool rotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) = 0;

  /// Revokes these tokens, all or none (with keepsPairsTogether(), all or none of those that begin with
  /// the same byte: a pair is), durable before it returns. Returns how many existed.
  virtual std::size_t revoke(std::span<const Digest> digests) = 0;

  /// Revokes every token (access and refresh, of any client) of a user of an organization.
  virtual std::size_t revokeUser(std::string_view organizationId, std::string_view userId) = 0;

  /// Records activity on a token. May be written behind, at most 1 s late (SPEC §7).
  virtual void touch(TokenEntry& entry, std::int64_t nowMs) = 0;

  /// The organization's stored idle token timeout, or none if it never changed it.
  virtual std::shared_ptr<const IdleTokenTimeout> idleTokenTimeout(std::string_view organizationId) = 0;
  /// Durable before it returns. Throws StoreUnavailable.
  virtual void saveIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) = 0;

  /// How far the emulator's clock was moved ahead (SPEC §8), 0 if never: kept in the store, so that a
  /// restart does not turn the clock back and bring expired tokens to life again.
  virtual std::int64_t clockOffsetMs() = 0;
  /// Adds `byMs` (>= 0) to the stored offset, in one step, unless the sum would pass `maxMs`: returns the
  /// new offset, durable before it returns, or nullopt and nothing changed. One step, so that two
  /// advances (on two nodes, say) both count and the offset never moves back. Throws StoreUnavailable.
  virtual std::optional<std::int64_t> advanceClockOffsetMs(std::int64_t byMs, std::int64_t maxMs) = 0;

  /// Deletes tokens that expired before `beforeMs`; returns how many.
  virtual std::size_t purgeExpired(std::int64_t beforeMs) = 0;

  /// Writes pending write-behind state now (at shutdown, and in tests).
  virtual void flush() = 0;

  virtual bool ready() = 0;
  virtual std::size_t liveTokens() = 0;

  /// A durable store's transactions so far and the writes they held (group commit), or none.
  struct CommitCounts {
    std::size_t commits = 0;
    std::size_t writes = 0;
  };
  virtual std::optional<CommitCounts> commitCounts() { return std::nullopt; }

  /// Where the browser logins keep their codes and sessions: beside the tokens when several nodes share
  /// them (Redis), in this process otherwise.
  virtual std::unique_ptr<LoginStateStore> makeLoginStateStore() { return makeMemoryLoginStateStore(); }

  /// Where rate limits count when several nodes share this store (Redis), so that N nodes allow what one
  /// allows (SPEC §7); null when each process counts for itself. Lives as long as the store.
  virtual RateCounters* sharedRateCounters() { return nullptr; }
  /// Whether this store keeps tokens together when their digests begin with the same byte (the Redis
  /// store: in one bucket, so that revoking a pair, or rotating it, is one step on one node). The service
  /// then mints the second token of a pair, and the pair that replaces one, so.
  virtual bool keepsPairsTogether() const { return false; }
  /// Where the guessing throttle counts when several nodes share this store, likewise; null: in-process.
  virtual domain::GuessLedger* sharedGuessLedger() { return nullptr; }
};

/// Opens the store a URI names: "memory:", "sqlite:PATH", "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]". Throws std::invalid_argument for a URI it
/// does not understand and StoreUnavailable when the store cannot be opened.
std::unique_ptr<TokenStore> openStore(std::string_view uri);

/// The store URI as logs may show it: a Redis password (and user) left out.
std::string storeUriForLogs(std::string_view uri);

}  // namespace tokens::store
