#include "http/request_head.h"

#include "http/request_target.h"

namespace tokens::http {

namespace bhttp = boost::beast::http;

std::optional<Refusal::Reason> refusedHead(const bhttp::request_header<>& header, bool chunked) {
  using Reason = Refusal::Reason;
  // A Transfer-Encoding that does not end in "chunked" leaves the body's end unknown; Beast would read
  // the bytes as the next request (request smuggling). RFC 9112 §6.3: answer 400 and close.
  if (header.count(bhttp::field::transfer_encoding) && (!chunked || header.version() < 11)) return Reason::Malformed;
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1 (at most one before), and a valid one. Two Hosts would
  // let one component read the first and another the second (the login form's same-origin check reads
  // it). The absolute form names its host itself, and then the Host field's value is ignored.
  const auto target = parseRequestTarget(header.target());
  const auto hosts = header.count(bhttp::field::host);
  if (!target || hosts > 1 || (hosts == 0 && header.version() >= 11)) return Reason::Malformed;
  if (hosts == 1 && target->authority.empty() && !validHost(header[bhttp::field::host])) return Reason::Malformed;
  return std::nullopt;
}

}  // namespace tokens::http
