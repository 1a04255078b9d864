#include "store/redis/redis_keys.h"

#include <array>

#include "store/redis/redis_client.h"
#include "store/redis/redis_cluster_slots.h"

namespace tokens::store::redis {
namespace {

constexpr std::size_t kSlotsPerBucket = kClusterSlots / kBuckets;

// The first "<bucket>.<n>" (n = 0, 1, ...) that hashes into the bucket's 64 slots: about 256 tries a
// bucket, once per process, and the same tags on every node.
std::array<std::string, kBuckets> makePrefixes() {
  std::array<std::string, kBuckets> prefixes;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    for (unsigned n = 0;; ++n) {
      const auto tag = std::to_string(b) + "." + std::to_string(n);
      if (crc16(tag) % kClusterSlots / kSlotsPerBucket != b) continue;
      prefixes[b] = std::string(kKeyPrefix).append("{").append(tag).append("}:");
      break;
    }
  }
  return prefixes;
}

}  // namespace

const std::string& bucketPrefix(std::size_t bucket) {
  static const auto prefixes = makePrefixes();
  return prefixes.at(bucket);
}

std::string taggedKey(std::string_view kind, std::string_view name) {
  return std::string(kKeyPrefix).append(kind).append(":{").append(name).append("}");
}

}  // namespace tokens::store::redis
