// The TokenStore contract (store/token_store.h, SPEC §7), run on every implementation, plus what only
// the durable SQLite store promises: what it acknowledged survives a restart or a crash.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite_token_store.h"
#include "store/token_store.h"

namespace {

namespace fs = std::filesystem;
using namespace tokens::store;
using PureCloudPlatformClientV2::InactivityTimeoutGroupBundle;
using PureCloudPlatformClientV2::InactivityTimeoutUnit;

constexpr std::int64_t kNow = 1'800'000'000'000;  // ms
constexpr std::int64_t kDay = 86'400'000;

// A fresh, empty directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    const auto base = fs::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto candidate = base / ("tokens-unit-" + std::to_string(random()) + std::to_string(random()));
      if (fs::create_directory(candidate)) {
        path_ = candidate;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Digest digestFor(const std::string& name) { return tokens::domain::digestOf("token:" + name); }

TokenRecord record(const std::string& name, TokenKind kind, const std::string& org, const std::string& client,
                   const std::string& user, std::int64_t expiresAtMs = kNow + kDay) {
  TokenRecord r;
  r.digest = digestFor(name);
  r.kind = kind;
  r.organizationId = org;
  r.clientId = client;
  r.userId = user;
  r.grantType = user.empty() ? "client_credentials" : "password";
  r.issuedAtMs = kNow - 1000;
  r.expiresAtMs = expiresAtMs;
  return r;
}

// An access token and its refresh token, each naming the other.
std::vector<TokenRecord> pair(const std::string& name, const std::string& org, const std::string& client,
                              const std::string& user) {
  auto access = record(name, TokenKind::Access, org, client, user);
  auto refresh = record(name + "/refresh", TokenKind::Refresh, org, client, user, kNow + 30 * kDay);
  access.pairDigest = refresh.digest;
  refresh.pairDigest = access.digest;
  return {access, refresh};
}

IdleTokenTimeout fullSetting() {
  IdleTokenTimeout t;
  t.idleTokenTimeoutSeconds = 900;
  t.enableIdleTokenTimeout = true;
  t.inactivityTimeoutUnit = InactivityTimeoutUnit::Hours;
  t.inactivityTimeoutGroupsEnabled = true;
  InactivityTimeoutGroupBundle b;
  b.priority = 2;
  b.timeoutSeconds = 600;
  b.inactivityTimeoutUnit = InactivityTimeoutUnit::Minutes;
  b.groups = std::vector<std::string>{"g-1", "g-2"};
  t.inactivityTimeoutGroupBundles = std::vector{b};
  return t;
}

bool present(TokenStore& store, const std::string& name) { return store.find(digestFor(name)) != nullptr; }

// ---- the contract, on every store --------------------------------------------------------------------

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { store = open(); }
  void TearDown() override { store.reset(); }

  std::unique_ptr<TokenStore> open() {
    if (GetParam() == "memory") return openStore("memory:");
    return openStore("sqlite:" + (dir.path() / "tokens.db").string());
  }
  void insert(const std::vector<TokenRecord>& records, std::int64_t nowMs = kNow) {
    store->insert(std::span<const TokenRecord>(records), nowMs);
  }
  std::size_t revoke(const std::vector<std::string>& names) {
    std::vector<Digest> digests;
    for (const auto& n : names) digests.push_back(digestFor(n));
    return store->revoke(digests);
  }

  TempDir dir;
  std::unique_ptr<TokenStore> store;
};

TEST_P(StoreContract, StartsEmptyAndReady) {
  EXPECT_EQ(store->liveTokens(), 0u);
  EXPECT_TRUE(store->ready());
  EXPECT_EQ(store->find(digestFor("anything")), nullptr);
}

TEST_P(StoreContract, InsertedPairIsFoundBothWays) {
  const auto records = pair("alice-1", "org-a", "client-1", "alice");
  insert(records, kNow + 7);
  const auto access = store->find(records[0].digest);
  const auto refresh = store->find(records[1].digest);
  ASSERT_NE(access, nullptr);
  ASSERT_NE(refresh, nullptr);
  EXPECT_EQ(access->record, records[0]);
  EXPECT_EQ(refresh->record, records[1]);
  EXPECT_EQ(access->record.kind, TokenKind::Access);
  EXPECT_EQ(refresh->record.kind, TokenKind::Refresh);
  EXPECT_EQ(access->record.pairDigest, records[1].digest);
  EXPECT_EQ(refresh->record.pairDigest, records[0].digest);
  // Activity starts at the insert.
  EXPECT_EQ(access->lastActivityMs.load(), kNow + 7);
  EXPECT_EQ(store->liveTokens(), 2u);
}

TEST_P(StoreContract, SingleTokenWithoutPair) {
  const auto cc = record("cc-1", TokenKind::Access, "org-a", "cc-client", "");
  insert({cc});
  const auto found = store->find(cc.digest);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->record, cc);
  EXPECT_FALSE(found->record.pairDigest);
  EXPECT_TRUE(found->record.userId.empty());
}

