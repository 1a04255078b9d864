#pragma once
// Failures that the CLI itself detects (not the API): they end the command with an exit code and a
// JSON {"message": ...} on stderr. Thrown from deep inside a command so that each command reads as its
// happy path; main() is the one place that turns them into output.

#include <stdexcept>
#include <string>

#include "exit_codes.h"

namespace gctokens {

class CliError : public std::runtime_error {
 public:
  CliError(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode exitCode() const { return code_; }

 private:
  ExitCode code_;
};

/// A usage error: bad flags, missing credentials, an unreadable or invalid file (exit code 2).
inline CliError usageError(const std::string& message) { return CliError(kExitUsageError, message); }

}  // namespace gctokens
