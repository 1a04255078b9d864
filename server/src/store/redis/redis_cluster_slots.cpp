#include "store/redis/redis_cluster_slots.h"

#include <charconv>

#include "store/redis/redis_connection.h"
#include "store/redis/redis_uri.h"

namespace tokens::store::redis {
namespace {

std::optional<ClusterNode> nodeOf(const RedisReply& entry) {
  // [host, port, id, ...]: Redis 7 adds the id and, from 7.0, a map of metadata.
  if (entry.type != RedisReply::Type::Array || entry.elements.size() < 2) return std::nullopt;
  const auto& host = entry.elements[0];
  const auto& port = entry.elements[1];
  if (host.type != RedisReply::Type::String || port.type != RedisReply::Type::Integer) return std::nullopt;
  if (port.integer <= 0 || port.integer > 65535) return std::nullopt;
  ClusterNode node;
  node.host = host.text == "?" ? "" : host.text;
  node.port = static_cast<std::uint16_t>(port.integer);
  return node;
}

}  // namespace

std::uint16_t crc16(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (const unsigned char c : bytes) {
    crc = static_cast<std::uint16_t>(crc ^ (c << 8));
    for (int bit = 0; bit < 8; ++bit)
      crc = static_cast<std::uint16_t>(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
  }
  return crc;
}

std::uint16_t keySlot(std::string_view key) {
  if (const auto open = key.find('{'); open != std::string_view::npos) {
    const auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
  }
  return static_cast<std::uint16_t>(crc16(key) % kClusterSlots);
}

std::optional<Redirect> parseRedirect(std::string_view error) {
  Redirect r{};
  if (error.starts_with("MOVED "))
    r.kind = Redirect::Kind::Moved;
  else if (error.starts_with("ASK "))
    r.kind = Redirect::Kind::Ask;
  else
    return std::nullopt;
  error.remove_prefix(error.find(' ') + 1);
  const auto space = error.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  unsigned slot = 0;
  const auto slotText = error.substr(0, space);
  const auto [end, ec] = std::from_chars(slotText.data(), slotText.data() + slotText.size(), slot);
  if (ec != std::errc() || end != slotText.data() + slotText.size() || slot >= kClusterSlots) return std::nullopt;
  r.slot = static_cast<std::uint16_t>(slot);
  const auto address = error.substr(space + 1);
  const auto colon = address.rfind(':');  // an IPv6 address has colons of its own; the port is after the last
  if (colon == std::string_view::npos) return std::nullopt;
  const auto port = parsePort(address.substr(colon + 1));
  if (!port) return std::nullopt;
  r.port = *port;
  r.host = std::string(address.substr(0, colon));
  if (r.host.size() >= 2 && r.host.front() == '[' && r.host.back() == ']') r.host = r.host.substr(1, r.host.size() - 2);
  return r;
}

std::optional<std::vector<SlotRange>> parseClusterSlots(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::Array) return std::nullopt;
  std::vector<SlotRange> ranges;
  for (const auto& entry : reply.elements) {
    // [first, last, primary, replica...]
    if (entry.type != RedisReply::Type::Array || entry.elements.size() < 3) return std::nullopt;
    const auto& first = entry.elements[0];
    const auto& last = entry.elements[1];
    if (first.type != RedisReply::Type::Integer || last.type != RedisReply::Type::Integer) return std::nullopt;
    if (first.integer < 0 || last.integer < first.integer || last.integer >= kClusterSlots) return std::nullopt;
    SlotRange range;
    range.first = static_cast<std::uint16_t>(first.integer);
    range.last = static_cast<std::uint16_t>(last.integer);
    const auto primary = nodeOf(entry.elements[2]);
    if (!primary) return std::nullopt;
    range.primary = *primary;
    for (std::size_t i = 3; i < entry.elements.size(); ++i) {
      const auto replica = nodeOf(entry.elements[i]);
      if (!replica) return std::nullopt;
      range.replicas.push_back(*replica);
    }
    ranges.push_back(std::move(range));
  }
  return ranges;
}

}  // namespace tokens::store::redis
