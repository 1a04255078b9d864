#pragma once
// Not public API. What a call that did not succeed throws: the ApiException for its last attempt, with
// the server's error body (SPEC §3, or OAuth's {"error", "error_description"}) in its message.

#include <chrono>
#include <map>
#include <string>

#include "PureCloudPlatformClientV2/ApiException.h"
#include "internal/transport.h"

namespace PureCloudPlatformClientV2::internal {

/// The ApiException for `response`, the last attempt of `method url`; `timeout` for a timeout's message.
ApiException failureOf(const std::string& method, const std::string& url, TransportResponse&& response,
                       std::chrono::milliseconds timeout);

/// A header's value in a response's map (names lower-cased), "" when absent.
std::string headerValue(const std::map<std::string, std::string>& headers, const std::string& name);

}  // namespace PureCloudPlatformClientV2::internal
