#pragma once
// Who exists: organizations, groups, users and OAuth clients, as the provisioning file declares them.
// Built once at start-up and never changed afterwards, so every thread reads it without locks.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "PureCloudPlatformClientV2/model/OrgOAuthClient.h"

namespace tokens::domain {

struct Organization {
  std::string id;
  std::string name;
  bool hipaa = false;
};

struct Group {
  std::string id;
  std::string organizationId;
  std::string name;
};

struct ClonedFrom {
  std::string userId;
  std::string organizationId;
};

struct User {
  std::string id;
  std::string organizationId;
  std::string name;
  std::string email;
  std::string passwordHash;
  std::vector<std::string> groups;
  std::vector<std::string> permissions;
  std::optional<ClonedFrom> clonedFrom;
};

using GrantType = PureCloudPlatformClientV2::OrgOAuthClient::AuthorizedGrantType;
using ClientState = PureCloudPlatformClientV2::OrgOAuthClient::State;

struct Client {
  std::string id;
  std::string organizationId;
  std::string name;
  std::string secretHash;  ///< empty for public clients (TOKEN, PKCE-only CODE)
  GrantType grantType = GrantType::CLIENT_CREDENTIALS;
  std::vector<std::string> scope;
  std::vector<std::string> permissions;
  int accessTokenValiditySeconds = 86400;
  std::vector<std::string> redirectUris;
  ClientState state = ClientState::active;
};

class Directory {
 public:
  void add(Organization org);
  void add(Group group);
  void add(User user);
  void add(Client client);

  const Organization* organization(std::string_view id) const;
  const Group* group(std::string_view id) const;
  const User* user(std::string_view id) const;
  /// Emails compare case-insensitively, within one organization.
  const User* userByEmail(std::string_view organizationId, std::string_view email) const;
  const Client* client(std::string_view id) const;

  const auto& organizations() const { return organizations_; }
  std::size_t organizationCount() const { return organizations_.size(); }
  std::size_t userCount() const { return users_.size(); }
  std::size_t clientCount() const { return clients_.size(); }

 private:
  // Lookups by string_view without building a string (heterogeneous lookup). Users are looked up by every
  // request of a user's token and may be many: a hash table costs a cache miss or two where a tree of
  // 10,000 costs a dozen (bench/run-scale.sh); nodes keep the pointers handed out stable.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::map<std::string, Organization, std::less<>> organizations_;
  std::map<std::string, Group, std::less<>> groups_;
  std::unordered_map<std::string, User, StringHash, std::equal_to<>> users_;
  std::map<std::string, Client, std::less<>> clients_;
  std::map<std::string, std::string, std::less<>> userIdByOrgAndEmail_;  // "org\nemail-lowercase" -> user id
};

std::string lowercaseAscii(std::string_view text);

}  // namespace tokens::domain
