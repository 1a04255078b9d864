#pragma once
// Response header lines as libcurl hands them over, one call per line, into the map responses carry.
// Bytes from the server: fuzzed by tests/fuzz/fuzz_sdk_response.cpp.

#include <map>
#include <string>
#include <string_view>

namespace PureCloudPlatformClientV2::internal {

/// Adds one raw header line ("Name: value\r\n") to `headers`, the name lower-cased and the value trimmed.
/// A status line ("HTTP/1.1 200 OK") starts a new response (after "100 Continue", or a redirect) and
/// clears what came before; a line without a colon is ignored.
void addHeaderLine(std::string_view line, std::map<std::string, std::string>& headers);

}  // namespace PureCloudPlatformClientV2::internal
