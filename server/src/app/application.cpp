#include "app/application.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <pthread.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "api/api_router.h"
#include "app/access_log.h"
#include "async/periodic_task.h"
#include "domain/password_hash.h"
#include "http/http_server.h"
#include "provision/provisioning.h"

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

int runServer(const ServerOptions& options) {
  const sigset_t stopSignals = blockStopSignals();
  configureLogging(options.logLevel);

  provision::Provisioning provisioning;
  try {
    if (!options.provision.empty())
      provisioning = provision::loadProvisioningFile(options.provision);
    else
      spdlog::warn("no --provision file: no organization, user or client exists, so nobody can log in");
  } catch (const provision::ProvisioningError& e) {
    std::fprintf(stderr, "tokens-server: provisioning refused: %s\n", e.what());
    return 2;
  }

  std::unique_ptr<store::TokenStore> store;
  try {
    store = store::openStore(options.store);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tokens-server: cannot open the store: %s\n", e.what());
    return 2;
  }

  const auto& directory = provisioning.directory;
  domain::Clock clock;
  try {
    // The emulator's clock never runs back, not even across a restart (SPEC §8). Without --emulator the
    // real time rules: a production node must never inherit a test's clock.
    const auto offset = std::clamp<std::int64_t>(store->clockOffsetMs(), 0, domain::Clock::kMaxOffsetMs);
    if (offset > 0 && options.emulator) {
      clock.advanceTo(offset);
      spdlog::info("the clock runs {} s ahead, as the emulator left it in the store", offset / 1000);
    } else if (offset > 0) {
      spdlog::warn("the store holds an emulator clock {} s ahead; ignored without --emulator (the real time rules)",
                   offset / 1000);
    }
  } catch (const store::StoreUnavailable& e) {
    spdlog::warn("{} (the clock runs on the system's time until the store answers)", e.what());
  }
  api::Metrics metrics;
  domain::FaultInjector faults;
  service::TokenService tokens(*store, directory, clock);
  api::TokenRateLimiter tokenLimiter(options.rateLimitPerToken, std::chrono::seconds(60));
  api::GrantRateLimiter grantLimiter(options.rateLimitGrantsPerClient, std::chrono::seconds(60));
  service::Credentials credentials(directory, clock);
  for (auto& [clientId, secret] : provisioning.clearSecrets) {
    credentials.rememberSecret(clientId, secret);
    std::fill(secret.begin(), secret.end(), '\0');  // the keyed digest is all that is kept
  }
  provisioning.clearSecrets.clear();

  api::Authenticator authenticator(tokens, tokenLimiter);
  const auto loginStore = store->makeLoginStateStore();
  service::LoginState logins(tokens, clock, *loginStore);
  api::TokensHandlers tokensHandlers(tokens, logins);
  api::TimeoutHandlers timeoutHandlers(tokens);
  api::OAuthHandlers oauthHandlers(tokens, logins, grantLimiter, credentials, metrics);
  api::AuthorizeHandlers authorizeHandlers(tokens, logins, credentials, metrics);
  api::OpsHandlers opsHandlers(*store, metrics);
  api::EmulatorHandlers emulatorHandlers(clock, *store, faults);
  api::ApiRouter router({authenticator, tokensHandlers, timeoutHandlers, oauthHandlers, authorizeHandlers, opsHandlers,
                         options.emulator ? &emulatorHandlers : nullptr, options.emulator ? &faults : nullptr});

  auto accessLogger = makeAccessLogger();
  accessLogger->set_level(spdlog::get_level());
  http::HttpServerOptions httpOptions;
  httpOptions.address = options.address();
  httpOptions.port = options.port();
  httpOptions.threads = options.threads;
  httpOptions.workerThreads = options.workerThreads;
  httpOptions.readTimeout = std::chrono::milliseconds(static_cast<long>(options.readTimeoutSeconds * 1000));
  httpOptions.maxBodyBytes = options.maxBodyBytes;
  httpOptions.maxHeaderBytes = options.maxHeaderBytes;
  httpOptions.shutdownGrace = std::chrono::milliseconds(static_cast<long>(options.shutdownGraceSeconds * 1000));
  httpOptions.maxConnections = options.maxConnections;
  httpOptions.requestFibers = store->needsRequestFibers();
  http::HttpServer server(httpOptions, router, [&](const http::CompletedRequest& r) {
    metrics.recordRequest(api::routeOf(r.route), r.status, r.latency);
    logAccess(*accessLogger, r);
  });
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tokens-server: cannot listen on %s: %s\n", options.listen.c_str(), e.what());
    return 2;
  }

  // Expired tokens are kept a day (so that they answer credentials.expired, not bad.credentials), then purged.
  async::PeriodicTask purge("purging expired tokens", std::chrono::minutes(1),
                            [&] { store->purgeExpired(clock.nowMs() - 24LL * 3600 * 1000); });

  spdlog::info("{} organizations, {} users, {} clients; store {}; {} threads{}", directory.organizationCount(),
               directory.userCount(), directory.clientCount(), store::storeUriForLogs(options.store), options.threads,
               options.emulator ? "; emulator extras on" : "");
  // Printed whatever the log level: scripts and tests wait for this line.
  std::fprintf(stderr, "tokens-server listening on http://%s:%u\n", options.address().c_str(), server.port());
  std::fflush(stderr);

  int signal = 0;
  sigwait(&stopSignals, &signal);
  spdlog::info("{}: finishing requests in flight, then stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  server.wait();
  purge.stop();
  try {
    store->flush();
  } catch (const std::exception& e) {
    spdlog::warn("final flush of activity failed: {} (tokens may idle out up to 1 s early)", e.what());
  }
  accessLogger->flush();
  spdlog::info("stopped");
  return 0;
}

}  // namespace tokens::app
