// What a Redis Cluster node answers and the client reads as addressing (store/redis/redis_cluster_slots.h,
// redis_topology.h): the text of an error reply (MOVED, ASK) and a CLUSTER SLOTS reply. The input's
// first byte chooses which; a reply tree is decoded from the rest, so that every shape is reached.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/redis/redis_cluster_slots.h"
#include "store/redis/redis_connection.h"
#include "store/redis/redis_topology.h"

namespace {

namespace redis = tokens::store::redis;

// A reply from bytes: a type byte, then an integer (8 bytes), a string (a length byte and the bytes) or
// an array (a count byte, at most 8, and its elements), nested at most 6 deep.
struct Decoder {
  const std::uint8_t* at;
  const std::uint8_t* end;
  std::uint8_t byte() { return at < end ? *at++ : 0; }
  redis::RedisReply reply(int depth) {
    redis::RedisReply r;
    switch (byte() % 4) {
      case 0: {
        r.type = redis::RedisReply::Type::Integer;
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = v << 8 | byte();
        r.integer = static_cast<long long>(v % 70000) - 2000;  // around the ranges of slots and ports
        break;
      }
      case 1: {
        r.type = redis::RedisReply::Type::String;
        const std::size_t n = byte() % 32;
        for (std::size_t i = 0; i < n && at < end; ++i) r.text.push_back(static_cast<char>(*at++));
        break;
      }
      case 2:
        r.type = redis::RedisReply::Type::Array;
        if (depth < 6)
          for (std::size_t n = byte() % 9; n > 0; --n) r.elements.push_back(reply(depth + 1));
        break;
      default:
        r.type = redis::RedisReply::Type::Nil;
    }
    return r;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    if (const auto r = redis::parseRedirect(text); r && (r->slot >= redis::kClusterSlots || r->port == 0)) __builtin_trap();
    return 0;
  }
  Decoder decoder{data + 1, data + size};
  const auto reply = decoder.reply(0);
  const auto ranges = redis::parseClusterSlots(reply);
  if (!ranges) return 0;
  redis::RedisEndpoint asked;
  asked.host = "127.0.0.1";
  const auto topology = redis::RedisTopology::cluster(*ranges, asked, asked);
  for (const auto& range : *ranges) {
    if (range.first > range.last || range.last >= redis::kClusterSlots) __builtin_trap();
    // Every slot a range names has a node, and it is one of the primaries, with a port.
    const auto* first = topology->nodeFor(range.first);
    const auto* last = topology->nodeFor(range.last);
    if (!first || !last || first->endpoint.port == 0 || topology->node(last->address) != last) __builtin_trap();
  }
  return 0;
}
