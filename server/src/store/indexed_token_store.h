#pragma once
// A TokenStore held in memory (a TokenTable), with hooks through which a durable store writes each change
// before it takes effect. The memory store is this class with no hooks; the SQLite store writes through them.

#include <map>
#include <mutex>
#include <shared_mutex>

#include "store/token_store.h"
#include "store/token_table.h"

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
  // Each hook runs before the memory changes; if it throws, nothing changes.
  virtual void persistInsert(std::span<const TokenRecord> /*records*/, std::int64_t /*nowMs*/) {}
  virtual void persistRevoke(std::span<const Digest> /*digests*/) {}
  virtual void persistRotate(const Digest& /*used*/, std::span<const TokenRecord> /*issued*/, std::int64_t /*nowMs*/) {}
  virtual void persistIdleTokenTimeout(std::string_view /*organizationId*/, const IdleTokenTimeout& /*setting*/) {}
  virtual void persistClockOffsetMs(std::int64_t /*offsetMs*/) {}

  /// For loading from a durable layer at start-up.
  void load(const TokenRecord& record, std::int64_t lastActivityMs);
  void loadIdleTokenTimeout(std::string organizationId, IdleTokenTimeout setting);
  void loadClockOffsetMs(std::int64_t offsetMs) { clockOffsetMs_.store(offsetMs); }
  /// Activity the durable layer has not been given yet (each token once, with its latest), and what to do
  /// when it could not be written: give it again next time.
  std::vector<TokenTable::Activity> takeUnpersistedActivity();
  void markUnpersisted(std::span<const TokenTable::Activity> activity);

 private:
  std::size_t eraseFromIndex(std::span<const Digest> digests);
  std::size_t revokeLocked(std::span<const Digest> digests);
  void addToIndex(std::span<const TokenRecord> records, std::int64_t nowMs);

  // Held by every change, from its check through its durable write to its effect in memory, so that
  // changes are one after another (a user's revocation never falls inside a rotation). Readers, and
  // touches, take only tokensMutex_, shared; a change takes it exclusively only to apply itself.
  std::mutex changeMutex_;
  std::shared_mutex tokensMutex_;
  TokenTable tokens_;
  std::shared_mutex settingsMutex_;
  std::map<std::string, std::shared_ptr<const IdleTokenTimeout>, std::less<>> settings_;
  std::atomic<std::int64_t> clockOffsetMs_{0};
};

}  // namespace tokens::store
