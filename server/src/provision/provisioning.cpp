#include "provision/provisioning.h"

#include <fstream>
#include <set>
#include <sstream>

#include <boost/url/parse.hpp>
#include <toml++/toml.h>

#include "domain/password_hash.h"

namespace tokens::provision {
namespace {

using namespace tokens::domain;

class Loader {
 public:
  explicit Loader(std::string_view file) : file_(file) {}

  Provisioning load(const toml::table& root) {
    checkKeys(root, {"organization", "group", "user", "client"}, "");
    forEach(root, "organization", [&](const toml::table& t, const std::string& at) { organization(t, at); });
    forEach(root, "group", [&](const toml::table& t, const std::string& at) { group(t, at); });
    forEach(root, "user", [&](const toml::table& t, const std::string& at) { user(t, at); });
    forEach(root, "client", [&](const toml::table& t, const std::string& at) { client(t, at); });
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const toml::node& where, const std::string& field, const std::string& message) const {
    std::ostringstream s;
    s << file_ << ':' << where.source().begin.line << ": " << field << ": " << message;
    throw ProvisioningError(s.str());
  }

  template <class F>
  void forEach(const toml::table& root, std::string_view key, F each) {
    const auto* node = root.get(key);
    if (!node) return;
    const auto* array = node->as_array();
    if (!array || !array->is_array_of_tables()) fail(*node, std::string(key), "must be an array of tables: [[" + std::string(key) + "]]");
    std::size_t i = 0;
    for (const auto& item : *array) each(*item.as_table(), std::string(key) + "[" + std::to_string(i++) + "]");
  }

  void checkKeys(const toml::table& t, std::initializer_list<std::string_view> allowed, const std::string& at) const {
    for (const auto& [key, value] : t) {
      bool known = false;
      for (const auto a : allowed) known = known || key.str() == a;
      if (!known) fail(value, at.empty() ? std::string(key.str()) : at + "." + std::string(key.str()), "unknown key");
    }
  }

  std::optional<std::string> optionalString(const toml::table& t, std::string_view key, const std::string& at) const {
    const auto* node = t.get(key);
    if (!node) return std::nullopt;
    const auto* s = node->as_string();
    if (!s) fail(*node, at + "." + std::string(key), "must be a string");
    return s->get();
  }

  std::string requiredString(const toml::table& t, std::string_view key, const std::string& at) const {
    auto value = optionalString(t, key, at);
    if (!value || value->empty()) fail(t, at + "." + std::string(key), "is required");
    return *value;
  }

  std::vector<std::string> stringArray(const toml::table& t, std::string_view key, const std::string& at) const {
    std::vector<std::string> out;
    const auto* node = t.get(key);
    if (!node) return out;
    const auto* array = node->as_array();
    if (!array) fail(*node, at + "." + std::string(key), "must be an array of strings");
    for (const auto& item : *array) {
      const auto* s = item.as_string();
      if (!s) fail(item, at + "." + std::string(key), "must be an array of strings");
      out.push_back(s->get());
    }
    return out;
  }

  bool optionalBool(const toml::table& t, std::string_view key, const std::string& at, bool fallback) const {
    const auto* node = t.get(key);
    if (!node) return fallback;
    const auto* b = node->as_boolean();
    if (!b) fail(*node, at + "." + std::string(key), "must be true or false");
    return b->get();
  }

  // Either `plain` (hashed here) or `hashed` (an encoded hash), not both.
  std::string secretHash(const toml::table& t, std::string_view plain, std::string_view hashed, const std::string& at,
                         std::string* clear = nullptr) const {
    const auto clearValue = optionalString(t, plain, at);
    const auto hashValue = optionalString(t, hashed, at);
    if (clearValue && hashValue) fail(t, at + "." + std::string(plain), "give " + std::string(plain) + " or " + std::string(hashed) + ", not both");
    if (hashValue) {
      if (!isSecretHash(*hashValue))
        fail(*t.get(hashed), at + "." + std::string(hashed), "is not a hash from `tokens-server --hash-secret`");
      return *hashValue;
    }
    if (clearValue) {
      if (clearValue->empty()) fail(*t.get(plain), at + "." + std::string(plain), "must not be empty");
      if (clear) *clear = *clearValue;
      return hashSecret(*clearValue);
    }
    return {};
  }

  const Organization& requireOrganization(const toml::table& t, const std::string& at) const {
    const auto id = requiredString(t, "organization", at);
    const auto* org = out_.directory.organization(id);
    if (!org) fail(*t.get("organization"), at + ".organization", "no [[organization]] has the id \"" + id + "\"");
    return *org;
  }

  void unique(std::set<std::string>& seen, const std::string& id, const toml::table& t, const std::string& at) const {
    if (!seen.insert(id).second) fail(*t.get("id"), at + ".id", "\"" + id + "\" is used twice");
  }

  void organization(const toml::table& t, const std::string& at) {
    checkKeys(t, {"id", "name", "hipaa"}, at);
    Organization org{requiredString(t, "id", at), requiredString(t, "name", at), optionalBool(t, "hipaa", at, false)};
    unique(organizationIds_, org.id, t, at);
    out_.directory.add(std::move(org));
  }

