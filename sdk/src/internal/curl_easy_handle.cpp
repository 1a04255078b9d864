#include "internal/curl_easy_handle.h"

#include <mutex>
#include <stdexcept>
#include <string_view>

#include "internal/response_headers.h"

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
  addHeaderLine(std::string_view(data, n), *static_cast<std::map<std::string, std::string>*>(user));
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

void applyTls(CURL* curl, const TlsConfig& tls) {
  if (!tls.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.caFile.c_str());
  if (!tls.clientCertFile.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.clientCertFile.c_str());
  if (!tls.clientKeyFile.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.clientKeyFile.c_str());
  if (!tls.clientKeyPassword.empty()) curl_easy_setopt(curl, CURLOPT_KEYPASSWD, tls.clientKeyPassword.c_str());
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, tls.verifyPeer ? 2L : 0L);
}

}  // namespace

EasyHandle::EasyHandle() : curl_(curl_easy_init()) {
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

EasyHandle::~EasyHandle() {
  curl_easy_cleanup(curl_);
  curl_slist_free_all(headerList_);
}

void EasyHandle::useHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  if (headerList_ && headers == headerListOf_) return;
  curl_slist* list = nullptr;
  std::string line;
  for (const auto& [name, value] : headers) {
    line.assign(name).append(": ").append(value);
    list = curl_slist_append(list, line.c_str());
  }
  list = curl_slist_append(list, "Expect:");  // no 1 s wait for "100 Continue" before a body
  curl_slist_free_all(headerList_);
  headerList_ = list;
  headerListOf_ = headers;
}

void EasyHandle::prepare(const TransportRequest& request, TransportResponse& response) {
  curl_easy_reset(curl_);
  useHeaders(request.headers);
  curl_easy_setopt(curl_, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headerList_);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connectTimeout.count()));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(request.totalTimeout.count()));
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response.headers);
  if (request.method == "HEAD")
    curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
  else if (request.method != "GET")  // GET is curl's default; naming it again costs a copy per call
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.body) {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body->size()));
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body->data());
  }
  applyTls(curl_, request.tls);
  if (!request.proxy.url.empty()) {
    curl_easy_setopt(curl_, CURLOPT_PROXY, request.proxy.url.c_str());
    if (!request.proxy.username.empty()) curl_easy_setopt(curl_, CURLOPT_PROXYUSERNAME, request.proxy.username.c_str());
    if (!request.proxy.password.empty()) curl_easy_setopt(curl_, CURLOPT_PROXYPASSWORD, request.proxy.password.c_str());
  }
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

}  // namespace PureCloudPlatformClientV2::internal
