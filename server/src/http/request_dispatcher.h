#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/http_types.h"

namespace tokens::http {

/// Why the connection layer answers on its own, before a handler has a request to see.
struct Refusal {
  enum class Reason : std::uint8_t {
    Malformed,           ///< 400: not HTTP/1.1 as RFC 9112 frames it (bad syntax, Host, Transfer-Encoding)
    Timeout,             ///< 408: the request did not arrive whole within the read timeout
    BodyTooLarge,        ///< 413: the body passed bodyLimitBytes
    HeaderTooLarge,      ///< 431
    TooManyConnections,  ///< 503: the connection limit reached; the connection closes at once
  };
  Reason reason = Reason::Malformed;
  std::string_view correlationId;
  std::size_t bodyLimitBytes = 0;  ///< the server's body limit, for BodyTooLarge's message

  int status() const;
};

/// What the connection layer hands each parsed request to, in the request's fiber on its event loop
/// (async/request_fiber.h). Answers every failure itself; the one exception that may pass is the
/// unwinding of a request fiber that is being destroyed
/// (its loop is gone), which must reach the fiber's own frame.
class RequestDispatcher {
 public:
  virtual ~RequestDispatcher() = default;
  virtual HttpResponse dispatch(const HttpRequest& req) = 0;
  /// The answer to a refusal, in the dispatcher's error format. The default: the bare status, no body.
  /// The connection layer adds Retry-After to the 503s.
  virtual HttpResponse refuse(const Refusal& refusal);
};

}  // namespace tokens::http
