#include "redis_cluster_process.h"

#include <sys/wait.h>

#include <sstream>
#include <stdexcept>
#include <thread>

#include "free_port.h"
#include "server_process.h"

namespace tokens::testing {

RedisClusterProcess::RedisClusterProcess(Options options) : options_(std::move(options)) {
  const auto count = options_.primaries * (1 + options_.replicasEach);
  for (std::size_t i = 0; i < count; ++i) {
    // The cluster bus port is given: by default it is the port + 10,000, which an ephemeral port above
    // 55535 does not have.
    std::vector<std::string> args{"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                                  "--cluster-node-timeout", std::to_string(options_.nodeTimeoutMs),
                                  "--cluster-port", std::to_string(freeLoopbackPort()),
                                  "--appendonly", "yes", "--appendfsync", "always",
                                  // A replica syncs at once, rather than after Redis 7's 5 s default delay.
                                  "--repl-diskless-sync-delay", "0",
                                  // CLUSTER SLOTS lists a replica once its offset is not 0: on a cluster
                                  // with no writes yet, once its primary's first PING (10 s by default).
                                  "--repl-ping-replica-period", "1"};
    args.insert(args.end(), options_.extraArgs.begin(), options_.extraArgs.end());
    nodes_.push_back(std::make_unique<RedisProcess>(std::move(args)));
  }
}

RedisClusterProcess::~RedisClusterProcess() {
  for (auto& n : nodes_) n->thaw();  // a frozen process does not die of SIGKILL until it runs again
}

void RedisClusterProcess::start() {
  for (auto& n : nodes_) n->start();
  std::vector<std::string> create{"--cluster", "create"};
  for (auto& n : nodes_) create.push_back("127.0.0.1:" + std::to_string(n->port()));
  create.insert(create.end(), {"--cluster-replicas", std::to_string(options_.replicasEach), "--cluster-yes"});
  const auto out = cli(0, create);
  if (out.find("[OK] All 16384 slots covered") == std::string::npos)
    throw std::runtime_error("redis-cli --cluster create failed:\n" + out);
  if (!waitUntilOk(std::chrono::seconds(20))) throw std::runtime_error("the cluster did not become ok");
  // Every replica attached to its primary and in sync ("online"), so that durable writes have a replica
  // to wait for (CLUSTER SLOTS names a replica only from then on).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    bool synced = true;
    for (const auto p : primaries()) {
      const auto info = cli(p, {"INFO", "replication"});
      std::size_t online = 0;
      for (auto at = info.find("state=online"); at != std::string::npos; at = info.find("state=online", at + 1)) ++online;
      if (online < options_.replicasEach) synced = false;
    }
    // And known as such to every node: CLUSTER SLOTS lists a replica once gossip has brought its offset.
    const auto expected = options_.primaries * (1 + options_.replicasEach);
    for (std::size_t i = 0; i < nodes_.size() && synced; ++i) {
      const auto slots = cli(i, {"CLUSTER", "SLOTS"});
      std::size_t listed = 0;
      for (auto at = slots.find("127.0.0.1\n"); at != std::string::npos; at = slots.find("127.0.0.1\n", at + 1)) ++listed;
      if (listed < expected) synced = false;
    }
    if (synced) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("the replicas did not attach");
}

std::string RedisClusterProcess::uri() const {
  return "redis-cluster://127.0.0.1:" + std::to_string(nodes_.at(0)->port()) + ",127.0.0.1:" +
         std::to_string(nodes_.at(1)->port());
}

std::string RedisClusterProcess::cli(std::size_t i, const std::vector<std::string>& args, bool followRedirects) const {
  const auto dir = makeTempDir();
  std::vector<std::string> argv{"/usr/bin/redis-cli", "-h", "127.0.0.1", "-p", std::to_string(nodes_.at(i)->port())};
  if (followRedirects) argv.push_back("-c");
  argv.insert(argv.end(), args.begin(), args.end());
  const auto pid = spawnProcess(argv, dir + "/out", dir + "/err");
  int status = 0;
  ::waitpid(pid, &status, 0);
  return readFile(dir + "/out") + readFile(dir + "/err");
}

std::vector<std::size_t> RedisClusterProcess::nodesWithRole(std::string_view role) const {
  for (std::size_t asked = 0; asked < nodes_.size(); ++asked) {
    if (!nodes_[asked]->running()) continue;
    const auto text = cli(asked, {"CLUSTER", "NODES"});
    std::vector<std::size_t> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      // <id> <ip:port@bus> <flags> ...: flags like "myself,master" or "slave" or "master,fail"
      std::istringstream fields(line);
      std::string id, address, flags;
      if (!(fields >> id >> address >> flags)) continue;
      if (flags.find("fail") != std::string::npos && flags.find("fail?") == std::string::npos) continue;
      if (flags.find(role) == std::string::npos) continue;
      const auto colon = address.find(':');
      const auto at = address.find('@');
      if (colon == std::string::npos || at == std::string::npos) continue;
      const auto port = static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1, at - colon - 1)));
      out.push_back(indexOfPort(port));
    }
    if (!out.empty()) return out;
  }
  return {};
}

std::vector<std::size_t> RedisClusterProcess::primaries() const { return nodesWithRole("master"); }
std::vector<std::size_t> RedisClusterProcess::replicas() const { return nodesWithRole("slave"); }

bool RedisClusterProcess::waitUntilOk(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    bool ok = true;
    for (std::size_t i = 0; i < nodes_.size() && ok; ++i)
      if (nodes_[i]->running() && cli(i, {"CLUSTER", "INFO"}).find("cluster_state:ok") == std::string::npos) ok = false;
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string RedisClusterProcess::nodeId(std::size_t i) const {
  auto id = cli(i, {"CLUSTER", "MYID"});
  return id.substr(0, id.find_first_of("\r\n"));
}

std::string RedisClusterProcess::reshard(std::size_t from, std::size_t to, int slots) const {
  return cli(from, {"--cluster", "reshard", "127.0.0.1:" + std::to_string(nodes_.at(from)->port()), "--cluster-from",
                    nodeId(from), "--cluster-to", nodeId(to), "--cluster-slots", std::to_string(slots), "--cluster-yes"});
}

std::size_t RedisClusterProcess::indexOfPort(std::uint16_t port) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i]->port() == port) return i;
  throw std::runtime_error("no node on port " + std::to_string(port));
}

}  // namespace tokens::testing
