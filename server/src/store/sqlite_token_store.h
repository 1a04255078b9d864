#pragma once
// "sqlite:PATH": the embedded default (SPEC §7). SQLite in WAL mode with synchronous=FULL, so an issued
// token, a revocation or a settings change is on disk before the response is sent. One writer thread owns
// the connection and commits what every request queued meanwhile together (group commit, one fsync a
// batch); requests wait for their write in their fibers, never on an event loop. Activity is written
// behind every 500 ms (the contract allows 1 s), through the same writer, to a log that is compacted from
// memory now and then (store/sqlite_activity_log.h). Reads are served from the in-memory table, loaded
// from the file at start-up. The file is locked exclusively: one server per file.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "store/indexed_token_store.h"

struct sqlite3;

namespace tokens::async {
class PeriodicTask;
}

namespace tokens::store {

class GroupCommit;
class SqliteActivityLog;

class SqliteTokenStore final : public IndexedTokenStore {
 public:
  /// `minLogEntriesBeforeCompaction`: the activity log is compacted once it has taken more entries than
  /// there are tokens, and at least this many (tests make it small).
  explicit SqliteTokenStore(const std::string& path,
                            std::chrono::milliseconds activityFlushInterval = std::chrono::milliseconds(500),
                            std::size_t minLogEntriesBeforeCompaction = 65536);
  ~SqliteTokenStore() override;
  SqliteTokenStore(const SqliteTokenStore&) = delete;
  SqliteTokenStore& operator=(const SqliteTokenStore&) = delete;

  void flush() override;
  bool ready() override;
  std::optional<CommitCounts> commitCounts() override;
  /// Compacts the activity log now, whether or not it is due (the flusher does it when it is).
  void compactActivityLog();
  /// The entries in the activity log (for tests).
  std::size_t activityLogSize();

 protected:
  WriteTicket persistTokens(const TokenRows& rows, std::int64_t nowMs) override;
  WriteTicket persistIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) override;
  WriteTicket persistClockOffsetMs(std::int64_t offsetMs) override;
  void awaitDurable(const WriteTicket& ticket) override;
  void stopWritesAfterFailure() override;

 private:
  class Statements;
  void execute(const char* sql);
  void createSchema();
  /// Loads tokens, settings and the clock into memory; returns the entries the activity log holds.
  std::size_t loadAll();
  /// One step of the activity log's compaction if one is running, or due (or `force`d); false when there
  /// is nothing more to do for now.
  bool compactActivityLogStep(bool force);
  sqlite3* db_ = nullptr;  // used by the constructor, then only by the writer
  std::unique_ptr<Statements> statements_;
  std::chrono::milliseconds flushInterval_;
  std::unique_ptr<GroupCommit> writer_;
  const std::size_t minLogEntriesBeforeCompaction_;
  std::unique_ptr<SqliteActivityLog> activityLog_;
  std::mutex compactionMutex_;
  struct Compaction {
    bool running = false;
    bool snapshotTaken = false;
    std::size_t cursor = 0;
  } compaction_;  // under compactionMutex_
  std::unique_ptr<async::PeriodicTask> flusher_;  // the write-behind; stopped first in the destructor
};

}  // namespace tokens::store
