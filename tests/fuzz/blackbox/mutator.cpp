#include "mutator.h"

#include <array>
#include <string_view>

namespace tokens::fuzz {

namespace {

constexpr std::array<std::string_view, 33> kWords = {
    "\r\n", "\r\n\r\n", "\n", "\r", " ", ":", "%", "%00", "%ff", "%2F", "%2e%2e/", "\"", "{", "}", "\\",
    "\r\nHost: evil.example", "\r\nTransfer-Encoding: chunked", "\r\nTransfer-Encoding: gzip",
    "\r\nContent-Length: 99999999999999999999", "\r\nContent-Length: -1", "\r\nContent-Length: 5",
    "\r\nExpect: 100-continue", "\r\nConnection: close", "\r\nAuthorization: Bearer ", "\r\nCookie: tokens_session=",
    "\r\nX-Forwarded-For: 10.0.0.1", "0\r\n\r\n", " HTTP/1.0", "http://127.0.0.1", "?preserveIdleTTL=maybe",
    "\xc3\xa9", "\xff\xfe", "\x80"};

constexpr std::array<char, 12> kBytes = {'\0', '\r', '\n', ' ', ':', '%', '"', '{', '\x7f', '\x80', '\xff', ';'};

}  // namespace

std::string Mutator::mutate(std::string request) {
  const std::size_t count = below(5);
  for (std::size_t i = 0; i < count; ++i) mutateOnce(request);
  return request;
}

void Mutator::mutateOnce(std::string& r) {
  const std::size_t at = below(r.size() + 1);
  switch (below(10)) {
    case 0:  // flip a bit
      if (at < r.size()) r[at] = static_cast<char>(r[at] ^ (1 << below(8)));
      break;
    case 1:  // an interesting byte instead
      if (at < r.size()) r[at] = kBytes[below(kBytes.size())];
      break;
    case 2:  // random bytes in
      for (std::size_t n = 1 + below(8); n > 0; --n) r.insert(r.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(below(256)));
      break;
    case 3:  // a run out
      r.erase(at, 1 + below(16));
      break;
    case 4: {  // a run repeated
      const auto length = 1 + below(64);
      r.insert(at, r.substr(at, length));
      break;
    }
    case 5:  // a framing word in
      r.insert(at, kWords[below(kWords.size())]);
      break;
    case 6:  // cut short
      r.resize(at);
      break;
    case 7: {  // a header line doubled
      const auto line = r.find("\r\n", at);
      const auto next = line == std::string::npos ? std::string::npos : r.find("\r\n", line + 2);
      if (next != std::string::npos) r.insert(next, r.substr(line, next - line));
      break;
    }
    case 8:  // something long: a header, a path, a field
      r.insert(at, std::string(below(2) ? 100 + below(1000) : 9000, static_cast<char>('A' + below(26))));
      break;
    default: {  // another method
      static constexpr std::array<std::string_view, 8> kMethods = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"};
      const auto space = r.find(' ');
      if (space != std::string::npos) r.replace(0, space, kMethods[below(kMethods.size())]);
      break;
    }
  }
}

}  // namespace tokens::fuzz
