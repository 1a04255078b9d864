#include "store/redis/redis_token_store.h"

#include <algorithm>
#include <charconv>
#include <thread>

#include <spdlog/spdlog.h>

#include "PureCloudPlatformClientV2/model/Json.h"
#include "async/periodic_task.h"
#include "store/redis/redis_login_state_store.h"
#include "store/redis/redis_token_scripts.h"

namespace tokens::store {

using redis::RedisReply;
using redis::RedisResult;

namespace {

// Purging and flushing activity go in batches, so that no single script holds Redis for long.
constexpr std::size_t kBatch = 500;

std::string tokenKey(const Digest& digest) { return std::string(redis::kKeyPrefix).append("t:").append(domain::toHex(digest)); }

std::size_t countOf(const RedisReply& r) { return r.integer > 0 ? static_cast<std::size_t>(r.integer) : 0; }

}  // namespace

RedisTokenStore::RedisTokenStore(redis::RedisEndpoint endpoint, RedisStoreOptions options)
    : client_(std::move(endpoint), options.connection), flushInterval_(options.activityFlushInterval) {
  // Redis may come up after this node (containers start in any order): say so, and answer 503 until it
  // does, rather than refuse to start.
  const auto endpointText = client_.endpoint().host + ":" + std::to_string(client_.endpoint().port);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  bool up = ready();
  while (!up && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    up = ready();
  }
  if (!up) spdlog::warn("redis {}: not reachable yet; requests that need it answer 503 until it is", endpointText);
  flusher_ = std::make_unique<async::PeriodicTask>("redis write-behind", flushInterval_, [this] { flushTick(); });
}

RedisTokenStore::~RedisTokenStore() { flusher_->stop(); }

namespace {

// The nine script arguments of each record (redis_token_scripts.h).
void appendRecords(std::vector<std::string>& args, std::span<const TokenRecord> records) {
  args.reserve(args.size() + records.size() * 9);
  for (const auto& r : records) {
    args.push_back(domain::toHex(r.digest));
    args.emplace_back(r.kind == TokenKind::Refresh ? "1" : "0");
    args.push_back(r.organizationId);
    args.push_back(r.clientId);
    args.push_back(r.userId);
    args.push_back(r.grantType);
    args.push_back(std::to_string(r.issuedAtMs));
    args.push_back(std::to_string(r.expiresAtMs));
    args.push_back(r.pairDigest ? domain::toHex(*r.pairDigest) : std::string());
  }
}

}  // namespace

void RedisTokenStore::insert(std::span<const TokenRecord> records, std::int64_t nowMs) {
  std::vector<std::string> args{"0", std::string(redis::kKeyPrefix), std::to_string(nowMs)};
  appendRecords(args, records);
  redis::replyOrThrow(client_.eval(redis::scripts::insertTokens(), std::move(args)), "storing tokens");
}

bool RedisTokenStore::rotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) {
  std::vector<std::string> args{"0", std::string(redis::kKeyPrefix), std::to_string(nowMs), domain::toHex(used)};
  appendRecords(args, issued);
  return countOf(redis::replyOrThrow(client_.eval(redis::scripts::rotateToken(), std::move(args)), "rotating a token")) == 1;
}

std::shared_ptr<TokenEntry> RedisTokenStore::find(const Digest& digest) {
  const auto reply = redis::replyOrThrow(client_.call({"HMGET", tokenKey(digest), "k", "o", "c", "u", "g", "i", "e", "p", "a"}),
                            "reading a token");
  const auto& f = reply.elements;
  if (f.size() != 9 || f[0].type != RedisReply::Type::String) return nullptr;
  TokenRecord r;
  r.digest = digest;
  r.kind = f[0].text == "1" ? TokenKind::Refresh : TokenKind::Access;
  r.organizationId = f[1].text;
  r.clientId = f[2].text;
  r.userId = f[3].text;
  r.grantType = f[4].text;
  r.issuedAtMs = redis::integerOf(f[5]);
  r.expiresAtMs = redis::integerOf(f[6]);
  if (f[7].type == RedisReply::Type::String) r.pairDigest = domain::digestFromHex(f[7].text);
  auto activity = redis::integerOf(f[8]);
  {
    std::lock_guard lock(activityMutex_);
    if (const auto it = activity_.find(digest); it != activity_.end()) activity = std::max(activity, it->second);
  }
  return std::make_shared<TokenEntry>(std::move(r), activity);
}

std::size_t RedisTokenStore::revoke(std::span<const Digest> digests) {
  if (digests.empty()) return 0;
  std::vector<std::string> args{"0", std::string(redis::kKeyPrefix)};
  for (const auto& d : digests) args.push_back(domain::toHex(d));
  return countOf(redis::replyOrThrow(client_.eval(redis::scripts::revokeTokens(), std::move(args)), "revoking tokens"));
}

