#include "store/redis/redis_login_state_store.h"

#include <algorithm>
#include <charconv>

#include <sodium.h>

#include "store/redis/redis_keys.h"
#include "store/token_store.h"

namespace tokens::store {

using redis::RedisReply;
using redis::RedisScript;

namespace {


std::string key(std::string_view kind, std::string_view id) {
  return std::string(redis::kKeyPrefix).append(kind).append(":").append(id);
}
std::string codeKey(const Digest& code) { return key("code", domain::toHex(code)); }
// A session, and the set of its user's sessions that it is in, share its bucket (redis_keys.h).
const std::string& bucketPrefixOf(const Digest& session) { return redis::bucketPrefix(redis::bucketOf(session)); }
std::string sessionKey(const Digest& session) { return bucketPrefixOf(session) + "session:" + domain::toHex(session); }
std::string sessionsOfKey(std::size_t bucket, std::string_view userId) {
  return std::string(redis::bucketPrefix(bucket)).append("sessions-of:").append(userId);
}

// A Redis TTL for something the server's clock expires at `expiresAtMs`: at least a second.
std::string ttlMs(std::int64_t expiresAtMs, std::int64_t nowMs) { return std::to_string(std::max<std::int64_t>(expiresAtMs - nowMs, 1000)); }

// KEYS: the code. ARGV: client, user, redirect URI, challenge, expiry (ms, server clock), TTL (ms).
const RedisScript& putCodeScript() {
  static const RedisScript script(R"lua(
redis.call('HSET', KEYS[1], 'c', ARGV[1], 'u', ARGV[2], 'r', ARGV[3], 'x', ARGV[4], 'e', ARGV[5], 's', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
)lua");
  return script;
}

// KEYS: the code. ARGV: the claiming client. The state field s: 0 fresh, 1 spent, 2 replayed.
const RedisScript& claimScript() {
  static const RedisScript script(R"lua(
local f = redis.call('HMGET', KEYS[1], 'c', 's', 'u', 'r', 'x', 'e', 'i')
if not f[1] then return {'unknown'} end
if f[1] ~= ARGV[1] then return {'wrong-client'} end
if f[2] == '0' then
  redis.call('HSET', KEYS[1], 's', '1')
  return {'claimed', f[3], f[4], f[5], f[6]}
end
-- What the first exchange issued stays: if this answer is lost (a 503), the next replay revokes it.
redis.call('HSET', KEYS[1], 's', '2')
return {'replayed', f[7] or ''}
)lua");
  return script;
}

// KEYS: the code. ARGV: what its exchange issued (digests, comma-separated). 0 when it was replayed.
const RedisScript& recordScript() {
  static const RedisScript script(R"lua(
local s = redis.call('HGET', KEYS[1], 's')
if s == '2' then return 0 end
if s then redis.call('HSET', KEYS[1], 'i', ARGV[1]) end
return 1
)lua");
  return script;
}

// KEYS: the session, the user's set of sessions. ARGV: user, expiry (ms, server clock), TTL (ms).
const RedisScript& putSessionScript() {
  static const RedisScript script(R"lua(
for _, session in ipairs(redis.call('SMEMBERS', KEYS[2])) do  -- forget the user's sessions that expired
  if redis.call('EXISTS', session) == 0 then redis.call('SREM', KEYS[2], session) end
end
redis.call('HSET', KEYS[1], 'u', ARGV[1], 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], KEYS[1])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
return 1
)lua");
  return script;
}

// KEYS: a session. ARGV: its bucket's key prefix. Ends it, and takes it out of its user's set.
const RedisScript& endSessionScript() {
  static const RedisScript script(R"lua(
local user = redis.call('HGET', KEYS[1], 'u')
redis.call('DEL', KEYS[1])
if user then redis.call('SREM', ARGV[1] .. 'sessions-of:' .. user, KEYS[1])
else redis.call('INCR', ARGV[1] .. 'fence') end  -- for WAIT (redis_token_scripts.h)
return 1
)lua");
  return script;
}

// KEYS: a user's set of sessions in a bucket. ARGV: the bucket's prefix. Ends them all.
const RedisScript& endSessionsScript() {
  static const RedisScript script(R"lua(
for _, session in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', session) end
if redis.call('DEL', KEYS[1]) == 0 then redis.call('INCR', ARGV[1] .. 'fence') end  -- for WAIT
return 1
)lua");
  return script;
}

// KEYS: the secret. ARGV: a fresh one, kept if there is none yet. Returns the one kept. (SET NX GET
// would do, but only from Redis 7.)
const RedisScript& sharedSecretScript() {
  static const RedisScript script(R"lua(
local kept = redis.call('GET', KEYS[1])
if kept then
  redis.call('SET', KEYS[1], kept)  -- written again, so that the WAIT behind covers it
  return kept
end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
)lua");
  return script;
}

}  // namespace

bool RedisLoginStateStore::putCode(const Digest& code, const CodeGrant& grant, std::int64_t expiresAtMs,
                                   std::int64_t nowMs) {
  redis::replyOrThrow(client_.eval(putCodeScript(), {"1", codeKey(code), grant.clientId, grant.userId, grant.redirectUri,
                                        grant.codeChallenge, std::to_string(expiresAtMs),
                                        ttlMs(expiresAtMs + kSpentCodeMemoryMs, nowMs)}),
         "storing an authorization code");
  return true;
}

ClaimedCode RedisLoginStateStore::claimCode(const Digest& code, std::string_view clientId) {
  const auto reply = redis::replyOrThrow(client_.eval(claimScript(), {"1", codeKey(code), std::string(clientId)}, redis::Write::Durable),
                            "claiming an authorization code");
  const auto& f = reply.elements;
  ClaimedCode out;
  if (f.empty() || f[0].text == "unknown") return out;
  if (f[0].text == "wrong-client") {
    out.outcome = CodeClaim::WrongClient;
  } else if (f[0].text == "claimed" && f.size() == 5) {
    out.outcome = CodeClaim::Claimed;
    out.grant = {std::string(clientId), f[1].text, f[2].text, f[3].text};
    out.expiresAtMs = redis::integerOf(f[4]);
  } else if (f[0].text == "replayed" && f.size() == 2) {
    out.outcome = CodeClaim::Replayed;
    std::string_view list = f[1].text;
    while (!list.empty()) {
      const auto comma = list.find(',');
      if (const auto d = domain::digestFromHex(list.substr(0, comma))) out.issued.push_back(*d);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return out;
}

bool RedisLoginStateStore::recordIssued(const Digest& code, std::span<const Digest> issued) {
  std::string list;
  for (const auto& d : issued) list.append(list.empty() ? "" : ",").append(domain::toHex(d));
  const auto reply = redis::replyOrThrow(client_.eval(recordScript(), {"1", codeKey(code), list}, redis::Write::Durable), "recording a code's tokens");
  return reply.integer == 1;
}

bool RedisLoginStateStore::putSession(const Digest& session, std::string_view userId, std::int64_t expiresAtMs,
                                      std::int64_t nowMs) {
  redis::replyOrThrow(client_.eval(putSessionScript(), {"2", sessionKey(session), sessionsOfKey(redis::bucketOf(session), userId), std::string(userId),
                                           std::to_string(expiresAtMs), ttlMs(expiresAtMs, nowMs)}),
         "starting a login session");
  return true;
}

std::optional<std::string> RedisLoginStateStore::sessionUser(const Digest& session, std::int64_t nowMs) {
  const auto reply = redis::replyOrThrow(client_.call({"HMGET", sessionKey(session), "u", "e"}), "reading a login session");
  if (reply.elements.size() != 2 || reply.elements[0].type != RedisReply::Type::String) return std::nullopt;
  if (nowMs >= redis::integerOf(reply.elements[1])) return std::nullopt;
  return reply.elements[0].text;
}

void RedisLoginStateStore::endSession(const Digest& session) {
  redis::replyOrThrow(client_.eval(endSessionScript(), {"1", sessionKey(session), bucketPrefixOf(session)}, redis::Write::Durable),
                      "ending a login session");
}

void RedisLoginStateStore::endSessionsOf(std::string_view userId) {
  // Every bucket at once: a user's sessions are in any of them.
  std::vector<std::vector<std::string>> scripts;
  for (std::size_t b = 0; b < redis::kBuckets; ++b) scripts.push_back({"1", sessionsOfKey(b, userId), redis::bucketPrefix(b)});
  redis::repliesOrThrow(client_.evalAll(endSessionsScript(), std::move(scripts), redis::Write::Durable),
                        "ending a user's login sessions");
}

std::string RedisLoginStateStore::sharedSecret(std::string_view name) {
  domain::ensureCryptoReady();
  std::string mine(32, '\0');
  randombytes_buf(mine.data(), mine.size());
  const auto reply = redis::replyOrThrow(client_.eval(sharedSecretScript(), {"1", key("secret", name), mine}, redis::Write::Durable), "reading a shared secret");
  if (reply.type != RedisReply::Type::String || reply.text.size() != mine.size())
    throw StoreUnavailable("redis: the shared secret " + std::string(name) + " is not 32 bytes");
  return reply.text;
}

}  // namespace tokens::store
