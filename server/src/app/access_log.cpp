#include "app/access_log.h"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
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

void logAccess(spdlog::logger& logger, const http::CompletedRequest& r) {
  if (!logger.should_log(spdlog::level::info)) return;
  const auto quoted = [](std::string_view s) { return boost::json::serialize(boost::json::string(s)); };
  logger.info(R"({{"ts":"{}","method":{},"path":{},"status":{},"latencyMs":{:.3f},"correlationId":"{}","remote":"{}"}})",
              PureCloudPlatformClientV2::formatDateTime(std::chrono::system_clock::now()), quoted(r.method),
              quoted(r.path), r.status, std::chrono::duration<double, std::milli>(r.latency).count(), r.correlationId,
              r.remoteAddress);
}

}  // namespace tokens::app
