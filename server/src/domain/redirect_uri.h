#pragma once
// Which redirect URIs a client may send a browser to (SPEC §5, RFC 8252 §7.3 read narrowly).

#include <string_view>

#include "domain/directory.h"

namespace tokens::domain {

/// Whether `requested` is one of the client's registered redirect URIs. The comparison is exact, with one
/// exception that RFC 8252 requires: a registered loopback IP literal *without a port* (http://127.0.0.1/PATH
/// or http://[::1]/PATH) accepts that URI with any valid port (1..65535, written without leading zeros),
/// because a native app listens on whatever port the system gives it at login time. A registered URI
/// that names a port matches that port only: otherwise any local process could catch another app's code.
bool redirectUriRegistered(const Client& client, std::string_view requested);

}  // namespace tokens::domain
