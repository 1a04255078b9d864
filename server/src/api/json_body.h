#pragma once
// Reading JSON request bodies: content type, syntax and types checked, each failure answered per SPEC §3.

#include <optional>
#include <variant>

#include <boost/json/value.hpp>

#include "http/http_types.h"

namespace tokens::api {

/// Whether the Content-Type names this media type (parameters such as charset are allowed).
bool hasMediaType(std::string_view contentType, std::string_view mediaType);

/// The body as a JSON object; an empty body is an empty object. Otherwise the 400/415 to answer.
std::variant<boost::json::object, http::HttpResponse> readJsonObject(const http::HttpRequest& req);

/// The body read as a model (unknown fields ignored); otherwise the 400/415 to answer.
template <class Model>
std::variant<Model, http::HttpResponse> readJsonModel(const http::HttpRequest& req);

}  // namespace tokens::api
