#pragma once
#include "http/http_types.h"

namespace tokens::http {

/// What the connection layer hands each parsed request to, on event-loop threads. Answers every failure
/// itself; the one exception that may pass is the unwinding of a request fiber that is being destroyed
/// (its loop is gone), which must reach the fiber's own frame.
class RequestDispatcher {
 public:
  virtual ~RequestDispatcher() = default;
  virtual HttpResponse dispatch(const HttpRequest& req) = 0;
};

}  // namespace tokens::http
