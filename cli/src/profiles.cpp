#include "profiles.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_error.h"

namespace gctokens {
namespace {

namespace fs = std::filesystem;

// The profile keys and the Profile member each one fills.
struct KeyBinding {
  const char* key;
  std::optional<std::string> Profile::*member;
};
constexpr KeyBinding kKeys[] = {
    {"base_url", &Profile::baseUrl},           {"region", &Profile::region},
    {"client_id", &Profile::clientId},         {"client_secret", &Profile::clientSecret},
    {"access_token", &Profile::accessToken},   {"refresh_token", &Profile::refreshToken},
};

std::string envOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

std::string homeDirectory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr) return pw->pw_dir;
  throw usageError("cannot find the home directory: set HOME, GCTOKENS_CONFIG or --config");
}

std::string errnoText() { return std::strerror(errno); }

// Creates the missing directories of `dir`, each with mode 0700: they will hold secrets.
void makeDirectories(const fs::path& dir) {
  if (dir.empty() || fs::exists(dir)) return;
  makeDirectories(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw usageError("cannot create directory " + dir.string() + ": " + errnoText());
}

}  // namespace

ProfilesFile ProfilesFile::load(const std::string& path) {
  ProfilesFile file;
  file.path_ = path;
  std::error_code ec;
  if (!fs::exists(path, ec)) return file;
  file.existed_ = true;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usageError("cannot read " + path + ": " + errnoText());
  std::ostringstream text;
  text << in.rdbuf();
  try {
    file.table_ = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    throw usageError(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  // Check the types once here, so that every later read can trust them.
  for (const auto& [name, node] : file.table_) {
    const auto* profile = node.as_table();
    if (profile == nullptr)
      throw usageError(path + ":" + std::to_string(node.source().begin.line) + ": '" + std::string(name.str()) +
                       "' is not a profile (expected a [" + std::string(name.str()) + "] table)");
    for (const auto& binding : kKeys) {
      const toml::node* value = profile->get(binding.key);
      if (value != nullptr && !value->is_string())
        throw usageError(path + ":" + std::to_string(value->source().begin.line) + ": " + std::string(name.str()) + "." +
                         binding.key + " must be a string");
    }
  }
  return file;
}

std::vector<std::string> ProfilesFile::profileNames() const {
  std::vector<std::string> names;
  for (const auto& [name, node] : table_)
    if (node.is_table()) names.emplace_back(name.str());
  return names;
}

std::optional<Profile> ProfilesFile::find(const std::string& name) const {
  const auto* table = table_.get_as<toml::table>(name);
  if (table == nullptr) return std::nullopt;
  Profile profile;
  profile.name = name;
  for (const auto& binding : kKeys)
    if (const auto* value = table->get_as<std::string>(binding.key); value != nullptr && !value->get().empty())
      profile.*binding.member = value->get();
  return profile;
}

void ProfilesFile::put(const Profile& profile) {
  if (table_.get_as<toml::table>(profile.name) == nullptr) table_.insert_or_assign(profile.name, toml::table{});
  auto& table = *table_.get_as<toml::table>(profile.name);
  for (const auto& binding : kKeys) {
    const auto& value = profile.*binding.member;
    if (value) table.insert_or_assign(binding.key, *value);
    else table.erase(binding.key);
  }
}

void ProfilesFile::save() const {
  const fs::path target(path_);
  makeDirectories(target.parent_path());
  std::ostringstream text;
  text << "# gctokens profiles (see docs/cli.md). Holds secrets: keep it mode 0600.\n" << table_ << "\n";
  const std::string content = text.str();

  // Written next to the target and renamed over it: readers see the old file or the new one, never half.
  const std::string temp = path_ + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw usageError("cannot write " + temp + ": " + errnoText());
  // The umask could only remove bits; this makes sure no one else can read the secrets either way.
  ::fchmod(fd, 0600);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = errnoText();
      ::close(fd);
      ::unlink(temp.c_str());
      throw usageError("cannot write " + temp + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (::rename(temp.c_str(), path_.c_str()) != 0) {
    const std::string why = errnoText();
    ::unlink(temp.c_str());
    throw usageError("cannot replace " + path_ + ": " + why);
  }
}

std::string resolveConfigPath(const std::string& flagValue) {
  if (!flagValue.empty()) return flagValue;
  return envOr("GCTOKENS_CONFIG", (fs::path(homeDirectory()) / ".gctokens" / "config.toml").string());
}

std::string resolveProfileName(const std::string& flagValue) {
  if (!flagValue.empty()) return flagValue;
  return envOr("GCTOKENS_PROFILE", "default");
}

bool isValidProfileName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

std::string maskSecret(const std::string& secret) {
  // Below 12 characters, even the last 4 would be a third of the secret: show none of it.
  if (secret.size() < 12) return "****";
  return "****" + secret.substr(secret.size() - 4);
}

}  // namespace gctokens
