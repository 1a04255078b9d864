#include "api/json_body.h"

#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "PureCloudPlatformClientV2/model/internal/JsonCodec.h"
#include "api/error_responses.h"

namespace tokens::api {

namespace model = PureCloudPlatformClientV2;

bool hasMediaType(std::string_view contentType, std::string_view mediaType) {
  const auto semicolon = contentType.find(';');
  auto type = contentType.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  if (type.size() != mediaType.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i)
    if ((type[i] | 0x20) != (mediaType[i] | 0x20)) return false;
  return true;
}

std::variant<boost::json::object, http::HttpResponse> readJsonObject(const http::HttpRequest& req) {
  if (req.body.empty()) return boost::json::object{};
  if (!hasMediaType(req.contentType, "application/json")) return unsupportedMediaType(req, "application/json");
  model::JsonError error;
  auto value = model::internal::parseJson(req.body, error);
  if (!value) return malformedBody(req, error.message);
  if (!value->is_object()) return malformedBody(req, "the body must be a JSON object");
  return std::move(value->as_object());
}

template <class Model>
std::variant<Model, http::HttpResponse> readJsonModel(const http::HttpRequest& req) {
  auto object = readJsonObject(req);
  if (auto* res = std::get_if<http::HttpResponse>(&object)) return std::move(*res);
  Model m{};
  model::JsonError error;
  if (!model::internal::fromJsonValue(boost::json::value(std::move(std::get<boost::json::object>(object))), m, error))
    return invalidValue(req, {{error.fieldName, error.message}});
  return m;
}

template std::variant<model::IdleTokenTimeout, http::HttpResponse> readJsonModel(const http::HttpRequest&);

}  // namespace tokens::api
