// The token service (SPEC §4-§5) on a memory store, with a clock the test moves forward.

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "domain/clock.h"
#include "domain/directory.h"
#include "service/token_service.h"
#include "store/indexed_token_store.h"
#include "store/token_store.h"

namespace {

using namespace std::chrono_literals;
using namespace tokens;
using service::AuthError;
using service::Caller;
using service::IssuedTokens;
using service::TokenService;
using PureCloudPlatformClientV2::InactivityTimeoutGroupBundle;

class TokenServiceTest : public ::testing::Test {
 protected:
  TokenServiceTest() {
    directory.add(domain::Organization{"acme", "Acme", false});
    directory.add(domain::Organization{"beta", "Beta", false});
    directory.add(domain::Group{"g-short", "acme", "Short timeouts"});

    domain::User alice;
    alice.id = "alice";
    alice.organizationId = "acme";
    alice.name = "Alice";
    alice.email = "alice@acme.example";
    alice.groups = {"g-short"};
    alice.permissions = {"oauth:token:delete"};
    directory.add(alice);
    domain::User bob;
    bob.id = "bob";
    bob.organizationId = "acme";
    bob.name = "Bob";
    bob.email = "bob@acme.example";
    directory.add(bob);

    directory.add(client("pw", "acme", domain::GrantType::PASSWORD));
    auto shortLived = client("short", "acme", domain::GrantType::PASSWORD);
    shortLived.accessTokenValiditySeconds = 300;
    directory.add(shortLived);
    auto cc = client("cc", "acme", domain::GrantType::CLIENT_CREDENTIALS);
    cc.permissions = {"directory:organization:admin"};
    directory.add(cc);
    auto off = client("off", "acme", domain::GrantType::PASSWORD);
    off.state = domain::ClientState::disabled;
    directory.add(off);
    auto inactive = client("inactive", "acme", domain::GrantType::CLIENT_CREDENTIALS);
    inactive.state = domain::ClientState::inactive;
    directory.add(inactive);
    directory.add(client("pw2", "acme", domain::GrantType::PASSWORD));

    store = store::openStore("memory:");
    service = std::make_unique<TokenService>(*store, directory, clock);
  }

  static domain::Client client(std::string id, std::string org, domain::GrantType grant) {
    domain::Client c;
    c.id = std::move(id);
    c.organizationId = std::move(org);
    c.name = c.id;
    c.grantType = grant;
    return c;
  }

  const domain::Client& C(const char* id) const { return *directory.client(id); }
  const domain::User* U(const char* id) const { return directory.user(id); }
  const domain::Organization& acme() const { return *directory.organization("acme"); }

  IssuedTokens issueUser(const char* clientId, const char* userId, bool withRefresh = true) {
    return service->issue(C(clientId), U(userId), "password", withRefresh);
  }

  // Sets the organization's timeout: `orgSeconds` enabled when given; bundles for g-short when given.
  void setTimeout(std::optional<int> orgSeconds, std::optional<int> shortGroupSeconds = std::nullopt) {
    auto setting = domain::defaultIdleTokenTimeout(acme());
    if (orgSeconds) {
      setting.enableIdleTokenTimeout = true;
      setting.idleTokenTimeoutSeconds = *orgSeconds;
    }
    if (shortGroupSeconds) {
      setting.inactivityTimeoutGroupsEnabled = true;
      InactivityTimeoutGroupBundle b;
      b.priority = 1;
      b.timeoutSeconds = *shortGroupSeconds;
      b.groups = std::vector<std::string>{"g-short"};
      setting.inactivityTimeoutGroupBundles = std::vector{b};
    }
    service->setIdleTokenTimeout(acme(), setting);
  }

  static bool ok(const std::variant<Caller, AuthError>& r) { return std::holds_alternative<Caller>(r); }
  static AuthError error(const std::variant<Caller, AuthError>& r) {
    EXPECT_TRUE(std::holds_alternative<AuthError>(r));
    return std::holds_alternative<AuthError>(r) ? std::get<AuthError>(r) : AuthError::BadCredentials;
  }
  Caller caller(const std::string& token) {
    auto r = service->authenticate(token);
    if (!ok(r)) throw std::runtime_error("the token was refused");  // fails the test, without a null caller
    return std::get<Caller>(std::move(r));
  }

