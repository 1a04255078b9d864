#pragma once
// Starts the real tokens-server binary on an ephemeral loopback port, for integration tests.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tokens::testing {

struct ServerConfig {
  std::string store = "memory:";  ///< "sqlite:<path>" for durability tests
  std::string provision;          ///< default: the shipped demo file
  bool emulator = true;
  unsigned threads = 2;
  std::string logLevel = "info";  ///< info includes the access log (on stdout)
  std::vector<std::string> extraArgs;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerConfig config = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// Starts and waits (bounded) for the "listening on" line; throws if the server does not come up.
  void start();
  /// SIGTERM and wait for the exit; returns the exit status (or -signal).
  int stop();
  /// SIGKILL: a crash, with no chance to flush anything.
  void kill9();
  bool running() const { return pid_ > 0; }
  /// Whether the process is still alive (it did not exit or crash by itself).
  bool alive();
  pid_t pid() const { return pid_; }

  std::uint16_t port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string stdoutText() const;
  std::string stderrText() const;
  const std::string& workDir() const { return dir_; }

  /// Runs the server binary with these arguments to completion and returns {exit code, stderr}.
  static std::pair<int, std::string> runToCompletion(const std::vector<std::string>& args, const std::string& stdinText = "");

 private:
  int waitForExit();
  ServerConfig config_;
  std::string dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int starts_ = 0;
};

/// A fresh temporary directory, removed by the caller if it wishes.
std::string makeTempDir();
std::string demoProvisioningPath();
std::string serverBinaryPath();
std::string readFile(const std::string& path);
/// Starts `args` (args[0] a path) with stdin from `in` and stdout/stderr appended to `out`/`err`.
pid_t spawnProcess(const std::vector<std::string>& args, const std::string& out, const std::string& err,
                   const std::string& in = "/dev/null");

}  // namespace tokens::testing
