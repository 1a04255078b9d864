#pragma once
// Which redirect URIs a client may send a browser to (SPEC §5, RFC 8252 §7.3).

#include <string_view>

#include "domain/directory.h"

namespace tokens::domain {

/// Whether `requested` is one of the client's registered redirect URIs. The comparison is exact, with one
/// exception that RFC 8252 requires: for a loopback IP literal (http://127.0.0.1 or http://[::1]) the port
/// is not compared, because a native app listens on whatever port the system gives it at login time.
bool redirectUriRegistered(const Client& client, std::string_view requested);

}  // namespace tokens::domain