std::size_t RedisTokenStore::revokeUser(std::string_view organizationId, std::string_view userId) {
  return countOf(redis::replyOrThrow(client_.eval(redis::scripts::revokeUser(),
                                     {"0", std::string(redis::kKeyPrefix), std::string(organizationId), std::string(userId)}),
                        "revoking a user's tokens"));
}

void RedisTokenStore::touch(TokenEntry& entry, std::int64_t nowMs) {
  entry.advanceActivityTo(nowMs);
  std::lock_guard lock(activityMutex_);
  auto& pending = activity_[entry.record.digest];
  pending = std::max(pending, nowMs);
}

std::shared_ptr<const IdleTokenTimeout> RedisTokenStore::idleTokenTimeout(std::string_view organizationId) {
  const auto reply = redis::replyOrThrow(client_.call({"GET", std::string(redis::kKeyPrefix).append("settings:").append(organizationId)}),
                            "reading the idle token timeout");
  if (reply.type != RedisReply::Type::String) return nullptr;
  auto setting = PureCloudPlatformClientV2::fromJson<IdleTokenTimeout>(reply.text);
  // Refuse rather than silently fall back to "idle timeout off".
  if (!setting) throw StoreUnavailable("redis: the stored idle token timeout of organization " +
                                       std::string(organizationId) + " is unreadable");
  return std::make_shared<const IdleTokenTimeout>(std::move(*setting));
}

void RedisTokenStore::saveIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) {
  redis::replyOrThrow(client_.call({"SET", std::string(redis::kKeyPrefix).append("settings:").append(organizationId),
                       PureCloudPlatformClientV2::toJson(setting)}),
         "saving the idle token timeout");
}

namespace {
std::string clockOffsetKey() { return std::string(redis::kKeyPrefix).append("emulator:clock-offset-ms"); }
}  // namespace

std::int64_t RedisTokenStore::clockOffsetMs() {
  const auto reply = redis::replyOrThrow(client_.call({"GET", clockOffsetKey()}), "reading the emulator's clock");
  return reply.type == RedisReply::Type::String ? redis::integerOf(reply) : 0;
}

std::optional<std::int64_t> RedisTokenStore::advanceClockOffsetMs(std::int64_t byMs, std::int64_t maxMs) {
  const auto reply = redis::replyOrThrow(
      client_.eval(redis::scripts::advanceClockOffset(), {"1", clockOffsetKey(), std::to_string(byMs), std::to_string(maxMs)}),
      "advancing the emulator's clock");
  if (reply.type != RedisReply::Type::Integer || reply.integer < 0) return std::nullopt;
  return reply.integer;
}

std::size_t RedisTokenStore::purgeExpired(std::int64_t beforeMs) {
  std::size_t total = 0;
  for (;;) {
    const auto purged = countOf(redis::replyOrThrow(client_.eval(redis::scripts::purgeExpired(),
                                                    {"0", std::string(redis::kKeyPrefix), std::to_string(beforeMs),
                                                     std::to_string(kBatch)}),
                                       "purging expired tokens"));
    total += purged;
    if (purged < kBatch) return total;
  }
}

void RedisTokenStore::flush() {
  // A copy: until Redis has them, this node's finds still see these (an idle check must never miss the
  // node's own recent activity).
  std::vector<std::pair<Digest, std::int64_t>> batch;
  {
    std::lock_guard lock(activityMutex_);
    batch.assign(activity_.begin(), activity_.end());
  }
  for (std::size_t from = 0; from < batch.size(); from += kBatch) {
    const auto to = std::min(batch.size(), from + kBatch);
    std::vector<std::string> args{std::to_string(to - from)};
    for (std::size_t i = from; i < to; ++i) args.push_back(tokenKey(batch[i].first));
    args.emplace_back(redis::kKeyPrefix);
    for (std::size_t i = from; i < to; ++i) args.push_back(std::to_string(batch[i].second));
    redis::replyOrThrow(client_.eval(redis::scripts::recordActivity(), std::move(args)), "recording activity");
    // Sent: forget what has not moved on since.
    std::lock_guard lock(activityMutex_);
    for (std::size_t i = from; i < to; ++i)
      if (const auto it = activity_.find(batch[i].first); it != activity_.end() && it->second <= batch[i].second)
        activity_.erase(it);
  }
}

void RedisTokenStore::flushTick() {
  try {
    flush();
    if (flushFailing_) spdlog::info("redis: recording activity again");
    flushFailing_ = false;
  } catch (const StoreUnavailable& e) {
    if (!flushFailing_) spdlog::warn("{} (activity is kept and sent when Redis is back)", e.what());
    flushFailing_ = true;
  }
}

std::unique_ptr<LoginStateStore> RedisTokenStore::makeLoginStateStore() {
  return std::make_unique<RedisLoginStateStore>(client_);
}

bool RedisTokenStore::ready() {
  const auto result = client_.call({"PING"});
  return result.ok();
}

std::size_t RedisTokenStore::liveTokens() {
  return countOf(redis::replyOrThrow(client_.call({"ZCARD", std::string(redis::kKeyPrefix).append("expiry")}), "counting tokens"));
}

}  // namespace tokens::store
