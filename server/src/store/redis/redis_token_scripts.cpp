#include "store/redis/redis_token_scripts.h"

namespace tokens::store::redis::scripts {

namespace {

// Shared by the scripts that add or remove tokens: the bucket's keys, and removing one token from all
// three.
constexpr const char* kPrelude = R"lua(
local prefix = ARGV[1]  -- the bucket's: every key below is in its slot
local function userKey(org, user) return prefix .. 'u:' .. #org .. ':' .. org .. ':' .. user end
local function tokenKey(digest) return prefix .. 't:' .. digest end
-- A write that changes nothing of meaning, for a script that would otherwise write nothing: WAIT counts
-- replicas up to the last write of its connection, and a durable answer must also cover what an earlier
-- attempt (answered 503) may have left on the primary alone.
local function fence() redis.call('INCR', prefix .. 'fence') end
local function revoke(digest)
  local key = tokenKey(digest)
  local owner = redis.call('HMGET', key, 'o', 'u')
  if not owner[1] then return 0 end
  redis.call('DEL', key)
  redis.call('ZREM', prefix .. 'expiry', digest)
  if owner[2] ~= '' then redis.call('SREM', userKey(owner[1], owner[2]), digest) end
  return 1
end
)lua";

RedisScript withPrelude(std::string_view body) { return RedisScript(std::string(kPrelude).append(body)); }

// Stores the tokens whose fields start at ARGV[from], nine per token.
constexpr const char* kInsertFrom = R"lua(
local function insertFrom(from, now)
  for b = from, #ARGV, 9 do
    local digest, org, user = ARGV[b], ARGV[b + 2], ARGV[b + 4]
    revoke(digest)  -- a digest inserted again replaces the old token, indexes included
    local fields = {'k', ARGV[b + 1], 'o', org, 'c', ARGV[b + 3], 'u', user, 'g', ARGV[b + 5],
                    'i', ARGV[b + 6], 'e', ARGV[b + 7], 'a', now}
    if ARGV[b + 8] ~= '' then
      fields[#fields + 1] = 'p'
      fields[#fields + 1] = ARGV[b + 8]
    end
    redis.call('HSET', tokenKey(digest), unpack(fields))
    redis.call('ZADD', prefix .. 'expiry', ARGV[b + 7], digest)
    if user ~= '' then redis.call('SADD', userKey(org, user), digest) end
  end
end
)lua";

RedisScript withInsert(std::string_view body) { return withPrelude(std::string(kInsertFrom).append(body)); }

}  // namespace

const RedisScript& insertTokens() {
  static const RedisScript script = withInsert(R"lua(
insertFrom(3, ARGV[2])
return 1
)lua");
  return script;
}

const RedisScript& rotateToken() {
  static const RedisScript script = withInsert(R"lua(
if revoke(ARGV[3]) == 0 then
  fence()
  return 0
end
insertFrom(4, ARGV[2])
return 1
)lua");
  return script;
}

const RedisScript& revokeTokens() {
  static const RedisScript script = withPrelude(R"lua(
local count = 0
for i = 2, #ARGV do count = count + revoke(ARGV[i]) end
if count == 0 then fence() end
return count
)lua");
  return script;
}

const RedisScript& revokeUser() {
  static const RedisScript script = withPrelude(R"lua(
local set = userKey(ARGV[2], ARGV[3])
local count = 0
for _, digest in ipairs(redis.call('SMEMBERS', set)) do count = count + revoke(digest) end
redis.call('DEL', set)
if count == 0 then fence() end
return count
)lua");
  return script;
}

const RedisScript& purgeExpired() {
  static const RedisScript script = withPrelude(R"lua(
local expired = redis.call('ZRANGEBYSCORE', prefix .. 'expiry', '-inf', '(' .. ARGV[2], 'LIMIT', 0, ARGV[3])
local count = 0
for _, digest in ipairs(expired) do
  if revoke(digest) == 1 then count = count + 1 else redis.call('ZREM', prefix .. 'expiry', digest) end
end
return count
)lua");
  return script;
}

const RedisScript& setIfNewer() {
  static const RedisScript script(R"lua(
local kept = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if kept >= tonumber(ARGV[1]) then
  redis.call('INCR', ARGV[3] .. 'fence')  -- as the token scripts' fence()
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'j', ARGV[2])
return 1
)lua");
  return script;
}

const RedisScript& advanceClockOffset() {
  static const RedisScript script(R"lua(
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local by, max = tonumber(ARGV[1]), tonumber(ARGV[2])
if by < 0 or current + by > max then return -1 end
redis.call('SET', KEYS[1], tostring(current + by))
return current + by
)lua");
  return script;
}

const RedisScript& recordActivity() {
  static const RedisScript script(R"lua(
for i, key in ipairs(KEYS) do
  local seen = redis.call('HGET', key, 'a')
  if seen and tonumber(seen) < tonumber(ARGV[i + 1]) then redis.call('HSET', key, 'a', ARGV[i + 1]) end
end
return #KEYS
)lua");
  return script;
}

}  // namespace tokens::store::redis::scripts
