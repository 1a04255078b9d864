#include "store/indexed_token_store.h"

#include <algorithm>

namespace tokens::store {
namespace {

// A purge goes through the table in steps, each short enough not to be felt by a request: it looks at so
// many slots under the shared lock (readers go on), then revokes what it found as one change.
constexpr std::size_t kPurgeSlotsPerStep = 8192;
constexpr std::size_t kPurgeRevocationsPerStep = 256;

}  // namespace

std::size_t IndexedTokenStore::changeLocked(std::span<const TokenRecord> added, std::span<const Digest> removed,
                                            std::int64_t nowMs, WriteTicket& ticket) {
  std::vector<std::int64_t> removedRows;
  {
    std::shared_lock lock(tokensMutex_);
    for (const auto& d : removed)
      if (const auto row = tokens_.rowIdOf(d)) removedRows.push_back(*row);
    for (const auto& r : added)  // a digest stored again replaces its row too
      if (const auto row = tokens_.rowIdOf(r.digest)) removedRows.push_back(*row);
  }
  std::vector<std::int64_t> addedRows(added.size());
  for (auto& row : addedRows) row = nextRowId_++;
  // Queued even with nothing to write: a revocation that finds nothing left to do may rest on an earlier
  // one still on its way to the disk (two logouts of one token), and is answered only once that is durable.
  ticket = persistTokens({added, addedRows, removedRows}, nowMs);
  try {
    std::unique_lock lock(tokensMutex_);
    std::size_t erased = 0;
    for (const auto& d : removed) erased += tokens_.erase(d) ? 1 : 0;
    for (std::size_t i = 0; i < added.size(); ++i) tokens_.put(added[i], nowMs, addedRows[i]);
    return erased;
  } catch (...) {
    // Out of memory half-way: the write is queued, memory has part of it. Only a restart makes them agree.
    stopWritesAfterFailure();
    throw StoreUnavailable("the store ran out of memory applying a change");
  }
}

std::optional<std::size_t> IndexedTokenStore::change(std::span<const TokenRecord> added, const RemovedUnderLock& removed,
                                                     std::int64_t nowMs) {
  WriteTicket ticket;
  std::size_t removedCount = 0;
  {
    std::lock_guard change(changeMutex_);
    const auto digests = removed();
    if (!digests) return std::nullopt;
    removedCount = changeLocked(added, *digests, nowMs, ticket);
  }
  try {
    awaitDurable(ticket);
  } catch (const StoreUnavailable&) {
    forget(added);
    throw;
  }
  return removedCount;
}

std::size_t IndexedTokenStore::change(std::span<const TokenRecord> added, std::span<const Digest> removed,
                                      std::int64_t nowMs) {
  return *change(added, [&] { return std::optional(std::vector<Digest>(removed.begin(), removed.end())); }, nowMs);
}

void IndexedTokenStore::forget(std::span<const TokenRecord> records) {
  std::lock_guard change(changeMutex_);
  std::unique_lock lock(tokensMutex_);
  for (const auto& r : records) tokens_.erase(r.digest);
}

void IndexedTokenStore::insert(std::span<const TokenRecord> records, std::int64_t nowMs) {
  // In memory before it is durable, and nobody can tell: the tokens are unknown to all until the answer
  // that carries them, which waits for the write.
  change(records, std::span<const Digest>{}, nowMs);
}

bool IndexedTokenStore::rotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) {
  // Checked and done as one change. If the write fails, the new pair is taken back and the used token
  // stays spent: a failed refresh never leaves two live tokens.
  return change(
             issued,
             [&]() -> std::optional<std::vector<Digest>> {
               std::shared_lock lock(tokensMutex_);
               if (!tokens_.contains(used)) return std::nullopt;
               return std::vector<Digest>{used};
             },
             nowMs)
      .has_value();
}

void IndexedTokenStore::load(const TokenRecord& record, std::int64_t lastActivityMs, std::int64_t rowId) {
  std::lock_guard change(changeMutex_);
  nextRowId_ = std::max(nextRowId_, rowId + 1);
  std::unique_lock lock(tokensMutex_);
  tokens_.put(record, lastActivityMs, rowId);
}

void IndexedTokenStore::loadRowsUsedThrough(std::int64_t rowId) {
  std::lock_guard change(changeMutex_);
  nextRowId_ = std::max(nextRowId_, rowId + 1);
}

