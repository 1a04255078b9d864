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

struct GuessThrottleLimits {
  GuessRule user{5, 16, true};
  GuessRule address{20, 32, false};  ///< one office shares an address
  GuessRule client{10, 32, true};    ///< a client id with the caller's address
  std::int64_t firstWaitMs = 1000;   ///< then 2 s, 4 s, ... up to maxWaitMs
  std::int64_t maxWaitMs = 15 * 60 * 1000;
  std::int64_t busyWaitMs = 1000;    ///< the wait when only attempts in flight stand in the way
  std::int64_t forgetAfterMs = 15 * 60 * 1000;  ///< a key quiet this long after its last wait starts over
  std::size_t maxKeys = 100000;      ///< bound on memory: past it, forgotten keys are swept first
};

class GuessThrottle {
 public:
  enum class Kind : std::uint8_t { User, Address, Client };
  struct Key {
    Kind kind;
    std::string id;  ///< what the kind is keyed by, already normalised
  };
  /// The keys of a user's password check: the user and the address. Callers bound the email's length.
  static std::vector<Key> userKeys(std::string_view organizationId, std::string_view email, std::string_view address);
  /// The key of a client's secret check: the client with the caller's address.
  static std::vector<Key> clientKeys(std::string_view clientId, std::string_view address);

  /// One check in progress: counted in flight until it ends. Ending it without an outcome (the work was
  /// dropped) only takes it out of flight.
  class Attempt {
   public:
    Attempt(GuessThrottle& owner, std::vector<Key> keys) : owner_(owner), keys_(std::move(keys)) {}
    ~Attempt();
    Attempt(const Attempt&) = delete;
    Attempt& operator=(const Attempt&) = delete;
    void failed(std::int64_t nowMs);
    void succeeded();

   private:
    GuessThrottle& owner_;
    std::vector<Key> keys_;
    bool ended_ = false;
  };

  /// Either an attempt that may go ahead, or how long (ms, > 0) the caller must wait first.
  struct Start {
    std::shared_ptr<Attempt> attempt;  ///< shared: it travels in a copyable job to a worker
    std::int64_t waitMs = 0;
  };

  explicit GuessThrottle(GuessThrottleLimits limits = {}) : limits_(limits) {}

  Start begin(std::vector<Key> keys, std::int64_t nowMs);
  /// The wait (0: none) for a check that costs nothing and so is not counted in flight: a secret
  /// verified before. The answer is the same as for a slow check, so that it tells a guesser nothing.
  std::int64_t waitBefore(std::span<const Key> keys, std::int64_t nowMs);
  /// A check that cost nothing succeeded: clears what a success clears.
  void recordSuccess(std::span<const Key> keys);
  /// How many keys it tracks (bounded by maxKeys).
  std::size_t trackedKeys();
  /// The address as the throttle counts it: an IPv6 address as its /64, a mapped IPv4 address as IPv4.
  static std::string addressScope(std::string_view address);

 private:
  struct State {
    int failures = 0;
    int inFlight = 0;
    std::int64_t lastFailureMs = 0;
  };
  const GuessRule& ruleOf(Kind kind) const;
  static std::string mapKey(const Key& key);
  std::int64_t waitFor(const State& state, const GuessRule& rule, std::int64_t nowMs) const;
  /// The wait that `failures` earn under `rule` (0 within the free ones).
  std::int64_t waitAfter(int failures, const GuessRule& rule) const;
  bool forgotten(const State& state, const GuessRule& rule, std::int64_t nowMs) const;
  std::int64_t waitLocked(std::span<const Key> keys, std::int64_t nowMs);
  void end(std::span<const Key> keys, bool failed, bool succeeded, std::int64_t nowMs);
  void sweep(std::int64_t nowMs);

  GuessThrottleLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, State> states_;
};

}  // namespace tokens::domain
