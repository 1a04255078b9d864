// libcurl behind the Transport interface. Easy handles are pooled and share one connection cache, so a
// program that makes calls one after another from any thread reuses its connections, as a raw libcurl
// loop with one handle would.

#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include <curl/curl.h>

#include "internal/curl_easy_handle.h"
#include "internal/curl_multi_engine.h"
#include "internal/transport.h"

namespace PureCloudPlatformClientV2::internal {

namespace {

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(long maxAsyncConnections) : maxAsyncConnections_(maxAsyncConnections) {
    ensureCurlGlobalInit();
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlTransport::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlTransport::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~CurlTransport() override {
    engine_.reset();  // ends the event loop first
    idle_.clear();    // the handles use the share: they go before it
    curl_share_cleanup(share_);
  }

  TransportResponse perform(const TransportRequest& request) override {
    auto handle = acquire();
    TransportResponse response;
    handle->prepare(request, response);
    curl_easy_setopt(handle->get(), CURLOPT_SHARE, share_);
    finishResponse(handle->get(), curl_easy_perform(handle->get()), response);
    release(std::move(handle));
    return response;
  }

  void performAsync(const TransportRequest& request, std::chrono::milliseconds delay, Completion done) override {
    std::call_once(engineStarted_, [this] { engine_ = std::make_unique<MultiEngine>(maxAsyncConnections_); });
    engine_->submit(request, delay, std::move(done));
  }

 private:
  std::unique_ptr<EasyHandle> acquire() {
    {
      std::lock_guard lock(poolMutex_);
      if (!idle_.empty()) {
        auto handle = std::move(idle_.back());
        idle_.pop_back();
        return handle;
      }
    }
    return std::make_unique<EasyHandle>();
  }

  void release(std::unique_ptr<EasyHandle> handle) {
    std::lock_guard lock(poolMutex_);
    idle_.push_back(std::move(handle));
  }

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<CurlTransport*>(user)->shareLocks_[static_cast<std::size_t>(data)].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<CurlTransport*>(user)->shareLocks_[static_cast<std::size_t>(data)].unlock();
  }

  long maxAsyncConnections_;
  std::once_flag engineStarted_;
  std::unique_ptr<MultiEngine> engine_;
  CURLSH* share_ = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> shareLocks_;
  std::mutex poolMutex_;
  std::vector<std::unique_ptr<EasyHandle>> idle_;
};

}  // namespace

std::shared_ptr<Transport> makeCurlTransport(long maxAsyncConnections) {
  return std::make_shared<CurlTransport>(maxAsyncConnections);
}

}  // namespace PureCloudPlatformClientV2::internal
