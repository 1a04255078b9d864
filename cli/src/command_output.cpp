// The two ways a command reports success on stdout (see commands.h).

#include <iostream>

#include "commands.h"
#include "output.h"

namespace gctokens {

void printResult(const GlobalOptions& options, const std::string& json) {
  std::cout << renderJsonText(json, parseOutputFormat(options.output)) << std::flush;
}

void printConfirmation(const GlobalOptions& options, const std::string& text) {
  if (parseOutputFormat(options.output) == OutputFormat::Table) std::cout << text << std::endl;
}

}  // namespace gctokens
