// tokens-server: see README.md, and `tokens-server --help`.

#include "app/application.h"

int main(int argc, char** argv) {
  auto parsed = tokens::app::parseServerOptions(argc, argv);
  if (const int* exitCode = std::get_if<int>(&parsed)) return *exitCode;
  const auto& options = std::get<tokens::app::ServerOptions>(parsed);
  if (options.hashSecret) return tokens::app::printSecretHash();
  return tokens::app::runServer(options);
}
