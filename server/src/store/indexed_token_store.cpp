#include "store/indexed_token_store.h"

#include <algorithm>

namespace tokens::store {

void IndexedTokenStore::addToIndex(std::span<const TokenRecord> records, std::int64_t nowMs) {
  std::unique_lock lock(tokensMutex_);
  for (const auto& r : records) tokens_.insert_or_assign(r.digest, std::make_shared<TokenEntry>(r, nowMs));
}

void IndexedTokenStore::insert(std::span<const TokenRecord> records, std::int64_t nowMs) {
  std::lock_guard change(changeMutex_);
  persistInsert(records, nowMs);
  addToIndex(records, nowMs);
}

bool IndexedTokenStore::rotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) {
  std::lock_guard change(changeMutex_);
  if (!find(used)) return false;
  persistRotate(used, issued, nowMs);
  eraseFromIndex(std::span<const Digest>(&used, 1));
  addToIndex(issued, nowMs);
  return true;
}

void IndexedTokenStore::load(const TokenRecord& record, std::int64_t lastActivityMs) {
  std::unique_lock lock(tokensMutex_);
  tokens_.insert_or_assign(record.digest, std::make_shared<TokenEntry>(record, lastActivityMs));
}

std::shared_ptr<TokenEntry> IndexedTokenStore::find(const Digest& digest) {
  std::shared_lock lock(tokensMutex_);
  const auto it = tokens_.find(digest);
  return it == tokens_.end() ? nullptr : it->second;
}

std::size_t IndexedTokenStore::eraseFromIndex(std::span<const Digest> digests) {
  std::unique_lock lock(tokensMutex_);
  std::size_t erased = 0;
  for (const auto& d : digests) erased += tokens_.erase(d);
  return erased;
}

std::size_t IndexedTokenStore::revoke(std::span<const Digest> digests) {
  std::lock_guard change(changeMutex_);
  return revokeLocked(digests);
}

std::size_t IndexedTokenStore::revokeLocked(std::span<const Digest> digests) {
  if (digests.empty()) return 0;
  persistRevoke(digests);
  return eraseFromIndex(digests);
}

std::size_t IndexedTokenStore::revokeUser(std::string_view organizationId, std::string_view userId) {
  // The scan and the revocation are one change: a token stored in between would outlive the revocation.
  std::lock_guard change(changeMutex_);
  std::vector<Digest> digests;
  {
    std::shared_lock lock(tokensMutex_);
    for (const auto& [digest, entry] : tokens_)
      if (entry->record.userId == userId && entry->record.organizationId == organizationId) digests.push_back(digest);
  }
  return revokeLocked(digests);
}

void IndexedTokenStore::touch(TokenEntry& entry, std::int64_t nowMs) {
  entry.advanceActivityTo(nowMs);
}

std::shared_ptr<const IdleTokenTimeout> IndexedTokenStore::idleTokenTimeout(std::string_view organizationId) {
  std::shared_lock lock(settingsMutex_);
  const auto it = settings_.find(organizationId);
  return it == settings_.end() ? nullptr : it->second;
}

void IndexedTokenStore::saveIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) {
  std::lock_guard change(changeMutex_);
  persistIdleTokenTimeout(organizationId, setting);
  loadIdleTokenTimeout(std::string(organizationId), setting);
}

void IndexedTokenStore::loadIdleTokenTimeout(std::string organizationId, IdleTokenTimeout setting) {
  auto value = std::make_shared<const IdleTokenTimeout>(std::move(setting));
  std::unique_lock lock(settingsMutex_);
  settings_.insert_or_assign(std::move(organizationId), std::move(value));
}

std::optional<std::int64_t> IndexedTokenStore::advanceClockOffsetMs(std::int64_t byMs, std::int64_t maxMs) {
  std::lock_guard change(changeMutex_);
  const auto current = clockOffsetMs_.load();
  if (byMs < 0 || byMs > maxMs - current) return std::nullopt;
  persistClockOffsetMs(current + byMs);
  loadClockOffsetMs(current + byMs);
  return current + byMs;
}

std::size_t IndexedTokenStore::purgeExpired(std::int64_t beforeMs) {
  std::lock_guard change(changeMutex_);
  std::vector<Digest> digests;
  {
    std::shared_lock lock(tokensMutex_);
    for (const auto& [digest, entry] : tokens_)
      if (entry->record.expiresAtMs < beforeMs) digests.push_back(digest);
  }
  return revokeLocked(digests);
}

std::size_t IndexedTokenStore::liveTokens() {
  std::shared_lock lock(tokensMutex_);
  return tokens_.size();
}

std::vector<std::shared_ptr<TokenEntry>> IndexedTokenStore::entriesWithUnpersistedActivity() {
  std::vector<std::shared_ptr<TokenEntry>> out;
  std::shared_lock lock(tokensMutex_);
  for (const auto& [digest, entry] : tokens_)
    if (entry->lastActivityMs.load(std::memory_order_relaxed) != entry->persistedActivityMs.load(std::memory_order_relaxed))
      out.push_back(entry);
  return out;
}

}  // namespace tokens::store
