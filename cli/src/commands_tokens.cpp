// `gctokens tokens ...`: the six operations of the Tokens API, one command each.

#include <iostream>
#include <memory>

#include "PureCloudPlatformClientV2/TokensApi.h"
#include "PureCloudPlatformClientV2/model/Json.h"
#include "api_session.h"
#include "cli_error.h"
#include "commands.h"
#include "exit_codes.h"
#include "timeout_body.h"

namespace gctokens {

namespace pc = PureCloudPlatformClientV2;

namespace {

void addMeCommands(CLI::App& tokens, GlobalOptions& options, CommandRegistry& registry) {
  CLI::App* me = tokens.add_subcommand("me", "The token that makes the call");
  me->require_subcommand(1);

  CLI::App* get = me->add_subcommand("get", "Show the calling token (GET /api/v2/tokens/me)");
  get->footer("Shows the token's organization, home organization, OAuth client, scopes, the user it was cloned\n"
              "from (if any) and dateTokenIdles, when an idle timeout applies to it.");
  auto preserveIdleTtl = std::make_shared<bool>(false);
  get->add_flag("--preserve-idle-ttl", *preserveIdleTtl,
                "Do not count this call as activity: the token's idle clock is not reset (preserveIdleTTL=true)");
  registry.add(get, [&options, preserveIdleTtl] {
    ApiSession session(options);
    const std::optional<bool> preserve = *preserveIdleTtl ? std::optional<bool>(true) : std::nullopt;
    const pc::TokenInfo info = session.call([&](pc::TokensApi& api) { return api.getTokensMe(preserve); });
    printResult(options, pc::toJson(info));
    return kExitOk;
  });

  CLI::App* del = me->add_subcommand("delete", "Revoke the calling token (DELETE /api/v2/tokens/me)");
  del->footer("The refresh token issued with it is revoked too. A token stored in the profile is removed from it\n"
              "(a log-out). Prints nothing on success (table output: a short confirmation).");
  registry.add(del, [&options] {
    ApiSession session(options);
    session.call([](pc::TokensApi& api) { api.deleteTokensMe(); });
    session.forgetStoredTokens();
    printConfirmation(options, "token revoked");
    return kExitOk;
  });

  CLI::App* verify = me->add_subcommand("verify", "Check that the token is valid (HEAD /api/v2/tokens/me)");
  verify->footer("Exit code 0 if it is, 1 if the API refuses it (the error on stderr). Prints nothing on success\n"
                 "(table output: a short confirmation).");
  registry.add(verify, [&options] {
    ApiSession session(options);
    session.call([](pc::TokensApi& api) { api.headTokensMe(); });
    printConfirmation(options, "token is valid");
    return kExitOk;
  });
}

void addTimeoutCommands(CLI::App& tokens, GlobalOptions& options, CommandRegistry& registry) {
  CLI::App* timeout = tokens.add_subcommand("timeout", "The organization's idle token timeout");
  timeout->require_subcommand(1);

  CLI::App* get = timeout->add_subcommand("get", "Show the idle token timeout setting (GET /api/v2/tokens/timeout)");
  registry.add(get, [&options] {
    ApiSession session(options);
    const pc::IdleTokenTimeout setting = session.call([](pc::TokensApi& api) { return api.getTokensTimeout(); });
    printResult(options, pc::toJson(setting));
    return kExitOk;
  });

  CLI::App* update = timeout->add_subcommand(
      "update", "Change the idle token timeout setting (PUT /api/v2/tokens/timeout; needs directory:organization:admin)");
  update->footer(
      "With --file, the file's JSON is the whole new setting (fields left out take the server's defaults) and\n"
      "flags change single fields of it. With flags only, the current setting is read first and only the\n"
      "fields that the flags name change.\n\n"
      "Examples:\n"
      "  gctokens tokens timeout update --seconds 900 --enable\n"
      "  gctokens tokens timeout update --unit Hours --seconds 7200\n"
      "  gctokens tokens timeout update --file timeout.json\n"
      "  echo '{\"idleTokenTimeoutSeconds\": 600, \"enableIdleTokenTimeout\": true}' | gctokens tokens timeout update --file -");
  auto flags = std::make_shared<TimeoutFlags>();
  auto seconds = std::make_shared<int>(0);
  auto enable = std::make_shared<bool>(false), disable = std::make_shared<bool>(false);
  auto groupsOn = std::make_shared<bool>(false), groupsOff = std::make_shared<bool>(false);
  update->add_option("--file,-f", flags->file, "Read the IdleTokenTimeout JSON body from PATH ('-': standard input)")
      ->type_name("PATH");
  CLI::Option* secondsOption =
      update->add_option("--seconds", *seconds, "idleTokenTimeoutSeconds: 300..28800 (HIPAA organizations: ..900)")
          ->type_name("N");
  CLI::Option* enableOption = update->add_flag("--enable", *enable, "enableIdleTokenTimeout = true");
  CLI::Option* disableOption = update->add_flag("--disable", *disable, "enableIdleTokenTimeout = false");
  enableOption->excludes(disableOption);
  update->add_option("--unit", flags->unit, "inactivityTimeoutUnit: how the value is shown (the value is in seconds)")
      ->check(CLI::IsMember({"Minutes", "Hours"}, CLI::ignore_case).description(""))
      ->type_name("Minutes|Hours");
  CLI::Option* groupsOnOption =
      update->add_flag("--enable-groups", *groupsOn, "inactivityTimeoutGroupsEnabled = true (bundles: use --file)");
  CLI::Option* groupsOffOption =
      update->add_flag("--disable-groups", *groupsOff, "inactivityTimeoutGroupsEnabled = false");
  groupsOnOption->excludes(groupsOffOption);

  registry.add(update, [&options, flags, seconds, secondsOption, enable, disable, groupsOn, groupsOff] {
    if (secondsOption->count() > 0) flags->seconds = *seconds;
    if (*enable || *disable) flags->enabled = *enable;
    if (*groupsOn || *groupsOff) flags->groupsEnabled = *groupsOn;
    if (flags->file.empty() && !flags->anyFieldFlag())
      throw usageError("nothing to update: give --file PATH, or flags such as --seconds 900 --enable (see --help)");

    // The file is read before any request, so that a bad file costs no login.
    std::optional<pc::IdleTokenTimeout> fromFile;
    if (!flags->file.empty()) fromFile = readTimeoutBody(flags->file);

    ApiSession session(options);
    const pc::IdleTokenTimeout stored = session.call([&](pc::TokensApi& api) {
      // A PUT replaces the whole setting: flags alone start from the current one, so that
      // `--seconds 900` does not quietly switch the timeout off.
      pc::IdleTokenTimeout body = fromFile ? *fromFile : api.getTokensTimeout();
      applyTimeoutFlags(body, *flags);
      return api.putTokensTimeout(body);
    });
    printResult(options, pc::toJson(stored));
    return kExitOk;
  });
}

}  // namespace

void addTokensCommands(CLI::App& root, GlobalOptions& options, CommandRegistry& registry) {
  CLI::App* tokens = root.add_subcommand("tokens", "The Tokens API: the calling token, users' tokens, the idle timeout");
  tokens->require_subcommand(1);

  addMeCommands(*tokens, options, registry);

  CLI::App* del = tokens->add_subcommand("delete", "Revoke every token of a user (DELETE /api/v2/tokens/{userId})");
  del->footer("Revokes every token of the user in the caller's organization, whichever client issued it, refresh\n"
              "tokens included. Needs the permission oauth:token:delete. Prints nothing on success (table output:\n"
              "a short confirmation).\n\nExample:\n  gctokens tokens delete acme-user");
  auto userId = std::make_shared<std::string>();
  del->add_option("USER_ID", *userId, "The user whose tokens are revoked")->required();
  registry.add(del, [&options, userId] {
    ApiSession session(options);
    session.call([&](pc::TokensApi& api) { api.deleteToken(*userId); });
    printConfirmation(options, "revoked every token of user " + *userId);
    return kExitOk;
  });

  addTimeoutCommands(*tokens, options, registry);
}

}  // namespace gctokens
