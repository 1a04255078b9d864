#include "store/redis/redis_client.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <numeric>
#include <unordered_map>

#include <boost/asio/async_result.hpp>
#include <boost/asio/steady_timer.hpp>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include "async/request_fiber.h"
#include "store/token_store.h"

namespace tokens::store::redis {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

std::atomic<std::uint64_t> nextClientId{1};

std::string sha1Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr) != 1)
    throw std::runtime_error("SHA-1 unavailable");
  return domain::toHex(std::span<const unsigned char>(digest, length));
}

// Reads and plain writes share one pipelined connection per node; durable writes have their own, since
// WAIT holds up whatever is queued behind it on its connection.
enum class Lane { Shared, Durable };

// Each event loop's connections, per client, lane and node: an Asio service, so that they live exactly
// as long as the loop's io_context and are closed on its thread's terms when it shuts down.
class LoopConnections final : public asio::execution_context::service {
 public:
  using key_type = LoopConnections;
  static inline asio::execution_context::id id;

  explicit LoopConnections(asio::execution_context& context)
      : service(context), ioc_(static_cast<asio::io_context&>(context)) {}

  RedisConnection& connectionFor(const RedisClient& client, Lane lane, const RedisEndpoint& endpoint,
                                 const std::string& address) {
    // A handful of nodes per client: a scan beats hashing a key made per command.
    auto& lanes = clients_[client.id()];
    auto& nodes = lanes[lane == Lane::Durable ? 1 : 0];
    for (auto& [known, connection] : nodes)
      if (known == address) return *connection;
    nodes.emplace_back(address, RedisConnection::start(ioc_, endpoint, client.options()));
    return *nodes.back().second;
  }

 private:
  void shutdown() override {
    // What waits on a reply (a suspended fiber) is destroyed with the loop's other pending work.
    for (auto& [id, lanes] : clients_)
      for (auto& nodes : lanes)
        for (auto& entry : nodes) entry.second->abandon();
    clients_.clear();
  }

  using Nodes = std::vector<std::pair<std::string, std::shared_ptr<RedisConnection>>>;
  asio::io_context& ioc_;
  std::unordered_map<std::uint64_t, std::array<Nodes, 2>> clients_;  // by client id, then lane
};

bool isNoScript(const RedisResult& r) {
  return r.failure == RedisFailure::None && r.reply.type == RedisReply::Type::Error &&
         r.reply.text.starts_with("NOSCRIPT");
}

bool sameCommand(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// The key a command is routed by, or none (a command about the node itself, a script without keys).
std::optional<std::string_view> firstKey(const std::vector<std::string>& args) {
  if (args.empty()) return std::nullopt;
  const std::string_view name = args[0];
  if (sameCommand(name, "EVAL") || sameCommand(name, "EVALSHA")) {
    if (args.size() < 4 || args[2] == "0") return std::nullopt;
    return args[3];
  }
  for (const auto* keyless : {"PING", "INFO", "ROLE", "CLUSTER", "WAIT", "SCRIPT", "ASKING"})
    if (sameCommand(name, keyless)) return std::nullopt;
  if (args.size() < 2) return std::nullopt;
  return args[1];
}

void sleepInFiber(milliseconds duration) {
  async::suspendFiber([&](async::Yield& yield) {
    asio::steady_timer timer(yield.get_executor(), duration);
    boost::system::error_code ignored;
    timer.async_wait(yield[ignored]);
  });
}

// The cluster's own ways of saying "not done, try again": a slot moving (TRYAGAIN, a script's key gone
// ahead), a cluster without a majority or without a slot's primary (CLUSTERDOWN), a node loading its
// data, a primary that became a replica (READONLY) or lost its link to its own primary (MASTERDOWN).
bool isRetryableClusterError(std::string_view text, bool& relearn) {
  relearn = text.starts_with("CLUSTERDOWN") || text.starts_with("READONLY") || text.starts_with("MASTERDOWN");
  return relearn || text.starts_with("TRYAGAIN") || text.starts_with("LOADING") ||
         // A script that reached a key of its slot that has already moved to the slot's new node (a
         // resharding under way): it stopped there, perhaps after some of its writes. Every script of
         // the stores may run again from the start and ends where one whole run would
         // (redis_token_scripts.h), so it is sent again once the slot has moved.
         text.find("non local key") != std::string_view::npos;
}

// The replicas an INFO replication text names as online and having acknowledged some of the stream
// ("slave0:ip=...,port=...,state=online,offset=14,lag=0"; offset 0: not yet), as CLUSTER SLOTS counts them.
std::size_t replicasInSync(std::string_view info) {
  std::size_t count = 0;
  for (auto at = info.find("state=online,offset="); at != std::string_view::npos; at = info.find("state=online,offset=", at + 1)) {
    const auto digits = info.substr(at + std::string_view("state=online,offset=").size());
    if (!digits.empty() && digits.front() != '0') ++count;
  }
  return count;
}

}  // namespace

