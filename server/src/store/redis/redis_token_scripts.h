#pragma once
// The Lua scripts of the Redis token store: each change that touches several keys runs as one script,
// which Redis executes whole, with no other command in between (docs/redis.md). Every script takes the
// key prefix as ARGV[1].

#include "store/redis/redis_client.h"

namespace tokens::store::redis::scripts {

/// ARGV: prefix, now (ms), then 9 values per token: digest (hex), kind (0 access, 1 refresh),
/// organization, client, user ("" for none), grant type, issued at, expires at, pair digest (hex or "").
const RedisScript& insertTokens();
/// ARGV: prefix, now (ms), the used token's digest (hex), then the issued tokens as for insertTokens.
/// Revokes the used token and stores the issued ones, or, if the used one is gone, changes nothing.
/// Returns 1 or 0.
const RedisScript& rotateToken();
/// ARGV: prefix, digests (hex). Returns how many existed.
const RedisScript& revokeTokens();
/// ARGV: prefix, organization, user. Returns how many tokens it revoked.
const RedisScript& revokeUser();
/// ARGV: prefix, before (ms), limit. Revokes up to `limit` tokens that expired before; returns how many.
const RedisScript& purgeExpired();
/// KEYS: the offset's key; ARGV: by (ms), max (ms). Adds `by` unless the sum would pass `max`; returns the
/// new offset, or -1 and nothing changed.
const RedisScript& advanceClockOffset();
/// KEYS: token hashes; ARGV: prefix, then each token's latest activity (ms). Never moves activity
/// backwards and never brings back a token that was revoked meanwhile.
const RedisScript& recordActivity();

}  // namespace tokens::store::redis::scripts
