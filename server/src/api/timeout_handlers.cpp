#include "api/timeout_handlers.h"

#include "PureCloudPlatformClientV2/model/Json.h"
#include "api/error_responses.h"
#include "api/json_body.h"
#include "domain/permissions.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;

namespace {
HttpResponse settingResponse(const domain::IdleTokenTimeout& setting) {
  HttpResponse res;
  res.contentType = "application/json";
  res.body = PureCloudPlatformClientV2::toJson(setting);
  return res;
}
}  // namespace

HttpResponse TimeoutHandlers::get(const HttpRequest&, const service::Caller& caller) {
  return settingResponse(*tokens_.idleTokenTimeout(*caller.organization));
}

HttpResponse TimeoutHandlers::put(const HttpRequest& req, const service::Caller& caller) {
  const std::vector<std::string_view> required{domain::kOrganizationAdminPermission};
  if (!domain::hasAnyPermission(caller.permissions(), required)) return missingPermissions(req, required);

  auto body = readJsonModel<domain::IdleTokenTimeout>(req);
  if (auto* res = std::get_if<HttpResponse>(&body)) return std::move(*res);

  const auto& org = *caller.organization;
  std::vector<domain::FieldError> errors;
  const auto setting =
      domain::normaliseIdleTokenTimeout(std::get<domain::IdleTokenTimeout>(body), org, tokens_.directory(), errors);
  if (!errors.empty()) return invalidValue(req, errors);
  tokens_.setIdleTokenTimeout(org, setting);
  return settingResponse(setting);
}

}  // namespace tokens::api