std::shared_ptr<TokenEntry> IndexedTokenStore::find(const Digest& digest) {
  std::shared_lock lock(tokensMutex_);
  return tokens_.find(digest);
}

std::size_t IndexedTokenStore::revoke(std::span<const Digest> digests) { return change({}, digests, 0); }

std::size_t IndexedTokenStore::revokeUser(std::string_view organizationId, std::string_view userId) {
  // Finding the user's tokens and revoking them are one change: a token stored in between would outlive
  // the revocation. The table lists each user's tokens, so this visits those and no others.
  return *change(
      {},
      [&] {
        std::shared_lock lock(tokensMutex_);
        return std::optional(tokens_.digestsOfUser(organizationId, userId));
      },
      0);
}

void IndexedTokenStore::touch(TokenEntry& entry, std::int64_t nowMs) {
  entry.advanceActivityTo(nowMs);
  std::shared_lock lock(tokensMutex_);
  tokens_.advanceActivity(entry.record.digest, nowMs);
}

std::shared_ptr<const IdleTokenTimeout> IndexedTokenStore::idleTokenTimeout(std::string_view organizationId) {
  std::shared_lock lock(settingsMutex_);
  const auto it = settings_.find(organizationId);
  return it == settings_.end() ? nullptr : it->second;
}

void IndexedTokenStore::saveIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) {
  // Applied at once, reported done once durable. If the write fails the durable layer stops taking writes
  // (a restart reloads what the file has), so nothing is rolled back here.
  WriteTicket ticket;
  {
    std::lock_guard change(changeMutex_);
    ticket = persistIdleTokenTimeout(organizationId, setting);
    loadIdleTokenTimeout(std::string(organizationId), setting);
  }
  awaitDurable(ticket);
}

void IndexedTokenStore::loadIdleTokenTimeout(std::string organizationId, IdleTokenTimeout setting) {
  auto value = std::make_shared<const IdleTokenTimeout>(std::move(setting));
  std::unique_lock lock(settingsMutex_);
  settings_.insert_or_assign(std::move(organizationId), std::move(value));
}

std::optional<std::int64_t> IndexedTokenStore::advanceClockOffsetMs(std::int64_t byMs, std::int64_t maxMs) {
  WriteTicket ticket;
  std::int64_t advanced = 0;
  {
    std::lock_guard change(changeMutex_);
    const auto current = clockOffsetMs_.load();
    if (byMs < 0 || byMs > maxMs - current) return std::nullopt;
    advanced = current + byMs;
    ticket = persistClockOffsetMs(advanced);
    loadClockOffsetMs(advanced);
  }
  awaitDurable(ticket);  // as for settings: a failure stops the durable layer's writes, nothing to undo
  return advanced;
}

std::size_t IndexedTokenStore::purgeExpired(std::int64_t beforeMs) {
  // Steps, each its own change, so that grants and revocations go on between them. A slot freed and reused
  // during the pass may be missed: the next pass finds it.
  std::size_t purged = 0;
  std::vector<Digest> expired;
  for (std::size_t cursor = 0;;) {
    expired.clear();
    bool done = false;
    {
      std::shared_lock lock(tokensMutex_);
      cursor = tokens_.collectExpired(beforeMs, cursor, kPurgeSlotsPerStep, kPurgeRevocationsPerStep, expired);
      done = cursor >= tokens_.slotCount();
    }
    if (!expired.empty()) purged += change({}, expired, 0);
    if (done) return purged;
  }
}

std::size_t IndexedTokenStore::liveTokens() {
  std::shared_lock lock(tokensMutex_);
  return tokens_.size();
}

std::vector<TokenTable::Activity> IndexedTokenStore::takeUnpersistedActivity() {
  std::shared_lock lock(tokensMutex_);
  return tokens_.takeUnpersistedActivity();
}

std::size_t IndexedTokenStore::collectActivity(std::size_t cursor, std::size_t maxSlots,
                                               std::vector<TokenTable::RowActivity>& out, bool& done) {
  std::shared_lock lock(tokensMutex_);
  cursor = tokens_.collectActivity(cursor, maxSlots, out);
  done = cursor >= tokens_.slotCount();
  return cursor;
}

void IndexedTokenStore::markUnpersisted(std::span<const TokenTable::Activity> activity) {
  std::shared_lock lock(tokensMutex_);
  for (const auto& a : activity) tokens_.markUnpersisted(a.digest);
}

}  // namespace tokens::store
