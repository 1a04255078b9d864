#pragma once
// The tokens of the memory and SQLite stores, held compactly (docs/scale.md): fixed-size slots in chunks
// that never move, found through an open-addressing index (Boost's unordered_flat_set of slot numbers
// with a digest prefix, about 10 bytes a token), with the ids interned and each user's tokens on a list of their own, so that a
// user's revocation visits only that user's tokens and nothing scans the whole table while a request
// waits. About 100 bytes a token, against 400 for a node map of shared records.
//
// Not locked itself: its owner (IndexedTokenStore) holds a shared lock to read and to record activity,
// and an exclusive lock to change what is stored.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/id_interner.h"
#include "store/token_store.h"

namespace tokens::store {

class TokenTable {
 public:
  /// With `trackActivity`, activity not yet written to a durable layer is remembered for
  /// takeUnpersistedActivity(); without (the memory store), nothing is kept for it.
  explicit TokenTable(bool trackActivity);
  ~TokenTable();
  TokenTable(const TokenTable&) = delete;
  TokenTable& operator=(const TokenTable&) = delete;

  // ---- changes (exclusive lock) ----
  /// Stores a token, replacing one with the same digest; links it with its pair if that is stored.
  /// `rowId`: where the durable layer keeps it (0 for none), for its deletes and updates.
  void put(const TokenRecord& record, std::int64_t activityMs, std::int64_t rowId = 0);
  /// False if no such token was stored.
  bool erase(const Digest& digest);

  // ---- reads (shared lock) ----
  /// A copy of the stored token, or null: the caller may keep it after the lock is gone.
  std::shared_ptr<TokenEntry> find(const Digest& digest) const;
  bool contains(const Digest& digest) const { return lookup(digest).has_value(); }
  /// The durable layer's row of a stored token.
  std::optional<std::int64_t> rowIdOf(const Digest& digest) const;
  std::size_t size() const;
  /// The digests of every token of this user of this organization.
  std::vector<Digest> digestsOfUser(std::string_view organizationId, std::string_view userId) const;
  /// Looks at the slots from `cursor` on, at most `maxSlots` of them, and appends the digests of tokens that
  /// expired before `beforeMs` to `out`, stopping once it holds `maxOut`. Returns where to go on from;
  /// slotCount() once the end is reached. A scan in steps: changes may come between two of them.
  std::size_t collectExpired(std::int64_t beforeMs, std::size_t cursor, std::size_t maxSlots, std::size_t maxOut,
                             std::vector<Digest>& out) const;
  std::size_t slotCount() const { return allocatedSlots_; }
  /// A token's row in the durable layer and its last activity.
  struct RowActivity {
    std::int64_t rowId;
    std::int64_t lastActivityMs;
  };
  /// Looks at `maxSlots` slots from `cursor` on and appends each stored token's row and last activity (those
  /// with a row). Returns where to go on from, as collectExpired() does.
  std::size_t collectActivity(std::size_t cursor, std::size_t maxSlots, std::vector<RowActivity>& out) const;

  // ---- activity (shared lock: safe beside other readers) ----
  /// Moves the token's last activity forward (never back); false if the token is not stored.
  bool advanceActivity(const Digest& digest, std::int64_t ms);
  struct Activity {
    Digest digest;
    std::int64_t rowId;
    std::int64_t lastActivityMs;
  };
  /// The activity recorded since the last call, once per token; afterwards it counts as written.
  std::vector<Activity> takeUnpersistedActivity();
  /// Puts activity that could not be written back in line for the next takeUnpersistedActivity().
  void markUnpersisted(const Digest& digest);

 private:
  using SlotId = std::uint32_t;
  static constexpr SlotId kNoSlot = 0xFFFFFFFFu;
  struct Slot;

  struct Index;  // in the .cpp: Boost.Unordered stays out of every file that includes this one

  Slot& slot(SlotId id) const;
  std::optional<SlotId> lookup(const Digest& digest) const;
  SlotId allocateSlot();
  void linkToUser(SlotId id);
  void unlinkFromUser(SlotId id);
  void eraseSlot(SlotId id);
  void rememberUnpersisted(SlotId id);
  static std::uint64_t userKey(IdInterner::Id organization, IdInterner::Id user) {
    return (std::uint64_t{organization} << 32) | user;
  }

  const bool trackActivity_;
  IdInterner ids_;
  struct ChunkDeleter {
    void operator()(Slot* chunk) const noexcept;
  };
  using Chunk = std::unique_ptr<Slot[], ChunkDeleter>;
  static Chunk newChunk();
  std::vector<Chunk> chunks_;  // chunks never move: a slot's address is stable
  std::size_t allocatedSlots_ = 0;               // slots ever handed out (live or on freeSlots_)
  std::vector<SlotId> freeSlots_;
  std::unique_ptr<Index> index_;  // the live slots, found by digest
  std::unordered_map<std::uint64_t, SlotId> firstOfUser_;  // by userKey(), the head of each user's list

  std::mutex unpersistedMutex_;  // readers record activity concurrently
  std::vector<SlotId> unpersisted_;
};

}  // namespace tokens::store
