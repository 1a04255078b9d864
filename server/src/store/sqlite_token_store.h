#pragma once
// "sqlite:PATH": the embedded default (SPEC §7). SQLite in WAL mode with synchronous=FULL, so an issued
// token, a revocation or a settings change is on disk before the response is sent; activity is written
// behind by a background thread every 250 ms (the contract allows 1 s). Reads are served from the
// in-memory index, loaded from the file at start-up. The file is locked exclusively: one server per file.

#include <chrono>
#include <mutex>
#include <memory>
#include <string>

#include "store/indexed_token_store.h"

struct sqlite3;

namespace tokens::async {
class PeriodicTask;
}

namespace tokens::store {

class SqliteTokenStore final : public IndexedTokenStore {
 public:
  explicit SqliteTokenStore(const std::string& path,
                            std::chrono::milliseconds activityFlushInterval = std::chrono::milliseconds(250));
  ~SqliteTokenStore() override;
  SqliteTokenStore(const SqliteTokenStore&) = delete;
  SqliteTokenStore& operator=(const SqliteTokenStore&) = delete;

  void flush() override;
  bool ready() override;

 protected:
  void persistInsert(std::span<const TokenRecord> records, std::int64_t nowMs) override;
  void persistRevoke(std::span<const Digest> digests) override;
  void persistRotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) override;
  void persistIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) override;
  void persistClockOffsetMs(std::int64_t offsetMs) override;

 private:
  class Transaction;
  void execute(const char* sql);
  /// Inside a transaction, with dbMutex_ held.
  void insertRows(std::span<const TokenRecord> records, std::int64_t nowMs);
  void createSchema();
  void loadAll();
  std::mutex dbMutex_;  // one connection, used by request threads and the flusher in turn
  sqlite3* db_ = nullptr;
  std::chrono::milliseconds flushInterval_;
  std::unique_ptr<async::PeriodicTask> flusher_;  // the write-behind; stopped first in the destructor
};

}  // namespace tokens::store
