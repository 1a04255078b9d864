#pragma once
// The checks a request's head must pass before its body is read or a handler sees it (RFC 9112): the
// framing (Transfer-Encoding), the Host field and the target. Used by the connection layer and by the
// fuzz target tests/fuzz/fuzz_http_request.cpp, so that both run the very same checks.

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

namespace tokens::http {

/// 0 when the head may go on, else the status to answer it with (then the connection closes).
int refusedHead(const boost::beast::http::request_header<>& header, bool chunked);

}  // namespace tokens::http
