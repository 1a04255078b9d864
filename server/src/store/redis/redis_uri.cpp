#include "store/redis/redis_uri.h"

#include <charconv>

#include <boost/url/parse.hpp>

namespace tokens::store::redis {

std::variant<RedisEndpoint, std::string> parseRedisUri(std::string_view uri) {
  const auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed) return std::string("not a URI (expected redis://HOST:PORT/DB)");
  RedisEndpoint e;
  if (parsed->scheme() == "rediss")
    e.tls = true;
  else if (parsed->scheme() != "redis")
    return std::string("the scheme must be redis:// or rediss://");
  e.host = parsed->host_address();  // brackets stripped from IPv6 literals
  if (e.host.empty()) return std::string("no host (expected redis://HOST:PORT/DB)");
  if (parsed->has_port()) {
    // port_number() wraps what does not fit 16 bits (99999 would become 34463): read the text instead.
    const auto text = parsed->port();
    unsigned long port = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535)
      return std::string("the port must be 1..65535");
    e.port = static_cast<std::uint16_t>(port);
  }
  if (parsed->has_userinfo()) {
    e.username = parsed->user();
    e.password = parsed->password();
  }
  std::string_view path = parsed->encoded_path();
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty()) {
    int db = -1;
    const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), db);
    if (ec != std::errc() || end != path.data() + path.size() || db < 0 || db > 15)
      return std::string("the database must be a number 0..15 (redis://HOST:PORT/DB)");
    e.database = db;
  }
  if (parsed->has_query() || parsed->has_fragment()) return std::string("no query or fragment is understood");
  return e;
}

}  // namespace tokens::store::redis
