#include <stdexcept>

#include "store/memory_token_store.h"
#include "store/redis/redis_token_store.h"
#include "store/redis/redis_topology.h"
#include "store/redis/redis_uri.h"
#include "store/sqlite_token_store.h"

namespace tokens::store {

std::unique_ptr<TokenStore> openStore(std::string_view uri) {
  if (uri == "memory:") return std::make_unique<MemoryTokenStore>();
  if (uri.starts_with("sqlite:")) {
    const auto path = uri.substr(7);
    if (path.empty()) throw std::invalid_argument("--store sqlite:PATH needs a path");
    return std::make_unique<SqliteTokenStore>(std::string(path));
  }
  if (uri.starts_with("redis://") || uri.starts_with("rediss://")) {
    auto endpoint = redis::parseRedisUri(uri);
    if (const auto* problem = std::get_if<std::string>(&endpoint))
      throw std::invalid_argument("--store " + std::string(uri.substr(0, uri.find(':'))) + "://...: " + *problem);
    auto& redisEndpoint = std::get<redis::RedisEndpoint>(endpoint);
    return std::make_unique<RedisTokenStore>(std::move(redisEndpoint));
  }
  if (uri.starts_with("redis-cluster://") || uri.starts_with("rediss-cluster://")) {
    auto seeds = redis::parseRedisClusterUri(uri);
    if (const auto* problem = std::get_if<std::string>(&seeds))
      throw std::invalid_argument("--store " + std::string(uri.substr(0, uri.find(':'))) + "://...: " + *problem);
    return std::make_unique<RedisTokenStore>(std::move(std::get<redis::RedisClusterSeeds>(seeds)));
  }
  // Only the scheme: a mistyped URI may still carry a password.
  throw std::invalid_argument("unknown store '" + std::string(uri.substr(0, uri.find(':'))) +
                              ":...': use sqlite:PATH, memory:, redis://HOST:PORT/DB or redis-cluster://HOST:PORT[,HOST:PORT...]");
}

std::string storeUriForLogs(std::string_view uri) {
  if (uri.starts_with("redis-cluster://") || uri.starts_with("rediss-cluster://")) {
    const auto parsed = redis::parseRedisClusterUri(uri);
    const auto* c = std::get_if<redis::RedisClusterSeeds>(&parsed);
    if (!c) return "a Redis Cluster URI that does not parse";
    std::string out(uri.starts_with("rediss") ? "rediss-cluster://" : "redis-cluster://");
    for (std::size_t i = 0; i < c->seeds.size(); ++i)
      out.append(i ? "," : "").append(redis::addressOf(c->seeds[i]));
    return out + (c->seeds.front().password.empty() ? "" : " (with a password)");
  }
  if (!uri.starts_with("redis://") && !uri.starts_with("rediss://")) return std::string(uri);
  const auto parsed = redis::parseRedisUri(uri);
  const auto* e = std::get_if<redis::RedisEndpoint>(&parsed);
  if (!e) return "a Redis URI that does not parse";
  return std::string(e->tls ? "rediss://" : "redis://") + e->host + ":" + std::to_string(e->port) + "/" +
         std::to_string(e->database) + (e->password.empty() ? "" : " (with a password)");
}

}  // namespace tokens::store
