#pragma once
// Who is calling, for the throttles that are kept per caller address (SPEC §5).

#include <string>

#include "http/http_types.h"

namespace tokens::api {

/// The connection's peer, or, when the peer is a proxy on this very machine (a loopback address), the
/// last address it put in X-Forwarded-For: the only one it vouches for. A proxy elsewhere is not trusted:
/// its X-Forwarded-For could be anyone's.
std::string clientAddress(const http::HttpRequest& req);

}  // namespace tokens::api
