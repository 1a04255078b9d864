// The SDK's config file (~/.genesyscloudcpp/config, INI) as it reads it: any bytes give settings or a
// refusal, never a crash, and every number it accepts is within its range.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "internal/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  const auto settings = PureCloudPlatformClientV2::internal::parseConfigFile(in, "fuzz", {});
  if (!settings) return 0;
  const auto& retry = settings->retry;
  if (retry.maxRetries < 0 || retry.maxRetries > 100) __builtin_trap();
  if (retry.baseDelay.count() < 0 || retry.maxDelay.count() < 0 || retry.maxRetryTime.count() < 0) __builtin_trap();
  if (settings->gateway && (settings->gateway->port < -1 || settings->gateway->port > 65535)) __builtin_trap();
  return 0;
}
