// `gctokens login`: gets a token with one of the grants the server offers (client credentials, password,
// refresh, or a user's sign-in in the browser with PKCE) and stores it in the chosen profile for later
// commands.

#include <chrono>
#include <iostream>
#include <memory>

#include "PureCloudPlatformClientV2/ApiClient.h"
#include "PureCloudPlatformClientV2/LoopbackLogin.h"
#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "api_session.h"
#include "cli_error.h"
#include "commands.h"
#include "exit_codes.h"
#include "json_value.h"

namespace gctokens {

namespace pc = PureCloudPlatformClientV2;

namespace {

struct LoginOptions {
  std::string username;
  std::string password;
  bool passwordFromStdin = false;
  std::string refreshToken;
  bool pkce = false;
  bool noBrowser = false;
  int loginTimeoutSeconds = 300;
  int redirectPort = 0;
  bool printToken = false;
  bool noSave = false;
};

// The first line of stdin, without its line ending: `printf '%s\n' "$PW" | gctokens login ...`
std::string readPasswordLine() {
  std::string line;
  if (!std::getline(std::cin, line)) throw usageError("--password-stdin: nothing on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw usageError("--password-stdin: the password is empty");
  return line;
}

// The browser sign-in: the URL goes to stderr in every case (stdout is the command's JSON result), so that
// the user can open it by hand when no browser opens.
pc::LoopbackLoginOptions browserSignIn(const LoginOptions& login) {
  if (login.loginTimeoutSeconds < 1 || login.loginTimeoutSeconds > 3600)
    throw usageError("--login-timeout must be 1..3600 seconds");
  if (login.redirectPort < 0 || login.redirectPort > 65535) throw usageError("--redirect-port must be 0..65535");
  pc::LoopbackLoginOptions o;
  o.port = login.redirectPort;
  o.timeout = std::chrono::seconds(login.loginTimeoutSeconds);
  o.openUrl = [openBrowser = !login.noBrowser, wait = std::to_string(login.loginTimeoutSeconds)](const std::string& url) {
    std::string intro = "Open this URL in a browser to sign in";
    if (openBrowser) {
      try {
        pc::openInSystemBrowser(url);
        intro = "The sign-in page is open in your browser; if it is not, open this URL";
      } catch (const std::exception& e) {
        intro = "Could not open a browser (" + std::string(e.what()) + "); open this URL in one to sign in";
      }
    }
    std::cerr << intro << " (waiting up to " << wait << " s):\n" << url << std::endl;
  };
  return o;
}

JsonValue member(std::string value) { return JsonValue{std::move(value)}; }
JsonValue member(bool value) { return JsonValue{value}; }
JsonValue number(long long value) { return JsonValue{JsonNumber{std::to_string(value)}}; }

int runLogin(const GlobalOptions& options, LoginOptions& login) {
  // The profile need not exist yet: login is how one comes to be.
  ApiSession session(options, /*profileMustExist=*/false);
  const ResolvedSettings& s = session.settings();
  if (login.pkce) {
    if (!options.clientSecret.empty()) throw usageError("--pkce signs in with a public client: give no --client-secret");
    if (!s.clientId)
      throw usageError("login --pkce needs the OAuth client's id: give --client-id (or GENESYSCLOUD_OAUTHCLIENT_ID, or "
                       "store it in profile '" + s.profileName + "')");
  } else if (!s.clientId || !s.clientSecret) {
    throw usageError("login needs an OAuth client: give --client-id and --client-secret (or "
                     "GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, or store them in profile '" +
                     s.profileName + "')");
  }
  if (login.passwordFromStdin) login.password = readPasswordLine();

  std::string grant;
  pc::AuthData auth;
  if (login.pkce) {
    grant = "authorization_code";
    auth = session.client()->loginPKCEGrantWithBrowser(*s.clientId, browserSignIn(login));
  } else if (!login.username.empty()) {
    if (login.password.empty()) throw usageError("--username needs --password or --password-stdin");
    grant = "password";
    auth = session.client()->loginPasswordGrant(*s.clientId, *s.clientSecret, login.username, login.password);
  } else if (!login.refreshToken.empty()) {
    grant = "refresh_token";
    auth = session.client()->refreshCodeAuthorizationGrant(*s.clientId, *s.clientSecret, login.refreshToken);
  } else {
    grant = "client_credentials";
    auth = session.client()->loginClientCredentialsGrant(*s.clientId, *s.clientSecret);
  }

  if (!login.noSave) {
    // Stored: the tokens, and what the user typed as flags for this login (location, client), so that
    // the profile can later use and renew the token on its own. Values from the environment stay there.
    Profile profile = s.profile.value_or(Profile{s.profileName});
    if (!options.baseUrl.empty()) {
      profile.baseUrl = options.baseUrl;
      profile.region.reset();
    } else if (!options.region.empty()) {
      profile.region = options.region;
      profile.baseUrl.reset();
    }
    if (!options.clientId.empty()) profile.clientId = options.clientId;
    if (!options.clientSecret.empty()) profile.clientSecret = options.clientSecret;
    // The profile's client is now a public one: a secret kept from an earlier client would not be its.
    if (login.pkce && !options.clientId.empty()) profile.clientSecret.reset();
    profile.accessToken = auth.accessToken;
    profile.refreshToken = auth.refreshToken.empty() ? std::nullopt : std::optional<std::string>(auth.refreshToken);
    session.profilesFile().put(profile);
    session.profilesFile().save();
  }

  if (login.printToken) {
    // Asked for explicitly: the raw token alone, for TOKEN=$(gctokens login --print-token ...).
    std::cout << auth.accessToken << std::endl;
    return kExitOk;
  }
  JsonObject summary{
      {"profile", member(s.profileName)},
      {"grant", member(grant)},
      {"tokenType", member(auth.tokenType)},
      {"expiresIn", number(auth.expiresIn)},
      {"expiresAt", member(pc::formatDateTime(auth.tokenExpiryTime))},
      {"refreshToken", member(!auth.refreshToken.empty())},
      {"saved", member(!login.noSave)},
  };
  if (!login.noSave) summary.emplace_back("configFile", member(session.profilesFile().path()));
  printResult(options, writeJson(JsonValue{std::move(summary)}, false));
  return kExitOk;
}

}  // namespace

void addLoginCommand(CLI::App& root, GlobalOptions& options, CommandRegistry& registry) {
  CLI::App* login = root.add_subcommand(
      "login",
      "Get an access token (client credentials, password, refresh, or a browser sign-in with PKCE) and store it in "
      "the profile");
  login->footer(
      "Grant: client credentials by default (--client-id, --client-secret); password with --username and\n"
      "--password or --password-stdin (a PASSWORD client); refresh with --refresh-token; a user's sign-in in\n"
      "the browser with --pkce (a public client registered with http://127.0.0.1/callback: --client-id\n"
      "only; the sign-in URL is also printed on stderr, and only printed with --no-browser). The client id\n"
      "and secret may also come from the environment or the profile. Stored in the profile: the access token,\n"
      "the refresh token (if any), and the --base-url/--region, --client-id and --client-secret given as\n"
      "flags. Prints a summary, never the token, unless --print-token.\n\n"
      "Examples:\n"
      "  gctokens login --base-url http://127.0.0.1:8080 --client-id acme-admin-service --client-secret acme-admin-secret\n"
      "  gctokens login --client-id acme-desktop --client-secret acme-desktop-secret --username paul@acme.example --password-stdin\n"
      "  gctokens login --client-id acme-desktop --client-secret acme-desktop-secret --refresh-token \"$REFRESH\"\n"
      "  gctokens login --pkce --client-id acme-cli\n"
      "  TOKEN=$(gctokens login --no-save --print-token --client-id ... --client-secret ...)");
  auto opts = std::make_shared<LoginOptions>();
  CLI::Option* username =
      login->add_option("--username,-u", opts->username, "Password grant: the user's email")->type_name("EMAIL");
  CLI::Option* password = login->add_option("--password,-p", opts->password,
                                            "Password grant: the user's password (visible to other local users in "
                                            "the process list: prefer --password-stdin)");
  CLI::Option* passwordStdin =
      login->add_flag("--password-stdin", opts->passwordFromStdin, "Password grant: read the password from standard input");
  CLI::Option* refresh =
      login->add_option("--refresh-token", opts->refreshToken, "Refresh grant: exchange this refresh token")->type_name("TOKEN");
  CLI::Option* pkce = login->add_flag(
      "--pkce", opts->pkce, "Sign a user in through the browser (authorization code with PKCE, loopback redirect)");
  CLI::Option* noBrowser =
      login->add_flag("--no-browser", opts->noBrowser, "With --pkce: print the sign-in URL on stderr, open no browser");
  CLI::Option* loginTimeout =
      login->add_option("--login-timeout", opts->loginTimeoutSeconds,
                        "With --pkce: seconds to wait for the sign-in (default 300)")
          ->type_name("SECONDS");
  CLI::Option* redirectPort =
      login->add_option("--redirect-port", opts->redirectPort,
                        "With --pkce: the port of the redirect URI http://127.0.0.1:PORT/callback (default 0: a free one)")
          ->type_name("PORT");
  password->needs(username);
  passwordStdin->needs(username);
  password->excludes(passwordStdin);
  refresh->excludes(username);
  pkce->excludes(username);
  pkce->excludes(refresh);
  for (CLI::Option* option : {noBrowser, loginTimeout, redirectPort}) option->needs(pkce);
  login->add_flag("--print-token", opts->printToken, "Print the access token (only it) on stdout");
  login->add_flag("--no-save", opts->noSave, "Do not write the profile");
  registry.add(login, [&options, opts] { return runLogin(options, *opts); });
}

}  // namespace gctokens
