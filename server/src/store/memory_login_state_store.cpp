// The in-process LoginStateStore (login_state_store.h): two maps under one lock, swept once a minute.

#include <mutex>
#include <utility>
#include <unordered_map>

#include <sodium.h>

#include "store/login_state_store.h"

namespace tokens::store {

namespace {

constexpr std::int64_t kSweepEveryMs = 60 * 1000;
// Bounds on memory: past them, no new code or session until old ones are swept (answered "try again").
constexpr std::size_t kMaxCodes = 100000;
constexpr std::size_t kMaxSessions = 100000;

class MemoryLoginStateStore final : public LoginStateStore {
 public:
  bool putCode(const Digest& code, const CodeGrant& grant, std::int64_t expiresAtMs, std::int64_t nowMs) override {
    std::lock_guard lock(mutex_);
    sweep(nowMs);
    if (codes_.size() >= kMaxCodes) return false;
    codes_.insert_or_assign(code, CodeEntry{grant, expiresAtMs, State::Fresh, {}});
    return true;
  }

  ClaimedCode claimCode(const Digest& code, std::string_view clientId) override {
    std::lock_guard lock(mutex_);
    const auto it = codes_.find(code);
    if (it == codes_.end()) return {};
    auto& entry = it->second;
    if (entry.grant.clientId != clientId) return {CodeClaim::WrongClient, {}, 0, {}};
    if (entry.state == State::Fresh) {
      entry.state = State::Spent;
      return {CodeClaim::Claimed, entry.grant, entry.expiresAtMs, {}};
    }
    entry.state = State::Replayed;
    return {CodeClaim::Replayed, {}, 0, std::exchange(entry.issued, {})};
  }

  bool recordIssued(const Digest& code, std::span<const Digest> issued) override {
    std::lock_guard lock(mutex_);
    const auto it = codes_.find(code);
    if (it == codes_.end()) return true;  // swept: nothing can replay it any more
    if (it->second.state == State::Replayed) return false;
    it->second.issued.assign(issued.begin(), issued.end());
    return true;
  }

  bool putSession(const Digest& session, std::string_view userId, std::int64_t expiresAtMs, std::int64_t nowMs) override {
    std::lock_guard lock(mutex_);
    sweep(nowMs);
    if (sessions_.size() >= kMaxSessions) return false;
    sessions_.insert_or_assign(session, SessionEntry{std::string(userId), expiresAtMs});
    return true;
  }

  std::optional<std::string> sessionUser(const Digest& session, std::int64_t nowMs) override {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(session);
    if (it == sessions_.end() || nowMs >= it->second.expiresAtMs) return std::nullopt;
    return it->second.userId;
  }

  void endSession(const Digest& session) override {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
  }

  void endSessionsOf(std::string_view userId) override {
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second.userId == userId; });
  }

  std::string sharedSecret(std::string_view name) override {
    std::lock_guard lock(mutex_);
    auto& secret = secrets_[std::string(name)];
    if (secret.empty()) {
      domain::ensureCryptoReady();
      secret.resize(32);
      randombytes_buf(secret.data(), secret.size());
    }
    return secret;
  }

 private:
  enum class State { Fresh, Spent, Replayed };
  struct CodeEntry {
    CodeGrant grant;
    std::int64_t expiresAtMs = 0;
    State state = State::Fresh;
    std::vector<Digest> issued;
  };
  struct SessionEntry {
    std::string userId;
    std::int64_t expiresAtMs = 0;
  };

  void sweep(std::int64_t nowMs) {  // under mutex_
    if (nowMs < nextSweepMs_) return;
    nextSweepMs_ = nowMs + kSweepEveryMs;
    std::erase_if(codes_, [&](const auto& kv) { return nowMs >= kv.second.expiresAtMs + kSpentCodeMemoryMs; });
    std::erase_if(sessions_, [&](const auto& kv) { return nowMs >= kv.second.expiresAtMs; });
  }

  std::mutex mutex_;
  std::unordered_map<Digest, CodeEntry, domain::DigestHash> codes_;
  std::unordered_map<Digest, SessionEntry, domain::DigestHash> sessions_;
  std::unordered_map<std::string, std::string> secrets_;
  std::int64_t nextSweepMs_ = 0;
};

}  // namespace

std::unique_ptr<LoginStateStore> makeMemoryLoginStateStore() { return std::make_unique<MemoryLoginStateStore>(); }

}  // namespace tokens::store
