#pragma once
// Not public API. One curl easy handle as both the blocking pool and the multi event loop use it, so that
// both send exactly the same request for a TransportRequest.

#include <string>
#include <utility>
#include <vector>

#include <curl/curl.h>

#include "internal/transport.h"

namespace PureCloudPlatformClientV2::internal {

void ensureCurlGlobalInit();

/// An easy handle reused from call to call, with the header list it last sent. A client sends the same
/// headers call after call; rebuilding the list costs three allocations per header, which showed in the
/// benchmark's profiles, so the list is rebuilt only when the headers differ from the last call's.
class EasyHandle {
 public:
  EasyHandle();  ///< throws std::runtime_error if curl cannot make a handle
  ~EasyHandle();
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;

  CURL* get() const { return curl_; }

  /// Clears every option of the previous call (connections stay cached), then sets every option of
  /// `request`, with `response` receiving the status line's headers and the body. `request` and
  /// `response` must outlive the transfer.
  void prepare(const TransportRequest& request, TransportResponse& response);

 private:
  void useHeaders(const std::vector<std::pair<std::string, std::string>>& headers);

  CURL* curl_;
  curl_slist* headerList_ = nullptr;
  std::vector<std::pair<std::string, std::string>> headerListOf_;  // what headerList_ was built from
};

/// Fills `response` from a finished transfer.
void finishResponse(CURL* curl, CURLcode code, TransportResponse& response);

}  // namespace PureCloudPlatformClientV2::internal
