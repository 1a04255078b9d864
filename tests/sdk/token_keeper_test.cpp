// internal/token_keeper.h: which token a call sends, and single-flight renewal: many callers, one grant.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "internal/sdk_logger.h"
#include "internal/token_keeper.h"

namespace PureCloudPlatformClientV2::internal {
namespace {

using namespace std::chrono_literals;

AuthData tokenNamed(const std::string& name, std::chrono::seconds lifetime = 3600s) {
  AuthData data;
  data.accessToken = name;
  data.expiresIn = static_cast<int>(lifetime.count());
  data.tokenExpiryTime = std::chrono::system_clock::now() + lifetime;
  return data;
}

class TokenKeeperTest : public ::testing::Test {
 protected:
  SdkLogger logger;
  TokenKeeper keeper{logger};
};

TEST_F(TokenKeeperTest, ConcurrentRenewalsOfOneStaleTokenMakeOneGrant) {
  keeper.setAuthData(tokenNamed("stale"), "id", "secret");  // client credentials: renewable
  std::atomic<int> grants{0};
  std::promise<void> release;
  auto released = release.get_future().share();
  const TokenKeeper::PerformGrant perform = [&](const GrantRequest& grant) {
    EXPECT_EQ(grant.form, "grant_type=client_credentials");
    ++grants;
    released.wait();  // the others arrive while this renewal is in flight
    return tokenNamed("fresh");
  };
  std::vector<std::future<std::string>> callers;
  for (int i = 0; i < 8; ++i)
    callers.push_back(std::async(std::launch::async, [&] { return keeper.renew("stale", 10s, perform); }));
  std::this_thread::sleep_for(50ms);
  release.set_value();
  for (auto& caller : callers) EXPECT_EQ(caller.get(), "fresh");
  EXPECT_EQ(grants.load(), 1);
  EXPECT_EQ(keeper.authData().accessToken, "fresh");
}

TEST_F(TokenKeeperTest, AFailedRenewalIsEveryWaitersFailure) {
  keeper.setAuthData(tokenNamed("stale"), "id", "secret");
  std::promise<void> release;
  auto released = release.get_future().share();
  const TokenKeeper::PerformGrant perform = [&](const GrantRequest&) -> AuthData {
    released.wait();
    throw std::runtime_error("login refused");
  };
  auto first = std::async(std::launch::async, [&] { return keeper.renew("stale", 10s, perform); });
  std::this_thread::sleep_for(30ms);
  auto second = std::async(std::launch::async, [&] { return keeper.renew("stale", 10s, perform); });
  std::this_thread::sleep_for(30ms);
  release.set_value();
  EXPECT_THROW(first.get(), std::runtime_error);
  EXPECT_THROW(second.get(), std::runtime_error);
  EXPECT_EQ(keeper.authData().accessToken, "stale");
}

TEST_F(TokenKeeperTest, ATokenDueWithinTheMarginIsRenewedBeforeItIsSent) {
  keeper.setAuthData(tokenNamed("expiring", 30s), "id", "secret");
  int grants = 0;
  const TokenKeeper::PerformGrant perform = [&](const GrantRequest&) {
    ++grants;
    return tokenNamed("fresh");
  };
  EXPECT_EQ(keeper.tokenForRequest(10s, 10s, perform), "expiring") << "30 s left, 10 s margin: not due";
  EXPECT_EQ(keeper.tokenForRequest(60s, 10s, perform), "fresh");
  EXPECT_EQ(grants, 1);
}

TEST_F(TokenKeeperTest, ATokenWithoutCredentialsIsSentAsItIsAndNeverRenewed) {
  keeper.setAccessToken("given");
  const TokenKeeper::PerformGrant perform = [](const GrantRequest&) -> AuthData {
    ADD_FAILURE() << "no grant may be made";
    return {};
  };
  EXPECT_EQ(keeper.tokenForRequest(60s, 10s, perform), "given");
  EXPECT_EQ(keeper.renew("given", 10s, perform), "") << "nothing to renew with";
}

TEST_F(TokenKeeperTest, ALoginWithoutARefreshTokenCannotBeRenewed) {
  keeper.adopt(passwordGrant("id", "secret", "ann", "pw"), tokenNamed("user-token"));
  const TokenKeeper::PerformGrant perform = [](const GrantRequest&) -> AuthData {
    ADD_FAILURE() << "no grant may be made";
    return {};
  };
  EXPECT_EQ(keeper.renew("user-token", 10s, perform), "");

  auto withRefresh = tokenNamed("user-token-2");
  withRefresh.refreshToken = "rt";
  keeper.adopt(passwordGrant("id", "secret", "ann", "pw"), withRefresh);
  const auto renewed = keeper.renew("user-token-2", 10s, [](const GrantRequest& grant) {
    EXPECT_EQ(grant.form, "grant_type=refresh_token&refresh_token=rt");
    return tokenNamed("user-token-3");
  });
  EXPECT_EQ(renewed, "user-token-3");
}

}  // namespace
}  // namespace PureCloudPlatformClientV2::internal
