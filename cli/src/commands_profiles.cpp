// `gctokens profiles ...`: write and list the profiles of the profiles file. Listing never shows a
// secret or a token: at most "****" and its last 4 characters.

#include <iostream>
#include <memory>

#include "cli_error.h"
#include "commands.h"
#include "exit_codes.h"
#include "json_value.h"
#include "output.h"
#include "profiles.h"

namespace gctokens {

namespace {

struct NewProfileOptions {
  std::string name;
  bool force = false;
};

int runProfilesNew(const GlobalOptions& options, const NewProfileOptions& opts) {
  if (!isValidProfileName(opts.name))
    throw usageError("bad profile name '" + opts.name + "': use letters, digits, '-' and '_' (at most 64)");
  if (!options.baseUrl.empty()) validateBaseUrl(options.baseUrl);
  if (!options.region.empty()) validateRegionName(options.region);
  if (!options.baseUrl.empty() && !options.region.empty()) throw usageError("give --base-url or --region, not both");
  if (!options.clientId.empty() != !options.clientSecret.empty())
    throw usageError("give both --client-id and --client-secret, or neither");

  ProfilesFile file = ProfilesFile::load(resolveConfigPath(options.configPath));
  if (file.find(opts.name) && !opts.force)
    throw usageError("profile '" + opts.name + "' already exists in " + file.path() + " (--force replaces it)");

  // Only what was typed: `profiles new` records flags, never the environment of the moment.
  Profile profile{opts.name};
  auto typed = [](const std::string& value) { return value.empty() ? std::nullopt : std::optional<std::string>(value); };
  profile.baseUrl = typed(options.baseUrl);
  profile.region = typed(options.region);
  profile.clientId = typed(options.clientId);
  profile.clientSecret = typed(options.clientSecret);
  profile.accessToken = typed(options.accessToken);
  file.put(profile);
  file.save();
  printConfirmation(options, "profile '" + opts.name + "' written to " + file.path());
  return kExitOk;
}

JsonValue text(const std::string& value) { return JsonValue{value}; }

int runProfilesList(const GlobalOptions& options) {
  const ProfilesFile file = ProfilesFile::load(resolveConfigPath(options.configPath));
  const std::string current = resolveProfileName(options.profile);
  JsonArray rows;
  for (const std::string& name : file.profileNames()) {
    const Profile p = *file.find(name);
    JsonObject row{{"name", text(name)}, {"current", JsonValue{name == current}}};
    if (p.baseUrl) row.emplace_back("baseUrl", text(*p.baseUrl));
    if (p.region) row.emplace_back("region", text(*p.region));
    if (p.clientId) row.emplace_back("clientId", text(*p.clientId));  // an id, not a secret
    if (p.clientSecret) row.emplace_back("clientSecret", text(maskSecret(*p.clientSecret)));
    if (p.accessToken) row.emplace_back("accessToken", text(maskSecret(*p.accessToken)));
    if (p.refreshToken) row.emplace_back("refreshToken", text(maskSecret(*p.refreshToken)));
    rows.push_back(JsonValue{std::move(row)});
  }
  if (rows.empty() && parseOutputFormat(options.output) == OutputFormat::Table) {
    std::cout << "no profiles in " << file.path() << std::endl;
    return kExitOk;
  }
  printResult(options, writeJson(JsonValue{std::move(rows)}, false));
  return kExitOk;
}

}  // namespace

void addProfilesCommands(CLI::App& root, GlobalOptions& options, CommandRegistry& registry) {
  CLI::App* profiles = root.add_subcommand("profiles", "Manage the profiles file (~/.gctokens/config.toml)");
  profiles->require_subcommand(1);

  CLI::App* create = profiles->add_subcommand("new", "Write a profile from the flags given");
  create->footer(
      "The profile holds what the flags give: --base-url or --region, --client-id and --client-secret,\n"
      "--access-token (the environment is not recorded). The file is written with mode 0600, its directory\n"
      "(when created) with 0700.\n\n"
      "Examples:\n"
      "  gctokens profiles new local --base-url http://127.0.0.1:8080 --client-id acme-admin-service --client-secret acme-admin-secret\n"
      "  gctokens profiles new prod --region eu_west_1 --client-id ID --client-secret SECRET");
  auto newOpts = std::make_shared<NewProfileOptions>();
  create->add_option("NAME", newOpts->name, "The profile's name (letters, digits, '-', '_')")->required();
  create->add_flag("--force", newOpts->force, "Replace the profile if it exists");
  registry.add(create, [&options, newOpts] { return runProfilesNew(options, *newOpts); });

  CLI::App* list = profiles->add_subcommand("list", "List the profiles, secrets and tokens masked");
  list->footer("Secrets and tokens show as **** and at most their last 4 characters. 'current' marks the profile\n"
               "that commands would use now (--profile, $GCTOKENS_PROFILE or \"default\").");
  registry.add(list, [&options] { return runProfilesList(options); });
}

}  // namespace gctokens
