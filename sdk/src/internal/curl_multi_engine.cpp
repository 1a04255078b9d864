#include "internal/curl_multi_engine.h"

#include <algorithm>
#include <map>
#include <vector>

#include <curl/curl.h>

#include "internal/curl_easy_handle.h"

namespace PureCloudPlatformClientV2::internal {

namespace {

struct Transfer {
  const TransportRequest* request;  // the caller's, alive until done has run
  TransportResponse response;
  Transport::Completion done;
  std::unique_ptr<EasyHandle> easy;  // from the engine's pool while running
};

constexpr int kIdlePollMs = 1000;

}  // namespace

struct MultiEngine::State {
  explicit State(long maxHostConnections) : multi(curl_multi_init()) {
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxHostConnections);
  }
  ~State() {
    idle.clear();
    curl_multi_cleanup(multi);
  }

  // Easy handles are reused from one transfer to the next, as the blocking pool does: creating and
  // destroying one per call showed in profiles.
  std::unique_ptr<EasyHandle> acquire() {
    if (idle.empty()) return std::make_unique<EasyHandle>();
    auto easy = std::move(idle.back());
    idle.pop_back();
    return easy;
  }

  void run();
  void startDue(std::chrono::steady_clock::time_point now);
  void start(std::unique_ptr<Transfer> transfer);
  void collectFinished();
  void cancelAll();

  CURLM* multi;
  std::mutex mutex;
  bool stopping = false;  // guarded by mutex
  // Waiting to start: now (most calls), or at a due time (a retry's backoff). Guarded by mutex.
  std::vector<std::unique_ptr<Transfer>> ready;
  std::multimap<std::chrono::steady_clock::time_point, std::unique_ptr<Transfer>> delayed;
  std::vector<std::unique_ptr<Transfer>> starting;  // the loop thread's only: `ready`, taken out of the lock
  std::map<CURL*, std::unique_ptr<Transfer>> running;  // the loop thread's only
  std::vector<std::unique_ptr<EasyHandle>> idle;       // the loop thread's only
  std::thread::id loopThread;
};

MultiEngine::MultiEngine(long maxHostConnections) {
  ensureCurlGlobalInit();
  state_ = std::make_shared<State>(maxHostConnections);
  thread_ = std::thread([state = state_] { state->run(); });
  state_->loopThread = thread_.get_id();  // read by submit(), which only runs once this returned
}

MultiEngine::~MultiEngine() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  curl_multi_wakeup(state_->multi);
  // Destroyed by a completion on the loop itself: it cannot join itself; the loop ends its iteration on
  // the state it co-owns, then stops.
  if (thread_.get_id() == std::this_thread::get_id())
    thread_.detach();
  else
    thread_.join();
}

void MultiEngine::submit(const TransportRequest& request, std::chrono::milliseconds delay, Transport::Completion done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = &request;
  transfer->done = std::move(done);
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) {
      transfer->response.failure = TransportFailure::Other;
      transfer->response.failureMessage = "the client is shutting down";
    } else if (delay.count() <= 0) {
      state_->ready.push_back(std::move(transfer));
    } else {
      state_->delayed.emplace(std::chrono::steady_clock::now() + delay, std::move(transfer));
    }
  }
  if (transfer) {
    transfer->done(std::move(transfer->response));
    return;
  }
  // From the loop itself (the next call started by a completion, or a retry) the loop looks at its
  // queues next anyway; waking it would cost a socketpair write and read for nothing.
  if (std::this_thread::get_id() != state_->loopThread) curl_multi_wakeup(state_->multi);
}

void MultiEngine::State::startDue(std::chrono::steady_clock::time_point now) {
  {
    std::lock_guard lock(mutex);
    starting.swap(ready);  // both keep their capacity: no allocation once the load is steady
    while (!delayed.empty() && delayed.begin()->first <= now) {
      starting.push_back(std::move(delayed.begin()->second));
      delayed.erase(delayed.begin());
    }
  }
  for (auto& t : starting) start(std::move(t));
  starting.clear();
}

void MultiEngine::State::start(std::unique_ptr<Transfer> t) {
  try {
    t->easy = acquire();
  } catch (const std::exception& e) {
    t->response.failure = TransportFailure::Other;
    t->response.failureMessage = e.what();
    t->done(std::move(t->response));
    return;
  }
  CURL* easy = t->easy->get();
  t->easy->prepare(*t->request, t->response);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
  curl_multi_add_handle(multi, easy);
  running.emplace(easy, std::move(t));
}

void MultiEngine::State::collectFinished() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;
    curl_multi_remove_handle(multi, easy);
    auto it = running.find(easy);
    if (it == running.end()) continue;
    auto transfer = std::move(it->second);
    running.erase(it);
    finishResponse(easy, code, transfer->response);
    idle.push_back(std::move(transfer->easy));
    transfer->done(std::move(transfer->response));  // may submit again (the next call, a retry): that only queues
  }
}

void MultiEngine::State::cancelAll() {
  std::vector<std::unique_ptr<Transfer>> waiting;
  {
    std::lock_guard lock(mutex);
    waiting.swap(ready);
    for (auto& [due, t] : delayed) waiting.push_back(std::move(t));
    delayed.clear();
  }
  auto cancel = [](Transfer& t) {
    t.response = TransportResponse{};
    t.response.failure = TransportFailure::Other;
    t.response.failureMessage = "cancelled: the client was destroyed";
    t.done(std::move(t.response));
  };
  for (auto& [easy, t] : running) {
    curl_multi_remove_handle(multi, easy);
    idle.push_back(std::move(t->easy));
    cancel(*t);
  }
  running.clear();
  for (auto& t : waiting) cancel(*t);
}

void MultiEngine::State::run() {
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    startDue(now);
    int stillRunning = 0;
    curl_multi_perform(multi, &stillRunning);
    collectFinished();

    int waitMs = kIdlePollMs;
    {
      std::lock_guard lock(mutex);
      if (stopping) break;
      if (!ready.empty()) {
        waitMs = 0;
      } else if (!delayed.empty()) {
        const auto untilNext = std::chrono::duration_cast<std::chrono::milliseconds>(delayed.begin()->first - now);
        waitMs = static_cast<int>(std::clamp<long long>(untilNext.count(), 0, kIdlePollMs));
      }
    }
    long curlTimeout = -1;
    curl_multi_timeout(multi, &curlTimeout);
    if (curlTimeout >= 0 && curlTimeout < waitMs) waitMs = static_cast<int>(curlTimeout);
    curl_multi_poll(multi, nullptr, 0, waitMs, nullptr);
  }
  cancelAll();
}

}  // namespace PureCloudPlatformClientV2::internal
