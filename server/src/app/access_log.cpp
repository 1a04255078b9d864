#include "app/access_log.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "PureCloudPlatformClientV2/model/DateTime.h"

namespace tokens::app {

std::shared_ptr<spdlog::logger> makeAccessLogger() {
  spdlog::init_thread_pool(8192, 1);
  auto logger = std::make_shared<spdlog::async_logger>("access", std::make_shared<spdlog::sinks::stdout_sink_mt>(),
                                                       spdlog::thread_pool(), spdlog::async_overflow_policy::overrun_oldest);
  logger->set_pattern("%v");
  return logger;
}

std::string jsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {  // controls, DEL and every byte from 0x80: one \u00XX per byte, so the line stays ASCII
      out.append("\\u00").push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  out.push_back('"');
  return out;
}

void logAccess(spdlog::logger& logger, const http::CompletedRequest& r) {
  if (!logger.should_log(spdlog::level::info)) return;
  logger.info(R"({{"ts":"{}","method":{},"path":{},"status":{},"latencyMs":{:.3f},"correlationId":"{}","remote":"{}"}})",
              PureCloudPlatformClientV2::formatDateTime(std::chrono::system_clock::now()), jsonString(r.method),
              jsonString(r.path), r.status, std::chrono::duration<double, std::milli>(r.latency).count(), r.correlationId,
              r.remoteAddress);
}

}  // namespace tokens::app