// One round of commands, each on the connection of the node it goes to, sent together: the fiber is
// resumed once every one has its result.
class RedisClient::Batch {
 public:
  struct Attempt {
    std::size_t index;
    const RedisEndpoint* endpoint;  // the topology's, or a redirection's: alive for the round
    const std::string* address;
    bool asking = false;   // an ASK redirection: ASKING first, for this command only
    bool waitForReplica = false;
  };

  static void run(const RedisClient& client, std::vector<Attempt>& attempts, const std::vector<RedisCommand>& commands,
                  std::vector<RedisResult>& results) {
    if (attempts.empty()) return;
    async::suspendFiber([&](async::Yield& yield) {
      auto& loop = asio::use_service<LoopConnections>(yield.get_executor().context());
      return asio::async_initiate<async::Yield&, void()>(
          [&](auto handler) {
            using Handler = decltype(handler);
            struct Gather {
              Handler handler;
              std::size_t left;
            };
            auto gather = std::make_shared<Gather>(Gather{std::move(handler), attempts.size()});
            auto finished = [gather] {
              if (--gather->left == 0) std::move(gather->handler)();
            };
            const auto ackTimeout = std::to_string(client.options().replicaAckTimeout.count());
            // The durable commands of each connection, behind one WAIT: it counts the replicas that have
            // everything the connection wrote so far, so one covers them all.
            std::vector<std::pair<RedisConnection*, std::vector<RedisResult*>>> waits;
            for (const auto& a : attempts) {
              const auto& command = commands[a.index];
              auto& connection = loop.connectionFor(
                  client, command.write == Write::Durable ? Lane::Durable : Lane::Shared, *a.endpoint, *a.address);
              auto* slot = &results[a.index];
              if (a.asking) connection.command({"ASKING"}, [](RedisResult) {});
              if (!a.waitForReplica) {
                connection.command(command.args, [slot, finished](RedisResult r) {
                  *slot = std::move(r);
                  finished();
                });
                continue;
              }
              connection.command(command.args, [slot](RedisResult r) { *slot = std::move(r); });
              auto at = std::find_if(waits.begin(), waits.end(), [&](const auto& w) { return w.first == &connection; });
              if (at == waits.end()) {
                waits.emplace_back(&connection, std::vector<RedisResult*>{});
                at = waits.end() - 1;
              }
              at->second.push_back(slot);
            }
            for (auto& [connection, slots] : waits)
              connection->command({"WAIT", "1", ackTimeout}, [slots = std::move(slots), finished](RedisResult r) {
                const bool acknowledged = r.ok() && r.reply.type == RedisReply::Type::Integer && r.reply.integer >= 1;
                for (auto* slot : slots) {
                  if (slot->ok() && !acknowledged) *slot = RedisResult{RedisFailure::NotReplicated, {}};
                  finished();
                }
              });
          },
          yield);
    });
  }
};

RedisScript::RedisScript(std::string text) : source(std::move(text)), sha1(sha1Hex(source)) {}

