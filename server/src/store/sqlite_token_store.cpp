#include "store/sqlite_token_store.h"

#include <filesystem>

#include "PureCloudPlatformClientV2/model/Json.h"
#include "async/periodic_task.h"
#include "store/group_commit.h"
#include "store/sqlite_activity_log.h"
#include "store/sqlite_statement.h"

namespace tokens::store {
namespace {

// A compaction step writes the activity of this many slots, and drops this many old entries, in one
// write of the writer: other writes wait for one such step at most. The flusher gives compaction this
// long after each flush.
constexpr std::size_t kCompactionSlotsPerStep = 8192;
constexpr std::size_t kCompactionDropsPerStep = 32768;
constexpr auto kCompactionTimePerTick = std::chrono::milliseconds(200);

}  // namespace

using sqlite::Statement;
using sqlite::raise;

// The statements the writer runs for every batch, prepared once.
class SqliteTokenStore::Statements {
 public:
  explicit Statements(sqlite3* db)
      : insertToken(db,
                    // Plain INSERT: a row number given twice would be a bug, and must fail loudly.
                    "INSERT INTO token_rows (id, digest, kind, organization_id, client_id, user_id, "
                    "grant_type, issued_at_ms, expires_at_ms, last_activity_ms, pair_digest) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
        deleteToken(db, "DELETE FROM token_rows WHERE id = ?") {}
  Statement insertToken;
  Statement deleteToken;
};

SqliteTokenStore::SqliteTokenStore(const std::string& path, std::chrono::milliseconds activityFlushInterval,
                                   std::size_t minLogEntriesBeforeCompaction)
    : IndexedTokenStore(/*writesActivityBehind=*/true),
      flushInterval_(activityFlushInterval),
      minLogEntriesBeforeCompaction_(minLogEntriesBeforeCompaction) {
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw StoreUnavailable("sqlite: cannot open " + path + ": " + message);
  }
  std::size_t logEntriesAtOpen = 0;  // what the activity log holds, for its compaction
  try {
    // EXCLUSIVE: the in-memory index is only right if no other process writes the file.
    execute("PRAGMA locking_mode=EXCLUSIVE");
    execute("PRAGMA journal_mode=WAL");
    execute("PRAGMA synchronous=FULL");
    createSchema();
    logEntriesAtOpen = loadAll();
    statements_ = std::make_unique<Statements>(db_);
  } catch (const StoreUnavailable& e) {
    statements_.reset();
    sqlite3_close(db_);
    const std::string what = e.what();
    throw StoreUnavailable(what.find("locked") != std::string::npos
                               ? what + " (is another tokens-server using " + path + "?)"
                               : what);
  } catch (...) {  // out of memory while loading: the file's lock must not outlive the attempt
    statements_.reset();
    sqlite3_close(db_);
    throw;
  }
  writer_ = std::make_unique<GroupCommit>(GroupCommit::Transactions{
      [this] { execute("BEGIN IMMEDIATE"); }, [this] { execute("COMMIT"); },
      [this] { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }});
  activityLog_ = std::make_unique<SqliteActivityLog>(db_, *writer_, logEntriesAtOpen);
  flusher_ = std::make_unique<async::PeriodicTask>("sqlite write-behind", flushInterval_, [this] {
    try {
      flush();
      const auto until = std::chrono::steady_clock::now() + kCompactionTimePerTick;
      while (std::chrono::steady_clock::now() < until && compactActivityLogStep(false)) {
      }
    } catch (const StoreUnavailable&) {
      // Retried on the next tick; requests that need the store report it themselves.
    }
  });
}

SqliteTokenStore::~SqliteTokenStore() {
  flusher_->stop();
  try {
    flush();
  } catch (const StoreUnavailable&) {
    // Nothing left to tell: at worst tokens idle out up to one flush interval early after a restart.
  }
  activityLog_.reset();
  writer_.reset();  // commits what is queued, then stops
  statements_.reset();
  sqlite3_close(db_);
}

void SqliteTokenStore::execute(const char* sql) { sqlite::execute(db_, sql); }

void SqliteTokenStore::createSchema() {
  const auto version = [&] {
    Statement v(db_, "PRAGMA user_version");
    return v.step() ? v.integer(0) : 0;
  }();
  if (version > 4)  // a newer server's file: its format is not this one's to relabel
    throw StoreUnavailable("sqlite: the file has schema version " + std::to_string(version) +
                           ", newer than this server's (4)");
  // Tokens are rows in the order they were issued (the row id the store gives them): a grant appends to
  // the last page instead of dirtying a random one, as a table keyed by digest did (version 1).
  // Nothing looks a token up on disk: the table in memory does, and knows each token's row. A row's
  // last_activity_ms is its issue; later activity is in the activity log (version 4).
  execute(R"sql(
    CREATE TABLE IF NOT EXISTS token_rows (
      id INTEGER PRIMARY KEY,
      digest BLOB NOT NULL,
      kind INTEGER NOT NULL,
      organization_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      grant_type TEXT NOT NULL,
      issued_at_ms INTEGER NOT NULL,
      expires_at_ms INTEGER NOT NULL,
      last_activity_ms INTEGER NOT NULL,
      pair_digest BLOB
    );
    CREATE TABLE IF NOT EXISTS idle_token_timeouts (
      organization_id TEXT PRIMARY KEY,
      setting_json TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS emulator_state (
      name TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    ) WITHOUT ROWID;
  )sql");
  const bool hasOldTable = [&] {  // finalised before the table can be dropped
    Statement oldTable(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tokens'");
    return oldTable.step();
  }();
  if (hasOldTable) {  // a file of version 1: its tokens move over, in issue order, in one transaction
    execute(R"sql(
      BEGIN IMMEDIATE;
      INSERT INTO token_rows (digest, kind, organization_id, client_id, user_id, grant_type, issued_at_ms,
                              expires_at_ms, last_activity_ms, pair_digest)
        SELECT digest, kind, organization_id, client_id, user_id, grant_type, issued_at_ms, expires_at_ms,
               last_activity_ms, pair_digest FROM tokens ORDER BY issued_at_ms;
      DROP TABLE tokens;
      COMMIT;
    )sql");
  }
  SqliteActivityLog::createTable(db_);
  execute("PRAGMA user_version = 4");
}

std::size_t SqliteTokenStore::loadAll() {
  // Both in row order: each token's activity is the latest of its row's and the log's, found by a merge.
  const auto log = SqliteActivityLog::read(db_);
  auto logged = log.latest.begin();
  Statement tokens(db_,
                   "SELECT digest, kind, organization_id, client_id, user_id, grant_type, issued_at_ms, "
                   "expires_at_ms, last_activity_ms, pair_digest, id FROM token_rows ORDER BY id");
  while (tokens.step()) {
    TokenRecord r;
    const auto digest = tokens.digest(0);
    if (!digest) continue;
    r.digest = *digest;
    r.kind = tokens.integer(1) == 1 ? TokenKind::Refresh : TokenKind::Access;
    r.organizationId = tokens.text(2);
    r.clientId = tokens.text(3);
    r.userId = tokens.text(4);
    r.grantType = tokens.text(5);
    r.issuedAtMs = tokens.integer(6);
    r.expiresAtMs = tokens.integer(7);
    r.pairDigest = tokens.digest(9);
    const auto row = tokens.integer(10);
    if (row < 1 || row > (std::int64_t{1} << 62)) throw StoreUnavailable("sqlite: a token row has an impossible number");
    while (logged != log.latest.end() && logged->rowId < row) ++logged;
    const auto activity = tokens.integer(8);
    load(r, logged != log.latest.end() && logged->rowId == row ? std::max(activity, logged->lastActivityMs) : activity,
         row);
  }
  // A row of a token that is gone may still be in the log: it is never given to another token.
  if (!log.latest.empty()) loadRowsUsedThrough(log.latest.back().rowId);
  Statement settings(db_, "SELECT organization_id, setting_json FROM idle_token_timeouts");
  while (settings.step()) {
    if (auto setting = PureCloudPlatformClientV2::fromJson<IdleTokenTimeout>(settings.text(1)))
      loadIdleTokenTimeout(settings.text(0), std::move(*setting));
    else  // refuse to start rather than silently fall back to "idle timeout off"
      throw StoreUnavailable("sqlite: the stored idle token timeout of organization " + settings.text(0) + " is unreadable");
  }
  Statement emulator(db_, "SELECT value FROM emulator_state WHERE name = 'clock_offset_ms'");
  if (emulator.step()) loadClockOffsetMs(emulator.integer(0));
  return log.entries;
}

// Each hook queues its write with copies of what it needs: the writer runs it after the hook returned.
WriteTicket SqliteTokenStore::persistTokens(const TokenRows& rows, std::int64_t nowMs) {
  return writer_->submit([this, nowMs, added = std::vector<TokenRecord>(rows.added.begin(), rows.added.end()),
                          addedRows = std::vector<std::int64_t>(rows.addedRows.begin(), rows.addedRows.end()),
                          removedRows = std::vector<std::int64_t>(rows.removedRows.begin(), rows.removedRows.end())] {
    for (const auto row : removedRows) statements_->deleteToken.bind(1, row).run();
    auto& insert = statements_->insertToken;
    for (std::size_t i = 0; i < added.size(); ++i) {
      const auto& r = added[i];
      insert.bind(1, addedRows[i]).bind(2, r.digest).bind(3, std::int64_t{r.kind == TokenKind::Refresh ? 1 : 0});
      insert.bind(4, r.organizationId).bind(5, r.clientId).bind(6, r.userId).bind(7, r.grantType);
      insert.bind(8, r.issuedAtMs).bind(9, r.expiresAtMs).bind(10, nowMs);
      if (r.pairDigest)
        insert.bind(11, *r.pairDigest);
      else
        insert.bindNull(11);
      insert.run();
    }
  });
}

WriteTicket SqliteTokenStore::persistIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) {
  return writer_->submit([this, org = std::string(organizationId), json = PureCloudPlatformClientV2::toJson(setting)] {
    Statement upsert(db_, "INSERT OR REPLACE INTO idle_token_timeouts (organization_id, setting_json) VALUES (?, ?)");
    upsert.bind(1, org).bind(2, json).run();
  });
}

WriteTicket SqliteTokenStore::persistClockOffsetMs(std::int64_t offsetMs) {
  return writer_->submit([this, offsetMs] {
    Statement upsert(db_, "INSERT OR REPLACE INTO emulator_state (name, value) VALUES ('clock_offset_ms', ?)");
    upsert.bind(1, offsetMs).run();
  });
}

void SqliteTokenStore::awaitDurable(const WriteTicket& ticket) { GroupCommit::wait(ticket); }

void SqliteTokenStore::stopWritesAfterFailure() { writer_->stopAfterFailure(); }

void SqliteTokenStore::flush() {
  const auto activity = takeUnpersistedActivity();
  if (activity.empty()) return;
  std::vector<SqliteActivityLog::Entry> entries;
  entries.reserve(activity.size());
  for (const auto& a : activity) entries.push_back({a.rowId, a.lastActivityMs});
  try {
    activityLog_->append(entries);
  } catch (const StoreUnavailable&) {
    markUnpersisted(activity);  // written with the next flush
    throw;
  }
}

bool SqliteTokenStore::compactActivityLogStep(bool force) {
  std::lock_guard lock(compactionMutex_);
  auto& c = compaction_;
  if (!c.running) {
    const auto due = std::max(liveTokens(), minLogEntriesBeforeCompaction_);
    if (!force && activityLog_->entriesSinceCompaction() <= due) return false;
    activityLog_->beginCompaction();
    c = {.running = true, .snapshotTaken = false, .cursor = 0};
  }
  if (!c.snapshotTaken) {
    std::vector<SqliteActivityLog::Entry> snapshot;
    c.cursor = collectActivity(c.cursor, kCompactionSlotsPerStep, snapshot, c.snapshotTaken);
    activityLog_->appendSnapshot(snapshot);
    return true;
  }
  c.running = !activityLog_->dropOldEntries(kCompactionDropsPerStep);
  return c.running;
}

void SqliteTokenStore::compactActivityLog() {
  if (!compactActivityLogStep(true)) return;
  while (compactActivityLogStep(false)) {
  }
}

std::size_t SqliteTokenStore::activityLogSize() { return activityLog_->size(); }

std::optional<TokenStore::CommitCounts> SqliteTokenStore::commitCounts() {
  const auto counts = writer_->counts();
  return CommitCounts{counts.batches, counts.writes};
}

bool SqliteTokenStore::ready() {
  // The writer has not failed (then it takes no writes until a restart), and commits an empty batch: it
  // answers, and the file still takes a transaction.
  if (!writer_->healthy()) return false;
  try {
    writer_->write([] {});
    return true;
  } catch (const StoreUnavailable&) {
    return false;
  }
}

}  // namespace tokens::store