  void group(const toml::table& t, const std::string& at) {
    checkKeys(t, {"id", "organization", "name"}, at);
    Group g{requiredString(t, "id", at), requireOrganization(t, at).id, requiredString(t, "name", at)};
    unique(groupIds_, g.id, t, at);
    out_.directory.add(std::move(g));
  }

  void user(const toml::table& t, const std::string& at) {
    checkKeys(t, {"id", "organization", "name", "email", "password", "password_hash", "groups", "permissions", "cloned_from"}, at);
    User u;
    u.id = requiredString(t, "id", at);
    unique(userIds_, u.id, t, at);
    u.organizationId = requireOrganization(t, at).id;
    u.name = requiredString(t, "name", at);
    u.email = requiredString(t, "email", at);
    if (u.email.find('@') == std::string::npos) fail(*t.get("email"), at + ".email", "is not an email address");
    if (out_.directory.userByEmail(u.organizationId, u.email))
      fail(*t.get("email"), at + ".email", "another user of this organization has it");
    u.passwordHash = secretHash(t, "password", "password_hash", at);
    if (u.passwordHash.empty()) fail(t, at + ".password", "is required (or password_hash)");
    u.groups = stringArray(t, "groups", at);
    for (const auto& g : u.groups) {
      const auto* group = out_.directory.group(g);
      if (!group || group->organizationId != u.organizationId)
        fail(*t.get("groups"), at + ".groups", "\"" + g + "\" is not a group of organization \"" + u.organizationId + "\"");
    }
    u.permissions = stringArray(t, "permissions", at);
    if (const auto* node = t.get("cloned_from")) {
      const auto* cloned = node->as_table();
      if (!cloned) fail(*node, at + ".cloned_from", "must be a table: { user = \"...\", organization = \"...\" }");
      checkKeys(*cloned, {"user", "organization"}, at + ".cloned_from");
      u.clonedFrom = ClonedFrom{requiredString(*cloned, "user", at + ".cloned_from"),
                                requiredString(*cloned, "organization", at + ".cloned_from")};
    }
    out_.directory.add(std::move(u));
  }

  void client(const toml::table& t, const std::string& at) {
    checkKeys(t, {"id", "organization", "name", "secret", "secret_hash", "grant_type", "scope", "permissions",
                  "access_token_validity_seconds", "redirect_uris", "state"}, at);
    Client c;
    c.id = requiredString(t, "id", at);
    unique(clientIds_, c.id, t, at);
    c.organizationId = requireOrganization(t, at).id;
    c.name = requiredString(t, "name", at);
    const auto grant = requiredString(t, "grant_type", at);
    c.grantType = PureCloudPlatformClientV2::authorizedGrantTypeFromString(grant);
    if (c.grantType == GrantType::outdated_sdk_version)
      fail(*t.get("grant_type"), at + ".grant_type", "must be CODE, TOKEN, SAML2-BEARER, PASSWORD or CLIENT-CREDENTIALS");
    std::string clear;
    c.secretHash = secretHash(t, "secret", "secret_hash", at, &clear);
    const bool needsSecret = c.grantType == GrantType::CLIENT_CREDENTIALS || c.grantType == GrantType::PASSWORD ||
                             c.grantType == GrantType::SAML2_BEARER;
    if (needsSecret && c.secretHash.empty()) fail(t, at + ".secret", "is required for " + grant + " clients");
    if (!clear.empty()) out_.clearSecrets.emplace_back(c.id, clear);
    c.scope = stringArray(t, "scope", at);
    c.permissions = stringArray(t, "permissions", at);
    if (const auto* node = t.get("access_token_validity_seconds")) {
      const auto* v = node->as_integer();
      if (!v || v->get() < 300 || v->get() > 172800)
        fail(*node, at + ".access_token_validity_seconds", "must be an integer from 300 to 172800");
      c.accessTokenValiditySeconds = static_cast<int>(v->get());
    }
    c.redirectUris = stringArray(t, "redirect_uris", at);
    for (const auto& uri : c.redirectUris) {
      // RFC 6749 §3.1.2: absolute, without a fragment (the implicit grant writes the token there).
      const auto parsed = boost::urls::parse_absolute_uri(uri);
      if (!parsed || parsed->has_fragment())
        fail(*t.get("redirect_uris"), at + ".redirect_uris",
             "'" + uri + "' is not an absolute URI without a fragment (e.g. https://app.example/callback)");
    }
    if (const auto state = optionalString(t, "state", at)) {
      c.state = PureCloudPlatformClientV2::oauthClientStateFromString(*state);
      if (c.state == ClientState::outdated_sdk_version)
        fail(*t.get("state"), at + ".state", "must be active, disabled or inactive");
    }
    out_.directory.add(std::move(c));
  }

  std::string file_;
  Provisioning out_;
  std::set<std::string> organizationIds_, groupIds_, userIds_, clientIds_;
};

}  // namespace

Provisioning parseProvisioning(std::string_view text, std::string_view sourceName) {
  toml::table root;
  try {
    root = toml::parse(text, sourceName);
  } catch (const toml::parse_error& e) {
    std::ostringstream s;
    s << sourceName << ':' << e.source().begin.line << ": " << e.description();
    throw ProvisioningError(s.str());
  }
  return Loader(sourceName).load(root);
}

Provisioning loadProvisioningFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ProvisioningError(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parseProvisioning(text.str(), path);
}

}  // namespace tokens::provision
