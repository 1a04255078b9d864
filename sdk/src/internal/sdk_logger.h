#pragma once
// Not public API. The SDK's request log: one line per attempt, text or JSON, to stderr, a file or a
// callback. Redaction happens here, so no caller can forget it.

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "PureCloudPlatformClientV2/Configuration.h"

namespace PureCloudPlatformClientV2::internal {

struct LoggedExchange {
  std::string method;
  std::string url;
  int attempt = 1;
  int status = 0;  ///< 0: no answer
  std::string failure;  ///< transport failure, if any
  std::chrono::milliseconds elapsed{0};
  std::string correlationId;
  const std::map<std::string, std::string>* requestHeaders = nullptr;
  const std::map<std::string, std::string>* responseHeaders = nullptr;
  const std::string* requestBody = nullptr;
  const std::string* responseBody = nullptr;
};

class SdkLogger {
 public:
  void configure(const LoggingConfig& config);
  LoggingConfig config() const;
  /// Logs an exchange: errors (status >= 400 or no answer) at Error, all at Debug, with headers at Trace.
  void log(const LoggedExchange& exchange);
  /// A free-form message (login outcomes, refreshes) at `level`.
  void message(LogLevel level, const std::string& text);
  bool enabled(LogLevel level) const;

 private:
  void emit(LogLevel level, const std::string& line);
  mutable std::mutex mutex_;
  LoggingConfig config_;
  std::ofstream file_;
  // config_.level, readable without the mutex: enabled() runs for every attempt of every call.
  std::atomic<LogLevel> level_{LogLevel::None};
};

std::string_view logLevelName(LogLevel level);

}  // namespace PureCloudPlatformClientV2::internal
