#pragma once
// The flags of SPEC §9, also readable from a TOML file given with --config (same keys, flags win).

#include <cstdint>
#include <string>
#include <variant>

namespace tokens::app {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";
  unsigned threads = 0;  ///< 0: the number of cores
  unsigned workerThreads = 0;  ///< for password checks off the event loops; 0: half the cores, at least 1
  std::string provision;
  std::string store = "sqlite:./data/tokens.db";
  bool emulator = false;
  std::string logLevel = "info";
  std::uint32_t rateLimitPerToken = 300;
  std::uint32_t rateLimitGrantsPerClient = 300;
  double readTimeoutSeconds = 15;
  std::size_t maxBodyBytes = 64 * 1024;
  std::size_t maxHeaderBytes = 8 * 1024;
  double shutdownGraceSeconds = 10;
  std::size_t maxConnections = 10000;
  bool hashSecret = false;

  std::string address() const;
  std::uint16_t port() const;
};

/// The options, or the exit code to end with now (after --help, --version or a usage error, which it
/// has already printed).
std::variant<ServerOptions, int> parseServerOptions(int argc, char** argv);

}  // namespace tokens::app
