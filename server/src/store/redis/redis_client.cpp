#include "store/redis/redis_client.h"

#include <charconv>
#include <unordered_map>

#include <boost/asio/async_result.hpp>
#include <openssl/evp.h>

#include "async/request_fiber.h"
#include "store/token_store.h"

namespace tokens::store::redis {

namespace asio = boost::asio;

namespace {

std::atomic<std::uint64_t> nextClientId{1};

std::string sha1Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr) != 1)
    throw std::runtime_error("SHA-1 unavailable");
  return domain::toHex(std::span<const unsigned char>(digest, length));
}

// Each event loop's connections, one per client: an Asio service, so that they live exactly as long as
// the loop's io_context and are closed on its thread's terms when it shuts down.
class LoopConnections final : public asio::execution_context::service {
 public:
  using key_type = LoopConnections;
  static inline asio::execution_context::id id;

  explicit LoopConnections(asio::execution_context& context)
      : service(context), ioc_(static_cast<asio::io_context&>(context)) {}

  RedisConnection& connectionFor(const RedisClient& client) {
    auto& slot = connections_[client.id()];
    if (!slot) slot = RedisConnection::start(ioc_, client.endpoint(), client.options());
    return *slot;
  }

 private:
  void shutdown() override {
    // What waits on a reply (a suspended fiber) is destroyed with the loop's other pending work.
    for (auto& entry : connections_) entry.second->abandon();
    connections_.clear();
  }

  asio::io_context& ioc_;
  std::unordered_map<std::uint64_t, std::shared_ptr<RedisConnection>> connections_;
};

bool isNoScript(const RedisResult& r) {
  return r.failure == RedisFailure::None && r.reply.type == RedisReply::Type::Error &&
         r.reply.text.starts_with("NOSCRIPT");
}

}  // namespace

RedisScript::RedisScript(std::string text) : source(std::move(text)), sha1(sha1Hex(source)) {}

RedisClient::RedisClient(RedisEndpoint endpoint, RedisOptions options)
    : endpoint_(std::move(endpoint)), options_(options), id_(nextClientId++) {}

// ownLoop_'s connection is closed with it, on the destroying thread: the io_context's destructor shuts
// LoopConnections down.
RedisClient::~RedisClient() = default;

RedisResult RedisClient::call(std::vector<std::string> args) {
  if (async::currentFiber()) return callInFiber(std::move(args));
  std::lock_guard lock(ownLoopMutex_);
  RedisResult result;
  async::runInFiberHere(ownLoop_, [&] { result = callInFiber(std::move(args)); });
  return result;
}

RedisResult RedisClient::callInFiber(std::vector<std::string> args) {
  return async::suspendFiber([&](async::Yield& yield) {
    auto& connection = asio::use_service<LoopConnections>(yield.get_executor().context()).connectionFor(*this);
    return asio::async_initiate<async::Yield&, void(RedisResult)>(
        [&connection](auto handler, std::vector<std::string> command) {
          // The connection's callbacks are copyable std::functions; the fiber's handler is move-only.
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          connection.command(std::move(command), [shared](RedisResult r) { (*shared)(std::move(r)); });
        },
        yield, std::move(args));
  });
}

RedisResult RedisClient::eval(const RedisScript& script, std::vector<std::string> keysAndArgs) {
  std::vector<std::string> command;
  command.reserve(keysAndArgs.size() + 2);
  command.emplace_back("EVALSHA");
  command.push_back(script.sha1);
  command.insert(command.end(), keysAndArgs.begin(), keysAndArgs.end());
  auto result = call(command);
  if (!isNoScript(result)) return result;
  command[0] = "EVAL";
  command[1] = script.source;
  return call(std::move(command));
}

RedisReply replyOrThrow(RedisResult result, std::string_view what) {
  if (!result.ok()) throw StoreUnavailable("redis: " + std::string(what) + ": " + failureOf(result));
  return std::move(result.reply);
}

std::int64_t integerOf(const RedisReply& reply) {
  std::int64_t value = 0;
  std::from_chars(reply.text.data(), reply.text.data() + reply.text.size(), value);
  return value;
}

std::string failureOf(const RedisResult& result) {
  switch (result.failure) {
    case RedisFailure::Unavailable: return "Redis is unreachable";
    case RedisFailure::Timeout: return "Redis did not answer in time";
    case RedisFailure::Broken: return "the connection to Redis broke";
    case RedisFailure::None: break;
  }
  return result.reply.type == RedisReply::Type::Error ? "Redis answered: " + result.reply.text : std::string();
}

}  // namespace tokens::store::redis
