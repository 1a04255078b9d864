// The Cookie header as the login pages read it (api/cookies.h).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/cookies.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  for (const std::string_view name : {"tokens_session", "tokens_csrf", ""}) {
    const auto value = tokens::api::cookieValue(header, name);
    // A value is a view into the header itself, never past its end.
    if (value && !value->empty() && (value->data() < header.data() || value->data() + value->size() > header.data() + header.size()))
      __builtin_trap();
  }
  return 0;
}
