#include "store/redis/redis_uri.h"

#include <algorithm>
#include <charconv>

#include <boost/url/parse.hpp>

namespace tokens::store::redis {

std::optional<std::uint16_t> parsePort(std::string_view text) {
  unsigned long port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

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
    const auto port = parsePort(parsed->port());
    if (!port) return std::string("the port must be 1..65535");
    e.port = *port;
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

std::variant<RedisClusterSeeds, std::string> parseRedisClusterUri(std::string_view uri) {
  std::string_view scheme;
  if (uri.starts_with("redis-cluster://"))
    scheme = "redis";
  else if (uri.starts_with("rediss-cluster://"))
    scheme = "rediss";
  else
    return std::string("the scheme must be redis-cluster:// or rediss-cluster://");
  auto rest = uri.substr(uri.find("://") + 3);
  // The seeds end where the path (or a query) begins; the user and password come before the last '@'.
  const auto authorityEnd = std::min(rest.find('/'), rest.find('?'));
  auto authority = rest.substr(0, authorityEnd);
  const auto tail = authorityEnd == std::string_view::npos ? std::string_view{} : rest.substr(authorityEnd);
  std::string_view userinfo;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = authority.substr(0, at + 1);
    authority.remove_prefix(at + 1);
  }
  if (!tail.empty() && tail != "/" && tail != "/0")
    return std::string("a cluster has database 0 only (redis-cluster://HOST:PORT[,HOST:PORT...])");
  RedisClusterSeeds out;
  for (std::size_t from = 0; from <= authority.size();) {
    const auto comma = std::min(authority.find(',', from), authority.size());
    const auto seed = authority.substr(from, comma - from);
    if (seed.empty()) return std::string("an empty seed (redis-cluster://HOST:PORT[,HOST:PORT...])");
    // Each seed read as the single-node URI it would be, so that both accept the same hosts and ports.
    auto parsed = parseRedisUri(std::string(scheme).append("://").append(userinfo).append(seed));
    if (auto* problem = std::get_if<std::string>(&parsed))
      return "seed " + std::to_string(out.seeds.size() + 1) + ": " + *problem;
    out.seeds.push_back(std::move(std::get<RedisEndpoint>(parsed)));
    from = comma + 1;
  }
  return out;
}

}  // namespace tokens::store::redis
