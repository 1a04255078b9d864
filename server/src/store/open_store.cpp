#include <stdexcept>

#include "store/memory_token_store.h"
#include "store/redis/redis_token_store.h"
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
  // Only the scheme: a mistyped URI may still carry a password.
  throw std::invalid_argument("unknown store '" + std::string(uri.substr(0, uri.find(':'))) +
                              ":...': use sqlite:PATH, memory: or redis://HOST:PORT/DB");
}

std::string storeUriForLogs(std::string_view uri) {
  if (!uri.starts_with("redis://") && !uri.starts_with("rediss://")) return std::string(uri);
  const auto parsed = redis::parseRedisUri(uri);
  const auto* e = std::get_if<redis::RedisEndpoint>(&parsed);
  if (!e) return "a Redis URI that does not parse";
  return std::string(e->tls ? "rediss://" : "redis://") + e->host + ":" + std::to_string(e->port) + "/" +
         std::to_string(e->database) + (e->password.empty() ? "" : " (with a password)");
}

}  // namespace tokens::store
