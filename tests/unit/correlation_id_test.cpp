// ININ-Correlation-Id values (SPEC §3): version-4 UUIDs, unique, and independent between threads.

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "http/correlation_id.h"

namespace {

using tokens::http::newCorrelationId;

TEST(CorrelationId, IsAVersion4Uuid) {
  const std::regex uuid4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (int i = 0; i < 500; ++i) {
    const auto id = newCorrelationId();
    ASSERT_TRUE(std::regex_match(id, uuid4)) << id;
  }
}

TEST(CorrelationId, AreUniqueAndRandomInEveryFreeNibble) {
  std::set<std::string> seen;
  std::set<char> variantNibbles;
  for (int i = 0; i < 3000; ++i) {
    const auto id = newCorrelationId();
    seen.insert(id);
    variantNibbles.insert(id[19]);
  }
  EXPECT_EQ(seen.size(), 3000u);
  EXPECT_EQ(variantNibbles, (std::set<char>{'8', '9', 'a', 'b'}));
}

TEST(CorrelationId, ThreadsDoNotRepeatEachOther) {
  // Each thread has its own generator: they must be seeded differently.
  std::vector<std::string> a, b;
  std::thread ta([&] { for (int i = 0; i < 200; ++i) a.push_back(newCorrelationId()); });
  std::thread tb([&] { for (int i = 0; i < 200; ++i) b.push_back(newCorrelationId()); });
  ta.join();
  tb.join();
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 400u);
}

}  // namespace
