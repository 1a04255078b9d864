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

model::TokenInfo describe(const service::Caller& caller, const service::TokenService& tokens) {
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

HttpResponse TokensHandlers::getMe(const HttpRequest& req) {
  const auto preserve = booleanParam(req.query, "preserveIdleTTL");
  // Only an absent or false preserveIdleTTL counts as activity. A bad value is answered after authentication
  // (401 before 400) and touches nothing.
  const bool record = preserve == BooleanParam::Absent || preserve == BooleanParam::False;
  auto auth = auth_.authenticate(req, record ? Activity::Record : Activity::Preserve);
  if (auto* res = std::get_if<HttpResponse>(&auth)) return std::move(*res);
  const auto& call = std::get<AuthenticatedCall>(auth);
  if (preserve == BooleanParam::Invalid) {
    auto res = invalidValue(req, {{"preserveIdleTTL", "must be true or false"}});
    call.decorate(res);
    return res;
  }

  HttpResponse res;
  res.contentType = "application/json";
  res.body = model::toJson(describe(call.caller, tokens_));
  call.decorate(res);
  return res;
}

HttpResponse TokensHandlers::headMe(const HttpRequest& req) {
  auto auth = auth_.authenticate(req, Activity::Record);
  if (auto* res = std::get_if<HttpResponse>(&auth)) return std::move(*res);
  HttpResponse res;
  std::get<AuthenticatedCall>(auth).decorate(res);
  return res;
}

HttpResponse TokensHandlers::deleteMe(const HttpRequest& req) {
  auto auth = auth_.authenticate(req, Activity::Record);
  if (auto* res = std::get_if<HttpResponse>(&auth)) return std::move(*res);
  const auto& call = std::get<AuthenticatedCall>(auth);
  tokens_.revoke(call.caller);
  HttpResponse res;
  call.decorate(res);
  return res;
}

HttpResponse TokensHandlers::deleteUser(const HttpRequest& req, std::string_view encodedUserId) {
  auto auth = auth_.authenticate(req, Activity::Record);
  if (auto* res = std::get_if<HttpResponse>(&auth)) return std::move(*res);
  const auto& call = std::get<AuthenticatedCall>(auth);

  const std::vector<std::string_view> required{domain::kTokenDeletePermission};
  if (!domain::hasAnyPermission(call.caller.permissions(), required)) {
    auto res = missingPermissions(req, required);
    call.decorate(res);
    return res;
  }
  const auto userId = decodePathSegment(encodedUserId);
  const auto* user = userId ? tokens_.directory().user(*userId) : nullptr;
  // A user of another organization is as unknown as one who does not exist.
  if (!user || user->organizationId != call.caller.organization->id) {
    auto res = notFound(req);
    call.decorate(res);
    return res;
  }
  tokens_.revokeUser(*call.caller.organization, user->id);
  logins_.endSessionsOf(user->id);  // else the login page would hand out new tokens without a password
  HttpResponse res;
  res.status = 204;
  call.decorate(res);
  return res;
}

}  // namespace tokens::api
