#pragma once
// The Lua scripts of the Redis token store: each change that touches several keys runs as one script,
// which Redis executes whole, with no other command in between (docs/redis.md). The token scripts work
// in one bucket (redis_keys.h): KEYS[1] is the bucket's expiry set, which routes the script to the node
// that serves the bucket, and ARGV[1] the bucket's key prefix; every key they touch starts with it.
//
// Each may run again from the start after stopping half-way (a resharding moved a key of its slot
// ahead of it: redis_client.h) and ends as one whole run would. A durable script that has nothing to
// change still writes its bucket's "fence" counter, so that the WAIT behind it covers what is on the
// primary (docs/redis.md, "Failover without loss").

#include "store/redis/redis_client.h"

namespace tokens::store::redis::scripts {

/// ARGV: bucket prefix, now (ms), then 9 values per token: digest (hex), kind (0 access, 1 refresh),
/// organization, client, user ("" for none), grant type, issued at, expires at, pair digest (hex or "").
const RedisScript& insertTokens();
/// ARGV: bucket prefix, now (ms), the used token's digest (hex), then the issued tokens as for
/// insertTokens, all of the used one's bucket. Revokes the used token and stores the issued ones, or, if
/// the used one is gone, changes nothing. Returns 1 or 0.
const RedisScript& rotateToken();
/// ARGV: bucket prefix, digests (hex). Returns how many existed.
const RedisScript& revokeTokens();
/// ARGV: bucket prefix, organization, user. Returns how many of the user's tokens it revoked.
const RedisScript& revokeUser();
/// ARGV: bucket prefix, before (ms), limit. Revokes up to `limit` tokens that expired before; returns
/// how many.
const RedisScript& purgeExpired();
/// KEYS: token hashes of one bucket; ARGV: bucket prefix, then each token's latest activity (ms). Never
/// moves activity backwards and never brings back a token that was revoked meanwhile.
const RedisScript& recordActivity();
/// KEYS: one copy of a setting; ARGV: its version, its value, its bucket's prefix. Keeps the copy with the higher version, so
/// that copies written concurrently agree in the end. Returns 1 if it wrote.
const RedisScript& setIfNewer();
/// KEYS: the offset's key; ARGV: by (ms), max (ms). Adds `by` unless the sum would pass `max`; returns the
/// new offset, or -1 and nothing changed.
const RedisScript& advanceClockOffset();

}  // namespace tokens::store::redis::scripts
