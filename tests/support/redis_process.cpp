#include "redis_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "free_port.h"
#include "raw_connection.h"
#include "server_process.h"

namespace tokens::testing {

RedisProcess::RedisProcess(std::vector<std::string> extraArgs)
    : extraArgs_(std::move(extraArgs)), dir_(makeTempDir()), port_(freeLoopbackPort()) {}

RedisProcess::~RedisProcess() {
  if (pid_ > 0) kill9();
}

void RedisProcess::start() {
  std::vector<std::string> args{"/usr/bin/redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                "--dir", dir_, "--save", "", "--daemonize", "no", "--logfile", ""};
  args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
  pid_ = spawnProcess(args, dir_ + "/stdout", dir_ + "/stderr");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      RawConnection c(port_);
      c.send("PING\r\n");
      const auto answer = c.readUntil("\r\n", std::chrono::milliseconds(500));
      // +PONG, or -NOAUTH when a password is required: either way it is up.
      if (answer.starts_with("+PONG") || answer.starts_with("-NOAUTH")) return;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not come up on port " + std::to_string(port_) + "; see " + dir_);
}

void RedisProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  if (frozen_) ::kill(pid_, SIGCONT);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  frozen_ = false;
}

void RedisProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisProcess::freeze() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP), frozen_ = true;
}

void RedisProcess::thaw() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
  frozen_ = false;
}

}  // namespace tokens::testing
