// sdk_bench: calls/s of GET /api/v2/tokens/me through the C++ SDK, and through a raw libcurl loop as the
// baseline, for bench/run-sdk.sh (see bench/README.md).
//
//   sdk_bench MODE BASE_URL TOKEN [--seconds N] [--warmup N] [--in-flight N]
//
// MODE:
//   raw-curl   one curl easy handle, reused (keep-alive), sequential GETs; every answer must be 200
//   sdk-sync   one ApiClient, one TokensApi, sequential getTokensMe()
//   sdk-async  getTokensMeAsync with a callback, exactly --in-flight (64) calls in flight: each callback
//              starts the next call (no thread of ours waits on a future: the SDK's own I/O thread does
//              all the work, as wrk's one thread does on its side)
//   raw-curl-multi  a reference for the asynchronous mode, not a compared side: libcurl's multi interface
//              alone, --in-flight easy handles set up once and re-added as they complete, on one thread
//
// Each mode runs --warmup seconds (default 1) unmeasured, then --seconds seconds (default 10) measured, on
// the same client and connection(s), and prints one line that run-sdk.sh parses:
//   BENCH mode=M calls=N seconds=F cps=F connections=N new_connections=N
// connections: distinct TCP connections to the server seen open during the measured part (sampled every
// 250 ms); new_connections: connections curl opened during it (exact, for the raw modes; -1 for the SDK
// modes, whose curl handles are out of reach). Any failure (a transport error, a status other than 200, an
// answer that is not a TokenInfo) ends the program at once with status 1 and a message on stderr. For the
// SDK modes, getTokensMe throws for any answer but a 2xx whose body is a TokenInfo (the server's only 2xx
// here is 200), and retries are off so that a 429 or a 5xx cannot hide behind a backoff.

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"

namespace pc = PureCloudPlatformClientV2;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kPath = "/api/v2/tokens/me";

struct Options {
  std::string mode;
  std::string baseUrl;
  std::string token;
  int seconds = 10;
  int warmup = 1;
  int inFlight = 64;
};

[[noreturn]] void fail(const std::string& message) {
  std::fflush(stdout);
  std::cerr << "sdk_bench: FAIL: " << message << std::endl;
  std::_Exit(1);  // at once: asynchronous calls may still be running on the SDK's thread
}

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "sdk_bench: " << problem << "\n"
            << "usage: sdk_bench raw-curl|sdk-sync|sdk-async|raw-curl-multi BASE_URL TOKEN [--seconds N] [--warmup N] "
               "[--in-flight N]\n";
  std::exit(2);
}

int parseCount(std::string_view text, int min, const char* what) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min)
    usage(std::string(what) + " must be a whole number >= " + std::to_string(min) + ", got '" + std::string(text) + "'");
  return value;
}

Options parseArgs(int argc, char** argv) {
  Options o;
  int positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&](const char* name) -> std::string_view {
      if (i + 1 >= argc) usage(std::string(name) + " needs a value");
      return argv[++i];
    };
    if (arg == "--seconds")
      o.seconds = parseCount(next("--seconds"), 1, "--seconds");
    else if (arg == "--warmup")
      o.warmup = parseCount(next("--warmup"), 0, "--warmup");
    else if (arg == "--in-flight")
      o.inFlight = parseCount(next("--in-flight"), 1, "--in-flight");
    else if (arg.starts_with("--"))
      usage("unknown option " + std::string(arg));
    else if (positional >= 3)
      usage("too many arguments");
    else {
      std::string* const slots[] = {&o.mode, &o.baseUrl, &o.token};
      *slots[positional++] = arg;
    }
  }
  if (positional != 3) usage("MODE, BASE_URL and TOKEN are required");
  if (o.mode != "raw-curl" && o.mode != "sdk-sync" && o.mode != "sdk-async" && o.mode != "raw-curl-multi")
    usage("unknown mode " + o.mode);
  while (!o.baseUrl.empty() && o.baseUrl.back() == '/') o.baseUrl.pop_back();
  if (!o.baseUrl.starts_with("http://127.0.0.1:")) usage("BASE_URL must be http://127.0.0.1:PORT (local only)");
  if (o.token.empty()) usage("TOKEN is empty");
  return o;
}

