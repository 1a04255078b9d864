#include "app/server_options.h"

#include <thread>

#include <CLI/CLI.hpp>

namespace tokens::app {

std::string ServerOptions::address() const {
  const auto colon = listen.rfind(':');
  auto host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

std::uint16_t ServerOptions::port() const {
  return static_cast<std::uint16_t>(std::stoul(listen.substr(listen.rfind(':') + 1)));
}

std::variant<ServerOptions, int> parseServerOptions(int argc, char** argv) {
  ServerOptions o;
  CLI::App app{"tokens-server: the Genesys Cloud Tokens API and its OAuth login service.\n"
               "See README.md and docs/ for the HTTP contract, provisioning and operations."};
  app.set_version_flag("--version", "tokens-server 0.1.0");
  app.set_config("--config", "", "TOML file with the same keys as these flags (flags win)");
  app.add_option("--listen", o.listen, "ADDR:PORT to listen on (port 0: any free port)")
      ->capture_default_str()
      ->check([](const std::string& v) {
        const auto colon = v.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == v.size()) return std::string("must be ADDR:PORT");
        try {
          if (std::stoul(v.substr(colon + 1)) > 65535) return std::string("port out of range");
        } catch (...) {
          return std::string("port must be a number");
        }
        return std::string();
      });
  app.add_option("--threads", o.threads, "Event-loop threads (default: the number of cores)")->check(CLI::Range(0U, 256U));
  app.add_option("--worker-threads", o.workerThreads,
                 "Threads for password checks, off the event loops (default: half the cores, at least 1)")
      ->check(CLI::Range(0U, 256U));
  app.add_option("--provision", o.provision, "Provisioning file (TOML, see docs/provisioning.md)")->check(CLI::ExistingFile);
  app.add_option("--store", o.store, "sqlite:PATH, memory: (nothing kept after exit), or redis://[:PASSWORD@]HOST[:PORT][/DB] (shared by several nodes)")->capture_default_str();
  app.add_flag("--emulator", o.emulator, "Enable /_emulator/clock and /_emulator/faults (local development only)");
  app.add_option("--log-level", o.logLevel, "trace, debug, info (access log on stdout), warn, error, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--rate-limit-per-token", o.rateLimitPerToken, "API requests per 60 s per access token (0: off)")
      ->capture_default_str();
  app.add_option("--rate-limit-grants-per-client", o.rateLimitGrantsPerClient,
                 "Token grants per 60 s per OAuth client (0: off)")
      ->capture_default_str();
  app.add_option("--purge-interval", o.purgeIntervalSeconds,
                 "Seconds between two passes that delete tokens expired for more than a day")
      ->capture_default_str()
      ->check(CLI::Range(1U, 86400U));
  app.add_option("--read-timeout", o.readTimeoutSeconds,
                 "Seconds a request may take to arrive, and an idle connection may stay open")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 3600.0));
  app.add_option("--max-body-bytes", o.maxBodyBytes, "Largest request body accepted (else 413)")->capture_default_str();
  app.add_option("--max-header-bytes", o.maxHeaderBytes, "Largest request header accepted (else 431)")->capture_default_str();
  app.add_option("--shutdown-grace", o.shutdownGraceSeconds,
                 "Seconds a stop waits for requests in flight (SIGINT, SIGTERM)")
      ->capture_default_str();
  app.add_option("--max-connections", o.maxConnections, "Open connections at most (past it: 503 and close)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_flag("--hash-secret", o.hashSecret,
               "Read a secret or password on stdin, print its hash for secret_hash / password_hash, and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (o.threads == 0) o.threads = std::max(1U, std::thread::hardware_concurrency());
  if (o.workerThreads == 0) o.workerThreads = std::max(1U, std::thread::hardware_concurrency() / 2);
  return o;
}

http::HttpServerOptions httpOptionsOf(const ServerOptions& options) {
  const auto milliseconds = [](double seconds) { return std::chrono::milliseconds(static_cast<long>(seconds * 1000)); };
  http::HttpServerOptions http;
  http.address = options.address();
  http.port = options.port();
  http.threads = options.threads;
  http.workerThreads = options.workerThreads;
  http.readTimeout = milliseconds(options.readTimeoutSeconds);
  http.maxBodyBytes = options.maxBodyBytes;
  http.maxHeaderBytes = options.maxHeaderBytes;
  http.shutdownGrace = milliseconds(options.shutdownGraceSeconds);
  http.maxConnections = options.maxConnections;
  return http;
}

}  // namespace tokens::app