RedisClient::RedisClient(RedisEndpoint endpoint, RedisOptions options)
    : options_(options), id_(nextClientId++), topology_(RedisTopology::single(endpoint, 0, false)) {}

RedisClient::RedisClient(RedisClusterSeeds seeds, RedisOptions options)
    : seeds_(std::move(seeds.seeds)), options_(options), id_(nextClientId++) {
  if (seeds_.empty()) throw std::invalid_argument("a Redis Cluster needs at least one seed");
  // Until the slot map is learnt, everything goes to the first seed, which redirects.
  topology_ = RedisTopology::single(seeds_.front(), 0, false);
}

// ownLoop_'s connections are closed with it, on the destroying thread: the io_context's destructor shuts
// LoopConnections down.
RedisClient::~RedisClient() = default;

std::shared_ptr<const RedisTopology> RedisClient::topology() const {
  std::lock_guard lock(topologyMutex_);
  return topology_;
}

void RedisClient::publish(std::shared_ptr<const RedisTopology> topology) {
  std::shared_ptr<const RedisTopology> previous;
  {
    std::lock_guard lock(topologyMutex_);
    previous = std::exchange(topology_, topology);
  }
  if (!isCluster()) return;
  auto addresses = [](const RedisTopology& t) {
    std::vector<std::string> out;
    for (const auto& n : t.primaries()) out.push_back(n.address);
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto now = addresses(*topology);
  if (!previous->learnt() || addresses(*previous) != now) {
    std::string list;
    for (const auto& a : now) list.append(list.empty() ? "" : ", ").append(a);
    spdlog::info("redis cluster: {} primaries: {}", now.size(), list);
  }
}

RedisResult RedisClient::call(std::vector<std::string> args, Write write) {
  std::vector<RedisCommand> one;
  one.push_back(RedisCommand{std::move(args), write, {}});
  return std::move(callAll(std::move(one)).front());
}

std::vector<RedisResult> RedisClient::callAll(std::vector<RedisCommand> commands) {
  if (commands.empty()) return {};
  if (async::currentFiber()) return callAllInFiber(commands);
  std::lock_guard lock(ownLoopMutex_);
  std::vector<RedisResult> results;
  async::runInFiberHere(ownLoop_, [&] { results = callAllInFiber(commands); });
  return results;
}

std::vector<RedisResult> RedisClient::callAllInFiber(std::vector<RedisCommand>& commands) {
  auto topo = topology();  // read again only after a round that needs another
  if (!topo->learnt()) {
    refreshInFiber(false);
    topo = topology();
  }
  std::vector<RedisResult> results(commands.size());
  struct Redirection {
    RedisEndpoint endpoint;
    std::string address;
    bool asking;
  };
  std::vector<std::optional<Redirection>> redirections(commands.size());
  std::vector<std::size_t> todo(commands.size());
  std::iota(todo.begin(), todo.end(), std::size_t{0});
  const auto deadline = steady_clock::now() + options_.clusterRetryBudget;
  auto backoff = milliseconds(10);
  for (;;) {
    std::vector<Batch::Attempt> attempts;
    std::vector<std::size_t> again;
    bool relearn = false, pause = false;
    for (const auto i : todo) {
      Batch::Attempt a{i, nullptr, nullptr, false, false};
      const RedisNode* node = nullptr;
      if (!commands[i].node.empty()) {
        node = topo->node(commands[i].node);
      } else if (redirections[i]) {
        a.endpoint = &redirections[i]->endpoint;
        a.address = &redirections[i]->address;
        a.asking = redirections[i]->asking;
        node = topo->node(*a.address);
      } else if (!isCluster()) {
        node = &topo->primaries().front();
      } else {
        const auto key = firstKey(commands[i].args);
        node = key ? topo->nodeFor(keySlot(*key)) : topo->primaries().empty() ? nullptr : &topo->primaries().front();
      }
      if (!a.address) {
        if (!node) {  // no node serves the slot (yet): a cluster in trouble, or a map not learnt
          results[i] = RedisResult{RedisFailure::Unavailable, {}};
          if (isCluster() && commands[i].node.empty()) again.push_back(i), relearn = pause = true;
          continue;
        }
        a.endpoint = &node->endpoint;
        a.address = &node->address;
      }
      // A node whose replicas are not known (a redirection's target not in the map yet, a map not learnt)
      // counts as having one: better a 503 than a write reported done that a failover can undo.
      a.waitForReplica = commands[i].write == Write::Durable && (!node || !topo->learnt() || node->replicas > 0);
      attempts.push_back(std::move(a));
    }
    Batch::run(*this, attempts, commands, results);
    for (const auto& a : attempts) {
      const auto i = a.index;
      auto& r = results[i];
      if (!isCluster() || !commands[i].node.empty()) continue;  // one Redis: what it answered is the answer
      if (r.failure == RedisFailure::Unavailable) {  // not sent: the node is down, perhaps failing over
        redirections[i].reset();
        again.push_back(i);
        relearn = pause = true;
        continue;
      }
      if (r.failure != RedisFailure::None || r.reply.type != RedisReply::Type::Error) continue;
      if (const auto redirect = parseRedirect(r.reply.text)) {
        RedisEndpoint target = seeds_.front();  // the URI's user, password and TLS
        target.host = redirect->host.empty() ? a.endpoint->host : redirect->host;
        target.port = redirect->port;
        target.database = 0;
        const bool ask = redirect->kind == Redirect::Kind::Ask;
        auto address = addressOf(target);
        redirections[i] = Redirection{std::move(target), std::move(address), ask};
        again.push_back(i);
        if (!ask) relearn = true;  // the slot has a new owner for good: the whole map may have changed
        continue;
      }
      bool relearnFor = false;
      if (isRetryableClusterError(r.reply.text, relearnFor)) {
        redirections[i].reset();
        again.push_back(i);
        pause = true;
        relearn = relearn || relearnFor;
      }
    }
    if (again.empty() || steady_clock::now() >= deadline) return results;
    if (relearn) refreshInFiber(false);
    if (pause) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
      sleepInFiber(std::clamp(backoff, milliseconds(1), std::max(left, milliseconds(1))));
      backoff = std::min(backoff * 2, milliseconds(200));
    }
    topo = topology();
    todo = std::move(again);
  }
}

