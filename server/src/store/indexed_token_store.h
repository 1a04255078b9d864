#pragma once
// A TokenStore held in memory, with hooks through which a durable store writes each change before it
// takes effect. The memory store is this class with no hooks; the SQLite store writes through them.

#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "store/token_store.h"

namespace tokens::store {

class IndexedTokenStore : public TokenStore {
 public:
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
  /// Entries whose activity the durable layer has not seen yet.
  std::vector<std::shared_ptr<TokenEntry>> entriesWithUnpersistedActivity();

 private:
  std::size_t eraseFromIndex(std::span<const Digest> digests);
  std::size_t revokeLocked(std::span<const Digest> digests);
  void addToIndex(std::span<const TokenRecord> records, std::int64_t nowMs);

  // Held by every change, from its check through its durable write to its effect in memory, so that
  // changes are one after another (a user's revocation never falls inside a rotation). Readers take
  // only tokensMutex_, shared.
  std::mutex changeMutex_;
  std::shared_mutex tokensMutex_;
  std::unordered_map<Digest, std::shared_ptr<TokenEntry>, domain::DigestHash> tokens_;
  std::shared_mutex settingsMutex_;
  std::map<std::string, std::shared_ptr<const IdleTokenTimeout>, std::less<>> settings_;
  std::atomic<std::int64_t> clockOffsetMs_{0};
};

}  // namespace tokens::store
