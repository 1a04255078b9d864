#pragma once
// Bounding guesses of passwords and client secrets (SPEC §5), one mechanism for the login page, the
// password grant and client authentication at /oauth/token.
//
// Failures are counted per key: a user (an email within an organization), a caller address, or a client
// together with the caller's address. Past a key's free failures, further attempts wait 1 s, then 2 s,
// 4 s, ... doubling with each failure, and while they wait they are refused *before* anything is
// hashed: guessing then costs the server nothing, and the right password during the wait gets the same
// refusal as a wrong one (no oracle). A client's key includes the address, so that someone who only
// knows a client's id locks out nobody but themselves.
//
// Attempts still being checked (Argon2id, ~20 ms on a worker) count too: a burst of concurrent guesses
// is bounded by the key's burst allowance, and once a key has failures, by its free failures, so that 800
// guesses sent at once cost a handful of hashes, not 800. Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tokens::domain {

/// How one kind of key is throttled.
struct GuessRule {
  int freeFailures = 5;   ///< failures before the first wait
  int burst = 16;         ///< attempts in flight at once while the key has no failure
  bool clearedBySuccess = true;  ///< a success forgets the failures (not for addresses: a guesser with
                                 ///< one good account must not reset the count for the others)
};

enum class GuessKind : std::uint8_t { User, Address, Client };

struct GuessThrottleLimits {
  GuessRule user{5, 16, true};
  GuessRule address{20, 32, false};  ///< one office shares an address
  GuessRule client{10, 32, true};    ///< a client id with the caller's address
  std::int64_t firstWaitMs = 1000;   ///< then 2 s, 4 s, ... up to maxWaitMs
  std::int64_t maxWaitMs = 15 * 60 * 1000;
  std::int64_t busyWaitMs = 1000;    ///< the wait when only attempts in flight stand in the way
  std::int64_t forgetAfterMs = 15 * 60 * 1000;  ///< a key quiet this long after its last wait starts over
  std::size_t maxKeys = 100000;      ///< bound on memory: past it, forgotten keys are swept first

  const GuessRule& rule(GuessKind kind) const {
    return kind == GuessKind::User ? user : kind == GuessKind::Address ? address : client;
  }
};

struct GuessKey {
  GuessKind kind;
  std::string id;  ///< what the kind is keyed by, already normalised
};

/// Where the counts live when several nodes share them (SPEC §7: N nodes allow what one allows): the
/// Redis store's (store/redis/redis_guess_ledger.h). It applies the same rules as the throttle's own
/// counts, to the same limits, each call as one atomic step; throws StoreUnavailable when it cannot.
class GuessLedger {
 public:
  virtual ~GuessLedger() = default;
  /// The wait (ms, 0: none) the keys meet now; when `begin` and none, counts attempt `attemptId` in flight
  /// on each.
  virtual std::int64_t admit(std::span<const GuessKey> keys, const GuessThrottleLimits& limits, std::int64_t nowMs,
                             std::string_view attemptId, bool begin) = 0;
  enum class Outcome : std::uint8_t { Failed, Succeeded, Dropped };
  /// Ends an attempt in flight with its outcome.
  virtual void end(std::span<const GuessKey> keys, const GuessThrottleLimits& limits, std::int64_t nowMs,
                   std::string_view attemptId, Outcome outcome) = 0;
  /// A success that had no attempt in flight (a secret verified before): clears what a success clears.
  virtual void recordSuccess(std::span<const GuessKey> keys, const GuessThrottleLimits& limits) = 0;
};

class GuessThrottle {
 public:
  using Kind = GuessKind;
  using Key = GuessKey;
  /// The keys of a user's password check: the user and the address. Callers bound the email's length.
  static std::vector<Key> userKeys(std::string_view organizationId, std::string_view email, std::string_view address);
  /// The key of a client's secret check: the client with the caller's address.
  static std::vector<Key> clientKeys(std::string_view clientId, std::string_view address);

  /// One check in progress: counted in flight until it ends. Ending it without an outcome (the work was
  /// dropped) only takes it out of flight.
  class Attempt {
   public:
    Attempt(GuessThrottle& owner, std::vector<Key> keys, std::string id = {})
        : owner_(owner), keys_(std::move(keys)), id_(std::move(id)) {}
    ~Attempt();
    Attempt(const Attempt&) = delete;
    Attempt& operator=(const Attempt&) = delete;
    void failed(std::int64_t nowMs);
    void succeeded();

   private:
    GuessThrottle& owner_;
    std::vector<Key> keys_;
    std::string id_;  // for a shared ledger: this attempt among the others in flight
    bool ended_ = false;
  };

  /// Either an attempt that may go ahead, or how long (ms, > 0) the caller must wait first.
  struct Start {
    std::shared_ptr<Attempt> attempt;  ///< shared: it travels in a copyable job to a worker
    std::int64_t waitMs = 0;
  };

  /// With a `shared` ledger (owned elsewhere), the counts are kept there instead of in this process.
  explicit GuessThrottle(GuessThrottleLimits limits = {}, GuessLedger* shared = nullptr)
      : limits_(limits), shared_(shared) {}

  Start begin(std::vector<Key> keys, std::int64_t nowMs);
  /// The wait (0: none) for a check that costs nothing and so is not counted in flight: a secret
  /// verified before. The answer is the same as for a slow check, so that it tells a guesser nothing.
  std::int64_t waitBefore(std::span<const Key> keys, std::int64_t nowMs);
  /// A check that cost nothing succeeded: clears what a success clears.
  void recordSuccess(std::span<const Key> keys);
  /// How many keys it tracks in this process (bounded by maxKeys; none with a shared ledger).
  std::size_t trackedKeys();
  /// The address as the throttle counts it: an IPv6 address as its /64, a mapped IPv4 address as IPv4.
  static std::string addressScope(std::string_view address);

 private:
  struct State {
    int failures = 0;
    int inFlight = 0;
    std::int64_t lastFailureMs = 0;
  };
  static std::string mapKey(const Key& key);
  std::int64_t waitFor(const State& state, const GuessRule& rule, std::int64_t nowMs) const;
  /// The wait that `failures` earn under `rule` (0 within the free ones).
  std::int64_t waitAfter(int failures, const GuessRule& rule) const;
  bool forgotten(const State& state, const GuessRule& rule, std::int64_t nowMs) const;
  std::int64_t waitLocked(std::span<const Key> keys, std::int64_t nowMs);
  /// Ends an attempt in flight, in the shared ledger or here.
  void finish(std::span<const Key> keys, std::string_view attemptId, GuessLedger::Outcome outcome, std::int64_t nowMs);
  void end(std::span<const Key> keys, GuessLedger::Outcome outcome, std::int64_t nowMs);
  void sweep(std::int64_t nowMs);

  GuessThrottleLimits limits_;
  GuessLedger* shared_;
  std::mutex mutex_;
  std::unordered_map<std::string, State> states_;
};

}  // namespace tokens::domain
