#pragma once
// Records, settings and a temporary directory for the store tests (unit and Redis alike).

#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/token_store.h"

namespace tokens::testing {

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

// Every fixture digest begins with the same byte, so that any two tokens may be a pair or a rotation's
// successors, as TokenStore::keepsPairsTogether asks (the Redis store keeps tokens whose digests begin
// alike in one bucket). `spreadDigest` gives digests that begin with any byte.
inline Digest digestFor(const std::string& name) {
  auto d = tokens::domain::digestOf("token:" + name);
  d[0] = 0x5a;
  return d;
}
inline Digest spreadDigest(const std::string& name, unsigned char firstByte) {
  auto d = tokens::domain::digestOf("token:" + name);
  d[0] = firstByte;
  return d;
}

inline TokenRecord record(const std::string& name, TokenKind kind, const std::string& org, const std::string& client,
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
inline std::vector<TokenRecord> pair(const std::string& name, const std::string& org, const std::string& client,
                              const std::string& user) {
  auto access = record(name, TokenKind::Access, org, client, user);
  auto refresh = record(name + "/refresh", TokenKind::Refresh, org, client, user, kNow + 30 * kDay);
  access.pairDigest = refresh.digest;
  refresh.pairDigest = access.digest;
  return {access, refresh};
}

inline IdleTokenTimeout fullSetting() {
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

inline bool present(TokenStore& store, const std::string& name) { return store.find(digestFor(name)) != nullptr; }


}  // namespace tokens::testing
