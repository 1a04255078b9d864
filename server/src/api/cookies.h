#pragma once
// Reading the Cookie header and writing Set-Cookie for the login pages.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tokens::api {

/// The value of cookie `name` in a Cookie header ("a=1; b=2"), if present.
std::optional<std::string_view> cookieValue(std::string_view cookieHeader, std::string_view name);

struct CookieOptions {
  std::string path = "/";
  std::optional<std::chrono::seconds> maxAge;  ///< none: ends with the browser session; 0: delete
  bool secure = false;                         ///< only when the page was served over TLS
};

/// `name=value; Path=…; [Max-Age=…;] HttpOnly; SameSite=Lax[; Secure]`. Always HttpOnly and SameSite=Lax:
/// no script reads these cookies, and no other site's form or frame sends them.
std::string setCookie(std::string_view name, std::string_view value, const CookieOptions& options);

}  // namespace tokens::api
