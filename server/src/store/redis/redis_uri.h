#pragma once
// Where a Redis store lives: redis://[[user]:password@]host[:port][/db] (rediss:// for TLS), or a Redis
// Cluster's seeds, redis-cluster://[[user]:password@]host:port[,host:port...] (rediss-cluster:// for TLS),
// as the store flag names them (SPEC §7, §9).
#include <vector>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tokens::store::redis {

struct RedisEndpoint {
  std::string host;
  std::uint16_t port = 6379;
  int database = 0;
  std::string username;  ///< Redis 6 ACL user; empty: the default user
  std::string password;  ///< empty: no AUTH
  bool tls = false;      ///< rediss://
};

/// The endpoint, or a message saying what is wrong with the URI (never repeating its password).
std::variant<RedisEndpoint, std::string> parseRedisUri(std::string_view uri);

/// A TCP port written in decimal, 1..65535, or none.
std::optional<std::uint16_t> parsePort(std::string_view text);

/// A cluster's seeds: where the client first asks for the slot map. Each has the URI's user, password
/// and TLS, and database 0 (the only one a cluster has).
struct RedisClusterSeeds {
  std::vector<RedisEndpoint> seeds;
};
/// The seeds, or what is wrong with the URI (never repeating its password).
std::variant<RedisClusterSeeds, std::string> parseRedisClusterUri(std::string_view uri);

}  // namespace tokens::store::redis
