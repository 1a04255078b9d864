// The request head and body framing as the server reads them (http/session.cpp): Beast's parser with
// the server's default limits, fed in reads of a size the input chooses (a slow client's segments), the
// head checks the connection layer makes (http/request_head.h), the target's split, then the next
// pipelined request on the bytes that are left.

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/http_server.h"
#include "http/request_head.h"
#include "http/request_target.h"

namespace bhttp = boost::beast::http;

namespace {

const tokens::http::HttpServerOptions kServerDefaults;

// One request from bytes[pos...]; false when the connection would close (an error, or a refusal).
bool readOneRequest(const std::uint8_t* data, std::size_t size, std::size_t& pos, std::size_t readSize) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(kServerDefaults.maxBodyBytes);
  parser.header_limit(static_cast<std::uint32_t>(kServerDefaults.maxHeaderBytes));
  std::size_t available = std::min(size, pos + readSize);
  const auto feed = [&](auto done) {
    boost::beast::error_code ec;
    while (!done()) {
      // As Beast's read does: nothing buffered, or not enough for the parser, and the socket is read.
      if (pos == available || ec == bhttp::error::need_more) {
        if (available == size) return false;  // the peer stops sending: the server's read times out
        available = std::min(size, available + readSize);
        ec = {};
      }
      pos += parser.put(boost::asio::buffer(data + pos, available - pos), ec);
      if (ec && ec != bhttp::error::need_more) return false;  // answered 400/413/431 by the server, then closed
    }
    return true;
  };
  if (!feed([&] { return parser.is_header_done(); })) return false;
  if (tokens::http::refusedHead(parser.get(), parser.chunked())) return false;
  // The host an absolute form names is one the Host check (a second parser: Boost.URL's authority rule)
  // accepts too: the login form's same-origin check reads either as the request's host.
  const auto target = tokens::http::parseRequestTarget(parser.get().target());
  if (target && !target->authority.empty() && !tokens::http::validHost(target->authority)) __builtin_trap();
  if (!feed([&] { return parser.is_done(); })) return false;
  return parser.get().keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t readSize = data[0] == 0 ? size : data[0];
  std::size_t pos = 1;
  for (int request = 0; request < 16 && pos < size; ++request)
    if (!readOneRequest(data, size, pos, readSize)) break;
  return 0;
}
