// `gctokens login`: gets a token with one of the grants the server offers (client credentials, password,
// refresh) and stores it in the chosen profile for later commands.

#include <iostream>
#include <memory>

#include "PureCloudPlatformClientV2/ApiClient.h"
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

JsonValue member(std::string value) { return JsonValue{std::move(value)}; }
JsonValue member(bool value) { return JsonValue{value}; }
JsonValue number(long long value) { return JsonValue{JsonNumber{std::to_string(value)}}; }

int runLogin(const GlobalOptions& options, LoginOptions& login) {
  // The profile need not exist yet: login is how one comes to be.
  ApiSession session(options, /*profileMustExist=*/false);
  const ResolvedSettings& s = session.settings();
  if (!s.clientId || !s.clientSecret)
    throw usageError("login needs an OAuth client: give --client-id and --client-secret (or "
                     "GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, or store them in profile '" +
                     s.profileName + "')");
  if (login.passwordFromStdin) login.password = readPasswordLine();

  std::string grant;
  pc::AuthData auth;
  if (!login.username.empty()) {
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
      "login", "Get an access token (client credentials, password or refresh grant) and store it in the profile");
  login->footer(
      "Grant: client credentials by default (--client-id, --client-secret); password with --username and\n"
      "--password or --password-stdin (a PASSWORD client); refresh with --refresh-token. The client id and\n"
      "secret may also come from the environment or the profile. Stored in the profile: the access token,\n"
      "the refresh token (if any), and the --base-url/--region, --client-id and --client-secret given as\n"
      "flags. Prints a summary, never the token, unless --print-token.\n\n"
      "Examples:\n"
      "  gctokens login --base-url http://127.0.0.1:8080 --client-id acme-admin-service --client-secret acme-admin-secret\n"
      "  gctokens login --client-id acme-desktop --client-secret acme-desktop-secret --username paul@acme.example --password-stdin\n"
      "  gctokens login --client-id acme-desktop --client-secret acme-desktop-secret --refresh-token \"$REFRESH\"\n"
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
  password->needs(username);
  passwordStdin->needs(username);
  password->excludes(passwordStdin);
  refresh->excludes(username);
  login->add_flag("--print-token", opts->printToken, "Print the access token (only it) on stdout");
  login->add_flag("--no-save", opts->noSave, "Do not write the profile");
  registry.add(login, [&options, opts] { return runLogin(options, *opts); });
}

}  // namespace gctokens
