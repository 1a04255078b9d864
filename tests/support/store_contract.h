#pragma once
// The TokenStore contract (store/token_store.h, SPEC §7) as a parameterized suite: every store passes
// the same tests. A test binary instantiates it with the stores it can open:
//
//   INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::Values(StoreUnderTest{"memory", ...}),
//                            storeName);

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "store_fixtures.h"

namespace tokens::testing {

struct StoreUnderTest {
  std::string name;
  /// Opens an empty store; `dir` is the test's own temporary directory.
  std::function<std::unique_ptr<TokenStore>(const fs::path& dir)> open;
};

// Names the store in test listings (instead of gtest's hex dump of the struct).
inline void PrintTo(const StoreUnderTest& store, std::ostream* out) { *out << store.name; }

inline std::string storeName(const ::testing::TestParamInfo<StoreUnderTest>& info) { return info.param.name; }

class StoreContract : public ::testing::TestWithParam<StoreUnderTest> {
 protected:
  void SetUp() override { store = open(); }
  void TearDown() override { store.reset(); }

  std::unique_ptr<TokenStore> open() { return GetParam().open(dir.path()); }
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

}  // namespace tokens::testing
