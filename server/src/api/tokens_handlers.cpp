#include "api/tokens_handlers.h"

#include "PureCloudPlatformClientV2/model/Json.h"
#include "PureCloudPlatformClientV2/model/TokenInfo.h"
#include "api/error_responses.h"
#include "api/url_encoding.h"
#include "domain/permissions.h"

namespace tokens::api {
namespace {

namespace model = PureCloudPlatformClientV2;
using http::HttpRequest;
using http::HttpResponse;

model::NamedEntity named(const domain::Organization* org) {
  model::NamedEntity e;
  if (org) {
    e.id = org->id;
    e.name = org->name;
  }
  return e;
}

// The TokenInfo of GET /api/v2/tokens/me: what the caller's token acts as, and for whom.
model::TokenInfo tokenInfoOf(const service::Caller& caller, const service::TokenService& tokens) {
  const auto* home = tokens.directory().organization(caller.client->organizationId);
  model::TokenInfo info;
  info.organization = named(caller.organization);
  info.homeOrganization = named(home);
  info.authorizedScope = caller.client->scope;
  if (caller.user && caller.user->clonedFrom) {
    model::TokenInfoClonedUser cloned;
    cloned.id = caller.user->clonedFrom->userId;
    cloned.organization = model::Entity{caller.user->clonedFrom->organizationId};
    info.clonedUser = std::move(cloned);
  }
  info.dateTokenIdles = tokens.dateTokenIdles(caller);
  model::OrgOAuthClient client;
  client.id = caller.client->id;
  client.name = caller.client->name;
  client.authorizedGrantType = caller.client->grantType;
  client.scope = caller.client->scope;
  client.state = caller.client->state;
  client.organization = named(home);
  info.OAuthClient = std::move(client);
  return info;
}

enum class BooleanParam { Absent, True, False, Invalid };

// A query parameter that must be "true" or "false" when present.
BooleanParam booleanParam(std::string_view query, std::string_view name) {
  const auto fields = parseForm(query);
  if (!fields) return BooleanParam::Invalid;
  const auto* value = findField(*fields, name);
  if (!value) return BooleanParam::Absent;
  if (*value == "true") return BooleanParam::True;
  if (*value == "false") return BooleanParam::False;
  return BooleanParam::Invalid;
}

}  // namespace

Activity TokensHandlers::getMeActivity(const HttpRequest& req) {
  const auto preserve = booleanParam(req.query, "preserveIdleTTL");
  return preserve == BooleanParam::Absent || preserve == BooleanParam::False ? Activity::Record : Activity::Preserve;
}

HttpResponse TokensHandlers::getMe(const HttpRequest& req, const service::Caller& caller) {
  // A bad preserveIdleTTL is answered after authentication (401 before 400).
  if (booleanParam(req.query, "preserveIdleTTL") == BooleanParam::Invalid)
    return invalidValue(req, {{"preserveIdleTTL", "must be true or false"}});
  HttpResponse res;
  res.contentType = "application/json";
  res.body = model::toJson(tokenInfoOf(caller, tokens_));
  return res;
}

HttpResponse TokensHandlers::headMe(const HttpRequest&, const service::Caller&) { return {}; }

HttpResponse TokensHandlers::deleteMe(const HttpRequest&, const service::Caller& caller) {
  tokens_.revoke(caller);
  return {};
}

HttpResponse TokensHandlers::deleteUser(const HttpRequest& req, const service::Caller& caller,
                                        std::string_view encodedUserId) {
  const std::vector<std::string_view> required{domain::kTokenDeletePermission};
  if (!domain::hasAnyPermission(caller.permissions(), required)) return missingPermissions(req, required);
  const auto userId = decodePathSegment(encodedUserId);
  const auto* user = userId ? tokens_.directory().user(*userId) : nullptr;
  // A user of another organization is as unknown as one who does not exist.
  if (!user || user->organizationId != caller.organization->id) return notFound(req);
  tokens_.revokeUser(*caller.organization, user->id);
  logins_.endSessionsOf(user->id);  // else the login page would hand out new tokens without a password
  HttpResponse res;
  res.status = 204;
  return res;
}

}  // namespace tokens::api