  domain::Directory directory;
  domain::Clock clock;
  std::unique_ptr<store::TokenStore> store;
  std::unique_ptr<TokenService> service;
};

// ---- issue and authenticate --------------------------------------------------------------------------

TEST_F(TokenServiceTest, ClientCredentialsTokenAuthenticatesAsItsClient) {
  const auto issued = service->issue(C("cc"), nullptr, "client_credentials", false);
  EXPECT_EQ(issued.accessToken.size(), 43u);
  EXPECT_EQ(issued.expiresInSeconds, 86400);
  EXPECT_FALSE(issued.refreshToken);

  const auto c = caller(issued.accessToken);
  ASSERT_NE(c.token, nullptr);
  EXPECT_EQ(c.client, directory.client("cc"));
  EXPECT_EQ(c.organization, directory.organization("acme"));
  EXPECT_EQ(c.user, nullptr);
  EXPECT_FALSE(c.idleTimeout);
  EXPECT_EQ(c.permissions(), std::vector<std::string>{"directory:organization:admin"});
  EXPECT_EQ(c.token->record.grantType, "client_credentials");
  EXPECT_EQ(c.token->record.digest, domain::digestOf(issued.accessToken));
}

TEST_F(TokenServiceTest, UserTokenAuthenticatesAsItsUserWithARefreshToken) {
  const auto issued = issueUser("pw", "bob");
  ASSERT_TRUE(issued.refreshToken);
  EXPECT_NE(*issued.refreshToken, issued.accessToken);
  const auto c = caller(issued.accessToken);
  EXPECT_EQ(c.user, U("bob"));
  EXPECT_EQ(c.client, directory.client("pw"));
  EXPECT_TRUE(c.permissions().empty());  // bob's, not the client's
  EXPECT_EQ(caller(issueUser("pw", "alice").accessToken).permissions(), std::vector<std::string>{"oauth:token:delete"});
}

TEST_F(TokenServiceTest, TheStoreKeepsOnlyDigests) {
  const auto issued = issueUser("pw", "bob");
  const auto entry = store->find(domain::digestOf(issued.accessToken));
  ASSERT_NE(entry, nullptr);
  for (const auto* field : {&entry->record.organizationId, &entry->record.clientId, &entry->record.userId,
                            &entry->record.grantType})
    EXPECT_EQ(field->find(issued.accessToken), std::string::npos);
  ASSERT_TRUE(entry->record.pairDigest);
  EXPECT_EQ(*entry->record.pairDigest, domain::digestOf(*issued.refreshToken));
  EXPECT_EQ(store->liveTokens(), 2u);
}

TEST_F(TokenServiceTest, UnknownTokensAreBadCredentials) {
  EXPECT_EQ(error(service->authenticate("not-a-token")), AuthError::BadCredentials);
  EXPECT_EQ(error(service->authenticate("")), AuthError::BadCredentials);
}

TEST_F(TokenServiceTest, ARefreshTokenIsNotAnAccessToken) {
  const auto issued = issueUser("pw", "bob");
  EXPECT_EQ(error(service->authenticate(*issued.refreshToken)), AuthError::BadCredentials);
}

TEST_F(TokenServiceTest, ExpiryIsCredentialsExpired) {
  const auto issued = issueUser("short", "bob", false);
  EXPECT_EQ(issued.expiresInSeconds, 300);
  clock.advance(298s);
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));
  clock.advance(3s);
  EXPECT_EQ(error(service->authenticate(issued.accessToken)), AuthError::Expired);
  // Expired, not revoked: it stays an expired token until purged.
  EXPECT_EQ(error(service->authenticate(issued.accessToken)), AuthError::Expired);
}

TEST_F(TokenServiceTest, DisabledOrInactiveClientsTokensAreBadCredentials) {
  const auto off = service->issue(C("off"), U("bob"), "password", false);
  EXPECT_EQ(error(service->authenticate(off.accessToken)), AuthError::BadCredentials);
  const auto inactive = service->issue(C("inactive"), nullptr, "client_credentials", false);
  EXPECT_EQ(error(service->authenticate(inactive.accessToken)), AuthError::BadCredentials);
}

// ---- idle timeout ------------------------------------------------------------------------------------

TEST_F(TokenServiceTest, NoTimeoutByDefault) {
  const auto issued = issueUser("pw", "alice");
  const auto c = caller(issued.accessToken);
  EXPECT_FALSE(c.idleTimeout);
  EXPECT_FALSE(service->dateTokenIdles(c));
  clock.advance(std::chrono::hours(20));
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));
}

