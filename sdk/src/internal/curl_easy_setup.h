#pragma once
// Not public API. Setting up one curl easy handle for a TransportRequest, shared by the blocking pool
// and the multi event loop so that both send exactly the same request.

#include <curl/curl.h>

#include "internal/transport.h"

namespace PureCloudPlatformClientV2::internal {

void ensureCurlGlobalInit();

/// Sets every option of `request` on `curl`, with `response` receiving headers and body. Returns the
/// header list, which the caller frees (curl_slist_free_all) once the transfer is over.
curl_slist* setUpEasyHandle(CURL* curl, const TransportRequest& request, TransportResponse& response);

/// Fills `response` from a finished transfer.
void finishResponse(CURL* curl, CURLcode code, TransportResponse& response);

}  // namespace PureCloudPlatformClientV2::internal
