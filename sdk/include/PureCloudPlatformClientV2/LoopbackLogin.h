#pragma once
// Signing a user in from a native application through the system browser (RFC 8252): the options of
// ApiClient::loginPKCEGrantWithBrowser, and the system's browser opener it uses by default.

#include <chrono>
#include <functional>
#include <string>

namespace PureCloudPlatformClientV2 {

/// How ApiClient::loginPKCEGrantWithBrowser runs a sign-in. The defaults suit a public (PKCE) client
/// registered with the redirect URI `http://127.0.0.1/callback`, which accepts that URI on any port
/// (RFC 8252 §7.3).
struct LoopbackLoginOptions {
  /// The path of the redirect URI `http://127.0.0.1:PORT<redirectPath>`: '/' followed by letters, digits
  /// and `-._~/`.
  std::string redirectPath = "/callback";
  /// The port to listen on, 1..65535; 0 (recommended): a free port the system picks for this sign-in.
  int port = 0;
  /// How long the user has, from the call on, to complete the sign-in in the browser.
  std::chrono::seconds timeout{300};
  /// Shows the authorize URL to the user: opens it in a browser, prints it, ... It must return once the
  /// URL is handed over, not wait for the sign-in. Empty: openInSystemBrowser.
  std::function<void(const std::string& url)> openUrl;
  /// The `scope` to ask for (space-separated); empty: none is sent, the client's scopes apply.
  std::string scope;
};

/// Opens `url` in the user's default browser: `xdg-open URL` on Linux, `open URL` on macOS, started
/// directly (the URL never passes through a shell), with its standard streams on /dev/null. Returns once
/// the opener has handed the URL on, or after 3 s if it is still running then (it is left to finish).
/// Throws std::runtime_error when the opener cannot be started or reports a failure (no browser, no
/// desktop session), and on other systems.
void openInSystemBrowser(const std::string& url);

}  // namespace PureCloudPlatformClientV2
