#pragma once
// The user's part of a native application's sign-in (RFC 8252): the authorize URL that the application
// printed or opened, the server's login page, and the redirect back to the application's loopback
// listener. For the SDK's and the CLI's tests against the real server.

#include <string>

#include "browser_login.h"
#include "http_client.h"
#include "url_query.h"

namespace tokens::testing {

/// Signs in on the login page that `authorizeUrl` (on the server at `serverBase`) shows, then follows
/// the redirect to the application. Returns the application's page, or the server's answer when it did
/// not redirect.
inline HttpResult signInThroughTheBrowser(const std::string& serverBase, const std::string& authorizeUrl,
                                          const std::string& email, const std::string& password) {
  auto q = queryParams(authorizeUrl);
  Browser browser(serverBase);
  const HttpResult signedIn =
      browser.login({q["client_id"], q["redirect_uri"], q["response_type"], q["state"], q["code_challenge"]}, email,
                    password);
  if (signedIn.status != 302) return signedIn;
  return HttpClient("").get(signedIn.header("location"));
}

}  // namespace tokens::testing
