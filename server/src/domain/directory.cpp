#include "domain/directory.h"

#include <algorithm>

namespace tokens::domain {
namespace {

template <class Map>
auto* find(const Map& map, std::string_view id) {
  const auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

std::string emailKey(std::string_view organizationId, std::string_view email) {
  std::string key(organizationId);
  key += '\n';
  key += lowercaseAscii(email);
  return key;
}

}  // namespace

std::string lowercaseAscii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); });
  return out;
}

void Directory::add(Organization org) { organizations_.insert_or_assign(org.id, std::move(org)); }
void Directory::add(Group group) { groups_.insert_or_assign(group.id, std::move(group)); }
void Directory::add(User user) {
  userIdByOrgAndEmail_.insert_or_assign(emailKey(user.organizationId, user.email), user.id);
  users_.insert_or_assign(user.id, std::move(user));
}
void Directory::add(Client client) { clients_.insert_or_assign(client.id, std::move(client)); }

const Organization* Directory::organization(std::string_view id) const { return find(organizations_, id); }
const Group* Directory::group(std::string_view id) const { return find(groups_, id); }
const User* Directory::user(std::string_view id) const { return find(users_, id); }
const Client* Directory::client(std::string_view id) const { return find(clients_, id); }

const User* Directory::userByEmail(std::string_view organizationId, std::string_view email) const {
  const auto* id = find(userIdByOrgAndEmail_, emailKey(organizationId, email));
  return id ? user(*id) : nullptr;
}

}  // namespace tokens::domain
