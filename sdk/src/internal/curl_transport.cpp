// libcurl behind the Transport interface. Easy handles are pooled and share one connection cache, so a
// program that makes calls one after another from any thread reuses its connections, as a raw libcurl
// loop with one handle would.

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <curl/curl.h>

#include "internal/curl_easy_setup.h"
#include "internal/curl_multi_engine.h"
#include "internal/transport.h"

namespace PureCloudPlatformClientV2::internal {

void ensureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  const std::size_t n = size * count;
  std::string_view line(data, n);
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  if (line.starts_with("HTTP/")) {
    headers.clear();  // a new response: after "100 Continue", or a redirect
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  headers[std::move(name)] = std::string(value);
  return n;
}

TransportFailure classify(CURLcode code) {
  switch (code) {
    case CURLE_OK: return TransportFailure::None;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportFailure::Connect;
    case CURLE_OPERATION_TIMEDOUT: return TransportFailure::Timeout;
    default: return TransportFailure::Other;
  }
}

}  // namespace


namespace {

void applyTls(CURL* curl, const TlsConfig& tls) {
  if (!tls.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.caFile.c_str());
  if (!tls.clientCertFile.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.clientCertFile.c_str());
  if (!tls.clientKeyFile.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.clientKeyFile.c_str());
  if (!tls.clientKeyPassword.empty()) curl_easy_setopt(curl, CURLOPT_KEYPASSWD, tls.clientKeyPassword.c_str());
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, tls.verifyPeer ? 2L : 0L);
}

}  // namespace

curl_slist* setUpEasyHandle(CURL* curl, const TransportRequest& request, TransportResponse& response) {
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 1 s wait for "100 Continue" before a body
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connectTimeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.totalTimeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (request.method == "HEAD")
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  else
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body->size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->data());
  }
  applyTls(curl, request.tls);
  if (!request.proxy.url.empty()) {
    curl_easy_setopt(curl, CURLOPT_PROXY, request.proxy.url.c_str());
    if (!request.proxy.username.empty()) curl_easy_setopt(curl, CURLOPT_PROXYUSERNAME, request.proxy.username.c_str());
    if (!request.proxy.password.empty()) curl_easy_setopt(curl, CURLOPT_PROXYPASSWORD, request.proxy.password.c_str());
  }
  return headers;
}

void finishResponse(CURL* curl, CURLcode code, TransportResponse& response) {
  response.failure = classify(code);
  if (code != CURLE_OK) {
    response.failureMessage = curl_easy_strerror(code);
    return;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
}

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
    engine_.reset();  // ends the event loop first: its transfers may still use the share
    for (auto* handle : idle_) curl_easy_cleanup(handle);
    curl_share_cleanup(share_);
  }

  TransportResponse perform(const TransportRequest& request) override {
    CURL* curl = acquire();
    TransportResponse response;
    curl_slist* headers = setUpEasyHandle(curl, request, response);
    curl_easy_setopt(curl, CURLOPT_SHARE, share_);
    finishResponse(curl, curl_easy_perform(curl), response);
    curl_slist_free_all(headers);
    release(curl);
    return response;
  }

  void performAsync(TransportRequest request, std::chrono::milliseconds delay, Completion done) override {
    std::call_once(engineStarted_, [this] { engine_ = std::make_unique<MultiEngine>(maxAsyncConnections_); });
    engine_->submit(std::move(request), delay, std::move(done));
  }

 private:
  CURL* acquire() {
    {
      std::lock_guard lock(poolMutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    if (!handle) throw std::runtime_error("curl_easy_init failed");
    return handle;
  }

  void release(CURL* handle) {
    curl_easy_reset(handle);  // options only: the connection cache and the share stay
    std::lock_guard lock(poolMutex_);
    idle_.push_back(handle);
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
  std::vector<CURL*> idle_;
};

}  // namespace

std::shared_ptr<Transport> makeCurlTransport(long maxAsyncConnections) {
  return std::make_shared<CurlTransport>(maxAsyncConnections);
}

}  // namespace PureCloudPlatformClientV2::internal
