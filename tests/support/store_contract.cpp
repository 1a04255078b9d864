// The store contract's tests; see store_contract.h. Compiled into each binary that instantiates them.

#include "store_contract.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace tokens::testing {
namespace {


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

TEST_P(StoreContract, TokensWhateverTheirDigestBeginsWithAreCountedRevokedAndPurged) {
  // Every first byte (the Redis store's 256 buckets, on any node of a cluster), for two users.
  std::vector<Digest> alice, bob;
  for (unsigned b = 0; b < 256; ++b) {
    auto a = record("spread-alice", TokenKind::Access, "org-a", "c", "alice");
    a.digest = spreadDigest("alice-" + std::to_string(b), static_cast<unsigned char>(b));
    auto o = record("spread-bob", TokenKind::Access, "org-a", "c", "bob", kNow - 1);
    o.digest = spreadDigest("bob-" + std::to_string(b), static_cast<unsigned char>(255 - b));
    insert({a, o});
    alice.push_back(a.digest);
    bob.push_back(o.digest);
  }
  EXPECT_EQ(store->liveTokens(), 512u);
  store->touch(*store->find(alice[200]), kNow + 9);
  store->flush();
  EXPECT_EQ(store->find(alice[200])->lastActivityMs.load(), kNow + 9);
  EXPECT_EQ(store->revokeUser("org-a", "alice"), 256u);
  for (const auto& d : alice) EXPECT_EQ(store->find(d), nullptr);
  EXPECT_EQ(store->purgeExpired(kNow), 256u) << "bob's, all expired";
  EXPECT_EQ(store->liveTokens(), 0u);
  // Revoking several at once reaches each, wherever it is.
  std::vector<Digest> several;
  for (unsigned b = 0; b < 256; b += 51) {
    auto t = record("several", TokenKind::Access, "org-a", "c", "carol");
    t.digest = spreadDigest("carol-" + std::to_string(b), static_cast<unsigned char>(b));
    insert({t});
    several.push_back(t.digest);
  }
  EXPECT_EQ(store->revoke(several), several.size());
  EXPECT_EQ(store->liveTokens(), 0u);
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

TEST_P(StoreContract, RotateReplacesALiveTokenByItsSuccessorsOrChangesNothing) {
  insert(pair("first", "org-a", "c", "u"));
  const auto next = pair("second", "org-a", "c", "u");
  EXPECT_TRUE(store->rotate(digestFor("first/refresh"), next, kNow + 5));
  EXPECT_FALSE(present(*store, "first/refresh"));
  EXPECT_TRUE(present(*store, "first")) << "only the used token goes";
  ASSERT_TRUE(present(*store, "second"));
  EXPECT_EQ(store->find(digestFor("second/refresh"))->record, next[1]);
  EXPECT_EQ(store->find(digestFor("second"))->lastActivityMs.load(), kNow + 5);
  const auto again = pair("third", "org-a", "c", "u");
  EXPECT_FALSE(store->rotate(digestFor("first/refresh"), again, kNow)) << "used up already";
  EXPECT_FALSE(present(*store, "third"));
  EXPECT_FALSE(present(*store, "third/refresh"));
  EXPECT_EQ(store->liveTokens(), 3u);
  EXPECT_EQ(store->revokeUser("org-a", "u"), 3u) << "the successors belong to the user like any token";
}

TEST_P(StoreContract, ARotationRacingTheUsersRevocationLeavesTheUserNoToken) {
  // Either the revocation comes first (the rotation finds nothing to rotate) or the rotation does (its
  // tokens are revoked too): never a successor that outlives the revocation.
  int rotated = 0;
  for (int round = 0; round < 200; ++round) {
    const auto name = std::string("r").append(std::to_string(round));
    insert(pair(name, "org-a", "c", "u"));
    const auto next = pair(name + "-next", "org-a", "c", "u");
    std::atomic<bool> go{false};
    bool didRotate = false;
    std::thread refresher([&] {
      while (!go.load()) {
      }
      didRotate = store->rotate(digestFor(name + "/refresh"), next, kNow);
    });
    go.store(true);
    store->revokeUser("org-a", "u");
    refresher.join();
    rotated += didRotate ? 1 : 0;
    EXPECT_FALSE(present(*store, name + "-next")) << "round " << round << (didRotate ? ", rotated" : "");
    EXPECT_FALSE(present(*store, name + "-next/refresh")) << "round " << round;
    EXPECT_FALSE(present(*store, name + "/refresh")) << "round " << round;
    store->revokeUser("org-a", "u");  // a clean start for the next round, whatever happened
  }
  EXPECT_EQ(store->liveTokens(), 0u);
}

TEST_P(StoreContract, TheEmulatorsClockOffsetOnlyGrowsAndStopsAtItsMaximum) {
  EXPECT_EQ(store->clockOffsetMs(), 0) << "never moved";
  EXPECT_EQ(store->advanceClockOffsetMs(3'600'000, 10'000'000), 3'600'000);
  EXPECT_EQ(store->advanceClockOffsetMs(3'600'000, 10'000'000), 7'200'000) << "advances add up";
  EXPECT_EQ(store->advanceClockOffsetMs(3'600'000, 10'000'000), std::nullopt) << "past the maximum";
  EXPECT_EQ(store->clockOffsetMs(), 7'200'000) << "a refused advance changes nothing";
  EXPECT_EQ(store->advanceClockOffsetMs(-1, 10'000'000), std::nullopt) << "never backwards";
  EXPECT_EQ(store->advanceClockOffsetMs(2'800'000, 10'000'000), 10'000'000) << "up to the maximum itself";
}

TEST_P(StoreContract, ConcurrentClockAdvancesAllCount) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) store->advanceClockOffsetMs(1000, 1'000'000'000);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(store->clockOffsetMs(), 100'000);
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

}  // namespace
}  // namespace tokens::testing
