#include "internal/sdk_logger.h"

#include <cstdio>

#include <boost/json.hpp>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "internal/redaction.h"

namespace PureCloudPlatformClientV2::internal {

std::string_view logLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "error";
    case LogLevel::Debug: return "debug";
    case LogLevel::Trace: return "trace";
    default: return "none";
  }
}

void SdkLogger::configure(const LoggingConfig& config) {
  std::lock_guard lock(mutex_);
  config_ = config;
  level_.store(config.level, std::memory_order_relaxed);
  file_ = std::ofstream();
  if (!config_.filePath.empty()) file_.open(config_.filePath, std::ios::app);
}

LoggingConfig SdkLogger::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

bool SdkLogger::enabled(LogLevel level) const {
  const LogLevel configured = level_.load(std::memory_order_relaxed);
  return configured != LogLevel::None && level != LogLevel::None &&
         static_cast<int>(level) <= static_cast<int>(configured);
}

void SdkLogger::emit(LogLevel level, const std::string& line) {
  std::lock_guard lock(mutex_);
  if (config_.logToStderr) std::fprintf(stderr, "%s\n", line.c_str());
  if (file_.is_open()) file_ << line << '\n' << std::flush;
  if (config_.callback) config_.callback(level, line);
}

void SdkLogger::message(LogLevel level, const std::string& text) {
  if (!enabled(level)) return;
  const auto ts = formatDateTime(std::chrono::system_clock::now());
  if (config().format == LogFormat::Json) {
    emit(level, boost::json::serialize(boost::json::object{{"ts", ts}, {"level", logLevelName(level)}, {"message", text}}));
  } else {
    emit(level, ts + " " + std::string(logLevelName(level)) + " " + text);
  }
}

void SdkLogger::log(const LoggedExchange& e) {
  const bool failed = e.status == 0 || e.status >= 400;
  const LogLevel level = failed ? LogLevel::Error : LogLevel::Debug;
  if (!enabled(level)) return;
  const auto cfg = config();
  const bool trace = cfg.level == LogLevel::Trace;
  const auto ts = formatDateTime(std::chrono::system_clock::now());

  boost::json::object o{{"ts", ts},           {"level", logLevelName(level)}, {"method", e.method}, {"url", e.url},
                        {"attempt", e.attempt}, {"status", e.status},          {"elapsedMs", e.elapsed.count()}};
  if (!e.correlationId.empty()) o["correlationId"] = e.correlationId;
  if (!e.failure.empty()) o["error"] = e.failure;
  auto headers = [](const std::map<std::string, std::string>& h) {
    boost::json::object out;
    for (const auto& [name, value] : h) out[name] = redactHeaderValue(name, value);
    return out;
  };
  if (trace && e.requestHeaders) o["requestHeaders"] = headers(*e.requestHeaders);
  if (trace && e.responseHeaders) o["responseHeaders"] = headers(*e.responseHeaders);
  if (cfg.logRequestBody && e.requestBody && !e.requestBody->empty()) o["requestBody"] = redactBody(*e.requestBody);
  if (cfg.logResponseBody && e.responseBody && !e.responseBody->empty()) o["responseBody"] = redactBody(*e.responseBody);

  if (cfg.format == LogFormat::Json) return emit(level, boost::json::serialize(o));
  std::string line = ts + " " + std::string(logLevelName(level)) + " " + e.method + " " + e.url + " -> " +
                     (e.status ? std::to_string(e.status) : "no answer (" + e.failure + ")") + " in " +
                     std::to_string(e.elapsed.count()) + " ms";
  if (e.attempt > 1) line += " (attempt " + std::to_string(e.attempt) + ")";
  if (!e.correlationId.empty()) line += " correlation-id=" + e.correlationId;
  for (const char* key : {"requestHeaders", "responseHeaders", "requestBody", "responseBody"})
    if (const auto* v = o.if_contains(key)) line += std::string(" ") + key + "=" + boost::json::serialize(*v);
  emit(level, line);
}

}  // namespace PureCloudPlatformClientV2::internal
