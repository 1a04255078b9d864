#pragma once
// Not public API. The HTTP listener on 127.0.0.1 that receives the browser's redirect after a sign-in
// (RFC 8252 §7.3). It answers whatever is not the redirect itself, and hands the redirect's query over
// with the browser still waiting, so that the page it finally shows tells how the sign-in ended.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace PureCloudPlatformClientV2::internal {

class LoopbackListener {
 public:
  using Query = std::map<std::string, std::string>;

  /// Listens on 127.0.0.1:port (0: a free port the system picks) for GET `path`, compared as sent (so
  /// give one that needs no percent-encoding). Throws std::runtime_error when it cannot listen.
  LoopbackListener(std::uint16_t port, std::string path);
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  std::uint16_t port() const;

  /// Serves requests until a GET of the path arrives and returns its query, decoded ('+' is a space; a
  /// repeated name keeps its first value), leaving that request unanswered; nullopt once `deadline` has
  /// passed. Other paths get 404 (favicon requests included), other methods on the path 405, and a
  /// connection that sends no request (a browser's spare one) is dropped after a while. Call it once.
  std::optional<Query> waitForRedirect(std::chrono::steady_clock::time_point deadline);

  /// Answers the request that waitForRedirect returned with a small HTML page (`title`, then `message`;
  /// both plain text, escaped here) and closes its connection.
  void answerRedirect(int status, const std::string& title, const std::string& message) noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace PureCloudPlatformClientV2::internal
