// seed_tokens: fills a SQLite token store with tokens as tokens-server would have stored them, fast
// enough for a million (one transaction per batch instead of one per grant), for bench/run-scale.sh.
//
//   seed_tokens --store sqlite:PATH --organization ORG --user-client ID --cc-client ID
//               --users N --user-prefix PREFIX --pairs-per-user K --cc-tokens M --expired-tokens E
//               --samples S --out FILE
//
// Users PREFIX0 .. PREFIX(N-1) each get K access/refresh pairs of --user-client (grant "password"); then M
// client-credentials access tokens of --cc-client, valid for a day; then E client-credentials tokens that
// expired two days ago (the next purge deletes them). FILE gets S live access tokens, one per line as
// "USER TOKEN" (USER "-" for client credentials), half of users spread over the users, half of the
// client: the tokens the load generator verifies. The tokens themselves exist nowhere else.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "domain/token_crypto.h"
#include "store/token_store.h"

namespace {

using namespace tokens;

struct Options {
  std::string store, organization, userClient, ccClient, userPrefix = "u-", out;
  long users = 0, pairsPerUser = 0, ccTokens = 0, expiredTokens = 0, samples = 1000;
};

[[noreturn]] void usage(const char* why) {
  std::cerr << "seed_tokens: " << why << "\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("every option takes a value");
    const std::string value = argv[++i];
    const auto number = [&] {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || n < 0) usage("a count must be a non-negative number");
      return n;
    };
    if (flag == "--store") o.store = value;
    else if (flag == "--organization") o.organization = value;
    else if (flag == "--user-client") o.userClient = value;
    else if (flag == "--cc-client") o.ccClient = value;
    else if (flag == "--user-prefix") o.userPrefix = value;
    else if (flag == "--out") o.out = value;
    else if (flag == "--users") o.users = number();
    else if (flag == "--pairs-per-user") o.pairsPerUser = number();
    else if (flag == "--cc-tokens") o.ccTokens = number();
    else if (flag == "--expired-tokens") o.expiredTokens = number();
    else if (flag == "--samples") o.samples = number();
    else usage("unknown option");
  }
  if (o.store.empty() || o.organization.empty() || o.out.empty()) usage("--store, --organization and --out are needed");
  return o;
}

/// Writes records in batches: one transaction each.
class Seeder {
 public:
  Seeder(store::TokenStore& store, std::int64_t nowMs) : store_(store), nowMs_(nowMs) {}
  ~Seeder() { flush(); }
  Seeder(const Seeder&) = delete;
  Seeder& operator=(const Seeder&) = delete;

  /// Returns the access token.
  std::string add(const std::string& org, const std::string& client, const std::string& user, bool withRefresh,
                  std::int64_t issuedAtMs) {
    auto token = domain::generateOpaqueToken();
    store::TokenRecord access;
    access.digest = domain::digestOf(token);
    access.kind = store::TokenKind::Access;
    access.organizationId = org;
    access.clientId = client;
    access.userId = user;
    access.grantType = user.empty() ? "client_credentials" : "password";
    access.issuedAtMs = issuedAtMs;
    access.expiresAtMs = issuedAtMs + 86'400'000;
    if (withRefresh) {
      store::TokenRecord refresh = access;
      refresh.kind = store::TokenKind::Refresh;
      refresh.digest = domain::digestOf(domain::generateOpaqueToken());
      refresh.pairDigest = access.digest;
      access.pairDigest = refresh.digest;
      batch_.push_back(std::move(refresh));
    }
    batch_.push_back(std::move(access));
    if (batch_.size() >= 20'000) flush();
    return token;
  }

  void flush() {
    if (batch_.empty()) return;
    store_.insert(batch_, nowMs_);
    batch_.clear();
  }

 private:
  store::TokenStore& store_;
  std::int64_t nowMs_;
  std::vector<store::TokenRecord> batch_;
};

}  // namespace

int main(int argc, char** argv) {
  const auto o = parse(argc, argv);
  std::ofstream out(o.out);
  if (!out) usage("cannot write --out");
  try {
    auto store = store::openStore(o.store);
    const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count();
    Seeder seeder(*store, nowMs);
    long written = 0;
    // Takes every stride-th of `count` tokens as a sample, at most `wanted`.
    const auto sampler = [&](long count, long wanted) {
      const long stride = wanted > 0 && count > wanted ? count / wanted : 1;
      return [&written, stride, wanted, n = 0L, taken = 0L, &out](const std::string& user, const std::string& token) mutable {
        if (n++ % stride == 0 && taken < wanted) {
          out << (user.empty() ? "-" : user) << ' ' << token << '\n';
          ++taken;
          ++written;
        }
      };
    };
    auto userSample = sampler(o.users * o.pairsPerUser, o.ccTokens > 0 ? o.samples / 2 : o.samples);
    for (long u = 0; u < o.users; ++u) {
      const auto user = o.userPrefix + std::to_string(u);
      for (long k = 0; k < o.pairsPerUser; ++k)
        userSample(user, seeder.add(o.organization, o.userClient, user, true, nowMs));
    }
    auto ccSample = sampler(o.ccTokens, o.samples - written);
    for (long c = 0; c < o.ccTokens; ++c) ccSample("", seeder.add(o.organization, o.ccClient, "", false, nowMs));
    const std::int64_t threeDaysAgo = nowMs - 3 * 86'400'000LL;  // expired two days ago
    for (long e = 0; e < o.expiredTokens; ++e) seeder.add(o.organization, o.ccClient, "", false, threeDaysAgo);
    seeder.flush();
    std::cout << "seed_tokens: " << store->liveTokens() << " tokens stored, " << written << " samples in " << o.out
              << "\n";
  } catch (const std::exception& e) {
    std::cerr << "seed_tokens: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
