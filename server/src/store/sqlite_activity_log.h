#pragma once
// The last-activity times of the SQLite store (SPEC §7: written behind, at most 1 s late), kept as a log
// beside the tokens' rows.
//
// Why a log: updating each token's row in place rewrote one random page of the file per token used since
// the last flush, which with a million tokens in use is most of the file twice a second (docs/scale.md).
// An append writes the log's last pages only. A token's time is the latest of its row's (its issue) and
// its log entries'. The log is compacted from memory: once it has taken more entries than there are
// tokens, the store writes every live token's current time again, in steps between other writes, and
// then the entries from before that began are dropped, also in steps. A crash at any point leaves both
// old and new entries: the latest still wins.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "store/token_table.h"

struct sqlite3;

namespace tokens::store {

class GroupCommit;

class SqliteActivityLog {
 public:
  using Entry = TokenTable::RowActivity;

  static void createTable(sqlite3* db);
  struct Contents {
    std::vector<Entry> latest;  // each row's latest time, by row
    std::size_t entries = 0;    // as logged, with every repetition
  };
  /// At start-up, before the writer runs: what the log holds.
  static Contents read(sqlite3* db);

  /// Prepares its statements on `db`; they run only on `writer`. `entries`: what the log holds now.
  SqliteActivityLog(sqlite3* db, GroupCommit& writer, std::size_t entries);
  ~SqliteActivityLog();
  SqliteActivityLog(const SqliteActivityLog&) = delete;
  SqliteActivityLog& operator=(const SqliteActivityLog&) = delete;

  /// Appends through the writer and returns once durable; throws StoreUnavailable.
  void append(std::span<const Entry> entries);
  /// Entries appended since the last compaction began (or since the file was opened, with what it held).
  std::size_t entriesSinceCompaction() const { return sinceCompaction_.load(); }

  // A compaction, driven by the store from one thread at a time: begin, append what memory holds with
  // appendSnapshot(), then dropOldEntries() until it says it is done.
  void beginCompaction();
  void appendSnapshot(std::span<const Entry> entries);
  /// Drops up to `maxEntries` of the entries logged before the compaction began; true once none is left.
  bool dropOldEntries(std::size_t maxEntries);

  /// How many entries the log holds (for tests and metrics; counts the table).
  std::size_t size();

 private:
  class Statements;
  void write(std::span<const Entry> entries);
  GroupCommit& writer_;
  std::unique_ptr<Statements> statements_;
  std::atomic<std::size_t> sinceCompaction_;
  std::int64_t dropThrough_ = 0;  // the last entry of the log when the compaction began
  std::int64_t droppedThrough_ = 0;
};

}  // namespace tokens::store
