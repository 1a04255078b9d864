#include "store/redis/redis_token_store.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <thread>

#include <spdlog/spdlog.h>

#include "PureCloudPlatformClientV2/model/Json.h"
#include "async/periodic_task.h"
#include "store/redis/redis_keys.h"
#include "store/redis/redis_login_state_store.h"
#include "store/redis/redis_token_scripts.h"

namespace tokens::store {

using redis::RedisReply;
using redis::RedisResult;

namespace {

// Purging and flushing activity go in batches, so that no single script holds Redis for long.
constexpr std::size_t kBatch = 500;

std::string tokenKey(const Digest& digest) {
  return std::string(redis::bucketPrefix(redis::bucketOf(digest))).append("t:").append(domain::toHex(digest));
}
std::string expiryKey(std::size_t bucket) { return std::string(redis::bucketPrefix(bucket)).append("expiry"); }
std::string settingsKey(std::size_t bucket, std::string_view organizationId) {
  return std::string(redis::bucketPrefix(bucket)).append("settings:").append(organizationId);
}
std::string settingsVersionKey() { return redis::taggedKey("settings-version", "all"); }

/// The start of a token script's arguments in `bucket` (redis_token_scripts.h): its expiry set as the
/// one declared key, which routes it, and its prefix.
std::vector<std::string> bucketScript(std::size_t bucket) { return {"1", expiryKey(bucket), redis::bucketPrefix(bucket)}; }

std::size_t countOf(const RedisReply& r) { return r.integer > 0 ? static_cast<std::size_t>(r.integer) : 0; }

std::size_t sumOf(const std::vector<RedisReply>& replies) {
  std::size_t total = 0;
  for (const auto& r : replies) total += countOf(r);
  return total;
}

std::vector<std::size_t> allBuckets() {
  std::vector<std::size_t> buckets(redis::kBuckets);
  std::iota(buckets.begin(), buckets.end(), std::size_t{0});
  return buckets;
}

/// A token script once in each of these buckets, with these arguments after the bucket's own.
std::vector<std::vector<std::string>> inBuckets(const std::vector<std::size_t>& buckets,
                                                const std::vector<std::string>& args) {
  std::vector<std::vector<std::string>> out;
  out.reserve(buckets.size());
  for (const auto b : buckets) {
    auto one = bucketScript(b);
    one.insert(one.end(), args.begin(), args.end());
    out.push_back(std::move(one));
  }
  return out;
}

/// A token script per bucket that the `count` items fall in (`bucketOf(i)`), in order of first
/// appearance: the bucket's own arguments, `head`, then `add(args, i)` for each of its items.
template <class BucketOf, class Add>
std::vector<std::vector<std::string>> perBucket(std::size_t count, const std::vector<std::string>& head,
                                                BucketOf bucketOf, Add add) {
  std::vector<std::size_t> buckets;
  std::vector<std::vector<std::string>> scripts;
  for (std::size_t i = 0; i < count; ++i) {
    const auto bucket = bucketOf(i);
    auto at = std::find(buckets.begin(), buckets.end(), bucket);
    if (at == buckets.end()) {
      buckets.push_back(bucket);
      scripts.push_back(bucketScript(bucket));
      scripts.back().insert(scripts.back().end(), head.begin(), head.end());
      at = buckets.end() - 1;
    }
    add(scripts[static_cast<std::size_t>(at - buckets.begin())], i);
  }
  return scripts;
}

// Spreads the reads of a setting kept in every bucket over the buckets.
thread_local std::size_t nextSettingsBucket = 0;

}  // namespace

RedisTokenStore::RedisTokenStore(redis::RedisEndpoint endpoint, RedisStoreOptions options)
    : client_(std::move(endpoint), options.connection), flushInterval_(options.activityFlushInterval) {
  start();
}

RedisTokenStore::RedisTokenStore(redis::RedisClusterSeeds seeds, RedisStoreOptions options)
    : client_(std::move(seeds), options.connection), flushInterval_(options.activityFlushInterval) {
  start();
}

void RedisTokenStore::start() {
  // Redis may come up after this node (containers start in any order): say so, and answer 503 until it
  // does, rather than refuse to start.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  bool up = ready();
  while (!up && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    up = ready();
  }
  if (!up)
    spdlog::warn("redis {}: not reachable yet; requests that need it answer 503 until it is",
                 client_.isCluster() ? "cluster" : client_.topology()->primaries().front().address);
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
  // Each bucket's tokens in one script; a pair minted by TokenService is always in one bucket.
  auto scripts = perBucket(
      records.size(), {std::to_string(nowMs)}, [&](std::size_t i) { return redis::bucketOf(records[i].digest); },
      [&](std::vector<std::string>& args, std::size_t i) { appendRecords(args, records.subspan(i, 1)); });
  redis::repliesOrThrow(client_.evalAll(redis::scripts::insertTokens(), std::move(scripts), redis::Write::Durable), "storing tokens");
}

bool RedisTokenStore::rotate(const Digest& used, std::span<const TokenRecord> issued, std::int64_t nowMs) {
  const auto bucket = redis::bucketOf(used);
  for (const auto& r : issued)
    if (redis::bucketOf(r.digest) != bucket)
      throw std::logic_error("redis: a rotation must stay in its bucket (TokenStore::keepsPairsTogether)");
  auto args = bucketScript(bucket);
  args.push_back(std::to_string(nowMs));
  args.push_back(domain::toHex(used));
  appendRecords(args, issued);
  return countOf(redis::replyOrThrow(client_.eval(redis::scripts::rotateToken(), std::move(args), redis::Write::Durable),
                                     "rotating a token")) == 1;
}

std::shared_ptr<TokenEntry> RedisTokenStore::find(const Digest& digest) {
  // A plain HMGET: a script doing this and the setting's read in one round trip measured slower
  // (bench/README.md).
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
  auto scripts = perBucket(
      digests.size(), {}, [&](std::size_t i) { return redis::bucketOf(digests[i]); },
      [&](std::vector<std::string>& args, std::size_t i) { args.push_back(domain::toHex(digests[i])); });
  return sumOf(redis::repliesOrThrow(client_.evalAll(redis::scripts::revokeTokens(), std::move(scripts), redis::Write::Durable),
                              "revoking tokens"));
}

std::size_t RedisTokenStore::revokeUser(std::string_view organizationId, std::string_view userId) {
  // Every bucket at once: a user's tokens are in any of them.
  return sumOf(redis::repliesOrThrow(
      client_.evalAll(redis::scripts::revokeUser(), inBuckets(allBuckets(), {std::string(organizationId), std::string(userId)}),
                      redis::Write::Durable),
      "revoking a user's tokens"));
}

void RedisTokenStore::touch(TokenEntry& entry, std::int64_t nowMs) {
  entry.advanceActivityTo(nowMs);
  std::lock_guard lock(activityMutex_);
  auto& pending = activity_[entry.record.digest];
  pending = std::max(pending, nowMs);
}

std::shared_ptr<const IdleTokenTimeout> RedisTokenStore::idleTokenTimeout(std::string_view organizationId) {
  // Any copy will do (saveIdleTokenTimeout writes them all before it returns): the reads of one big
  // organization spread over every node.
  const auto bucket = nextSettingsBucket++ % redis::kBuckets;
  const auto reply = redis::replyOrThrow(client_.call({"HGET", settingsKey(bucket, organizationId), "j"}),
                                         "reading the idle token timeout");
  if (reply.type != RedisReply::Type::String) return nullptr;
  return parseSetting(organizationId, reply.text);
}

std::shared_ptr<const IdleTokenTimeout> RedisTokenStore::parseSetting(std::string_view organizationId,
                                                                      const std::string& json) {
  // Parsed once per text and thread: what Redis holds is still read on every request, only the JSON
  // parse of the same bytes is not repeated.
  thread_local std::unordered_map<std::string, std::pair<std::string, std::shared_ptr<const IdleTokenTimeout>>> parsed;
  auto& memo = parsed[std::string(organizationId)];
  if (memo.second && memo.first == json) return memo.second;
  auto setting = PureCloudPlatformClientV2::fromJson<IdleTokenTimeout>(json);
  // Refuse rather than silently fall back to "idle timeout off".
  if (!setting) throw StoreUnavailable("redis: the stored idle token timeout of organization " +
                                       std::string(organizationId) + " is unreadable");
  memo = {json, std::make_shared<const IdleTokenTimeout>(std::move(*setting))};
  return memo.second;
}

void RedisTokenStore::saveIdleTokenTimeout(std::string_view organizationId, const IdleTokenTimeout& setting) {
  // A copy in every bucket, each kept only if newer: of two changes made at once on two nodes, the one
  // with the later version wins in every copy. The version comes from one counter, never from a clock.
  const auto version = redis::replyOrThrow(client_.call({"INCR", settingsVersionKey()}, redis::Write::Durable),
                                           "saving the idle token timeout");
  const auto json = PureCloudPlatformClientV2::toJson(setting);
  std::vector<std::vector<std::string>> copies;
  copies.reserve(redis::kBuckets);
  for (std::size_t b = 0; b < redis::kBuckets; ++b)
    copies.push_back({"1", settingsKey(b, organizationId), std::to_string(version.integer), json, redis::bucketPrefix(b)});
  redis::repliesOrThrow(client_.evalAll(redis::scripts::setIfNewer(), std::move(copies), redis::Write::Durable),
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
  auto buckets = allBuckets();
  while (!buckets.empty()) {  // again in the buckets that had a full batch
    const auto replies = redis::repliesOrThrow(
        client_.evalAll(redis::scripts::purgeExpired(), inBuckets(buckets, {std::to_string(beforeMs), std::to_string(kBatch)})),
        "purging expired tokens");
    std::vector<std::size_t> full;
    for (std::size_t i = 0; i < replies.size(); ++i) {
      total += countOf(replies[i]);
      if (countOf(replies[i]) >= kBatch) full.push_back(buckets[i]);
    }
    buckets = std::move(full);
  }
  return total;
}

void RedisTokenStore::flush() {
  // A copy: until Redis has them, this node's finds still see these (an idle check must never miss the
  // node's own recent activity).
  std::vector<std::pair<Digest, std::int64_t>> batch;
  {
    std::lock_guard lock(activityMutex_);
    batch.assign(activity_.begin(), activity_.end());
  }
  // One script per bucket (a script's keys must be in one slot), at most kBatch tokens each.
  const auto bucketOf = [](const auto& entry) { return redis::bucketOf(entry.first); };
  std::sort(batch.begin(), batch.end(), [&](const auto& a, const auto& b) { return bucketOf(a) < bucketOf(b); });
  std::vector<std::vector<std::string>> scripts;
  for (std::size_t from = 0; from < batch.size();) {
    std::size_t to = from;
    while (to < batch.size() && to - from < kBatch && bucketOf(batch[to]) == bucketOf(batch[from])) ++to;
    std::vector<std::string> args{std::to_string(to - from)};
    for (std::size_t i = from; i < to; ++i) args.push_back(tokenKey(batch[i].first));
    args.emplace_back(redis::bucketPrefix(redis::bucketOf(batch[from].first)));
    for (std::size_t i = from; i < to; ++i) args.push_back(std::to_string(batch[i].second));
    scripts.push_back(std::move(args));
    from = to;
  }
  redis::repliesOrThrow(client_.evalAll(redis::scripts::recordActivity(), std::move(scripts)), "recording activity");
  // Sent: forget what has not moved on since.
  std::lock_guard lock(activityMutex_);
  for (const auto& [digest, ms] : batch)
    if (const auto it = activity_.find(digest); it != activity_.end() && it->second <= ms) activity_.erase(it);
}

void RedisTokenStore::flushTick() {
  // Learn of failovers, reshardings and replicas that came or went, even while nothing fails.
  client_.refreshIfOlderThan(std::chrono::seconds(1));
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
  if (!client_.isCluster()) return client_.call({"PING"}).ok();
  // Every primary up and the cluster's own verdict "ok" on each: no slot without a primary, a majority
  // of primaries that see each other.
  client_.refreshIfOlderThan(std::chrono::seconds(1));
  const auto topology = client_.topology();
  if (!topology->learnt()) return false;
  std::vector<redis::RedisCommand> questions;
  for (const auto& node : topology->primaries())
    questions.push_back(redis::RedisCommand{{"CLUSTER", "INFO"}, redis::Write::Plain, node.address});
  for (const auto& r : client_.callAll(std::move(questions)))
    if (!r.ok() || r.reply.text.find("cluster_state:ok") == std::string::npos) return false;
  return true;
}

std::size_t RedisTokenStore::liveTokens() {
  std::vector<redis::RedisCommand> counts;
  for (std::size_t b = 0; b < redis::kBuckets; ++b) counts.push_back(redis::RedisCommand{{"ZCARD", expiryKey(b)}, redis::Write::Plain, {}});
  return sumOf(redis::repliesOrThrow(client_.callAll(std::move(counts)), "counting tokens"));
}

}  // namespace tokens::store
