#pragma once
// A TokenStore held in memory (a TokenTable), with hooks through which a durable store writes each change
// before it takes effect. The memory store is this class with no hooks; the SQLite store writes through them.

#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "store/token_store.h"
#include "store/token_table.h"
#include "store/write_ticket.h"

namespace tokens::store {

class IndexedTokenStore : public TokenStore {
 public:
  /// `writesActivityBehind`: a durable layer will ask for activity with takeUnpersistedActivity().
  explicit IndexedTokenStore(bool writesActivityBehind = false) : tokens_(writesActivityBehind) {}

  void insert(std::span<const TokenRecord> records, std::int64_t nowMs) override;
  std::shared_ptr<TokenEntry> find(const Digest& digest) override;
  bool rotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) override;
  std::size_t revoke(std::span<const Digest> digests) override;
  std::size_t revokeUser(std::string_view organizationId, std::string_view userId) override;
  void touch(TokenEntry& entry, std::int64_t nowMs) override;
  std::shared_ptr<const IdleTokenTimeout> idleTokenTimeout(std::string_view organizationId) override;
  void saveIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) override;
  std::int64_t clockOffsetMs() override { return clockOffsetMs_.load(); }
  std::optional<std::int64_t> advanceClockOffsetMs(std::int64_t byMs, std::int64_t maxMs) override;
  std::size_t purgeExpired(std::int64_t beforeMs) override;
  void flush() override {}
  bool ready() override { return true; }
  std::size_t liveTokens() override;

 protected:
  /// What a change does to the durable layer's rows of tokens: the tokens it adds, each with the row id
  /// the store gave it (increasing: a durable layer appends), and the rows it removes.
  struct TokenRows {
    std::span<const TokenRecord> added;
    std::span<const std::int64_t> addedRows;
    std::span<const std::int64_t> removedRows;
  };
  // The durable layer's hooks. Each is called with the change's lock held, after the change's check and
  // right before it is applied in memory, and queues (or makes) the durable write: if it throws, nothing
  // changes. The change is reported done (its call returns) only once awaitDurable() of what the hook
  // returned has returned. If that throws, the change fails with StoreUnavailable; the tokens it would
  // have handed out are taken back out of memory, and a revocation stays in effect in memory (the safe
  // side). A durable layer whose write failed takes no more writes (memory and file no longer agree; a
  // restart reloads the file): see store/group_commit.h.
  virtual WriteTicket persistTokens(const TokenRows& /*rows*/, std::int64_t /*nowMs*/) { return {}; }
  virtual WriteTicket persistIdleTokenTimeout(std::string_view /*organizationId*/, const IdleTokenTimeout& /*setting*/) {
    return {};
  }
  virtual WriteTicket persistClockOffsetMs(std::int64_t /*offsetMs*/) { return {}; }
  /// Waits, with no lock held, until the write is durable; throws StoreUnavailable if it failed.
  virtual void awaitDurable(const WriteTicket& /*ticket*/) {}
  /// Memory could not apply a change whose write is queued: the durable layer must take no more writes.
  virtual void stopWritesAfterFailure() {}

  /// For loading from a durable layer at start-up: a token and the row it is in.
  void load(const TokenRecord& record, std::int64_t lastActivityMs, std::int64_t rowId);
  void loadIdleTokenTimeout(std::string organizationId, IdleTokenTimeout setting);
  void loadClockOffsetMs(std::int64_t offsetMs) { clockOffsetMs_.store(offsetMs); }
  /// For loading: rows up to `rowId` are taken (their tokens may be gone, but the durable layer still
  /// mentions them): new tokens get later ones.
  void loadRowsUsedThrough(std::int64_t rowId);
  /// Activity the durable layer has not been given yet (each token once, with its latest), and what to do
  /// when it could not be written: give it again next time.
  std::vector<TokenTable::Activity> takeUnpersistedActivity();
  void markUnpersisted(std::span<const TokenTable::Activity> activity);
  /// A step through every stored token's activity, as TokenTable::collectActivity() (under the shared
  /// lock); sets `done` once the end is reached.
  std::size_t collectActivity(std::size_t cursor, std::size_t maxSlots, std::vector<TokenTable::RowActivity>& out,
                              bool& done);

 private:
  /// With changeMutex_ held: removes the tokens of `removed` that are stored and adds `added`, queueing
  /// the durable write first; returns how many were removed. The caller then awaits `ticket`.
  std::size_t changeLocked(std::span<const TokenRecord> added, std::span<const Digest> removed, std::int64_t nowMs,
                           WriteTicket& ticket);
  /// Under changeMutex_, what a change removes, worked out from what is stored: none to call it off.
  using RemovedUnderLock = std::function<std::optional<std::vector<Digest>>()>;
  /// changeLocked() under changeMutex_ with what `removed` says, then the wait; `added` is taken back if the
  /// write failed. Nullopt if `removed` called the change off.
  std::optional<std::size_t> change(std::span<const TokenRecord> added, const RemovedUnderLock& removed,
                                    std::int64_t nowMs);
  std::size_t change(std::span<const TokenRecord> added, std::span<const Digest> removed, std::int64_t nowMs);
  /// Takes tokens whose write failed back out of memory: nobody was given them.
  void forget(std::span<const TokenRecord> records);

  // Held by every change from its check through queueing its durable write to its effect in memory, so
  // that changes apply one after another, in the order of their writes (a user's revocation never falls
  // inside a rotation); never while a change waits for its write. Readers, and touches, take only
  // tokensMutex_, shared; a change takes it exclusively only to apply itself.
  std::mutex changeMutex_;
  std::int64_t nextRowId_ = 1;  // under changeMutex_
  std::shared_mutex tokensMutex_;
  TokenTable tokens_;
  std::shared_mutex settingsMutex_;
  std::map<std::string, std::shared_ptr<const IdleTokenTimeout>, std::less<>> settings_;
  std::atomic<std::int64_t> clockOffsetMs_{0};
};

}  // namespace tokens::store
