#pragma once
// Where the Redis stores keep things, laid out for Redis Cluster (docs/redis.md, "Keys"): every script
// touches the keys of one hash slot only, and tokens spread evenly over the shards.
//
// Tokens, their indexes and login sessions live in 256 buckets, chosen by the first byte of the digest
// (uniform: it is SHA-256). A bucket's keys share a hash tag, so its scripts run in one slot; the tags
// are chosen so that bucket b hashes into slots [64 b, 64 b + 63]: whatever contiguous ranges the slots
// are split into, the buckets divide evenly among them, and one big organization makes no hot slot,
// since its tokens are in every bucket like everyone's. What is per user (a user's tokens, sessions) is
// a set per bucket, so revoking a user runs one script per bucket, all at once.

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/token_crypto.h"

namespace tokens::store::redis {

inline constexpr std::size_t kBuckets = 256;

/// The bucket a token or session digest is in.
inline std::size_t bucketOf(const domain::Digest& digest) { return digest[0]; }

/// "tokens:{<tag>}:", the start of every key in bucket `bucket`.
const std::string& bucketPrefix(std::size_t bucket);

/// A key of its own slot: "tokens:<kind>:{<name>}", for what is one key (or a few) per name and never
/// needs to be beside a token (rate counters, throttles).
std::string taggedKey(std::string_view kind, std::string_view name);

}  // namespace tokens::store::redis