TEST_F(TokenServiceTest, DefaultSettingIsServedWhenNoneIsStored) {
  EXPECT_EQ(*service->idleTokenTimeout(acme()), domain::defaultIdleTokenTimeout(acme()));
  setTimeout(600);
  EXPECT_EQ(service->idleTokenTimeout(acme())->idleTokenTimeoutSeconds, 600);
  EXPECT_EQ(*service->idleTokenTimeout(*directory.organization("beta")),
            domain::defaultIdleTokenTimeout(*directory.organization("beta")));
}

TEST_F(TokenServiceTest, IdleTokenIsRevokedWithItsRefreshToken) {
  const auto issued = issueUser("pw", "bob");  // no timeout yet: a refresh token is issued
  ASSERT_TRUE(issued.refreshToken);
  setTimeout(300);  // applies at once to live tokens
  clock.advance(299s);
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));
  clock.advance(2s);
  EXPECT_EQ(error(service->authenticate(issued.accessToken)), AuthError::BadCredentials);
  EXPECT_EQ(store->find(domain::digestOf(issued.accessToken)), nullptr);
  EXPECT_EQ(store->find(domain::digestOf(*issued.refreshToken)), nullptr);
  EXPECT_FALSE(service->refresh(C("pw"), *issued.refreshToken));
  EXPECT_EQ(store->liveTokens(), 0u);
}

TEST_F(TokenServiceTest, ASettingChangeAppliesAtOnceToLiveTokens) {
  const auto issued = issueUser("pw", "bob");
  clock.advance(1000s);
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));
  setTimeout(300);  // the token has been idle for 1000 s already
  EXPECT_EQ(error(service->authenticate(issued.accessToken)), AuthError::BadCredentials);
}

TEST_F(TokenServiceTest, RecordedActivityResetsTheIdleClock) {
  setTimeout(300);
  const auto issued = issueUser("pw", "bob");
  clock.advance(200s);
  service->recordActivity(caller(issued.accessToken));
  clock.advance(200s);  // 400 s since issue, 200 s since activity
  service->recordActivity(caller(issued.accessToken));
  clock.advance(200s);
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));
  clock.advance(101s);  // 301 s since the last activity
  EXPECT_EQ(error(service->authenticate(issued.accessToken)), AuthError::BadCredentials);
}

TEST_F(TokenServiceTest, AuthenticatingAloneDoesNotResetTheIdleClock) {
  // GET /api/v2/tokens/me?preserveIdleTTL=true authenticates without recording activity.
  setTimeout(300);
  const auto issued = issueUser("pw", "bob");
  clock.advance(200s);
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));
  clock.advance(101s);
  EXPECT_EQ(error(service->authenticate(issued.accessToken)), AuthError::BadCredentials);
}

TEST_F(TokenServiceTest, DateTokenIdlesIsLastActivityPlusTimeout) {
  setTimeout(600);
  const auto issued = issueUser("pw", "bob");
  const auto first = caller(issued.accessToken);
  ASSERT_TRUE(first.idleTimeout);
  EXPECT_EQ(*first.idleTimeout, 600s);
  const auto idles = service->dateTokenIdles(first);
  ASSERT_TRUE(idles);
  EXPECT_EQ(*idles, domain::fromMs(first.token->lastActivityMs.load()) + 600s);

  clock.advance(100s);
  const auto second = caller(issued.accessToken);
  EXPECT_EQ(service->dateTokenIdles(second), idles);  // authenticating is not activity
  service->recordActivity(second);
  const auto later = service->dateTokenIdles(second);
  ASSERT_TRUE(later);
  EXPECT_GE(*later - *idles, 100s);
  EXPECT_LT(*later - *idles, 110s);
}

TEST_F(TokenServiceTest, GroupBundleTimeoutBeatsTheOrganizationValue) {
  setTimeout(1800, 600);
  const auto alice = issueUser("pw", "alice");
  const auto bob = issueUser("pw", "bob");
  EXPECT_EQ(caller(alice.accessToken).idleTimeout, std::optional(600s));
  EXPECT_EQ(caller(bob.accessToken).idleTimeout, std::optional(1800s));
  clock.advance(601s);
  EXPECT_EQ(error(service->authenticate(alice.accessToken)), AuthError::BadCredentials);
  EXPECT_TRUE(ok(service->authenticate(bob.accessToken)));
  EXPECT_EQ(service->idleTimeoutFor(acme(), *U("alice")), std::optional(600s));
}

