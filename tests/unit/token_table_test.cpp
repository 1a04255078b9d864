// TokenTable, the compact table under the memory and SQLite stores: what it must keep through growth,
// deletions in the middle of probe runs, reused slots, pairs and per-user lists. The store contract suite
// covers it through the stores; these tests drive it hard and directly, against a plain reference model.

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/token_table.h"
#include "store_fixtures.h"

namespace {

using namespace tokens::testing;

std::set<Digest> asSet(const std::vector<Digest>& v) { return {v.begin(), v.end()}; }

TEST(TokenTable, FindsWhatWasPutWithEveryField) {
  TokenTable table(false);
  const auto records = pair("a", "org-a", "client-1", "alice");
  for (const auto& r : records) table.put(r, kNow + 5);
  ASSERT_EQ(table.size(), 2u);
  for (const auto& r : records) {
    const auto found = table.find(r.digest);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->record, r);
    EXPECT_EQ(found->lastActivityMs.load(), kNow + 5);
  }
  EXPECT_EQ(table.find(digestFor("nobody")), nullptr);
}

TEST(TokenTable, APairLinksInEitherOrderAndLosesItsOtherHalfCleanly) {
  TokenTable table(false);
  const auto records = pair("a", "org-a", "c", "alice");
  table.put(records[1], kNow);  // the refresh token first, as a load from disk may do
  EXPECT_FALSE(table.find(records[1].digest)->record.pairDigest) << "its pair is not stored yet";
  table.put(records[0], kNow);
  EXPECT_EQ(table.find(records[1].digest)->record.pairDigest, records[0].digest);
  EXPECT_EQ(table.find(records[0].digest)->record.pairDigest, records[1].digest);

  ASSERT_TRUE(table.erase(records[0].digest));
  EXPECT_FALSE(table.find(records[1].digest)->record.pairDigest);
  // The freed slot is reused by an unrelated token: the survivor must not take it for its pair.
  table.put(record("other", TokenKind::Access, "org-a", "c", "bob"), kNow);
  EXPECT_FALSE(table.find(records[1].digest)->record.pairDigest);
  EXPECT_FALSE(table.find(digestFor("other"))->record.pairDigest);
}

TEST(TokenTable, PuttingADigestAgainReplacesItEverywhere) {
  TokenTable table(false);
  table.put(record("t", TokenKind::Access, "org-a", "c", "alice"), kNow);
  table.put(record("t", TokenKind::Access, "org-a", "c", "bob"), kNow);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_TRUE(table.digestsOfUser("org-a", "alice").empty());
  EXPECT_EQ(table.digestsOfUser("org-a", "bob"), std::vector<Digest>{digestFor("t")});
}

TEST(TokenTable, ListsAUsersTokensPerOrganizationAndNeverClientCredentials) {
  TokenTable table(false);
  for (const auto& r : pair("a1", "org-a", "web", "alice")) table.put(r, kNow);
  for (const auto& r : pair("a2", "org-a", "desktop", "alice")) table.put(r, kNow);
  for (const auto& r : pair("b", "org-b", "web", "alice")) table.put(r, kNow);  // same user id, other org
  table.put(record("cc", TokenKind::Access, "org-a", "svc", ""), kNow);
  EXPECT_EQ(asSet(table.digestsOfUser("org-a", "alice")),
            (std::set<Digest>{digestFor("a1"), digestFor("a1/refresh"), digestFor("a2"), digestFor("a2/refresh")}));
  EXPECT_EQ(table.digestsOfUser("org-b", "alice").size(), 2u);
  EXPECT_TRUE(table.digestsOfUser("org-a", "").empty());
  EXPECT_TRUE(table.digestsOfUser("org-a", "nobody").empty());
  EXPECT_TRUE(table.digestsOfUser("org-z", "alice").empty());
  // Unlinking from the middle, the head and the tail of a list.
  table.erase(digestFor("a1/refresh"));
  table.erase(digestFor("a2/refresh"));
  table.erase(digestFor("a1"));
  EXPECT_EQ(table.digestsOfUser("org-a", "alice"), std::vector<Digest>{digestFor("a2")});
  table.erase(digestFor("a2"));
  EXPECT_TRUE(table.digestsOfUser("org-a", "alice").empty());
}

// Random puts and erases, many more than the first index holds (growth), checked against a std::map after
// every step for size and membership, and at the end for every field, pair and user list.
TEST(TokenTable, AgreesWithAReferenceModelThroughRandomChanges) {
  TokenTable table(false);
  std::map<Digest, TokenRecord> model;
  std::mt19937 random(20261203);
  const std::vector<std::string> users{"", "u1", "u2", "u3", "u4", "u5"};
  int next = 0;
  for (int step = 0; step < 60'000; ++step) {
    const auto choice = random() % 10;
    if (choice < 6 || model.empty()) {
      auto r = record("t" + std::to_string(next++), TokenKind::Access, "org-" + std::to_string(random() % 3),
                      "c" + std::to_string(random() % 4), users[random() % users.size()], kNow + random() % 1000);
      table.put(r, kNow);
      model[r.digest] = r;
    } else {
      auto it = model.begin();
      std::advance(it, static_cast<long>(random() % model.size()));
      ASSERT_TRUE(table.erase(it->first));
      ASSERT_FALSE(table.erase(it->first));
      model.erase(it);
    }
    ASSERT_EQ(table.size(), model.size());
  }
  for (const auto& [digest, r] : model) {
    const auto found = table.find(digest);
    ASSERT_NE(found, nullptr);
    ASSERT_EQ(found->record, r);
  }
  for (int i = 0; i < next; ++i) {
    const auto d = digestFor("t" + std::to_string(i));
    ASSERT_EQ(table.contains(d), model.contains(d));
  }
  for (int org = 0; org < 3; ++org)
    for (const auto& user : users) {
      std::set<Digest> expected;
      for (const auto& [digest, r] : model)
        if (!user.empty() && r.userId == user && r.organizationId == "org-" + std::to_string(org)) expected.insert(digest);
      const auto listed = table.digestsOfUser("org-" + std::to_string(org), user);
      EXPECT_EQ(listed.size(), expected.size()) << "each token listed once";
      EXPECT_EQ(asSet(listed), expected);
    }
}

