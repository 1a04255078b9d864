#include "store/sqlite_activity_log.h"

#include <algorithm>

#include "store/group_commit.h"
#include "store/sqlite_statement.h"

namespace tokens::store {

using sqlite::Statement;

class SqliteActivityLog::Statements {
 public:
  explicit Statements(sqlite3* db)
      : append(db, "INSERT INTO activity_log (row_id, last_activity_ms) VALUES (?, ?)"),
        first(db, "SELECT coalesce(min(rowid), 1) - 1 FROM activity_log"),
        last(db, "SELECT coalesce(max(rowid), 0) FROM activity_log"),
        drop(db, "DELETE FROM activity_log WHERE rowid <= ?"),
        count(db, "SELECT count(*) FROM activity_log") {}
  Statement append;
  Statement first;
  Statement last;
  Statement drop;
  Statement count;
};

void SqliteActivityLog::createTable(sqlite3* db) {
  // A rowid table without an index: each entry goes after the last one.
  sqlite::execute(db,
                  "CREATE TABLE IF NOT EXISTS activity_log (row_id INTEGER NOT NULL, "
                  "last_activity_ms INTEGER NOT NULL)");
}

SqliteActivityLog::Contents SqliteActivityLog::read(sqlite3* db) {
  Contents contents;
  Statement all(db, "SELECT row_id, last_activity_ms FROM activity_log");
  while (all.step()) contents.latest.push_back({all.integer(0), all.integer(1)});
  contents.entries = contents.latest.size();
  // Sorted here: the log has no index by row (appends stay at its end), so SQLite could only sort it too.
  std::sort(contents.latest.begin(), contents.latest.end(), [](const Entry& a, const Entry& b) {
    return a.rowId != b.rowId ? a.rowId < b.rowId : a.lastActivityMs > b.lastActivityMs;
  });
  // The first of each row is its latest.
  const auto end = std::unique(contents.latest.begin(), contents.latest.end(),
                               [](const Entry& a, const Entry& b) { return a.rowId == b.rowId; });
  contents.latest.erase(end, contents.latest.end());
  contents.latest.shrink_to_fit();
  return contents;
}

SqliteActivityLog::SqliteActivityLog(sqlite3* db, GroupCommit& writer, std::size_t entries)
    : writer_(writer), statements_(std::make_unique<Statements>(db)), sinceCompaction_(entries) {}

SqliteActivityLog::~SqliteActivityLog() = default;

void SqliteActivityLog::write(std::span<const Entry> entries) {
  if (entries.empty()) return;
  writer_.write([&] {
    for (const auto& e : entries) statements_->append.bind(1, e.rowId).bind(2, e.lastActivityMs).run();
  });
}

void SqliteActivityLog::append(std::span<const Entry> entries) {
  write(entries);
  sinceCompaction_ += entries.size();
}

void SqliteActivityLog::beginCompaction() {
  writer_.write([&] {
    droppedThrough_ = statements_->first.single();
    dropThrough_ = statements_->last.single();
  });
  sinceCompaction_ = 0;
}

void SqliteActivityLog::appendSnapshot(std::span<const Entry> entries) { write(entries); }

bool SqliteActivityLog::dropOldEntries(std::size_t maxEntries) {
  if (droppedThrough_ >= dropThrough_) return true;
  const auto through = std::min(dropThrough_, droppedThrough_ + static_cast<std::int64_t>(maxEntries));
  writer_.write([&] { statements_->drop.bind(1, through).run(); });
  droppedThrough_ = through;
  return droppedThrough_ >= dropThrough_;
}

std::size_t SqliteActivityLog::size() {
  std::size_t n = 0;
  writer_.write([&] { n = static_cast<std::size_t>(statements_->count.single()); });
  return n;
}

}  // namespace tokens::store
