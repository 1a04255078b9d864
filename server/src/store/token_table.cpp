#include "store/token_table.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>
#include <stdexcept>

#include <boost/unordered/unordered_flat_set.hpp>

#include "store/huge_pages.h"

namespace tokens::store {
namespace {

// 65,536 slots of 96 bytes a chunk: 6 MB, three huge pages exactly (store/huge_pages.h).
constexpr unsigned kChunkBits = 16;
constexpr std::size_t kChunkSlots = std::size_t{1} << kChunkBits;

}  // namespace

// One token, 96 bytes. The strings of a TokenRecord are interned ids; the pair and the user's list are slot
// numbers, kept right as slots come and go.
struct TokenTable::Slot {
  Digest digest{};
  std::atomic<std::int64_t> lastActivityMs{0};
  std::int64_t issuedAtMs = 0;
  std::int64_t expiresAtMs = 0;
  std::int64_t rowId = 0;
  IdInterner::Id organization = 0;
  IdInterner::Id client = 0;
  IdInterner::Id user = 0;
  IdInterner::Id grantType = 0;
  SlotId pair = kNoSlot;
  SlotId previousOfUser = kNoSlot;
  SlotId nextOfUser = kNoSlot;
  TokenKind kind = TokenKind::Access;
  bool live = false;
  std::atomic<bool> activityUnpersisted{false};
};
static_assert(sizeof(std::atomic<std::int64_t>) == 8 && sizeof(std::atomic<bool>) == 1);

void TokenTable::ChunkDeleter::operator()(Slot* chunk) const noexcept {
  huge_pages::deallocate(chunk, kChunkSlots * sizeof(Slot));  // slots need no destructor (below)
}

TokenTable::Chunk TokenTable::newChunk() {
  static_assert(std::is_trivially_destructible_v<Slot>);
  static_assert(kChunkSlots * sizeof(Slot) % huge_pages::kHugePage == 0, "a chunk is whole huge pages");
  // Raw memory: each slot is constructed when it is first handed out (allocateSlot), so that a new chunk
  // costs nothing until it is used, and the kernel hands its pages over one at a time, not 6 MB at once.
  return Chunk(static_cast<Slot*>(huge_pages::allocate(kChunkSlots * sizeof(Slot))));
}

// The index holds 8-byte entries: a slot number, and the first four bytes of its digest (a digest is
// uniformly distributed already, and nobody can choose one: those bytes are a hash). Hashing an entry
// needs no slot, so the index's doublings (Boost rehashes everything at once, all requests waiting) do not
// visit a million slots; comparing one visits a slot only when those four bytes match. It is searched by
// digest directly (transparent lookup).
struct TokenTable::Index {
  using Entry = std::uint64_t;
  static std::uint32_t prefixOf(const Digest& d) noexcept {
    std::uint32_t h;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
  }
  static Entry entryOf(const Digest& d, SlotId id) noexcept { return (Entry{prefixOf(d)} << 32) | id; }
  static SlotId slotOf(Entry e) noexcept { return static_cast<SlotId>(e & 0xFFFFFFFFu); }