TEST_P(StoreContract, UnknownDigestIsNull) {
  insert(pair("alice-1", "org-a", "client-1", "alice"));
  EXPECT_EQ(store->find(digestFor("alice-2")), nullptr);
  EXPECT_EQ(store->find(Digest{}), nullptr);
}

TEST_P(StoreContract, FindsTheSameEntrySoActivityIsShared) {
  insert(pair("alice-1", "org-a", "client-1", "alice"));
  const auto first = store->find(digestFor("alice-1"));
  store->touch(*first, kNow + 5000);
  const auto second = store->find(digestFor("alice-1"));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->lastActivityMs.load(), kNow + 5000);
}

TEST_P(StoreContract, RevokeReturnsHowManyExistedAndRemovesThem) {
  insert(pair("alice-1", "org-a", "client-1", "alice"));
  insert({record("bob-1", TokenKind::Access, "org-a", "client-1", "bob")});
  EXPECT_EQ(revoke({"alice-1", "never-issued"}), 1u);
  EXPECT_FALSE(present(*store, "alice-1"));
  EXPECT_TRUE(present(*store, "alice-1/refresh"));  // only what was named
  EXPECT_TRUE(present(*store, "bob-1"));
  EXPECT_EQ(store->liveTokens(), 2u);
  EXPECT_EQ(revoke({"alice-1"}), 0u);  // a second revocation finds nothing
  EXPECT_EQ(revoke({}), 0u);
}

TEST_P(StoreContract, RevokingAPairRemovesBoth) {
  insert(pair("alice-1", "org-a", "client-1", "alice"));
  insert(pair("alice-2", "org-a", "client-1", "alice"));
  EXPECT_EQ(revoke({"alice-1", "alice-1/refresh"}), 2u);
  EXPECT_FALSE(present(*store, "alice-1"));
  EXPECT_FALSE(present(*store, "alice-1/refresh"));
  EXPECT_TRUE(present(*store, "alice-2"));
  EXPECT_TRUE(present(*store, "alice-2/refresh"));
}