void RedisClient::refreshInFiber(bool force) {
  // At most one refresh at a time, and while a node is down, not more than ten a second.
  const auto now = steady_clock::now().time_since_epoch().count();
  if (!force && now - lastRefreshAttemptNs_.load() < std::chrono::nanoseconds(milliseconds(100)).count()) return;
  if (refreshing_.exchange(true)) return;
  lastRefreshAttemptNs_ = now;
  struct Done {
    std::atomic<bool>& flag;
    ~Done() { flag = false; }
  } done{refreshing_};

  const auto current = topology();
  if (!isCluster()) {
    // The replicas in sync with the primary ("state=online" in INFO replication): a durable write
    // waits for one of them. Not ROLE, which also names a replica still loading its first copy, that
    // would make every durable write wait in vain until it has.
    const auto& node = current->primaries().front();
    const auto r = askEach({node.endpoint}, {"INFO", "replication"}).front();
    if (r.failure != RedisFailure::None) return;  // unreachable: learn later
    std::size_t replicas = 0;  // and none if INFO is refused (an ACL without it)
    if (r.reply.type == RedisReply::Type::String && r.reply.text.find("role:master") != std::string::npos)
      replicas = replicasInSync(r.reply.text);
    publish(RedisTopology::single(node.endpoint, replicas, true));
    return;
  }

  // Ask the primaries known now and the seeds, all at once (after a failover, some of either are gone),
  // and take the first answer in that order.
  std::vector<RedisEndpoint> candidates;
  if (current->learnt())
    for (const auto& n : current->primaries()) candidates.push_back(n.endpoint);
  candidates.insert(candidates.end(), seeds_.begin(), seeds_.end());
  std::vector<std::string> addresses;
  std::vector<RedisEndpoint> distinct;
  for (auto& candidate : candidates) {
    auto address = addressOf(candidate);
    if (std::find(addresses.begin(), addresses.end(), address) != addresses.end()) continue;
    addresses.push_back(std::move(address));
    distinct.push_back(std::move(candidate));
  }
  const auto answers = askEach(distinct, {"CLUSTER", "SLOTS"});
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (!answers[i].ok()) continue;
    const auto ranges = parseClusterSlots(answers[i].reply);
    if (!ranges || ranges->empty()) continue;  // a node that knows no cluster (yet)
    publish(RedisTopology::cluster(*ranges, distinct[i], seeds_.front()));
    return;
  }
}

