#pragma once
// A scripted Transport for SDK unit tests: answers from a function, records every request.

#include <functional>
#include <mutex>
#include <vector>

#include "internal/transport.h"

namespace PureCloudPlatformClientV2::testing {

using internal::Transport;
using internal::TransportFailure;
using internal::TransportRequest;
using internal::TransportResponse;

class FakeTransport : public Transport {
 public:
  using Handler = std::function<TransportResponse(const TransportRequest&)>;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}

  TransportResponse perform(const TransportRequest& request) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    return handler_(request);
  }

  // Inline, on the caller's stack: the engine's decisions (retries, renewal) are what these tests check.
  void performAsync(const TransportRequest& request, std::chrono::milliseconds delay, Completion done) override {
    {
      std::lock_guard lock(mutex_);
      asyncDelays_.push_back(delay);
    }
    done(perform(request));
  }
  std::vector<std::chrono::milliseconds> asyncDelays() const {
    std::lock_guard lock(mutex_);
    return asyncDelays_;
  }

  std::vector<TransportRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t count(const std::string& urlSuffix) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& r : requests_)
      if (r.url.size() >= urlSuffix.size() && r.url.compare(r.url.size() - urlSuffix.size(), urlSuffix.size(), urlSuffix) == 0) ++n;
    return n;
  }

 private:
  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<TransportRequest> requests_;
  std::vector<std::chrono::milliseconds> asyncDelays_;
};

inline TransportResponse answer(int status, std::string body = {}, std::map<std::string, std::string> headers = {}) {
  TransportResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

inline TransportResponse noAnswer(TransportFailure failure) {
  TransportResponse r;
  r.failure = failure;
  r.failureMessage = "simulated";
  return r;
}

inline std::string headerOf(const TransportRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return {};
}

}  // namespace PureCloudPlatformClientV2::testing
