#pragma once
// Writes a response's bytes into one buffer. Beast's serializer walks a chain of buffer views per
// field and showed up as the largest user-space cost of a HEAD in profiles; our responses are small
// and already in memory, so a single contiguous write is both simpler and faster.

#include <string>
#include <string_view>

#include "http/http_types.h"

namespace tokens::http {

struct ResponseFraming {
  std::string_view correlationId;
  bool headRequest = false;  ///< status and headers only, Content-Length 0
  bool keepAlive = true;
  bool http10 = false;       ///< an HTTP/1.0 peer needs "Connection: keep-alive" to keep the connection
};

/// Replaces `out` with the serialized response (status line, headers, body).
void writeResponse(const HttpResponse& response, const ResponseFraming& framing, std::string& out);

}  // namespace tokens::http
