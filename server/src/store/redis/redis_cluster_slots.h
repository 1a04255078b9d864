#pragma once
// Redis Cluster's addressing, as its specification defines it: which of the 16,384 hash slots a key is
// in (CRC16 of the key, or of its hash tag, the part between the first '{' and the next '}'), the MOVED
// and ASK redirections a node answers with, and the slot map CLUSTER SLOTS describes. Pure functions,
// for the cluster client (issue 13).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tokens::store::redis {

struct RedisReply;

inline constexpr std::uint32_t kClusterSlots = 16384;

/// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the checksum Redis Cluster hashes keys with.
std::uint16_t crc16(std::string_view bytes);
/// The hash slot of `key`: of its hash tag when it has a non-empty one, else of the whole key.
std::uint16_t keySlot(std::string_view key);

/// A node's "-MOVED <slot> <host>:<port>" or "-ASK <slot> <host>:<port>" error. An empty host means the
/// node the command went to (Redis 7 sends that when its address is not known to itself).
struct Redirect {
  enum class Kind { Moved, Ask };
  Kind kind;
  std::uint16_t slot;
  std::string host;
  std::uint16_t port;
};
/// The redirection an error reply's text describes, or none (any other error).
std::optional<Redirect> parseRedirect(std::string_view error);

struct ClusterNode {
  std::string host;
  std::uint16_t port = 0;
};
struct SlotRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;
  ClusterNode primary;
  std::vector<ClusterNode> replicas;
};
/// The slot ranges of a CLUSTER SLOTS reply, or none if the reply is not one. A node whose address is
/// unknown to the one asked ("" or "?") has an empty host: the caller uses the address it asked.
std::optional<std::vector<SlotRange>> parseClusterSlots(const RedisReply& reply);

}  // namespace tokens::store::redis
