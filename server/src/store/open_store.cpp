#include <stdexcept>

#include "store/memory_token_store.h"
#include "store/sqlite_token_store.h"

namespace tokens::store {

std::unique_ptr<TokenStore> openStore(std::string_view uri) {
  if (uri == "memory:") return std::make_unique<MemoryTokenStore>();
  if (uri.starts_with("sqlite:")) {
    const auto path = uri.substr(7);
    if (path.empty()) throw std::invalid_argument("--store sqlite:PATH needs a path");
    return std::make_unique<SqliteTokenStore>(std::string(path));
  }
  if (uri.starts_with("redis://"))
    throw std::invalid_argument("the Redis store is not available in this release yet; use sqlite:PATH or memory:");
  throw std::invalid_argument("unknown store '" + std::string(uri) + "': use sqlite:PATH or memory:");
}

}  // namespace tokens::store
