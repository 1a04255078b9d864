#pragma once
// A prepared SQLite statement and the error of the SQLite stores' files, for the store's writer and its
// activity log. Included only by them: nothing else sees sqlite3.h.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "store/token_store.h"

namespace tokens::store::sqlite {

[[noreturn]] inline void raise(sqlite3* db, const std::string& what) {
  throw StoreUnavailable("sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
}

/// Runs SQL that returns nothing; throws StoreUnavailable with SQLite's message.
inline void execute(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreUnavailable(std::string("sqlite: ") + sql + ": " + message);
  }
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
  /// Steps once and returns the first column's integer (0 without a row), ready for the next run.
  std::int64_t single() {
    const int rc = sqlite3_step(stmt_);
    const std::int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(stmt_, 0) : 0;
    const std::string problem = rc == SQLITE_ROW || rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (!problem.empty()) throw StoreUnavailable("sqlite: step: " + problem);
    return value;
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


}  // namespace tokens::store::sqlite
