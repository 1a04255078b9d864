// table_bench: what the token table's operations cost, alone, at a thousand and at millions of tokens
// (Google Benchmark), and how long the index's doublings hold every request (one timed pass). The
// figures behind docs/scale.md's claims on lookups, a user's revocation, a purge step and growth.
//
//   build/bin/table_bench                       # everything
//   build/bin/table_bench --benchmark_filter=Find

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "domain/token_crypto.h"
#include "store/token_table.h"

namespace {

using namespace tokens;
using store::Digest;
using store::TokenRecord;
using store::TokenTable;

constexpr std::int64_t kNow = 1'800'000'000'000;

Digest randomDigest(std::mt19937_64& random) {
  Digest d;
  for (std::size_t i = 0; i < d.size(); i += 8) {
    const auto v = random();
    for (std::size_t b = 0; b < 8; ++b) d[i + b] = static_cast<unsigned char>(v >> (8 * b));
  }
  return d;
}

// n tokens: a fifth of them users' (20 each), the rest client credentials, like bench/run-scale.sh's.
struct Filled {
  std::unique_ptr<TokenTable> table = std::make_unique<TokenTable>(true);
  std::vector<Digest> digests;
  std::size_t users = 0;
};

Filled fill(std::size_t n, std::int64_t expiresAtMs = kNow + 86'400'000) {
  Filled f;
  std::mt19937_64 random(n);
  f.users = n / 5 / 20;
  TokenRecord r;
  r.organizationId = "org-scale";
  r.issuedAtMs = kNow;
  r.expiresAtMs = expiresAtMs;
  f.digests.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    r.digest = randomDigest(random);
    const bool user = i < f.users * 20;
    r.clientId = user ? "scale-pw" : "scale-cc";
    r.userId = user ? "u-" + std::to_string(i / 20) : "";
    r.grantType = user ? "password" : "client_credentials";
    f.table->put(r, kNow, static_cast<std::int64_t>(i + 1));
    f.digests.push_back(r.digest);
  }
  return f;
}

void BM_Find(benchmark::State& state) {
  const auto f = fill(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.table->find(f.digests[(i++ * 2654435761u) % f.digests.size()]));
  }
}
BENCHMARK(BM_Find)->Arg(1000)->Arg(1'000'000)->Arg(4'000'000);

void BM_FindUnknown(benchmark::State& state) {
  const auto f = fill(static_cast<std::size_t>(state.range(0)));
  std::mt19937_64 random(9);
  std::vector<Digest> unknown(4096);
  for (auto& d : unknown) d = randomDigest(random);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(f.table->find(unknown[i++ % unknown.size()]));
}
BENCHMARK(BM_FindUnknown)->Arg(1000)->Arg(1'000'000);

void BM_AdvanceActivity(benchmark::State& state) {
  const auto f = fill(static_cast<std::size_t>(state.range(0)));
  std::int64_t t = kNow;
  std::size_t i = 0;
  for (auto _ : state) {
    f.table->advanceActivity(f.digests[(i++ * 2654435761u) % f.digests.size()], ++t);
    if ((i & 0xFFFF) == 0) benchmark::DoNotOptimize(f.table->takeUnpersistedActivity());
  }
}
BENCHMARK(BM_AdvanceActivity)->Arg(1000)->Arg(1'000'000);

// What DELETE /api/v2/tokens/{userId} holds the store for: finding the user's 20 tokens, then erasing them.
void BM_RevokeUser(benchmark::State& state) {
  auto f = fill(static_cast<std::size_t>(state.range(0)));
  std::size_t user = 0;
  TokenRecord r;
  r.organizationId = "org-scale";
  r.clientId = "scale-pw";
  r.grantType = "password";
  r.issuedAtMs = kNow;
  r.expiresAtMs = kNow + 86'400'000;
  std::mt19937_64 random(11);
  for (auto _ : state) {
    const auto name = "u-" + std::to_string(user++ % f.users);
    const auto digests = f.table->digestsOfUser("org-scale", name);
    for (const auto& d : digests) f.table->erase(d);
    state.PauseTiming();  // give the user 20 tokens again
    r.userId = name;
    for (int k = 0; k < 20; ++k) {
      r.digest = randomDigest(random);
      f.table->put(r, kNow, 0);
    }
    state.ResumeTiming();
  }
}
BENCHMARK(BM_RevokeUser)->Arg(1000)->Arg(1'000'000);

// One purge step (IndexedTokenStore::purgeExpired): the scan of 8192 slots under the shared lock, then the
// erasure of what it found (at most 256) under the exclusive lock: the part requests could wait for.
void BM_PurgeStepScan(benchmark::State& state) {
  const auto f = fill(1'000'000);
  std::vector<Digest> out;
  std::size_t cursor = 0;
  for (auto _ : state) {
    out.clear();
    cursor = f.table->collectExpired(kNow, cursor, 8192, 256, out);
    if (cursor >= f.table->slotCount()) cursor = 0;
  }
}
BENCHMARK(BM_PurgeStepScan);

void BM_PurgeStepErase256(benchmark::State& state) {
  auto f = fill(1'000'000, kNow - 1);  // all expired
  std::size_t next = 0;
  for (auto _ : state) {
    if (next + 256 > f.digests.size()) {
      state.PauseTiming();
      f = fill(1'000'000, kNow - 1);
      next = 0;
      state.ResumeTiming();
    }
    for (std::size_t i = 0; i < 256; ++i) f.table->erase(f.digests[next++]);
  }
}
BENCHMARK(BM_PurgeStepErase256);

// The index's doublings: the longest single put while the table grows to 8 M tokens (that put rehashes
// the whole index, under the exclusive lock in the store).
void reportGrowthPauses() {
  TokenTable table(false);
  std::mt19937_64 random(13);
  TokenRecord r;
  r.organizationId = "org-scale";
  r.clientId = "scale-cc";
  r.grantType = "client_credentials";
  r.expiresAtMs = kNow + 86'400'000;
  std::printf("index doublings (the longest put in each range of sizes):\n");
  std::size_t n = 0;
  for (std::size_t limit = 1 << 17; limit <= (std::size_t{1} << 23); limit <<= 1) {
    double longestMs = 0;
    std::size_t at = 0;
    for (; n < limit; ++n) {
      r.digest = randomDigest(random);
      const auto start = std::chrono::steady_clock::now();
      table.put(r, kNow, 0);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (ms > longestMs) {
        longestMs = ms;
        at = n;
      }
    }
    std::printf("  up to %8zu tokens: longest put %7.2f ms (at %zu tokens)\n", limit, longestMs, at);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  reportGrowthPauses();
  return 0;
}
