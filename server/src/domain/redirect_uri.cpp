#include "domain/redirect_uri.h"

#include <boost/url/parse.hpp>

namespace tokens::domain {

namespace {

bool isLoopbackHttp(const boost::urls::url_view& u) {
  return u.scheme() == "http" && (u.encoded_host() == "127.0.0.1" || u.encoded_host() == "[::1]");
}

// Two loopback URIs that differ at most in their ports: everything else compared as written.
bool sameExceptPort(const boost::urls::url_view& a, const boost::urls::url_view& b) {
  return a.scheme() == b.scheme() && a.encoded_host() == b.encoded_host() && a.encoded_path() == b.encoded_path() &&
         a.has_query() == b.has_query() && a.encoded_query() == b.encoded_query() && !a.has_fragment() &&
         !b.has_fragment() && !a.has_userinfo() && !b.has_userinfo();
}

}  // namespace

bool redirectUriRegistered(const Client& client, std::string_view requested) {
  if (requested.empty()) return false;
  const auto asked = boost::urls::parse_absolute_uri(requested);
  for (const auto& registered : client.redirectUris) {
    if (registered == requested) return true;
    if (!asked || !isLoopbackHttp(*asked)) continue;
    const auto reg = boost::urls::parse_absolute_uri(registered);
    if (reg && isLoopbackHttp(*reg) && sameExceptPort(*reg, *asked)) return true;
  }
  return false;
}

}  // namespace tokens::domain