TEST_F(TokenServiceTest, ClientCredentialsTokensNeverIdleOut) {
  setTimeout(300);
  const auto issued = service->issue(C("cc"), nullptr, "client_credentials", false);
  EXPECT_FALSE(caller(issued.accessToken).idleTimeout);
  clock.advance(3600s);
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));
}

TEST_F(TokenServiceTest, NoRefreshTokenWhileATimeoutApplies) {
  setTimeout(std::nullopt, 600);  // only alice's group has a timeout
  EXPECT_FALSE(issueUser("pw", "alice").refreshToken);
  EXPECT_TRUE(issueUser("pw", "bob").refreshToken);
  setTimeout(900);
  EXPECT_FALSE(issueUser("pw", "bob").refreshToken);
  EXPECT_EQ(store->liveTokens(), 4u);  // the access tokens, and bob's earlier refresh token
}

TEST_F(TokenServiceTest, NoRefreshTokenWhenNotAskedFor) {
  EXPECT_FALSE(issueUser("pw", "bob", false).refreshToken);
  EXPECT_EQ(store->liveTokens(), 1u);
}

// ---- refresh -----------------------------------------------------------------------------------------

TEST_F(TokenServiceTest, RefreshIsSingleUseAndRotates) {
  const auto first = issueUser("pw", "alice");
  ASSERT_TRUE(first.refreshToken);
  const auto second = service->refresh(C("pw"), *first.refreshToken);
  ASSERT_TRUE(second);
  ASSERT_TRUE(second->refreshToken);
  EXPECT_NE(*second->refreshToken, *first.refreshToken);
  EXPECT_NE(second->accessToken, first.accessToken);
  EXPECT_EQ(caller(second->accessToken).user, U("alice"));

  EXPECT_FALSE(service->refresh(C("pw"), *first.refreshToken));  // used
  const auto third = service->refresh(C("pw"), *second->refreshToken);
  ASSERT_TRUE(third);
  EXPECT_FALSE(service->refresh(C("pw"), *second->refreshToken));
  EXPECT_TRUE(ok(service->authenticate(third->accessToken)));
}

TEST_F(TokenServiceTest, RefreshByAnotherClientFailsWithoutUsingTheToken) {
  const auto issued = issueUser("pw", "alice");
  EXPECT_FALSE(service->refresh(C("pw2"), *issued.refreshToken));
  EXPECT_TRUE(service->refresh(C("pw"), *issued.refreshToken));
}

TEST_F(TokenServiceTest, RefreshWithAnAccessTokenOrGarbageFails) {
  const auto issued = issueUser("pw", "alice");
  EXPECT_FALSE(service->refresh(C("pw"), issued.accessToken));
  EXPECT_TRUE(ok(service->authenticate(issued.accessToken)));  // and the access token is untouched
  EXPECT_FALSE(service->refresh(C("pw"), "garbage"));
  EXPECT_FALSE(service->refresh(C("pw"), ""));
}

TEST_F(TokenServiceTest, ExpiredRefreshTokenFails) {
  const auto issued = issueUser("pw", "alice");
  clock.advance(service::kRefreshTokenValidity + 1s);
  EXPECT_FALSE(service->refresh(C("pw"), *issued.refreshToken));
}

TEST_F(TokenServiceTest, RefreshWhileATimeoutNowAppliesGivesNoNewRefreshToken) {
  const auto issued = issueUser("pw", "bob");
  setTimeout(900);
  const auto refreshed = service->refresh(C("pw"), *issued.refreshToken);
  ASSERT_TRUE(refreshed);
  EXPECT_FALSE(refreshed->refreshToken);
  EXPECT_TRUE(ok(service->authenticate(refreshed->accessToken)));
}

TEST_F(TokenServiceTest, ConcurrentRefreshesOfOneTokenHaveOneWinner) {
  for (int round = 0; round < 10; ++round) {
    const auto issued = issueUser("pw", "alice");
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&] {
        if (service->refresh(C("pw"), *issued.refreshToken)) ++winners;
      });
    for (auto& t : threads) t.join();
    ASSERT_EQ(winners.load(), 1) << "round " << round;
  }
}

// ---- revocation --------------------------------------------------------------------------------------