TEST_P(StoreContract, ConcurrentRevocationsOfOneTokenCountItOnce) {
  // The refresh grant relies on this: of several concurrent uses of one refresh token, exactly one wins.
  for (int round = 0; round < 20; ++round) {
    const auto name = "r-" + std::to_string(round);
    insert({record(name, TokenKind::Refresh, "org-a", "client-1", "alice")});
    std::atomic<std::size_t> total{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back([&] { total += revoke({name}); });
    for (auto& t : threads) t.join();
    ASSERT_EQ(total.load(), 1u) << "round " << round;
    ASSERT_FALSE(present(*store, name));
  }
}

TEST_P(StoreContract, RevokeUserRemovesEveryTokenOfThatUserInThatOrganization) {
  insert(pair("alice-web", "org-a", "client-web", "alice"));
  insert(pair("alice-desktop", "org-a", "client-desktop", "alice"));
  insert({record("alice-code", TokenKind::Access, "org-a", "client-code", "alice")});
  insert(pair("bob", "org-a", "client-web", "bob"));
  insert(pair("alice-in-b", "org-b", "client-b", "alice"));  // the same user id in another organization
  insert({record("cc", TokenKind::Access, "org-a", "client-cc", "")});
  insert({record("alicia", TokenKind::Access, "org-a", "client-web", "alice2")});

  EXPECT_EQ(store->revokeUser("org-a", "alice"), 5u);
  for (const auto* gone : {"alice-web", "alice-web/refresh", "alice-desktop", "alice-desktop/refresh", "alice-code"})
    EXPECT_FALSE(present(*store, gone)) << gone;
  for (const auto* kept : {"bob", "bob/refresh", "alice-in-b", "alice-in-b/refresh", "cc", "alicia"})
    EXPECT_TRUE(present(*store, kept)) << kept;
  EXPECT_EQ(store->liveTokens(), 6u);
  EXPECT_EQ(store->revokeUser("org-a", "alice"), 0u);
  EXPECT_EQ(store->revokeUser("org-c", "bob"), 0u);
  EXPECT_TRUE(present(*store, "bob"));
}

TEST_P(StoreContract, TouchNeverMovesActivityBackwards) {
  insert({record("t", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  const auto entry = store->find(digestFor("t"));
  ASSERT_NE(entry, nullptr);
  store->touch(*entry, kNow + 100);
  EXPECT_EQ(entry->lastActivityMs.load(), kNow + 100);
  store->touch(*entry, kNow + 50);
  EXPECT_EQ(entry->lastActivityMs.load(), kNow + 100);
  store->touch(*entry, kNow - 5000);
  EXPECT_EQ(entry->lastActivityMs.load(), kNow + 100);
  store->touch(*entry, kNow + 200);
  EXPECT_EQ(entry->lastActivityMs.load(), kNow + 200);
}

TEST_P(StoreContract, ConcurrentTouchesKeepTheLatest) {
  insert({record("t", TokenKind::Access, "org-a", "c", "alice")}, kNow);
  const auto entry = store->find(digestFor("t"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      // Each thread touches with its own interleaved, non-monotonic series.
      for (int i = 0; i < 5000; ++i) store->touch(*entry, kNow + ((i * 7919 + t * 13) % 20'000));
    });
  for (auto& t : threads) t.join();
  std::int64_t expected = kNow;
  for (int t = 0; t < 4; ++t)
    for (int i = 0; i < 5000; ++i) expected = std::max<std::int64_t>(expected, kNow + ((i * 7919 + t * 13) % 20'000));
  EXPECT_EQ(entry->lastActivityMs.load(), expected);
}

TEST_P(StoreContract, IdleTokenTimeoutSettingsAreSavedPerOrganization) {
  EXPECT_EQ(store->idleTokenTimeout("org-a"), nullptr);  // never changed: none stored
  const auto setting = fullSetting();
  store->saveIdleTokenTimeout("org-a", setting);
  const auto loaded = store->idleTokenTimeout("org-a");
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(*loaded, setting);
  EXPECT_EQ(store->idleTokenTimeout("org-b"), nullptr);

  IdleTokenTimeout replacement;
  replacement.idleTokenTimeoutSeconds = 300;
  replacement.enableIdleTokenTimeout = false;
  store->saveIdleTokenTimeout("org-a", replacement);
  ASSERT_NE(store->idleTokenTimeout("org-a"), nullptr);
  EXPECT_EQ(*store->idleTokenTimeout("org-a"), replacement);
  // A value read before the change is a snapshot: it does not change under its reader.
  EXPECT_EQ(*loaded, setting);
}

TEST_P(StoreContract, PurgeExpiredDeletesOnlyWhatExpiredBefore) {
  insert({record("e1000", TokenKind::Access, "org-a", "c", "u", 1000)});
  insert({record("e2000", TokenKind::Access, "org-a", "c", "u", 2000)});
  insert({record("e3000", TokenKind::Refresh, "org-a", "c", "u", 3000)});
  EXPECT_EQ(store->purgeExpired(1000), 0u);  // strictly before
  EXPECT_EQ(store->purgeExpired(2000), 1u);
  EXPECT_FALSE(present(*store, "e1000"));
  EXPECT_TRUE(present(*store, "e2000"));
  EXPECT_EQ(store->purgeExpired(5000), 2u);
  EXPECT_EQ(store->liveTokens(), 0u);
  EXPECT_EQ(store->purgeExpired(5000), 0u);
}

TEST_P(StoreContract, ExpiredTokensStayFindableUntilPurged) {
  insert({record("old", TokenKind::Access, "org-a", "c", "u", kNow - 1)});
  EXPECT_TRUE(present(*store, "old"));
}

TEST_P(StoreContract, LiveTokensCountsInsertsAndRevocations) {
  for (int i = 0; i < 10; ++i) {
    std::string token = "t", user = "u";  // (appending, not "t" + ...: GCC 12 warns falsely on the latter)
    token += std::to_string(i);
    user += std::to_string(i % 3);
    insert(pair(token, "org-a", "c", user));
  }
  EXPECT_EQ(store->liveTokens(), 20u);
  EXPECT_EQ(revoke({"t0", "t0/refresh", "t1"}), 3u);
  EXPECT_EQ(store->liveTokens(), 17u);
  EXPECT_EQ(store->revokeUser("org-a", "u2"), 6u);  // t2, t5, t8 and their refresh tokens
  EXPECT_EQ(store->liveTokens(), 11u);
}

TEST_P(StoreContract, ReInsertingADigestReplacesIt) {
  insert({record("t", TokenKind::Access, "org-a", "c", "u")}, kNow);
  auto again = record("t", TokenKind::Access, "org-a", "c2", "u");
  insert({again}, kNow + 10);
  EXPECT_EQ(store->liveTokens(), 1u);
  EXPECT_EQ(store->find(again.digest)->record.clientId, "c2");
}

TEST_P(StoreContract, FlushIsHarmlessAtAnyTime) {
  store->flush();
  insert(pair("t", "org-a", "c", "u"));
  store->touch(*store->find(digestFor("t")), kNow + 10);
  store->flush();
  store->flush();
  EXPECT_EQ(store->find(digestFor("t"))->lastActivityMs.load(), kNow + 10);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::Values("memory", "sqlite"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

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
  EXPECT_THROW(openStore("redis://127.0.0.1:6379/0"), std::invalid_argument);  // not in this release
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
  // No close, no flush: what insert/revoke/saveIdleTokenTimeout returned from is on disk already.
  SqliteTokenStore store(file().string(), std::chrono::hours(1));
  insert(store, pair("alice", "org-a", "c", "alice"));
  insert(store, pair("bob", "org-a", "c", "bob"));
  const std::array<Digest, 2> revoked{digestFor("bob"), digestFor("bob/refresh")};
  EXPECT_EQ(store.revoke(revoked), 2u);
  store.saveIdleTokenTimeout("org-a", fullSetting());

  SqliteTokenStore recovered(crashCopy().string());
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
  while (entry->persistedActivityMs.load() != kNow + 7000 &&
         std::chrono::steady_clock::now() - touchedAt < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_LE(std::chrono::steady_clock::now() - touchedAt, std::chrono::milliseconds(1000));
  SqliteTokenStore recovered(crashCopy().string());
  EXPECT_EQ(recovered.find(digestFor("alice"))->lastActivityMs.load(), kNow + 7000);
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
