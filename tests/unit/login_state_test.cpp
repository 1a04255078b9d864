// Authorization codes (service/login_state) when the token store is slow: with the Redis store, issuing
// suspends the request's fiber, and nothing may be locked meanwhile. A replay that arrives while the
// first exchange is still issuing must neither wait for it nor let its tokens survive.

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <variant>

#include <gtest/gtest.h>

#include "domain/clock.h"
#include "domain/directory.h"
#include "service/login_state.h"
#include "store/indexed_token_store.h"

namespace {

using namespace std::chrono_literals;
using namespace tokens;

// A memory store whose inserts wait until the test lets them through.
class GatedStore final : public store::IndexedTokenStore {
 public:
  void waitUntilAnInsertWaits() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 protected:
  store::WriteTicket persistTokens(const TokenRows& rows, std::int64_t) override {
    if (rows.added.empty()) return {};
    std::unique_lock lock(mutex_);
    waiting_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    return {};
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool waiting_ = false;
  bool open_ = false;
};

TEST(LoginState, AReplayDuringTheFirstExchangeDoesNotWaitAndItsTokensDoNotSurvive) {
  domain::Directory directory;
  directory.add(domain::Organization{"acme", "Acme", false});
  domain::User alice;
  alice.id = "alice";
  alice.organizationId = "acme";
  alice.email = "alice@acme.example";
  directory.add(alice);
  domain::Client web;
  web.id = "web";
  web.organizationId = "acme";
  web.grantType = domain::GrantType::CODE;
  directory.add(web);

  GatedStore store;
  domain::Clock clock;
  service::TokenService tokens(store, directory, clock);
  const auto loginStore = store::makeMemoryLoginStateStore();
  service::LoginState logins(tokens, clock, *loginStore);
  const auto code = logins.issueCode({"web", "alice", "https://app.example/cb", ""});
  ASSERT_TRUE(code);
  const auto& client = *directory.client("web");

  auto first = std::async(std::launch::async, [&] {
    return logins.exchangeCode(client, *code, "https://app.example/cb", std::nullopt, true);
  });
  store.waitUntilAnInsertWaits();  // the first exchange is issuing its tokens now

  auto replay = std::async(std::launch::async, [&] {
    return logins.exchangeCode(client, *code, "https://app.example/cb", std::nullopt, true);
  });
  const bool replayAnswered = replay.wait_for(2s) == std::future_status::ready;
  store.open();
  ASSERT_TRUE(replayAnswered) << "the replay waited for the first exchange's store work";
  ASSERT_TRUE(std::holds_alternative<service::CodeError>(replay.get()));

  const auto firstResult = first.get();
  ASSERT_TRUE(std::holds_alternative<service::CodeError>(firstResult)) << "the replay came before the tokens were out";
  EXPECT_EQ(std::get<service::CodeError>(firstResult), service::CodeError::Replayed);
  EXPECT_EQ(store.liveTokens(), 0u) << "what the first exchange issued was revoked";
}

}  // namespace