// Digests that share the four bytes the index hashes: the index must still tell them apart by the whole
// digest, through growth, erasure in the middle and reuse of slots.
TEST(TokenTable, DigestsWithTheSamePrefixAreStillDifferentTokens) {
  TokenTable table(false);
  const auto digestNumber = [](int i) {
    Digest d{};
    d[0] = 0xAB, d[1] = 0xCD, d[2] = 0xEF, d[3] = 0x01;  // the same prefix for all
    d[30] = static_cast<unsigned char>(i >> 8);
    d[31] = static_cast<unsigned char>(i);
    return d;
  };
  auto r = record("x", TokenKind::Access, "org-a", "c", "");
  for (int i = 0; i < 3000; ++i) {  // several doublings of the index
    r.digest = digestNumber(i);
    r.clientId = "c" + std::to_string(i);
    table.put(r, kNow);
  }
  for (int i = 0; i < 3000; i += 2) ASSERT_TRUE(table.erase(digestNumber(i)));
  EXPECT_EQ(table.size(), 1500u);
  for (int i = 0; i < 3000; ++i) {
    const auto found = table.find(digestNumber(i));
    if (i % 2) {
      ASSERT_NE(found, nullptr) << i;
      EXPECT_EQ(found->record.clientId, "c" + std::to_string(i));
    } else {
      EXPECT_EQ(found, nullptr) << i;
    }
  }
  r.digest = digestNumber(4000);
  table.put(r, kNow);  // into a reused slot
  EXPECT_NE(table.find(digestNumber(4000)), nullptr);
  EXPECT_EQ(table.find(digestNumber(3998)), nullptr);
}

TEST(TokenTable, CollectsExpiredTokensInBoundedSteps) {
  TokenTable table(false);
  for (int i = 0; i < 1000; ++i)
    table.put(record("t" + std::to_string(i), TokenKind::Access, "org-a", "c", "", i % 2 ? kNow - 1 : kNow + kDay), kNow);
  std::set<Digest> expired;
  std::vector<Digest> batch;
  std::size_t steps = 0;
  for (std::size_t cursor = 0; cursor < table.slotCount(); ++steps) {
    batch.clear();
    const auto next = table.collectExpired(kNow, cursor, 64, 16, batch);
    ASSERT_GT(next, cursor) << "every step moves on";
    ASSERT_LE(next - cursor, 64u);
    ASSERT_LE(batch.size(), 16u);
    expired.insert(batch.begin(), batch.end());
    cursor = next;
  }
  EXPECT_EQ(expired.size(), 500u);
  EXPECT_GE(steps, 500u / 16);
  for (const auto& d : expired) EXPECT_LT(table.find(d)->record.expiresAtMs, kNow);
}

TEST(TokenTable, ActivityIsGivenOnceWithItsLatestValueAndOnlyWhenTracked) {
  TokenTable tracked(true);
  tracked.put(record("a", TokenKind::Access, "org-a", "c", "u"), kNow);
  tracked.put(record("b", TokenKind::Access, "org-a", "c", "u"), kNow);
  EXPECT_TRUE(tracked.takeUnpersistedActivity().empty()) << "a put is written by the insert itself";
  EXPECT_TRUE(tracked.advanceActivity(digestFor("a"), kNow + 10));
  EXPECT_TRUE(tracked.advanceActivity(digestFor("a"), kNow + 30));
  EXPECT_TRUE(tracked.advanceActivity(digestFor("a"), kNow + 20));  // older: ignored
  EXPECT_FALSE(tracked.advanceActivity(digestFor("nobody"), kNow + 20));
  auto activity = tracked.takeUnpersistedActivity();
  ASSERT_EQ(activity.size(), 1u);
  EXPECT_EQ(activity[0].digest, digestFor("a"));
  EXPECT_EQ(activity[0].lastActivityMs, kNow + 30);
  EXPECT_TRUE(tracked.takeUnpersistedActivity().empty());

  // Activity that could not be written comes back; a revoked token's never does.
  tracked.markUnpersisted(digestFor("a"));
  tracked.advanceActivity(digestFor("b"), kNow + 40);
  tracked.erase(digestFor("b"));
  tracked.put(record("c", TokenKind::Access, "org-a", "c", "u"), kNow);  // may reuse b's slot
  activity = tracked.takeUnpersistedActivity();
  ASSERT_EQ(activity.size(), 1u);
  EXPECT_EQ(activity[0].digest, digestFor("a"));

  TokenTable untracked(false);
  untracked.put(record("a", TokenKind::Access, "org-a", "c", "u"), kNow);
  untracked.advanceActivity(digestFor("a"), kNow + 10);
  EXPECT_EQ(untracked.find(digestFor("a"))->lastActivityMs.load(), kNow + 10);
  EXPECT_TRUE(untracked.takeUnpersistedActivity().empty());
}

}  // namespace
