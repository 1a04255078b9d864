#pragma once
// The command tree: each add*Commands function declares its subcommands and flags on the CLI11 app and
// registers what each runnable (leaf) command does. main() parses, then runs the one selected.

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>

#include "settings.h"

namespace gctokens {

/// What a leaf command does once the command line is parsed; returns the exit code. Failures are thrown
/// (CliError, ApiException) and turned into output and exit codes in one place, main().
using CommandAction = std::function<int()>;

class CommandRegistry {
 public:
  void add(const CLI::App* command, CommandAction action) { actions_[command] = std::move(action); }
  const CommandAction* find(const CLI::App* command) const {
    const auto it = actions_.find(command);
    return it == actions_.end() ? nullptr : &it->second;
  }

 private:
  std::map<const CLI::App*, CommandAction> actions_;
};

void addTokensCommands(CLI::App& root, GlobalOptions& options, CommandRegistry& registry);
void addLoginCommand(CLI::App& root, GlobalOptions& options, CommandRegistry& registry);
void addProfilesCommands(CLI::App& root, GlobalOptions& options, CommandRegistry& registry);

/// Prints a result (JSON text of a model or of the CLI's own) to stdout in the --output format.
void printResult(const GlobalOptions& options, const std::string& json);
/// For commands without a body (delete, verify): silence, as Unix tools do, except in table mode, which
/// is meant for people and gets a short line.
void printConfirmation(const GlobalOptions& options, const std::string& text);

}  // namespace gctokens
