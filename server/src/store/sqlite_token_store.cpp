#include "store/sqlite_token_store.h"

#include <cstring>
#include <filesystem>

#include <sqlite3.h>

#include "PureCloudPlatformClientV2/model/Json.h"
#include "async/periodic_task.h"
#include "store/group_commit.h"

namespace tokens::store {
namespace {

[[noreturn]] void raise(sqlite3* db, const std::string& what) {
  throw StoreUnavailable("sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
}

// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) raise(db, "prepare");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::string_view text) {
    check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int i, const Digest& d) {
    check(sqlite3_bind_blob(stmt_, i, d.data(), static_cast<int>(d.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Statement& bindNull(int i) {
    check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  /// Steps once; true while there is a row.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    raise(db_, "step");
  }
  /// Steps to the end and makes the statement ready for the next run, even when the step failed.
  void run() {
    const int rc = sqlite3_step(stmt_);
    const std::string problem = rc == SQLITE_ROW || rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (!problem.empty()) throw StoreUnavailable("sqlite: step: " + problem);
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : "";
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<Digest> digest(int col) const {
    if (sqlite3_column_type(stmt_, col) != SQLITE_BLOB || sqlite3_column_bytes(stmt_, col) != 32) return std::nullopt;
    Digest d;
    std::memcpy(d.data(), sqlite3_column_blob(stmt_, col), d.size());
    return d;
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) raise(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

// The statements the writer runs for every batch, prepared once.
class SqliteTokenStore::Statements {
 public:
  explicit Statements(sqlite3* db)
      : insertToken(db,
                    // Plain INSERT: a row number given twice would be a bug, and must fail loudly.
                    "INSERT INTO token_rows (id, digest, kind, organization_id, client_id, user_id, "
                    "grant_type, issued_at_ms, expires_at_ms, last_activity_ms, pair_digest) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
        deleteToken(db, "DELETE FROM token_rows WHERE id = ?"),
        // max(): a slow flush must never move a newer value back.
        updateActivity(db, "UPDATE token_rows SET last_activity_ms = max(last_activity_ms, ?) WHERE id = ?") {}
  Statement insertToken;
  Statement deleteToken;
  Statement updateActivity;
};

SqliteTokenStore::SqliteTokenStore(const std::string& path, std::chrono::milliseconds activityFlushInterval)
    : IndexedTokenStore(/*writesActivityBehind=*/true), flushInterval_(activityFlushInterval) {
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw StoreUnavailable("sqlite: cannot open " + path + ": " + message);
  }
  try {
    // EXCLUSIVE: the in-memory index is only right if no other process writes the file.
    execute("PRAGMA locking_mode=EXCLUSIVE");
    execute("PRAGMA journal_mode=WAL");
    execute("PRAGMA synchronous=FULL");
    createSchema();
    loadAll();
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
  flusher_ = std::make_unique<async::PeriodicTask>("sqlite write-behind", flushInterval_, [this] {
    try {
      flush();
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
  writer_.reset();  // commits what is queued, then stops
  statements_.reset();
  sqlite3_close(db_);
}

void SqliteTokenStore::execute(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreUnavailable(std::string("sqlite: ") + sql + ": " + message);
  }
}

void SqliteTokenStore::createSchema() {
  const auto version = [&] {
    Statement v(db_, "PRAGMA user_version");
    return v.step() ? v.integer(0) : 0;
  }();
  if (version > 3)  // a newer server's file: its format is not this one's to relabel
    throw StoreUnavailable("sqlite: the file has schema version " + std::to_string(version) +
                           ", newer than this server's (3)");
  // Tokens are rows in the order they were issued (the row id the store gives them): a grant appends to
  // the last page instead of dirtying a random one, as a table keyed by digest did (version 1).
  // Nothing looks a token up on disk: the table in memory does, and knows each token's row.
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
  execute("PRAGMA user_version = 3");
}

void SqliteTokenStore::loadAll() {
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
    load(r, tokens.integer(8), row);
  }
  Statement settings(db_, "SELECT organization_id, setting_json FROM idle_token_timeouts");
  while (settings.step()) {
    if (auto setting = PureCloudPlatformClientV2::fromJson<IdleTokenTimeout>(settings.text(1)))
      loadIdleTokenTimeout(settings.text(0), std::move(*setting));
    else  // refuse to start rather than silently fall back to "idle timeout off"
      throw StoreUnavailable("sqlite: the stored idle token timeout of organization " + settings.text(0) + " is unreadable");
  }
  Statement emulator(db_, "SELECT value FROM emulator_state WHERE name = 'clock_offset_ms'");
  if (emulator.step()) loadClockOffsetMs(emulator.integer(0));
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
  try {
    writer_->write([&] {
      for (const auto& a : activity) statements_->updateActivity.bind(1, a.lastActivityMs).bind(2, a.rowId).run();
    });
  } catch (const StoreUnavailable&) {
    markUnpersisted(activity);  // written with the next flush
    throw;
  }
}

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
