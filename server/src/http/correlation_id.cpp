#include "http/correlation_id.h"

#include <cstdint>
#include <random>
#include <stdexcept>

#include <sodium.h>

namespace tokens::http {

std::string newCorrelationId() {
  thread_local std::mt19937_64 generator = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    std::seed_seq seed{randombytes_random(), randombytes_random(), randombytes_random(), randombytes_random()};
    return std::mt19937_64(seed);
  }();
  std::uint64_t hi = generator(), lo = generator();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  int pos = 0;
  auto put = [&](std::uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[static_cast<std::size_t>(pos++)] = kHex[(v >> (i * 4)) & 0xF];
    }
  };
  put(hi, 16);
  put(lo, 16);
  return out;
}

}  // namespace tokens::http
