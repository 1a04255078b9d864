// gctokens: a command line for the Genesys Cloud Tokens API, built on the C++ SDK's public API.
// This file declares the global options, parses, runs the selected command, and is the one place where
// failures become stderr JSON and exit codes (exit_codes.h).

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "PureCloudPlatformClientV2/ApiException.h"
#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/Json.h"
#include "cli_error.h"
#include "commands.h"
#include "exit_codes.h"
#include "json_value.h"
#include "output.h"

#ifndef GCTOKENS_VERSION
#define GCTOKENS_VERSION "0.0.0"
#endif

namespace gctokens {
namespace {

namespace pc = PureCloudPlatformClientV2;

void addGlobalOptions(CLI::App& app, GlobalOptions& o) {
  const std::string where = "Where and who (override the profile; see 'Precedence' in docs/cli.md)";
  app.add_option("--config", o.configPath, "Profiles file (default: $GCTOKENS_CONFIG, else ~/.gctokens/config.toml)")
      ->type_name("PATH");
  app.add_option("--profile", o.profile, "Profile to use (default: $GCTOKENS_PROFILE, else \"default\")")
      ->type_name("NAME");
  // --base-url and --region exclude each other; settings.cpp checks it (CLI11's `excludes` would clutter
  // the help text).
  app.add_option("--base-url", o.baseUrl, "API base URL, e.g. http://127.0.0.1:8080 (env GENESYSCLOUD_API_REGION)")
      ->type_name("URL")
      ->group(where);
  app.add_option("--region", o.region, "Genesys Cloud region, e.g. us_east_1, eu_west_1 (env GENESYSCLOUD_REGION)")
      ->type_name("REGION")
      ->group(where);
  app.add_option("--client-id", o.clientId, "OAuth client id (env GENESYSCLOUD_OAUTHCLIENT_ID)")->type_name("ID")->group(where);
  app.add_option("--client-secret", o.clientSecret, "OAuth client secret (env GENESYSCLOUD_OAUTHCLIENT_SECRET)")
      ->type_name("SECRET")
      ->group(where);
  app.add_option("--access-token", o.accessToken, "Use this access token (no login, no renewal)")
      ->type_name("TOKEN")
      ->group(where);
  app.add_option("--output,-o", o.output, "Output format: json (default), yaml or table")
      ->check(CLI::IsMember({"json", "yaml", "table"}, CLI::ignore_case).description(""))
      ->type_name("json|yaml|table");
  app.add_option("--retries", o.retries, "Retries after 429, 5xx and connection failures (default 2; 0: none)")
      ->type_name("N");
  app.add_option("--timeout", o.timeoutSeconds, "Seconds an attempt may take, and all the retrying of a call (default 30)")
      ->type_name("SECONDS");
  app.add_flag("--verbose,-v", o.verbose, "Log requests and responses to stderr (tokens and secrets redacted)");
}

// A subcommand's help shows its own options only: point every one of them at the global ones.
void addGlobalOptionsNote(CLI::App& command) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    const std::string note = "Global options (--profile, --base-url, --client-id, --output, ...) may come before or after "
                             "the command: see gctokens --help.";
    sub->footer(sub->get_footer().empty() ? note : sub->get_footer() + "\n\n" + note);
    addGlobalOptionsNote(*sub);
  }
}

// The selected leaf command: the deepest subcommand that the command line named.
const CLI::App* selectedCommand(const CLI::App& app) {
  const CLI::App* current = &app;
  for (;;) {
    const auto subcommands = current->get_subcommands();
    if (subcommands.empty()) return current;
    current = subcommands.front();
  }
}

// The OAuth error answer's description (RFC 6749 §5.2), if the body is one.
std::string oauthDescription(const std::string& rawBody) {
  try {
    const JsonValue v = parseJson(rawBody);
    if (!v.isObject()) return {};
    for (const char* key : {"error_description", "description"})
      for (const auto& [name, value] : v.object())
        if (name == key && value.isString() && !value.string().empty()) return value.string();
  } catch (const std::exception&) {
  }
  return {};
}

int reportApiException(const pc::ApiException& e) {
  if (e.isTransportError()) {
    printErrorMessage(e.what());
    return kExitTransportError;
  }
  // Always an ErrorBody on stderr: the API's own when it sent one, else one made from what came (an OAuth
  // error of a login, or a HEAD answer, which has no body).
  pc::ErrorBody body = e.getErrorBody().value_or(pc::ErrorBody{});
  if (!body.status) body.status = e.getStatusCode();
  if (!body.code && !e.getOAuthError().empty()) body.code = e.getOAuthError();
  if (!body.message) {
    const std::string description = oauthDescription(e.getRawBody());
    body.message = description.empty() ? std::string(e.what()) : description;
  }
  if (!body.contextId && !e.getCorrelationId().empty()) body.contextId = e.getCorrelationId();
  printErrorJson(pc::toJson(body));
  return kExitApiError;
}

int run(int argc, char** argv) {
  CLI::App app{"gctokens: the Genesys Cloud Tokens API from the command line.\n"
               "Results go to stdout (JSON unless --output says otherwise); errors to stderr as JSON.\n"
               "Exit codes: 0 ok, 1 API error, 2 usage error, 3 no answer (connection, timeout).",
               "gctokens"};
  app.set_version_flag("--version", std::string("gctokens ") + GCTOKENS_VERSION);
  app.require_subcommand(1);
  // Global options may follow the subcommand too (gctokens tokens me get --profile prod): subcommands
  // created after this pass options they do not know up to their parent.
  app.fallthrough();
  app.get_formatter()->column_width(36);

  GlobalOptions options;
  addGlobalOptions(app, options);
  CommandRegistry registry;
  addTokensCommands(app, options, registry);
  addLoginCommand(app, options, registry);
  addProfilesCommands(app, options, registry);
  addGlobalOptionsNote(app);
  // After the subcommands: they would inherit it otherwise.
  app.footer(
      "Examples:\n"
      "  gctokens profiles new local --base-url http://127.0.0.1:8080 --client-id acme-admin-service --client-secret acme-admin-secret\n"
      "  gctokens --profile local tokens me get\n"
      "  gctokens --profile local tokens timeout update --seconds 900 --enable\n"
      "Run 'gctokens COMMAND --help' for a command's options; docs/cli.md has the rest.");

  try {
    app.parse(argc, argv);
    // Checked here rather than with CLI11 validators, whose annotations would clutter the help text.
    if (options.retries < 0 || options.retries > 10) throw CLI::ValidationError("--retries", "must be 0..10");
    if (!(options.timeoutSeconds >= 0.1 && options.timeoutSeconds <= 600))
      throw CLI::ValidationError("--timeout", "must be 0.1..600 seconds");
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version: printed to stdout
    printErrorMessage(e.what());
    return kExitUsageError;
  }

  const CommandAction* action = registry.find(selectedCommand(app));
  if (action == nullptr) {  // not reachable: every group requires a subcommand
    printErrorMessage("no command given (see gctokens --help)");
    return kExitUsageError;
  }
  try {
    return (*action)();
  } catch (const CliError& e) {
    printErrorMessage(e.what());
    return e.exitCode();
  } catch (const pc::ApiException& e) {
    return reportApiException(e);
  } catch (const std::exception& e) {
    printErrorMessage(e.what());
    return kExitApiError;
  }
}

}  // namespace
}  // namespace gctokens

int main(int argc, char** argv) { return gctokens::run(argc, argv); }
