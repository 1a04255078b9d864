#pragma once
// Byte-level mutations of a valid request, the kinds that found bugs in HTTP servers before: bit flips,
// bytes outside ASCII, CR and LF where they do not belong, repeated and cut header lines, absurd
// lengths, framing words (Transfer-Encoding, a second Host), percent-encodings.

#include <cstdint>
#include <random>
#include <string>

namespace tokens::fuzz {

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}
  /// `request` changed by 0 to 4 random mutations (0 now and then: the valid request itself).
  std::string mutate(std::string request);
  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  void mutateOnce(std::string& r);
  std::mt19937_64 rng_;
};

}  // namespace tokens::fuzz
