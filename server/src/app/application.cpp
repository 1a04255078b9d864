#include "app/application.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <pthread.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/access_log.h"
#include "app/server_parts.h"
#include "async/periodic_task.h"
#include "domain/password_hash.h"
#include "http/http_server.h"

namespace tokens::app {
namespace {

// Blocks SIGINT/SIGTERM in this thread and every thread started after, so that only sigwait() sees them.
sigset_t blockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return set;
}

void configureLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("tokens-server");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int printSecretHash() {
  std::string secret;
  // The first line, without its line ending: LF, or CR LF from a file edited on Windows (a CR kept would
  // become part of the secret, and the hash would never match).
  if (std::getline(std::cin, secret) && secret.ends_with('\r')) secret.pop_back();
  if (secret.empty()) {
    std::cerr << "tokens-server --hash-secret: give the secret on stdin\n";
    return 2;
  }
  std::cout << domain::hashSecret(secret) << '\n';
  return 0;
}

namespace {

std::optional<provision::Provisioning> loadProvisioning(const ServerOptions& options) {
  if (options.provision.empty()) {
    spdlog::warn("no --provision file: no organization, user or client exists, so nobody can log in");
    return provision::Provisioning{};
  }
  try {
    return provision::loadProvisioningFile(options.provision);
  } catch (const provision::ProvisioningError& e) {
    std::fprintf(stderr, "tokens-server: provisioning refused: %s\n", e.what());
    return std::nullopt;
  }
}

std::unique_ptr<store::TokenStore> openTokenStore(const ServerOptions& options) {
  try {
    return store::openStore(options.store);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tokens-server: cannot open the store: %s\n", e.what());
    return nullptr;
  }
}

// The emulator's clock never runs back, not even across a restart (SPEC §8). Without --emulator the real
// time rules: a production node must never inherit a test's clock.
void resumeEmulatorClock(domain::Clock& clock, store::TokenStore& store, bool emulator) {
  try {
    const auto offset = std::clamp<std::int64_t>(store.clockOffsetMs(), 0, domain::Clock::kMaxOffsetMs);
    if (offset > 0 && emulator) {
      clock.advanceTo(offset);
      spdlog::info("the clock runs {} s ahead, as the emulator left it in the store", offset / 1000);
    } else if (offset > 0) {
      spdlog::warn("the store holds an emulator clock {} s ahead; ignored without --emulator (the real time rules)",
                   offset / 1000);
    }
  } catch (const store::StoreUnavailable& e) {
    spdlog::warn("{} (the clock runs on the system's time until the store answers)", e.what());
  }
}

bool listen(http::HttpServer& server, const ServerOptions& options) {
  try {
    server.start();
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tokens-server: cannot listen on %s: %s\n", options.listen.c_str(), e.what());
    return false;
  }
}

void announce(const ServerOptions& options, const domain::Directory& directory, std::uint16_t port) {
  spdlog::info("{} organizations, {} users, {} clients; store {}; {} threads{}", directory.organizationCount(),
               directory.userCount(), directory.clientCount(), store::storeUriForLogs(options.store), options.threads,
               options.emulator ? "; emulator extras on" : "");
  // Printed whatever the log level: scripts and tests wait for this line.
  std::fprintf(stderr, "tokens-server listening on http://%s:%u\n", options.address().c_str(), port);
  std::fflush(stderr);
}

void awaitStopSignal(const sigset_t& stopSignals) {
  int signal = 0;
  sigwait(&stopSignals, &signal);
  spdlog::info("{}: finishing requests in flight, then stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
}

// The activity still in memory (write-behind), written once the last request has been answered.
void flushActivity(store::TokenStore& store) {
  try {
    store.flush();
  } catch (const std::exception& e) {
    spdlog::warn("final flush of activity failed: {} (tokens may idle out up to 1 s early)", e.what());
  }
}

}  // namespace

int runServer(const ServerOptions& options) {
  const sigset_t stopSignals = blockStopSignals();
  configureLogging(options.logLevel);
  auto provisioning = loadProvisioning(options);
  if (!provisioning) return 2;
  const auto store = openTokenStore(options);
  if (!store) return 2;
  domain::Clock clock;
  resumeEmulatorClock(clock, *store, options.emulator);
  ServerParts parts(options, *store, *provisioning, clock);
  const auto accessLogger = makeAccessLogger();
  accessLogger->set_level(spdlog::get_level());
  http::HttpServer server(httpOptionsOf(options), parts.router, [&](const http::CompletedRequest& r) {
    parts.metrics.recordRequest(api::routeOf(r.route), r.status, r.latency);
    logAccess(*accessLogger, r);
  });

  // Start: the listeners, then the maintenance. Stop: the reverse, then the activity still in memory.
  if (!listen(server, options)) return 2;
  // Expired tokens are kept a day (so that they answer credentials.expired, not bad.credentials), then purged.
  async::PeriodicTask purge("purging expired tokens", std::chrono::seconds(options.purgeIntervalSeconds),
                            [&] { store->purgeExpired(clock.nowMs() - 24LL * 3600 * 1000); });
  announce(options, provisioning->directory, server.port());

  awaitStopSignal(stopSignals);
  server.stop();
  server.wait();
  purge.stop();
  flushActivity(*store);
  accessLogger->flush();
  spdlog::info("stopped");
  return 0;
}

}  // namespace tokens::app
