#pragma once
// The checks a request's head must pass before its body is read or a handler sees it (RFC 9112): the
// framing (Transfer-Encoding), the Host field and the target. Used by the connection layer and by the
// fuzz target tests/fuzz/fuzz_http_request.cpp, so that both run the very same checks.

#include <optional>

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include "http/request_dispatcher.h"

namespace tokens::http {

/// Why the head must be refused (then the connection closes), or nothing when it may go on.
std::optional<Refusal::Reason> refusedHead(const boost::beast::http::request_header<>& header, bool chunked);

}  // namespace tokens::http