// ---- counting connections ---------------------------------------------------------------------------------

// The TCP connections of this process to 127.0.0.1:port that are open right now, by socket inode: each
// fd listed in /proc/self/fd that is a socket whose peer is the server. (Reading /proc/net/tcp instead
// walks every socket of the machine, and cost the asynchronous mode a few per cent of its CPU.)
class ConnectionSampler {
 public:
  explicit ConnectionSampler(int port) : port_(port) {}

  void sample() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
      int fd = -1;
      const auto name = entry.path().filename().string();
      if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc()) continue;
      struct stat st {};
      if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
      sockaddr_in peer{};
      socklen_t size = sizeof peer;
      if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0 || peer.sin_family != AF_INET) continue;
      if (ntohs(peer.sin_port) == port_ && ntohl(peer.sin_addr.s_addr) == INADDR_LOOPBACK) seen_.insert(st.st_ino);
    }
  }

  std::size_t distinct() const { return seen_.size(); }

 private:
  int port_;
  std::set<ino_t> seen_;
};

int portOf(const std::string& baseUrl) {
  const auto colon = baseUrl.rfind(':');
  return parseCount(std::string_view(baseUrl).substr(colon + 1), 1, "the port of BASE_URL");
}

struct Result {
  std::uint64_t calls = 0;
  double seconds = 0;
  std::size_t connections = 0;
  long newConnections = -1;
};

constexpr auto kSampleEvery = std::chrono::milliseconds(250);

// Runs `call` back to back: `warmup` seconds unmeasured (at least one call), then `seconds` measured. The
// clock is read once per call, the same way for every sequential mode (and in js-sdk-bench.mjs).
template <class Call, class OnMeasureStart>
Result runSequential(const Options& o, Call&& call, OnMeasureStart&& onMeasureStart) {
  ConnectionSampler sampler(portOf(o.baseUrl));
  // At least one warm-up call: it opens the connection.
  const auto warmupEnd = Clock::now() + std::chrono::seconds(o.warmup);
  auto now = warmupEnd;
  do {
    call();
    now = Clock::now();
  } while (now < warmupEnd);
  onMeasureStart();
  sampler.sample();
  Result r;
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(o.seconds);
  auto nextSample = start + kSampleEvery;
  do {
    call();
    ++r.calls;
    now = Clock::now();
    if (now >= nextSample) {
      sampler.sample();
      nextSample = now + kSampleEvery;
    }
  } while (now < end);
  r.seconds = std::chrono::duration<double>(now - start).count();
  sampler.sample();
  r.connections = sampler.distinct();
  return r;
}

// ---- raw-curl ------------------------------------------------------------------------------------------------

std::size_t appendBody(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// The request of both raw modes: the same request lines the SDK sends (Authorization, Accept and a
// User-Agent), the body appended to `body`.
struct RawRequest {
  std::string url;
  curl_slist* headers = nullptr;

  explicit RawRequest(const Options& o) : url(o.baseUrl + std::string(kPath)) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail("curl_global_init failed");
    headers = curl_slist_append(headers, ("Authorization: Bearer " + o.token).c_str());
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "User-Agent: tokens-sdk-bench-raw/0.1.0");
  }
  ~RawRequest() { curl_slist_free_all(headers); }
  RawRequest(const RawRequest&) = delete;
  RawRequest& operator=(const RawRequest&) = delete;

  CURL* newHandle(std::string& body) const {
    CURL* curl = curl_easy_init();
    if (!curl) fail("curl_easy_init failed");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 16000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    return curl;
  }

  // Fails unless the transfer ended with a 200 and a body.
  void check(CURL* curl, CURLcode code, const std::string& body, const char* mode) const {
    if (code != CURLE_OK) fail(std::string(mode) + ": GET " + url + ": " + curl_easy_strerror(code));
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
      fail(std::string(mode) + ": GET " + url + ": HTTP " + std::to_string(status) + ": " + body.substr(0, 300));
    if (body.empty()) fail(std::string(mode) + ": GET " + url + ": 200 with an empty body");
  }
};

