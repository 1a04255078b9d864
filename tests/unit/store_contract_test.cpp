// The TokenStore contract (tests/support/store_contract.h) on the memory and SQLite stores, opening
// stores by URI, and what only the durable SQLite store promises: what it acknowledged survives a
// restart or a crash.

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/group_commit.h"
#include "store/indexed_token_store.h"
#include "store/sqlite_token_store.h"
#include "store/token_store.h"
#include "store_contract.h"

namespace {

using namespace tokens::testing;

INSTANTIATE_TEST_SUITE_P(
    Stores, StoreContract,
    ::testing::Values(StoreUnderTest{"memory", [](const fs::path&) { return openStore("memory:"); }},
                      StoreUnderTest{"sqlite", [](const fs::path& dir) {
                                       return openStore("sqlite:" + (dir / "tokens.db").string());
                                     }}),
    storeName);

// ---- opening stores ----------------------------------------------------------------------------------

TEST(OpenStore, KnowsItsUris) {
  TempDir dir;
  EXPECT_NE(openStore("memory:"), nullptr);
  EXPECT_NE(openStore("sqlite:" + (dir.path() / "a.db").string()), nullptr);
  // The parent directory is created when missing.
  EXPECT_NE(openStore("sqlite:" + (dir.path() / "sub" / "dir" / "b.db").string()), nullptr);
  EXPECT_TRUE(fs::exists(dir.path() / "sub" / "dir" / "b.db"));
}

TEST(OpenStore, RefusesUnknownUris) {
  EXPECT_THROW(openStore("sqlite:"), std::invalid_argument);
  EXPECT_THROW(openStore("postgres://localhost/x"), std::invalid_argument);
  EXPECT_THROW(openStore(""), std::invalid_argument);
  EXPECT_THROW(openStore("memory"), std::invalid_argument);
  EXPECT_THROW(openStore("redis://127.0.0.1:99999/0"), std::invalid_argument);  // a bad port, named at start
  EXPECT_THROW(openStore("redis://127.0.0.1:6379/16"), std::invalid_argument);
}

TEST(OpenStore, UnopenableFilesAreStoreUnavailable) {
  TempDir dir;
  EXPECT_THROW(openStore("sqlite:" + dir.path().string()), StoreUnavailable);  // a directory
  const auto garbage = dir.path() / "garbage.db";
  {
    std::ofstream out(garbage, std::ios::binary);
    out << std::string(8192, 'x');
  }
  EXPECT_THROW(openStore("sqlite:" + garbage.string()), StoreUnavailable);
}

// ---- a durable layer that fails ------------------------------------------------------------------------

// IndexedTokenStore over a GroupCommit whose commits can be held back or made to fail: the store's side of
// a disk that fills up.
class FlakyDurableStore final : public IndexedTokenStore {
 public:
  std::mutex mutex;
  std::condition_variable changed;
  bool hold = false;
  bool failNext = false;
  int begun = 0;
  void release() {
    std::lock_guard lock(mutex);
    hold = false;
    changed.notify_all();
  }

 protected:
  WriteTicket persistTokens(const TokenRows&, std::int64_t) override { return writer_.submit([] {}); }
  void awaitDurable(const WriteTicket& ticket) override { GroupCommit::wait(ticket); }
  void stopWritesAfterFailure() override { writer_.stopAfterFailure(); }

