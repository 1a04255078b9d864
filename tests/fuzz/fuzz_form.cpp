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
  if (tokens::domain::redirectUriRegistered(client, text) && text.empty()) __builtin_trap();
  return 0;
}