Result runRawCurl(const Options& o) {
  const RawRequest request(o);
  std::string body;
  CURL* curl = request.newHandle(body);
  long newConnections = 0;
  bool measuring = false;
  auto call = [&] {
    body.clear();
    request.check(curl, curl_easy_perform(curl), body, "raw-curl");
    if (measuring) {
      long connects = 0;
      curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
      newConnections += connects;
    }
  };
  Result r = runSequential(o, call, [&] { measuring = true; });
  r.newConnections = newConnections;
  curl_easy_cleanup(curl);
  return r;
}

// A reference, not one of the compared sides: what libcurl's multi interface itself reaches with
// --in-flight transfers on one thread, each easy handle set up once and re-added when it completes.
Result runRawCurlMulti(const Options& o) {
  const RawRequest request(o);
  CURLM* multi = curl_multi_init();
  if (!multi) fail("curl_multi_init failed");
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(o.inFlight));
  std::vector<std::string> bodies(static_cast<std::size_t>(o.inFlight));
  std::vector<CURL*> handles;
  for (auto& body : bodies) {
    handles.push_back(request.newHandle(body));
    curl_easy_setopt(handles.back(), CURLOPT_PRIVATE, &body);
    curl_multi_add_handle(multi, handles.back());
  }
  ConnectionSampler sampler(portOf(o.baseUrl));
  std::uint64_t completed = 0;
  long newConnections = 0;
  bool measuring = false;
  auto runUntil = [&](Clock::time_point end, bool sample) {
    auto nextSample = Clock::now() + kSampleEvery;
    for (auto now = Clock::now(); now < end; now = Clock::now()) {
      int running = 0;
      if (curl_multi_perform(multi, &running) != CURLM_OK) fail("raw-curl-multi: curl_multi_perform failed");
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        std::string* body = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &body);
        request.check(easy, msg->data.result, *body, "raw-curl-multi");
        ++completed;
        if (measuring) {
          long connects = 0;
          curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
          newConnections += connects;
        }
        body->clear();
        curl_multi_remove_handle(multi, easy);
        curl_multi_add_handle(multi, easy);  // the same request again, on the connection it leaves free
      }
      curl_multi_poll(multi, nullptr, 0, 100, nullptr);
      if (sample && now >= nextSample) {
        sampler.sample();
        nextSample = now + kSampleEvery;
      }
    }
  };
  runUntil(Clock::now() + std::chrono::seconds(o.warmup), false);
  measuring = true;
  Result r;
  const auto before = completed;
  const auto start = Clock::now();
  sampler.sample();
  runUntil(start + std::chrono::seconds(o.seconds), true);
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.calls = completed - before;
  r.connections = sampler.distinct();
  r.newConnections = newConnections;
  for (CURL* easy : handles) {
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
  }
  curl_multi_cleanup(multi);
  return r;
}

// ---- the SDK -------------------------------------------------------------------------------------------------

std::shared_ptr<pc::ApiClient> makeClient(const Options& o) {
  auto client = std::make_shared<pc::ApiClient>();
  client->setEnvironment(o.baseUrl);
  client->setAccessToken(o.token);
  // No retries: a 429 or a 5xx must fail the benchmark, not be absorbed by a backoff.
  pc::RetryConfig retry;
  retry.enabled = false;
  client->setRetryConfig(retry);
  pc::LoggingConfig logging;
  logging.level = pc::LogLevel::None;
  client->setLoggingConfig(logging);
  return client;
}

// getTokensMe throws for anything but a 2xx answer whose body is a TokenInfo; the server answers 200.
void checkTokenInfo(const pc::TokenInfo& info, const char* mode) {
  if (!info.OAuthClient || !info.OAuthClient->id) fail(std::string(mode) + ": a TokenInfo without OAuthClient.id");
}

