// The black-box fuzzer: mutations of valid requests on every route, sent over real sockets to a live
// tokens-server, for a bounded time. Afterwards the server must be alive, /healthz 200, no answer may
// have been a 5xx, no connection may have hung, the access log must be valid JSON line by line, and
// the server's memory must be back near where it was after the warm-up. scripts/fuzz.sh runs it.
//
//   blackbox_fuzz --seconds N [--connections C] [--seed S] [--artifacts DIR] [--log-level info|warn]
//
// Each request goes on a connection of its own (sometimes two or three pipelined), which the fuzzer
// half-closes after sending, so that a request cut short ends at once instead of waiting for the
// server's read timeout. Tokens, refresh tokens and the login page's CSRF pair are renewed every two
// seconds, because mutated requests revoke them.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>

#include "http_client.h"
#include "mutator.h"
#include "server_process.h"

namespace tokens::fuzz {
namespace {

using Clock = std::chrono::steady_clock;
using testing::HttpClient;
using testing::formEncode;

struct Options {
  int seconds = 30;
  int connections = 8;
  std::uint64_t seed = 0;
  std::string artifacts = "blackbox-artifacts";
  std::string logLevel = "info";
};

// What valid requests need, renewed while the fuzzer runs.
struct Identities {
  std::mutex mutex;
  std::string admin, mercyAdmin, reporting, paulAccess, paulRefresh, csrfCookie, csrfToken;
};

std::string jsonField(const std::string& body, const char* name) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const auto* f = v.as_object().if_contains(name);
  return f && f->is_string() ? std::string(f->as_string()) : "";
}

void renew(HttpClient& http, Identities& ids) {
  const auto grant = [&](const std::string& id, const std::string& secret) {
    return jsonField(http.postForm("/oauth/token", "grant_type=client_credentials", id, secret).body, "access_token");
  };
  auto admin = grant("acme-admin-service", "acme-admin-secret");
  auto mercy = grant("mercy-admin-service", "mercy-admin-secret");
  auto reporting = grant("acme-reporting", "acme-reporting-secret");
  const auto paul = http.postForm("/oauth/token", "grant_type=password&username=paul%40acme.example&password=paul-password",
                                  "acme-desktop", "acme-desktop-secret");
  const auto page = http.request("GET", "/oauth/authorize?client_id=acme-web&redirect_uri=" +
                                            formEncode("http://127.0.0.1:8765/callback") + "&response_type=code&state=st");
  std::string cookie = page.header("set-cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::string token;
  if (const auto at = page.body.find("name=\"csrf_token\" value=\""); at != std::string::npos) {
    const auto from = at + 25;
    token = page.body.substr(from, page.body.find('"', from) - from);
  }
  std::lock_guard lock(ids.mutex);
  if (!admin.empty()) ids.admin = std::move(admin);
  if (!mercy.empty()) ids.mercyAdmin = std::move(mercy);
  if (!reporting.empty()) ids.reporting = std::move(reporting);
  if (const auto access = jsonField(paul.body, "access_token"); !access.empty()) {
    ids.paulAccess = access;
    ids.paulRefresh = jsonField(paul.body, "refresh_token");
  }
  if (!cookie.empty()) ids.csrfCookie = cookie;
  if (!token.empty()) ids.csrfToken = token;
}

std::string request(const std::string& head, const std::string& body = "", const std::string& type = "") {
  std::string r = head + "\r\nHost: 127.0.0.1\r\nUser-Agent: blackbox-fuzz\r\n";
  if (!type.empty()) r += "Content-Type: " + type + "\r\n";
  if (!body.empty()) r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

std::string basic(const std::string& id, const std::string& secret) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string raw = id + ":" + secret;
  std::string out;
  for (std::size_t i = 0; i < raw.size(); i += 3) {
    const unsigned n = std::min<std::size_t>(3, raw.size() - i);
    unsigned v = 0;
    for (unsigned k = 0; k < 3; ++k) v = (v << 8) | (k < n ? static_cast<unsigned char>(raw[i + k]) : 0U);
    for (unsigned k = 0; k < 4; ++k) out += k <= n ? kB64[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return "Authorization: Basic " + out;
}

// One valid request of each route and its variants.
using Template = std::function<std::string(const Identities&)>;
std::vector<Template> templates();

// The two requests that cost an Argon2id check when they get through intact (a right password) are
// drawn an eighth as often as the others: the hashing would otherwise take most of the CPU, and the
// parsing in front of it is the same for every password.
std::size_t pickTemplate(Mutator& mutator, std::size_t count) {
  constexpr std::size_t kPasswordGrant = 7, kLoginForm = 11;
  for (;;) {
    const auto i = mutator.below(count);
    if ((i != kPasswordGrant && i != kLoginForm) || mutator.below(8) == 0) return i;
  }
}

std::vector<Template> templates() {
  const std::string form = "application/x-www-form-urlencoded";
  const std::string callback = formEncode("http://127.0.0.1:8765/callback");
  return {
      [](const Identities& i) { return request("HEAD /api/v2/tokens/me HTTP/1.1\r\nAuthorization: Bearer " + i.admin); },
      [](const Identities& i) {
        return request("GET /api/v2/tokens/me?preserveIdleTTL=true HTTP/1.1\r\nAuthorization: Bearer " + i.paulAccess);
      },
      [](const Identities& i) { return request("DELETE /api/v2/tokens/me HTTP/1.1\r\nAuthorization: Bearer " + i.reporting); },
      [](const Identities& i) { return request("DELETE /api/v2/tokens/acme-clone HTTP/1.1\r\nAuthorization: Bearer " + i.admin); },
      [](const Identities& i) { return request("GET /api/v2/tokens/timeout HTTP/1.1\r\nAuthorization: Bearer " + i.mercyAdmin); },
      [](const Identities& i) {
        return request("PUT /api/v2/tokens/timeout HTTP/1.1\r\nAuthorization: Bearer " + i.admin,
                       R"({"idleTokenTimeoutSeconds":28800,"enableIdleTokenTimeout":false,"inactivityTimeoutUnit":"Hours",)"
                       R"("inactivityTimeoutGroupsEnabled":true,"inactivityTimeoutGroupBundles":[{"priority":1,)"
                       R"("timeoutSeconds":28800,"groups":["acme-support"]}]})",
                       "application/json");
      },
      [form](const Identities&) {
        return request("POST /oauth/token HTTP/1.1\r\n" + basic("acme-admin-service", "acme-admin-secret"),
                       "grant_type=client_credentials", form);
      },
      [form](const Identities&) {
        return request("POST /oauth/token HTTP/1.1\r\n" + basic("acme-kiosk", "acme-kiosk-secret"),
                       "grant_type=password&username=paul%40acme.example&password=paul-password", form);
      },
      [form](const Identities& i) {
        return request("POST /oauth/token HTTP/1.1\r\n" + basic("acme-desktop", "acme-desktop-secret"),
                       "grant_type=refresh_token&refresh_token=" + i.paulRefresh, form);
      },
      [form](const Identities&) {
        return request("POST /oauth/token HTTP/1.1",
                       "grant_type=authorization_code&code=abc&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
                       "&client_id=acme-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback",
                       form);
      },
      [callback](const Identities&) {
        return request("GET /oauth/authorize?client_id=acme-web&redirect_uri=" + callback + "&response_type=code&state=s1 HTTP/1.1");
      },
      [callback, form](const Identities& i) {
        return request("POST /oauth/authorize HTTP/1.1\r\nOrigin: http://127.0.0.1\r\nCookie: " + i.csrfCookie,
                       "client_id=acme-web&redirect_uri=" + callback + "&response_type=code&state=s2&csrf_token=" +
                           i.csrfToken + "&email=ada%40acme.example&password=ada-password",
                       form);
      },
      [callback](const Identities&) {
        return request("GET /logout?client_id=acme-web&redirect_uri=" + callback + " HTTP/1.1\r\nCookie: tokens_session=x");
      },
      [](const Identities&) { return request("GET /healthz HTTP/1.1"); },
      [](const Identities&) { return request("GET /readyz HTTP/1.1"); },
      [](const Identities&) { return request("GET /metrics HTTP/1.1"); },
      [](const Identities& i) {
        return request("OPTIONS http://127.0.0.1/api/v2/tokens/me HTTP/1.1\r\nAuthorization: Bearer " + i.admin);
      },
  };
}

// Sends `bytes` on a new connection, half-closes it, and reads until the server closes. nullopt: no
// close within `patience` (a hang).
std::optional<std::string> exchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds patience) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::string();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return answer;  // refused: counted with the answers that said nothing
  }
  for (std::size_t sent = 0; sent < bytes.size();) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server answered and closed early (413, 431, 400): read what it said
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  const auto deadline = Clock::now() + patience;
  char buffer[16384];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      ::close(fd);
      return std::nullopt;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

// The statuses of the responses in `answer` (status lines at the start or right after a CR LF).
std::vector<int> statuses(const std::string& answer) {
  std::vector<int> out;
  for (std::size_t at = answer.find("HTTP/1.1 "); at != std::string::npos; at = answer.find("HTTP/1.1 ", at + 9)) {
    if (at != 0 && (at < 2 || answer.compare(at - 2, 2, "\r\n") != 0)) continue;
    if (at + 12 <= answer.size()) out.push_back(std::atoi(answer.substr(at + 9, 3).c_str()));
  }
  return out;
}

long rssKilobytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

struct Tally {
  std::mutex mutex;
  std::map<int, long> byStatus;
  long requests = 0, silent = 0, hangs = 0, serverErrors = 0;
  int savedFindings = 0;
};

void saveFinding(const Options& options, Tally& tally, const std::string& kind, const std::string& sent,
                 const std::string& answer) {
  std::lock_guard lock(tally.mutex);
  if (tally.savedFindings >= 50) return;
  const auto base = options.artifacts + "/" + kind + "-" + std::to_string(++tally.savedFindings);
  std::ofstream(base + ".request", std::ios::binary) << sent;
  std::ofstream(base + ".answer", std::ios::binary) << answer.substr(0, 4096);
}

// Every access log line is JSON, in ASCII (SPEC §12 logs are read by machines).
long badLogLines(const std::string& path, long& lines) {
  std::ifstream in(path, std::ios::binary);
  long bad = 0;
  for (std::string line; std::getline(in, line);) {
    ++lines;
    boost::system::error_code ec;
    (void)boost::json::parse(line, ec);
    bool ascii = true;
    for (const unsigned char c : line) ascii = ascii && c < 0x80;
    if (ec || !ascii) {
      if (bad < 5) std::fprintf(stderr, "blackbox: access log line not valid JSON: %.200s\n", line.c_str());
      ++bad;
    }
  }
  return bad;
}

int run(const Options& options) {
  std::filesystem::create_directories(options.artifacts);
  // No emulator: its faults answer 5xx by design. The per-token limit off so that mutations reach the
  // handlers; the grant limit (300 a minute a client) stays, which bounds the tokens stored.
  testing::ServerProcess server({.emulator = false, .logLevel = options.logLevel,
                                 .extraArgs = {"--rate-limit-per-token", "0", "--read-timeout", "2"}});
  server.start();
  HttpClient http(server.baseUrl());
  Identities ids;
  renew(http, ids);

  std::atomic<bool> stop{false};
  std::thread renewer([&] {
    HttpClient own(server.baseUrl());
    while (!stop.load()) {
      for (int i = 0; i < 20 && !stop.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      try {
        renew(own, ids);
      } catch (const std::exception&) {
        // The server is judged at the end; a failed renewal only makes the next requests less deep.
      }
    }
  });

  const auto all = templates();
  Tally tally;
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::seconds(options.seconds);
  const auto warmUp = started + std::chrono::seconds(std::min(5, std::max(1, options.seconds / 10)));
  long baselineRss = -1;
  std::mutex baselineMutex;
  std::vector<std::thread> workers;
  for (int w = 0; w < options.connections; ++w) {
    workers.emplace_back([&, w] {
      Mutator mutator(options.seed * 1000003 + static_cast<std::uint64_t>(w) + 1);
      long sinceTally = 0;
      std::map<int, long> mine;
      long requests = 0, silent = 0, hangs = 0, errors = 0;
      while (Clock::now() < deadline) {
        if (w == 0 && baselineRss < 0 && Clock::now() >= warmUp) {
          std::lock_guard lock(baselineMutex);
          baselineRss = rssKilobytes(server.pid());
        }
        std::string sent;
        {
          std::lock_guard lock(ids.mutex);
          const auto pipelined = mutator.below(8) == 0 ? 2 + mutator.below(2) : 1;
          for (std::size_t i = 0; i < pipelined; ++i) sent += mutator.mutate(all[pickTemplate(mutator, all.size())](ids));
        }
        const auto answer = exchange(server.port(), sent, std::chrono::seconds(10));
        ++requests;
        if (!answer) {
          ++hangs;
          saveFinding(options, tally, "hang", sent, "");
          continue;
        }
        const auto found = statuses(*answer);
        if (found.empty()) ++silent;
        for (const int status : found) {
          ++mine[status];
          if (status >= 500) {
            ++errors;
            saveFinding(options, tally, "status" + std::to_string(status), sent, *answer);
          }
        }
        if (++sinceTally == 1000 || Clock::now() >= deadline) {
          std::lock_guard lock(tally.mutex);
          for (const auto& [s, n] : mine) tally.byStatus[s] += n;
          tally.requests += requests;
          tally.silent += silent;
          tally.hangs += hangs;
          tally.serverErrors += errors;
          mine.clear();
          requests = silent = hangs = errors = sinceTally = 0;
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  stop.store(true);
  renewer.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  // Settle: connections closed, written-behind work done, then the verdict.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const bool alive = server.alive();
  long health = 0;
  try {
    HttpClient fresh(server.baseUrl());
    health = fresh.get("/healthz").status;
  } catch (const std::exception&) {
  }
  const long finalRss = alive ? rssKilobytes(server.pid()) : -1;
  // Back near where it was: within a quarter more and 32 MB (tokens granted meanwhile and the allocator's
  // own caches account for some growth; a leak of even a few bytes a request exceeds it).
  const bool memoryOk = baselineRss > 0 && finalRss > 0 && finalRss <= baselineRss + baselineRss / 4 + 32 * 1024;
  if (alive) server.stop();
  long logLines = 0, badLines = 0;
  if (options.logLevel == "info") badLines = badLogLines(server.workDir() + "/stdout", logLines);

  std::printf("blackbox: %ld requests in %.1f s (%.0f/s) over %d connections at a time, seed %llu\n", tally.requests,
              elapsed, static_cast<double>(tally.requests) / elapsed, options.connections,
              static_cast<unsigned long long>(options.seed));
  std::printf("blackbox: answers by status:");
  for (const auto& [status, n] : tally.byStatus) std::printf(" %d:%ld", status, n);
  std::printf("; closed without an answer %ld\n", tally.silent);
  std::printf("blackbox: 5xx %ld, hangs %ld, server %s, /healthz %ld, RSS %ld kB after warm-up, %ld kB at the end (%s)",
              tally.serverErrors, tally.hangs, alive ? "alive" : "DEAD", health, baselineRss, finalRss,
              memoryOk ? "ok" : "GREW");
  if (options.logLevel == "info") std::printf(", access log %ld lines, %ld not valid JSON", logLines, badLines);
  std::printf("\n");
  const bool ok = alive && health == 200 && tally.serverErrors == 0 && tally.hangs == 0 && memoryOk && badLines == 0;
  if (!ok) std::printf("blackbox: FAILED; the requests behind 5xx answers and hangs are in %s\n", options.artifacts.c_str());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace tokens::fuzz

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  tokens::fuzz::Options options;
  options.seed = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--seconds") options.seconds = std::stoi(value);
    else if (flag == "--connections") options.connections = std::stoi(value);
    else if (flag == "--seed") options.seed = std::stoull(value);
    else if (flag == "--artifacts") options.artifacts = value;
    else if (flag == "--log-level") options.logLevel = value;
    else {
      std::fprintf(stderr, "usage: blackbox_fuzz --seconds N [--connections C] [--seed S] [--artifacts DIR] [--log-level L]\n");
      return 2;
    }
  }
  try {
    return tokens::fuzz::run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "blackbox: %s\n", e.what());
    return 1;
  }
}
