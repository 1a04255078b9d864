#pragma once
// Not public API: the models' JSON codec at the level of Boost.JSON values, for the server and the SDK's
// internals, which build or inspect documents without going through text twice.

#include <optional>
#include <string_view>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include "PureCloudPlatformClientV2/model/Json.h"

namespace PureCloudPlatformClientV2::internal {

template <class Model>
boost::json::value toJsonValue(const Model& model);

/// Reads `value` into `model`; on a type error fills `error` (fieldName prefixed with `path`) and
/// returns false.
template <class Model>
bool fromJsonValue(const boost::json::value& value, Model& model, JsonError& error, std::string_view path = {});

/// Parses JSON text; a syntax error says at which line and column it was found. The value's memory
/// comes from `storage` (default: the heap).
std::optional<boost::json::value> parseJson(std::string_view text, JsonError& error,
                                            boost::json::storage_ptr storage = {});

}  // namespace PureCloudPlatformClientV2::internal
