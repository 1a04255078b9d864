// Form bodies, query strings and path segments (api/url_encoding.h) as the handlers read them, HTTP Basic
// credentials (the client's id and secret at /oauth/token), and redirect URIs against a registration.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/url_encoding.h"
#include "domain/directory.h"
#include "domain/redirect_uri.h"
#include "domain/token_crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto form = tokens::api::parseForm(text)) {
    for (const char* name : {"grant_type", "username", "password", "code", "redirect_uri", "client_id", "state"})
      if (const auto* value = tokens::api::findField(*form, name)) (void)value->size();
  }
  (void)tokens::api::decodePathSegment(text);
  if (const auto basic = tokens::domain::decodeBase64(text)) (void)basic->find(':');

  static const tokens::domain::Client client = [] {
    tokens::domain::Client c;
    c.redirectUris = {"http://127.0.0.1/callback", "http://127.0.0.1:8765/callback", "http://[::1]/cb",
                      "https://app.example/callback?x=1"};
    return c;
  }();
  // SPEC §5, written out again: exactly a registered URI, or a registered loopback URI without a port
  // with a valid port added (1..65535, no leading zero) and nothing else changed.
  if (tokens::domain::redirectUriRegistered(client, text)) {
    bool exact = false;
    for (const auto& uri : client.redirectUris) exact = exact || uri == text;
    const auto withPort = [&](std::string_view prefix, std::string_view suffix) {
      if (!text.starts_with(prefix) || !text.ends_with(suffix) || text.size() <= prefix.size() + suffix.size()) return false;
      const auto port = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
      if (port.size() > 5 || port.front() == '0' || port.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
      return std::stoul(std::string(port)) <= 65535;
    };
    if (!exact && !withPort("http://127.0.0.1:", "/callback") && !withPort("http://[::1]:", "/cb")) __builtin_trap();
  }
  return 0;
}
