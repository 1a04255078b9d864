#pragma once
// A bare TCP connection, for what an HTTP library will not send: half requests, stalls, garbage.

#include <chrono>
#include <cstdint>
#include <string>

namespace tokens::testing {

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(const std::string& bytes);
  /// Reads until the peer closes or `timeout` passes; returns what arrived.
  std::string readUntilClosed(std::chrono::milliseconds timeout);
  /// Reads until `needle` has arrived (or the peer closes, or `timeout` passes).
  std::string readUntil(const std::string& needle, std::chrono::milliseconds timeout);
  bool closedByPeer() const { return closed_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
};

}  // namespace tokens::testing
