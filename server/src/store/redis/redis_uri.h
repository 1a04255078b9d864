#pragma once
// Where a Redis store lives: redis://[[user]:password@]host[:port][/db] (rediss:// for TLS), as the store
// flag names it (SPEC §7, §9).

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

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

}  // namespace tokens::store::redis