Result runSdkSync(const Options& o) {
  auto client = makeClient(o);
  pc::TokensApi api(client);
  auto call = [&] {
    try {
      checkTokenInfo(api.getTokensMe(), "sdk-sync");
    } catch (const std::exception& e) {
      fail(std::string("sdk-sync: getTokensMe: ") + e.what());
    }
  };
  return runSequential(o, call, [] {});
}

// Keeps exactly `inFlight` calls going: each completion (on the SDK's I/O thread) counts itself and starts
// the next call before it returns.
class AsyncDriver {
 public:
  AsyncDriver(pc::TokensApi api, int inFlight) : api_(std::move(api)), inFlight_(inFlight) {}

  void start() {
    for (int i = 0; i < inFlight_; ++i) launch();
  }

  /// Stops starting calls and waits for those in flight to finish.
  void stopAndDrain() {
    stopping_.store(true);
    std::unique_lock lock(mutex_);
    if (!drained_.wait_for(lock, std::chrono::seconds(30), [&] { return running_.load() == 0; }))
      fail("sdk-async: " + std::to_string(running_.load()) + " calls still in flight 30 s after the end");
  }

  std::uint64_t completed() const { return completed_.load(std::memory_order_relaxed); }

 private:
  void launch() {
    running_.fetch_add(1);
    api_.getTokensMeAsync(std::nullopt, [this](std::exception_ptr error, pc::TokenInfo info) { onDone(error, info); });
  }

  void onDone(std::exception_ptr error, const pc::TokenInfo& info) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        fail(std::string("sdk-async: getTokensMeAsync: ") + e.what());
      } catch (...) {
        fail("sdk-async: getTokensMeAsync: an exception that is not a std::exception");
      }
    }
    checkTokenInfo(info, "sdk-async");
    completed_.fetch_add(1, std::memory_order_relaxed);
    if (!stopping_.load()) {
      launch();  // first: the count of calls in flight never drops below inFlight while running
      running_.fetch_sub(1);
      return;
    }
    // Draining: under the lock, so that stopAndDrain() cannot see zero and destroy this object while a
    // callback still touches it.
    std::lock_guard lock(mutex_);
    if (running_.fetch_sub(1) == 1) drained_.notify_all();
  }

  pc::TokensApi api_;
  const int inFlight_;
  std::atomic<std::uint64_t> completed_{0};
  std::atomic<int> running_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable drained_;
};

Result runSdkAsync(const Options& o) {
  auto client = makeClient(o);
  AsyncDriver driver(pc::TokensApi(client), o.inFlight);
  ConnectionSampler sampler(portOf(o.baseUrl));
  driver.start();
  std::this_thread::sleep_for(std::chrono::seconds(o.warmup));

  Result r;
  const auto before = driver.completed();
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(o.seconds);
  sampler.sample();
  for (auto now = start; now < end; now = Clock::now()) {
    std::this_thread::sleep_for(std::min<Clock::duration>(kSampleEvery, end - now));
    sampler.sample();
  }
  const auto after = driver.completed();
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.calls = after - before;
  r.connections = sampler.distinct();
  driver.stopAndDrain();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parseArgs(argc, argv);
  Result r;
  if (o.mode == "raw-curl")
    r = runRawCurl(o);
  else if (o.mode == "sdk-sync")
    r = runSdkSync(o);
  else if (o.mode == "sdk-async")
    r = runSdkAsync(o);
  else
    r = runRawCurlMulti(o);
  if (r.calls == 0) fail(o.mode + ": no call completed in " + std::to_string(o.seconds) + " s");
  char line[256];
  std::snprintf(line, sizeof line, "BENCH mode=%s calls=%llu seconds=%.3f cps=%.1f connections=%zu new_connections=%ld",
                o.mode.c_str(), static_cast<unsigned long long>(r.calls), r.seconds,
                static_cast<double>(r.calls) / r.seconds, r.connections, r.newConnections);
  std::cout << line << std::endl;
  return 0;
}
