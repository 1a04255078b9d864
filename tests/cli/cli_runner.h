#pragma once
// Runs the real gctokens binary as a child process, as a user's shell would: arguments, environment,
// standard input in; exit code, stdout and stderr out. Bounded: a run that hangs is killed.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tokens::testing {

struct CliResult {
  int exitCode = -1;  ///< -1: killed (timed out) or died from a signal
  std::string out;
  std::string err;
};

struct CliEnvironment {
  std::string home;  ///< HOME (and, unless overridden, GCTOKENS_CONFIG = HOME/.gctokens/config.toml)
  /// Variables to set (a value) or remove (nullopt). GENESYSCLOUD_* and GCTOKENS_* of the test's own
  /// environment are always removed first, so that a developer's shell cannot change a result.
  std::map<std::string, std::optional<std::string>> vars;
};

std::string gctokensBinaryPath();

CliResult runCli(const std::vector<std::string>& args, const CliEnvironment& env, const std::string& stdinText = "",
                 std::chrono::seconds limit = std::chrono::seconds(60));

/// gctokens started in the background, for a command that waits on the test (a browser sign-in): its
/// stderr can be read while it runs. Killed when destroyed unfinished.
class CliProcess {
 public:
  CliProcess(const std::vector<std::string>& args, const CliEnvironment& env, const std::string& stdinText = "");
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  /// Waits until stderr has a whole line starting with `prefix` and returns it; "" when the process
  /// ends or `limit` passes first.
  std::string waitForStderrLine(const std::string& prefix, std::chrono::seconds limit);
  /// Waits for the process to end (killing it after `limit`) and returns all it wrote.
  CliResult finish(std::chrono::seconds limit = std::chrono::seconds(60));

 private:
  /// Reads what stdout and stderr have until both are closed, `done` is true, or `deadline` passes.
  /// Returns false at the deadline.
  bool pump(std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done);

  int pid_ = -1;
  int fds_[2] = {-1, -1};  // stdout, stderr
  CliResult result_;
};

}  // namespace tokens::testing
