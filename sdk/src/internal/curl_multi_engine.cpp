#include "internal/curl_multi_engine.h"

#include <algorithm>
#include <vector>

#include <curl/curl.h>

#include "internal/curl_easy_setup.h"

namespace PureCloudPlatformClientV2::internal {

namespace {

struct Transfer {
  TransportRequest request;
  TransportResponse response;
  Transport::Completion done;
  CURL* easy = nullptr;  // borrowed from the engine's pool while running
  curl_slist* headers = nullptr;

  ~Transfer() { curl_slist_free_all(headers); }
};

constexpr int kIdlePollMs = 1000;

}  // namespace

struct MultiEngine::State {
  explicit State(long maxHostConnections) : multi(curl_multi_init()) {
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxHostConnections);
  }
  ~State() {
    for (CURL* easy : idle) curl_easy_cleanup(easy);
    curl_multi_cleanup(multi);
  }

  // Easy handles are reused from one transfer to the next, as the blocking pool does: creating and
  // destroying one per call showed in profiles.
  CURL* acquire() {
    if (idle.empty()) return curl_easy_init();
    CURL* easy = idle.back();
    idle.pop_back();
    return easy;
  }
  void release(CURL* easy) {
    curl_easy_reset(easy);
    idle.push_back(easy);
  }

  void run();
  void startDue(std::chrono::steady_clock::time_point now);
  void collectFinished();
  void cancelAll();

  CURLM* multi;
  std::mutex mutex;
  bool stopping = false;  // guarded by mutex
  // Waiting to start, by due time (a retry's backoff is a due time in the future). Guarded by mutex.
  std::multimap<std::chrono::steady_clock::time_point, std::unique_ptr<Transfer>> pending;
  std::map<CURL*, std::unique_ptr<Transfer>> running;  // the loop thread's only
  std::vector<CURL*> idle;                             // the loop thread's only
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

void MultiEngine::submit(TransportRequest request, std::chrono::milliseconds delay, Transport::Completion done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->done = std::move(done);
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) {
      transfer->response.failure = TransportFailure::Other;
      transfer->response.failureMessage = "the client is shutting down";
    } else {
      state_->pending.emplace(std::chrono::steady_clock::now() + delay, std::move(transfer));
      transfer = nullptr;
    }
  }
  if (transfer) {
    transfer->done(std::move(transfer->response));
    return;
  }
  // From the loop itself (a retry submitted by a completion) the loop looks at its queue next anyway;
  // waking it would cost a socketpair write and read for nothing.
  if (std::this_thread::get_id() != state_->loopThread) curl_multi_wakeup(state_->multi);
}

void MultiEngine::State::startDue(std::chrono::steady_clock::time_point now) {
  std::vector<std::unique_ptr<Transfer>> due;
  {
    std::lock_guard lock(mutex);
    while (!pending.empty() && pending.begin()->first <= now) {
      due.push_back(std::move(pending.begin()->second));
      pending.erase(pending.begin());
    }
  }
  for (auto& t : due) {
    t->easy = acquire();
    if (!t->easy) {
      t->response.failure = TransportFailure::Other;
      t->response.failureMessage = "curl_easy_init failed";
      t->done(std::move(t->response));
      continue;
    }
    t->headers = setUpEasyHandle(t->easy, t->request, t->response);
    curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t.get());
    curl_multi_add_handle(multi, t->easy);
    running.emplace(t->easy, std::move(t));
  }
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
    release(easy);
    transfer->easy = nullptr;
    transfer->done(std::move(transfer->response));  // may submit again (a retry): that only queues
  }
}

void MultiEngine::State::cancelAll() {
  std::multimap<std::chrono::steady_clock::time_point, std::unique_ptr<Transfer>> waiting;
  {
    std::lock_guard lock(mutex);
    waiting.swap(pending);
  }
  auto cancel = [](Transfer& t) {
    t.response = TransportResponse{};
    t.response.failure = TransportFailure::Other;
    t.response.failureMessage = "cancelled: the client was destroyed";
    t.done(std::move(t.response));
  };
  for (auto& [easy, t] : running) {
    curl_multi_remove_handle(multi, t->easy);
    release(t->easy);
    cancel(*t);
  }
  running.clear();
  for (auto& [due, t] : waiting) cancel(*t);
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
      if (!pending.empty()) {
        const auto untilNext = std::chrono::duration_cast<std::chrono::milliseconds>(pending.begin()->first - now);
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