std::vector<RedisResult> RedisClient::askEach(const std::vector<RedisEndpoint>& nodes,
                                              const std::vector<std::string>& args) {
  std::vector<std::string> addresses;
  for (const auto& n : nodes) addresses.push_back(addressOf(n));
  const std::vector<RedisCommand> questions(nodes.size(), RedisCommand{args, Write::Plain, {}});
  std::vector<Batch::Attempt> attempts;
  for (std::size_t i = 0; i < nodes.size(); ++i) attempts.push_back(Batch::Attempt{i, &nodes[i], &addresses[i], false, false});
  std::vector<RedisResult> answers(nodes.size());
  Batch::run(*this, attempts, questions, answers);
  return answers;
}

void RedisClient::refreshIfOlderThan(milliseconds age) {
  if (const auto known = topology(); known->learnt() && steady_clock::now() - known->learntAt() < age) return;
  if (async::currentFiber()) return refreshInFiber(true);
  std::lock_guard lock(ownLoopMutex_);
  async::runInFiberHere(ownLoop_, [&] { refreshInFiber(true); });
}

RedisResult RedisClient::eval(const RedisScript& script, std::vector<std::string> keysAndArgs, Write write) {
  std::vector<std::vector<std::string>> one;
  one.push_back(std::move(keysAndArgs));
  return std::move(evalAll(script, std::move(one), write).front());
}

std::vector<RedisResult> RedisClient::evalAll(const RedisScript& script,
                                              std::vector<std::vector<std::string>> keysAndArgs, Write write) {
  std::vector<RedisCommand> commands;
  commands.reserve(keysAndArgs.size());
  for (auto& ka : keysAndArgs) {
    RedisCommand c;
    c.write = write;
    c.args.reserve(ka.size() + 2);
    c.args.emplace_back("EVALSHA");
    c.args.push_back(script.sha1);
    std::move(ka.begin(), ka.end(), std::back_inserter(c.args));
    commands.push_back(std::move(c));
  }
  auto results = callAll(commands);
  // Sent in full to the nodes that did not know it (each node of a cluster has a cache of its own).
  std::vector<RedisCommand> again;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!isNoScript(results[i])) continue;
    auto c = commands[i];
    c.args[0] = "EVAL";
    c.args[1] = script.source;
    again.push_back(std::move(c));
    which.push_back(i);
  }
  if (again.empty()) return results;
  auto second = callAll(std::move(again));
  for (std::size_t j = 0; j < which.size(); ++j) results[which[j]] = std::move(second[j]);
  return results;
}

RedisReply replyOrThrow(RedisResult result, std::string_view what) {
  if (!result.ok()) throw StoreUnavailable("redis: " + std::string(what) + ": " + failureOf(result));
  return std::move(result.reply);
}

std::vector<RedisReply> repliesOrThrow(std::vector<RedisResult> results, std::string_view what) {
  std::vector<RedisReply> replies;
  replies.reserve(results.size());
  for (auto& r : results) replies.push_back(replyOrThrow(std::move(r), what));
  return replies;
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
    case RedisFailure::NotReplicated: return "no replica acknowledged the write in time";
    case RedisFailure::None: break;
  }
  return result.reply.type == RedisReply::Type::Error ? "Redis answered: " + result.reply.text : std::string();
}

}  // namespace tokens::store::redis
