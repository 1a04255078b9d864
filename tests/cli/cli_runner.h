#pragma once
// Runs the real gctokens binary as a child process, as a user's shell would: arguments, environment,
// standard input in; exit code, stdout and stderr out. Bounded: a run that hangs is killed.

#include <chrono>
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

}  // namespace tokens::testing
