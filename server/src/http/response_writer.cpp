#include "http/response_writer.h"

#include <charconv>

#include <boost/beast/http/status.hpp>

namespace tokens::http {
namespace {

void appendNumber(std::string& out, std::size_t value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, static_cast<std::size_t>(end - digits));
}

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
  // Values are ours, but a CR or LF in one would split the response: never write such a header.
  if (value.find_first_of("\r\n") != std::string_view::npos || name.find_first_of("\r\n:") != std::string_view::npos)
    return;
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

void writeResponse(const HttpResponse& response, const ResponseFraming& framing, std::string& out) {
  out.clear();
  out.append("HTTP/1.1 ");
  appendNumber(out, static_cast<std::size_t>(response.status));
  out.push_back(' ');
  out.append(boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(response.status)));
  out.append("\r\nServer: tokens-server\r\n");
  appendHeader(out, "ININ-Correlation-Id", framing.correlationId);
  if (!response.contentType.empty()) appendHeader(out, "Content-Type", response.contentType);
  for (const auto& [name, value] : response.headers) appendHeader(out, name, value);
  if (!framing.keepAlive)
    out.append("Connection: close\r\n");
  else if (framing.http10)
    out.append("Connection: keep-alive\r\n");
  const bool noBody = response.status == 204 || response.status == 304 || response.status < 200;
  if (!noBody) {
    // HEAD: Content-Length 0 rather than the GET body's length, so that load generators (wrk, h2load)
    // that wait for the announced bytes do not hang.
    out.append("Content-Length: ");
    appendNumber(out, framing.headRequest ? 0 : response.body.size());
    out.append("\r\n");
  }
  out.append("\r\n");
  if (!noBody && !framing.headRequest) out.append(response.body);
}

}  // namespace tokens::http
