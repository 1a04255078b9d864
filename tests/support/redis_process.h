#pragma once
// A redis-server of a test's own: on a loopback port it picks, in a temporary directory, stopped at the
// end. Debian's redis-server (scripts/install-deps.sh installs it).

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tokens::testing {

class RedisProcess {
 public:
  /// `extraArgs`: more redis-server options, e.g. {"--requirepass", "pw"} or {"--appendfsync", "always"}.
  explicit RedisProcess(std::vector<std::string> extraArgs = {});
  ~RedisProcess();
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  /// Starts (again, on the same port and directory) and waits, bounded, until it answers PING.
  void start();
  /// SIGKILL: Redis gone at once, as in a crash.
  void kill9();
  /// SIGTERM and wait.
  void stop();
  /// SIGSTOP and SIGCONT: a node frozen for a moment (a long GC pause, a VM stolen away), then back.
  void freeze();
  void thaw();
  /// Started, and not frozen.
  bool running() const { return pid_ > 0 && !frozen_; }

  std::uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }
  std::string uri(int database = 0) const { return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(database); }

 private:
  std::vector<std::string> extraArgs_;
  std::string dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool frozen_ = false;
};

}  // namespace tokens::testing