  struct Hash {
    using is_transparent = void;
    using is_avalanching = void;  // the prefix is uniform; the multiplication spreads it over 64 bits
    static std::size_t spread(std::uint32_t prefix) noexcept { return std::size_t{prefix} * 0x9E3779B97F4A7C15ull; }
    std::size_t operator()(Entry e) const noexcept { return spread(static_cast<std::uint32_t>(e >> 32)); }
    std::size_t operator()(const Digest& d) const noexcept { return spread(prefixOf(d)); }
  };
  struct Equal {
    using is_transparent = void;
    const TokenTable* table;
    bool operator()(Entry a, Entry b) const noexcept { return a == b; }
    bool operator()(const Digest& d, Entry e) const noexcept {
      return static_cast<std::uint32_t>(e >> 32) == prefixOf(d) && table->slot(slotOf(e)).digest == d;
    }
    bool operator()(Entry e, const Digest& d) const noexcept { return (*this)(d, e); }
  };
  explicit Index(const TokenTable* table) : entries(0, Hash{}, Equal{table}) {}
  boost::unordered_flat_set<Entry, Hash, Equal> entries;
};

TokenTable::TokenTable(bool trackActivity) : trackActivity_(trackActivity), index_(std::make_unique<Index>(this)) {}
TokenTable::~TokenTable() = default;

TokenTable::Slot& TokenTable::slot(SlotId id) const { return chunks_[id >> kChunkBits][id & (kChunkSlots - 1)]; }

std::optional<TokenTable::SlotId> TokenTable::lookup(const Digest& digest) const {
  const auto it = index_->entries.find(digest);
  if (it == index_->entries.end()) return std::nullopt;
  return Index::slotOf(*it);
}

std::size_t TokenTable::size() const { return index_->entries.size(); }

std::optional<std::int64_t> TokenTable::rowIdOf(const Digest& digest) const {
  const auto found = lookup(digest);
  if (!found) return std::nullopt;
  return slot(*found).rowId;
}

TokenTable::SlotId TokenTable::allocateSlot() {
  if (!freeSlots_.empty()) {
    const auto id = freeSlots_.back();
    freeSlots_.pop_back();
    return id;
  }
  if (allocatedSlots_ >= kNoSlot - 1) throw std::length_error("the token table is full");
  if (allocatedSlots_ == chunks_.size() * kChunkSlots) chunks_.push_back(newChunk());
  const auto id = static_cast<SlotId>(allocatedSlots_);
  new (&slot(id)) Slot;
  ++allocatedSlots_;
  return id;
}

void TokenTable::linkToUser(SlotId id) {
  auto& s = slot(id);
  if (s.user == IdInterner::kEmpty) return;  // client credentials: nobody's
  auto [it, inserted] = firstOfUser_.try_emplace(userKey(s.organization, s.user), id);
  if (inserted) return;
  s.nextOfUser = it->second;
  slot(it->second).previousOfUser = id;
  it->second = id;
}

void TokenTable::unlinkFromUser(SlotId id) {
  auto& s = slot(id);
  if (s.user == IdInterner::kEmpty) return;
  if (s.nextOfUser != kNoSlot) slot(s.nextOfUser).previousOfUser = s.previousOfUser;
  if (s.previousOfUser != kNoSlot) {
    slot(s.previousOfUser).nextOfUser = s.nextOfUser;
  } else if (s.nextOfUser != kNoSlot) {
    firstOfUser_[userKey(s.organization, s.user)] = s.nextOfUser;
  } else {
    firstOfUser_.erase(userKey(s.organization, s.user));
  }
  s.previousOfUser = s.nextOfUser = kNoSlot;
}

void TokenTable::put(const TokenRecord& record, std::int64_t activityMs, std::int64_t rowId) {
  // What may throw (allocations) comes before the slot is anywhere; a put that throws leaves the table as
  // it was, but for the token it replaced.
  const auto organization = ids_.intern(record.organizationId);
  const auto client = ids_.intern(record.clientId);
  const auto user = ids_.intern(record.userId);
  const auto grantType = ids_.intern(record.grantType);
  if (const auto existing = lookup(record.digest)) eraseSlot(*existing);
  const auto id = allocateSlot();
  auto& s = slot(id);
  s.digest = record.digest;
  s.lastActivityMs.store(activityMs, std::memory_order_relaxed);
  s.issuedAtMs = record.issuedAtMs;
  s.expiresAtMs = record.expiresAtMs;
  s.rowId = rowId;
  s.organization = organization;
  s.client = client;
  s.user = user;
  s.grantType = grantType;
  s.kind = record.kind;
  s.pair = kNoSlot;
  s.previousOfUser = s.nextOfUser = kNoSlot;
  s.activityUnpersisted.store(false, std::memory_order_relaxed);
  s.live = true;
  try {
    index_->entries.insert(Index::entryOf(record.digest, id));
    linkToUser(id);  // allocates only for a user's first token, before it links anything
  } catch (...) {
    index_->entries.erase(Index::entryOf(record.digest, id));
    s.live = false;
    freeSlots_.push_back(id);
    throw;
  }
  // A pair is linked once both are stored, whichever came first (a load from disk has no order).
  if (record.pairDigest)
    if (const auto pair = lookup(*record.pairDigest)) {
      auto& other = slot(*pair);
      if (other.pair != kNoSlot) slot(other.pair).pair = kNoSlot;
      other.pair = id;
      s.pair = *pair;
    }
}

bool TokenTable::erase(const Digest& digest) {
  const auto found = lookup(digest);
  if (!found) return false;
  eraseSlot(*found);
  return true;
}

void TokenTable::eraseSlot(SlotId id) {
  auto& s = slot(id);
  index_->entries.erase(Index::entryOf(s.digest, id));
  unlinkFromUser(id);
  if (s.pair != kNoSlot) slot(s.pair).pair = kNoSlot;  // the other one stays, without a pair
  s.pair = kNoSlot;
  s.live = false;
  s.activityUnpersisted.store(false, std::memory_order_relaxed);
  freeSlots_.push_back(id);
}

std::shared_ptr<TokenEntry> TokenTable::find(const Digest& digest) const {
  const auto found = lookup(digest);
  if (!found) return nullptr;
  const auto& s = slot(*found);
  TokenRecord r;
  r.digest = s.digest;
  r.kind = s.kind;
  r.organizationId = ids_.text(s.organization);
  r.clientId = ids_.text(s.client);
  r.userId = ids_.text(s.user);
  r.grantType = ids_.text(s.grantType);
  r.issuedAtMs = s.issuedAtMs;
  r.expiresAtMs = s.expiresAtMs;
  if (s.pair != kNoSlot) r.pairDigest = slot(s.pair).digest;
  return std::make_shared<TokenEntry>(std::move(r), s.lastActivityMs.load(std::memory_order_relaxed));
}

std::vector<Digest> TokenTable::digestsOfUser(std::string_view organizationId, std::string_view userId) const {
  std::vector<Digest> out;
  const auto org = ids_.find(organizationId);
  const auto user = ids_.find(userId);
  if (!org || !user || *user == IdInterner::kEmpty) return out;
  const auto it = firstOfUser_.find(userKey(*org, *user));
  if (it == firstOfUser_.end()) return out;
  for (auto id = it->second; id != kNoSlot; id = slot(id).nextOfUser) out.push_back(slot(id).digest);
  return out;
}

std::size_t TokenTable::collectExpired(std::int64_t beforeMs, std::size_t cursor, std::size_t maxSlots,
                                       std::size_t maxOut, std::vector<Digest>& out) const {
  const auto end = std::min(allocatedSlots_, cursor + maxSlots);
  for (; cursor < end && out.size() < maxOut; ++cursor) {
    const auto& s = slot(static_cast<SlotId>(cursor));
    if (s.live && s.expiresAtMs < beforeMs) out.push_back(s.digest);
  }
  return cursor;
}

std::size_t TokenTable::collectActivity(std::size_t cursor, std::size_t maxSlots, std::vector<RowActivity>& out) const {
  const auto end = std::min(allocatedSlots_, cursor + maxSlots);
  for (; cursor < end; ++cursor) {
    const auto& s = slot(static_cast<SlotId>(cursor));
    if (s.live && s.rowId != 0) out.push_back({s.rowId, s.lastActivityMs.load(std::memory_order_relaxed)});
  }
  return cursor;
}

bool TokenTable::advanceActivity(const Digest& digest, std::int64_t ms) {
  const auto found = lookup(digest);
  if (!found) return false;
  if (store::advanceActivity(slot(*found).lastActivityMs, ms)) rememberUnpersisted(*found);
  return true;
}

void TokenTable::rememberUnpersisted(SlotId id) {
  // Once per token between two writes: only the first touch after a write takes the mutex.
  if (!trackActivity_ || slot(id).activityUnpersisted.exchange(true, std::memory_order_acq_rel)) return;
  std::lock_guard lock(unpersistedMutex_);
  unpersisted_.push_back(id);
}

void TokenTable::markUnpersisted(const Digest& digest) {
  if (const auto found = lookup(digest)) rememberUnpersisted(*found);
}

std::vector<TokenTable::Activity> TokenTable::takeUnpersistedActivity() {
  std::vector<SlotId> ids;
  {
    std::lock_guard lock(unpersistedMutex_);
    ids.swap(unpersisted_);
  }
  std::vector<Activity> out;
  out.reserve(ids.size());
  for (const auto id : ids) {
    auto& s = slot(id);
    // A slot revoked (and perhaps reused) since it was listed has its flag cleared: skipped. The flag is
    // cleared before the value is read, so a touch in between lists the token again rather than being lost.
    if (!s.live || !s.activityUnpersisted.exchange(false, std::memory_order_acq_rel)) continue;
    out.push_back({s.digest, s.rowId, s.lastActivityMs.load(std::memory_order_relaxed)});
  }
  return out;
}

}  // namespace tokens::store
