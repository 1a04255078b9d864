#include "api/timeout_handlers.h"

#include "PureCloudPlatformClientV2/model/Json.h"
#include "api/error_responses.h"
#include "api/json_body.h"
#include "domain/permissions.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;

namespace {
HttpResponse settingResponse(const domain::IdleTokenTimeout& setting, const AuthenticatedCall& call) {
  HttpResponse res;
  res.contentType = "application/json";
  res.body = PureCloudPlatformClientV2::toJson(setting);
  call.decorate(res);
  return res;
}
}  // namespace

HttpResponse TimeoutHandlers::get(const HttpRequest& req) {
  auto auth = auth_.authenticate(req, Activity::Record);
  if (auto* res = std::get_if<HttpResponse>(&auth)) return std::move(*res);
  const auto& call = std::get<AuthenticatedCall>(auth);
  return settingResponse(*tokens_.idleTokenTimeout(*call.caller.organization), call);
}

HttpResponse TimeoutHandlers::put(const HttpRequest& req) {
  auto auth = auth_.authenticate(req, Activity::Record);
  if (auto* res = std::get_if<HttpResponse>(&auth)) return std::move(*res);
  const auto& call = std::get<AuthenticatedCall>(auth);

  auto failed = [&](HttpResponse res) {
    call.decorate(res);
    return res;
  };
  const std::vector<std::string_view> required{domain::kOrganizationAdminPermission};
  if (!domain::hasAnyPermission(call.caller.permissions(), required)) return failed(missingPermissions(req, required));

  auto body = readJsonModel<domain::IdleTokenTimeout>(req);
  if (auto* res = std::get_if<HttpResponse>(&body)) return failed(std::move(*res));

  const auto& org = *call.caller.organization;
  std::vector<domain::FieldError> errors;
  const auto setting =
      domain::normaliseIdleTokenTimeout(std::get<domain::IdleTokenTimeout>(body), org, tokens_.directory(), errors);
  if (!errors.empty()) return failed(invalidValue(req, errors));
  tokens_.setIdleTokenTimeout(org, setting);
  return settingResponse(setting, call);
}

}  // namespace tokens::api
