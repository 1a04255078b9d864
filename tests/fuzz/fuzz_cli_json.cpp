// The CLI's JSON reader (cli/src/json_value.h): any bytes are a document or a clear error, and what it
// reads it writes back in a form that reads back the same.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "json_value.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gctokens::JsonValue value;
  try {
    value = gctokens::parseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::runtime_error&) {
    return 0;
  }
  for (const bool pretty : {false, true}) {
    const auto written = gctokens::writeJson(value, pretty);
    gctokens::JsonValue again;
    try {
      again = gctokens::parseJson(written);
    } catch (const std::runtime_error&) {
      __builtin_trap();  // it wrote what it cannot read
    }
    if (gctokens::writeJson(again, pretty) != written) __builtin_trap();
  }
  return 0;
}
