#include "domain/redirect_uri.h"

#include <boost/url/parse.hpp>

namespace tokens::domain {

namespace {

bool isLoopbackHttp(const boost::urls::url_view& u) {
  return u.scheme() == "http" && (u.encoded_host() == "127.0.0.1" || u.encoded_host() == "[::1]");
}

// A port as a browser would connect to it: 1..65535, digits only, no leading zero. "08765" or "0" would be
// read differently by different parsers, or not be a port at all.
bool validPort(std::string_view port) {
  if (port.empty() || port.size() > 5 || port.front() == '0') return false;
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value <= 65535;
}

// A registered loopback URI without a port, and a requested one that adds a valid port to it: everything
// else compared as written.
bool loopbackWithAnyPort(const boost::urls::url_view& registered, const boost::urls::url_view& asked) {
  if (!isLoopbackHttp(registered) || !isLoopbackHttp(asked)) return false;
  if (registered.has_port() || !asked.has_port() || !validPort(asked.port())) return false;
  return registered.encoded_host() == asked.encoded_host() && registered.encoded_path() == asked.encoded_path() &&
         registered.has_query() == asked.has_query() && registered.encoded_query() == asked.encoded_query() &&
         !registered.has_fragment() && !asked.has_fragment() && !registered.has_userinfo() && !asked.has_userinfo();
}

}  // namespace

bool redirectUriRegistered(const Client& client, std::string_view requested) {
  if (requested.empty()) return false;
  const auto asked = boost::urls::parse_absolute_uri(requested);
  for (const auto& registered : client.redirectUris) {
    if (registered == requested) return true;
    if (!asked) continue;
    const auto reg = boost::urls::parse_absolute_uri(registered);
    if (reg && loopbackWithAnyPort(*reg, *asked)) return true;
  }
  return false;
}

}  // namespace tokens::domain