TEST_F(TokenServiceTest, RevokeRemovesTheCallerAndItsRefreshToken) {
  const auto issued = issueUser("pw", "alice");
  const auto other = issueUser("pw", "alice");
  service->revoke(caller(issued.accessToken));
  EXPECT_EQ(error(service->authenticate(issued.accessToken)), AuthError::BadCredentials);
  EXPECT_FALSE(service->refresh(C("pw"), *issued.refreshToken));
  EXPECT_TRUE(ok(service->authenticate(other.accessToken)));  // the user's other tokens live on
}

TEST_F(TokenServiceTest, RevokeUserRemovesEveryTokenOfTheUserInTheOrganization) {
  const auto a1 = issueUser("pw", "alice");
  const auto a2 = issueUser("pw2", "alice");
  const auto b = issueUser("pw", "bob");
  EXPECT_EQ(service->revokeUser(acme(), "alice"), 4u);
  EXPECT_FALSE(ok(service->authenticate(a1.accessToken)));
  EXPECT_FALSE(ok(service->authenticate(a2.accessToken)));
  EXPECT_FALSE(service->refresh(C("pw2"), *a2.refreshToken));
  EXPECT_TRUE(ok(service->authenticate(b.accessToken)));
  EXPECT_EQ(service->revokeUser(*directory.organization("beta"), "bob"), 0u);
  EXPECT_TRUE(ok(service->authenticate(b.accessToken)));
}

// A memory store that runs a hook once, right after the next revoke or rotate returns: a revocation of the
// user that lands in the middle of whatever called them.
class HookedStore final : public store::IndexedTokenStore {
 public:
  std::function<void()> afterNextChange;
  bool rotate(const store::Digest& used, std::span<const store::TokenRecord> issued, std::int64_t nowMs) override {
    const bool rotated = IndexedTokenStore::rotate(used, issued, nowMs);
    runHook();
    return rotated;
  }
  std::size_t revoke(std::span<const store::Digest> digests) override {
    const auto revoked = IndexedTokenStore::revoke(digests);
    runHook();
    return revoked;
  }

 private:
  void runHook() {
    if (auto hook = std::exchange(afterNextChange, nullptr)) hook();
  }
};

TEST_F(TokenServiceTest, ARevocationRightAfterTheRefreshsFirstStoreChangeRevokesTheNewPairToo) {
  // Once, a refresh spent its token, then stored the new pair: a revocation of the user landing right
  // after the first change missed the new pair, which outlived it. Now the spent token and the new pair
  // are one store change, so a revocation right after it finds the new pair.
  HookedStore hooked;
  TokenService tokens(hooked, directory, clock);
  const auto issued = tokens.issue(C("pw"), U("bob"), "password", true);
  hooked.afterNextChange = [&] { tokens.revokeUser(acme(), "bob"); };
  const auto next = tokens.refresh(C("pw"), *issued.refreshToken);
  ASSERT_TRUE(next) << "the refresh came first";
  EXPECT_FALSE(ok(tokens.authenticate(next->accessToken))) << "the new token outlived the revocation";
  ASSERT_TRUE(next->refreshToken);
  EXPECT_FALSE(tokens.refresh(C("pw"), *next->refreshToken));
  EXPECT_EQ(hooked.liveTokens(), 0u);
}

TEST_F(TokenServiceTest, ARefreshRacingTheUsersRevocationNeverLeavesTheUserAToken) {
  // The same, raced for real: whichever comes first, the user ends with no live token.
  for (int round = 0; round < 1000; ++round) {
    const auto issued = issueUser("pw", "bob");
    std::atomic<int> ready{0};
    const auto startTogether = [&] {
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
    };
    std::optional<IssuedTokens> next;
    std::thread refresher([&] {
      startTogether();
      next = service->refresh(C("pw"), *issued.refreshToken);
    });
    startTogether();
    service->revokeUser(acme(), "bob");
    refresher.join();
    if (!next) continue;
    ASSERT_FALSE(ok(service->authenticate(next->accessToken))) << "round " << round;
    ASSERT_TRUE(next->refreshToken);
    ASSERT_FALSE(service->refresh(C("pw"), *next->refreshToken)) << "round " << round;
  }
  EXPECT_EQ(store->liveTokens(), 0u);
}

TEST_F(TokenServiceTest, TokensAreUniquePerIssue) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const auto issued = issueUser("pw", "bob");
    seen.insert(issued.accessToken);
    seen.insert(*issued.refreshToken);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(store->liveTokens(), 100u);
}

}  // namespace
