#pragma once
// The HTML of the browser-facing pages: the login form, an error page, the signed-out page. Plain
// server-rendered HTML with its CSS inline: no script, no outside asset, so the Content-Security-Policy
// can forbid everything else.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tokens::api {

struct LoginPage {
  std::string applicationName;   ///< the OAuth client's name
  std::string organizationName;
  std::vector<std::pair<std::string, std::string>> hiddenFields;  ///< the authorization request, CSRF token
  std::string email;             ///< kept after a failed attempt
  std::optional<std::string> error;
};

std::string renderLoginPage(const LoginPage& page);
/// A page for what cannot be sent back to the application (unknown client, unregistered redirect URI...).
std::string renderErrorPage(std::string_view title, std::string_view message);
std::string renderSignedOutPage();

/// &, <, >, " and ' as entities: every text and attribute value goes through it.
std::string escapeHtml(std::string_view text);

}  // namespace tokens::api