 private:
  GroupCommit writer_{GroupCommit::Transactions{[this] {
                                                  std::lock_guard lock(mutex);
                                                  ++begun;
                                                  changed.notify_all();
                                                },
                                                [this] {
                                                  std::unique_lock lock(mutex);
                                                  changed.wait_for(lock, std::chrono::seconds(10), [&] { return !hold; });
                                                  if (std::exchange(failNext, false)) throw StoreUnavailable("disk full");
                                                },
                                                [] {}}};
};

TEST(FailingDurableLayer, AFailedGrantLeavesNoTokenAndNoLaterChangeIsReportedDone) {
  FlakyDurableStore store;
  const auto before = record("before", TokenKind::Access, "org-a", "c", "alice");
  store.insert(std::vector{before}, kNow);
  store.failNext = true;
  const auto lost = record("lost", TokenKind::Access, "org-a", "c", "alice");
  EXPECT_THROW(store.insert(std::vector{lost}, kNow), StoreUnavailable);
  EXPECT_FALSE(present(store, "lost")) << "a token whose write failed is never handed out, and not kept";
  // A retried revocation must not be answered done: memory may be ahead of the file now.
  EXPECT_THROW(store.revokeUser("org-a", "alice"), StoreUnavailable);
  EXPECT_THROW(store.insert(std::vector{record("after", TokenKind::Access, "org-a", "c", "bob")}, kNow),
               StoreUnavailable);
  EXPECT_TRUE(present(store, "before")) << "reads go on";
}

TEST(FailingDurableLayer, ARevocationWithNothingLeftToDoWaitsForTheOneStillOnItsWay) {
  // Two logouts of one token: the second finds nothing in memory, the first's delete is not durable yet.
  // The second must not be answered before the first's write is.
  FlakyDurableStore store;
  store.insert(std::vector{record("t", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  store.hold = true;
  const std::array<Digest, 1> token{digestFor("t")};
  std::atomic<bool> firstDone{false}, secondDone{false};
  std::thread first([&] {
    store.revoke(token);
    firstDone = true;
  });
  {
    std::unique_lock lock(store.mutex);  // the first's batch is being committed (and held)
    store.changed.wait_for(lock, std::chrono::seconds(10), [&] { return store.begun == 2; });
  }
  std::thread second([&] {
    EXPECT_EQ(store.revoke(token), 0u);
    secondDone = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(secondDone) << "answered before the first revocation was durable";
  store.release();
  first.join();
  second.join();
  EXPECT_TRUE(firstDone && secondDone);
}

// ---- SQLite durability -------------------------------------------------------------------------------

class SqliteDurability : public ::testing::Test {
 protected:
  fs::path file() const { return dir.path() / "tokens.db"; }

  // What a `kill -9` would leave: a copy of the database and its write-ahead log taken while the store
  // is still open, without letting it close (a close checkpoints and flushes).
  fs::path crashCopy() {
    const auto copyDir = dir.path() / ("crash-" + std::to_string(copies++));
    fs::create_directory(copyDir);
    for (const auto* suffix : {"", "-wal", "-journal"}) {
      const fs::path from = file().string() + suffix;
      if (fs::exists(from)) fs::copy_file(from, copyDir / (std::string("tokens.db") + suffix));
    }
    return copyDir / "tokens.db";
  }

  static void insert(TokenStore& store, const std::vector<TokenRecord>& records, std::int64_t nowMs = kNow) {
    store.insert(std::span<const TokenRecord>(records), nowMs);
  }

  TempDir dir;
  int copies = 0;
};

TEST_F(SqliteDurability, TokensRevocationsAndSettingsSurviveAReopen) {
  const auto alice = pair("alice", "org-a", "client-1", "alice");
  const auto bob = pair("bob", "org-a", "client-1", "bob");
  const auto cc = record("cc", TokenKind::Access, "org-b", "cc", "");
  {
    SqliteTokenStore store(file().string());
    insert(store, alice, kNow + 1);
    insert(store, bob);
    insert(store, {cc});
    const std::array<Digest, 1> revoked{bob[0].digest};
    EXPECT_EQ(store.revoke(revoked), 1u);
    store.saveIdleTokenTimeout("org-a", fullSetting());
  }
  SqliteTokenStore reopened(file().string());
  EXPECT_EQ(reopened.liveTokens(), 4u);
  const auto a = reopened.find(alice[0].digest);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->record, alice[0]);
  EXPECT_EQ(a->lastActivityMs.load(), kNow + 1);
  ASSERT_NE(reopened.find(alice[1].digest), nullptr);
  EXPECT_EQ(reopened.find(alice[1].digest)->record, alice[1]);
  ASSERT_NE(reopened.find(cc.digest), nullptr);
  EXPECT_EQ(reopened.find(cc.digest)->record, cc);
  EXPECT_EQ(reopened.find(bob[0].digest), nullptr);
  EXPECT_NE(reopened.find(bob[1].digest), nullptr);
  ASSERT_NE(reopened.idleTokenTimeout("org-a"), nullptr);
  EXPECT_EQ(*reopened.idleTokenTimeout("org-a"), fullSetting());
  EXPECT_EQ(reopened.idleTokenTimeout("org-b"), nullptr);
}

TEST_F(SqliteDurability, RevokeUserAndPurgeSurviveAReopen) {
  {
    SqliteTokenStore store(file().string());
    insert(store, pair("alice", "org-a", "c", "alice"));
    insert(store, pair("bob", "org-a", "c", "bob"));
    insert(store, {record("old", TokenKind::Access, "org-a", "c", "carol", 10)});
    EXPECT_EQ(store.revokeUser("org-a", "alice"), 2u);
    EXPECT_EQ(store.purgeExpired(11), 1u);
  }
  SqliteTokenStore reopened(file().string());
  EXPECT_EQ(reopened.liveTokens(), 2u);
  EXPECT_FALSE(present(reopened, "alice"));
  EXPECT_FALSE(present(reopened, "alice/refresh"));
  EXPECT_FALSE(present(reopened, "old"));
  EXPECT_TRUE(present(reopened, "bob"));
}

TEST_F(SqliteDurability, AcknowledgedChangesSurviveACrash) {
  // No close, no flush: what insert/revoke/saveIdleTokenTimeout/advanceClockOffsetMs returned from is on disk already.
  SqliteTokenStore store(file().string(), std::chrono::hours(1));
  insert(store, pair("alice", "org-a", "c", "alice"));
  insert(store, pair("bob", "org-a", "c", "bob"));
  const std::array<Digest, 2> revoked{digestFor("bob"), digestFor("bob/refresh")};
  EXPECT_EQ(store.revoke(revoked), 2u);
  store.saveIdleTokenTimeout("org-a", fullSetting());
  store.advanceClockOffsetMs(86'400'000, 100LL * 86'400'000);

  SqliteTokenStore recovered(crashCopy().string());
  EXPECT_EQ(recovered.clockOffsetMs(), 86'400'000) << "the emulator's clock does not run back after a crash";
  EXPECT_EQ(recovered.liveTokens(), 2u);
  EXPECT_TRUE(present(recovered, "alice"));
  EXPECT_TRUE(present(recovered, "alice/refresh"));
  EXPECT_FALSE(present(recovered, "bob"));
  ASSERT_NE(recovered.idleTokenTimeout("org-a"), nullptr);
  EXPECT_EQ(*recovered.idleTokenTimeout("org-a"), fullSetting());
}

TEST_F(SqliteDurability, ActivityWrittenBehindSurvivesAfterFlush) {
  SqliteTokenStore store(file().string(), std::chrono::hours(1));  // the background flusher never runs
  insert(store, pair("alice", "org-a", "c", "alice"), kNow);
  insert(store, {record("bob", TokenKind::Access, "org-a", "c", "bob")}, kNow);
  store.touch(*store.find(digestFor("alice")), kNow + 42'000);
  store.flush();

  SqliteTokenStore recovered(crashCopy().string());
  EXPECT_EQ(recovered.find(digestFor("alice"))->lastActivityMs.load(), kNow + 42'000);
  EXPECT_EQ(recovered.find(digestFor("bob"))->lastActivityMs.load(), kNow);  // never touched
}

TEST_F(SqliteDurability, FlushNeverMovesPersistedActivityBack) {
  SqliteTokenStore store(file().string(), std::chrono::hours(1));
  insert(store, {record("alice", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  const auto entry = store.find(digestFor("alice"));
  store.touch(*entry, kNow + 9000);
  store.flush();
  store.touch(*entry, kNow + 1000);  // ignored: older
  store.flush();
  SqliteTokenStore recovered(crashCopy().string());
  EXPECT_EQ(recovered.find(digestFor("alice"))->lastActivityMs.load(), kNow + 9000);
}

TEST_F(SqliteDurability, ActivityReachesTheDiskWithinOneSecondWithoutAFlush) {
  SqliteTokenStore store(file().string());  // the default interval
  insert(store, {record("alice", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  const auto entry = store.find(digestFor("alice"));
  const auto touchedAt = std::chrono::steady_clock::now();
  store.touch(*entry, kNow + 7000);
  // What a crash would leave, looked at until the activity is in it (or 3 s have gone by).
  const auto onDisk = [&] {
    SqliteTokenStore recovered(crashCopy().string(), std::chrono::hours(1));
    return recovered.find(digestFor("alice"))->lastActivityMs.load();
  };
  while (onDisk() != kNow + 7000 && std::chrono::steady_clock::now() - touchedAt < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_LE(std::chrono::steady_clock::now() - touchedAt, std::chrono::milliseconds(1000));
  EXPECT_EQ(onDisk(), kNow + 7000);
}

TEST_F(SqliteDurability, ActivityOfARevokedTokenDoesNotResurrectIt) {
  SqliteTokenStore store(file().string(), std::chrono::hours(1));
  insert(store, {record("alice", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  const auto entry = store.find(digestFor("alice"));
  store.touch(*entry, kNow + 5000);
  const std::array<Digest, 1> revoked{digestFor("alice")};
  store.revoke(revoked);
  store.flush();
  SqliteTokenStore recovered(crashCopy().string());
  EXPECT_FALSE(present(recovered, "alice"));
  EXPECT_EQ(recovered.liveTokens(), 0u);
}

TEST_F(SqliteDurability, CompactingTheActivityLogKeepsEachTokensLatestTime) {
  SqliteTokenStore store(file().string(), std::chrono::hours(1));
  insert(store, {record("alice", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  insert(store, {record("bob", TokenKind::Access, "org-a", "c", "bob")}, kNow);
  insert(store, {record("carol", TokenKind::Access, "org-a", "c", "carol")}, kNow);
  for (int i = 1; i <= 5; ++i) {  // five flushes, each logging alice and bob again
    store.touch(*store.find(digestFor("alice")), kNow + i * 1000);
    store.touch(*store.find(digestFor("bob")), kNow + i * 2000);
    store.flush();
  }
  const std::array<Digest, 1> revoked{digestFor("bob")};
  store.revoke(revoked);
  EXPECT_EQ(store.activityLogSize(), 10u);
  store.touch(*store.find(digestFor("carol")), kNow + 3);  // not flushed: the compaction takes it from memory
  store.compactActivityLog();
  EXPECT_EQ(store.activityLogSize(), 2u) << "one entry for each live token, none for the revoked one";

  SqliteTokenStore recovered(crashCopy().string());
  EXPECT_EQ(recovered.find(digestFor("alice"))->lastActivityMs.load(), kNow + 5000);
  EXPECT_EQ(recovered.find(digestFor("carol"))->lastActivityMs.load(), kNow + 3);
  EXPECT_FALSE(present(recovered, "bob"));
}

TEST_F(SqliteDurability, TheLogCompactsItselfOnceItOutgrowsTheTokens) {
  SqliteTokenStore store(file().string(), std::chrono::milliseconds(20), /*minLogEntriesBeforeCompaction=*/8);
  insert(store, {record("alice", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  const auto entry = store.find(digestFor("alice"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::int64_t at = kNow;
  // 60 flushes' worth of touches; the log is compacted each time it passes 8 entries.
  for (int i = 0; i < 60 && std::chrono::steady_clock::now() < deadline; ++i) {
    store.touch(*entry, ++at);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  store.flush();
  EXPECT_LE(store.activityLogSize(), 12u);
  SqliteTokenStore recovered(crashCopy().string());
  EXPECT_EQ(recovered.find(digestFor("alice"))->lastActivityMs.load(), at);
}

TEST_F(SqliteDurability, ALogHoldingOldAndNewEntriesGivesEachTokenItsLatest) {
  // What a crash in the middle of a compaction leaves: entries from before it and after it, in any order,
  // some for rows whose tokens are gone.
  {
    SqliteTokenStore store(file().string(), std::chrono::hours(1));
    insert(store, {record("alice", TokenKind::Access, "org-a", "c", "alice")}, kNow);  // row 1
    insert(store, {record("bob", TokenKind::Access, "org-a", "c", "bob")}, kNow);      // row 2
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file().string().c_str(), &db), SQLITE_OK);
    const std::string sql = "INSERT INTO activity_log (row_id, last_activity_ms) VALUES (1, " +
                            std::to_string(kNow + 900) + "), (2, " + std::to_string(kNow + 5) + "), (1, " +
                            std::to_string(kNow + 400) + "), (7, " + std::to_string(kNow + 99'000) + ");";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  {
    SqliteTokenStore store(file().string(), std::chrono::hours(1));
    EXPECT_EQ(store.find(digestFor("alice"))->lastActivityMs.load(), kNow + 900);
    EXPECT_EQ(store.find(digestFor("bob"))->lastActivityMs.load(), kNow + 5);
    // Row 7 is nobody's now, and stays nobody's: a new token must not inherit its time.
    for (int i = 0; i < 8; ++i) insert(store, {record("new-" + std::to_string(i), TokenKind::Access, "org-a", "c", "dan")}, kNow);
  }
  SqliteTokenStore reopened(file().string(), std::chrono::hours(1));
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(reopened.find(digestFor("new-" + std::to_string(i)))->lastActivityMs.load(), kNow) << i;
}

TEST_F(SqliteDurability, AFileOfTheFirstSchemaIsMigratedWithItsTokens) {
  // Versions 1 and 2 kept tokens in a table keyed by digest; version 3 appends rows in issue order.
  const auto alice = record("alice", TokenKind::Access, "org-a", "c", "alice");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file().string().c_str(), &db), SQLITE_OK);
    const std::string sql =
        "CREATE TABLE tokens (digest BLOB PRIMARY KEY, kind INTEGER NOT NULL, organization_id TEXT NOT NULL, "
        "client_id TEXT NOT NULL, user_id TEXT NOT NULL, grant_type TEXT NOT NULL, issued_at_ms INTEGER NOT NULL, "
        "expires_at_ms INTEGER NOT NULL, last_activity_ms INTEGER NOT NULL, pair_digest BLOB) WITHOUT ROWID;"
        "CREATE INDEX tokens_by_user ON tokens (organization_id, user_id);"
        "INSERT INTO tokens VALUES (x'" + tokens::domain::toHex(alice.digest) + "', 0, 'org-a', 'c', 'alice', "
        "'password', " + std::to_string(alice.issuedAtMs) + ", " + std::to_string(alice.expiresAtMs) + ", " +
        std::to_string(kNow + 77) + ", NULL); PRAGMA user_version = 1;";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  {
    SqliteTokenStore store(file().string());
    const auto found = store.find(alice.digest);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->record, alice);
    EXPECT_EQ(found->lastActivityMs.load(), kNow + 77);
    insert(store, {record("bob", TokenKind::Access, "org-a", "c", "bob")});
    EXPECT_EQ(store.revokeUser("org-a", "alice"), 1u);
  }
  SqliteTokenStore reopened(file().string());
  EXPECT_FALSE(present(reopened, "alice")) << "revoked after the migration, by its new row";
  EXPECT_TRUE(present(reopened, "bob"));
  EXPECT_EQ(reopened.liveTokens(), 1u);
}

TEST_F(SqliteDurability, ASecondStoreOnTheSameFileIsRefused) {
  auto first = std::make_unique<SqliteTokenStore>(file().string());
  insert(*first, {record("alice", TokenKind::Access, "org-a", "c", "alice")});
  EXPECT_THROW(SqliteTokenStore second(file().string()), StoreUnavailable);
  EXPECT_THROW(openStore("sqlite:" + file().string()), StoreUnavailable);
  // The first one is unharmed.
  EXPECT_TRUE(first->ready());
  insert(*first, {record("bob", TokenKind::Access, "org-a", "c", "bob")});
  EXPECT_EQ(first->liveTokens(), 2u);
  // Once it is closed, the file opens again, with everything in it.
  first.reset();
  SqliteTokenStore again(file().string());
  EXPECT_EQ(again.liveTokens(), 2u);
}

TEST_F(SqliteDurability, ASecondStoreIsRefusedEvenBeforeTheFirstWrote) {
  SqliteTokenStore first(file().string());
  EXPECT_THROW(SqliteTokenStore second(file().string()), StoreUnavailable);
}

}  // namespace
