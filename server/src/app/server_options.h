#pragma once
// The flags of SPEC §9, also readable from a TOML file given with --config (same keys, flags win).

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "http/http_server.h"

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
  std::uint32_t purgeIntervalSeconds = 60;  ///< how often expired tokens are looked for
  // The connection layer's own defaults, said once (http/http_server.h).
  double readTimeoutSeconds = std::chrono::duration<double>(http::HttpServerOptions{}.readTimeout).count();
  std::size_t maxBodyBytes = http::HttpServerOptions{}.maxBodyBytes;
  std::size_t maxHeaderBytes = http::HttpServerOptions{}.maxHeaderBytes;
  double shutdownGraceSeconds = std::chrono::duration<double>(http::HttpServerOptions{}.shutdownGrace).count();
  std::size_t maxConnections = http::HttpServerOptions{}.maxConnections;
  bool hashSecret = false;

  std::string address() const;
  std::uint16_t port() const;
};

/// The options, or the exit code to end with now (after --help, --version or a usage error, which it
/// has already printed).
std::variant<ServerOptions, int> parseServerOptions(int argc, char** argv);

/// What the connection layer takes of the options.
http::HttpServerOptions httpOptionsOf(const ServerOptions& options);

}  // namespace tokens::app
