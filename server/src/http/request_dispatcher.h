#pragma once
#include "http/http_types.h"

namespace tokens::http {

/// What the connection layer hands each parsed request to. Must not throw; called on event-loop threads.
class RequestDispatcher {
 public:
  virtual ~RequestDispatcher() = default;
  virtual HttpResponse dispatch(const HttpRequest& req) noexcept = 0;
};

}  // namespace tokens::http
