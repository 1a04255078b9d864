// The provisioning TOML (SPEC §6) as the server loads it: accepted whole, or refused with a message.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "provision/provisioning.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto p = tokens::provision::parseProvisioning(std::string_view(reinterpret_cast<const char*>(data), size),
                                                        "fuzz.toml");
    (void)p.directory.userCount();
  } catch (const tokens::provision::ProvisioningError&) {
  }
  return 0;
}
