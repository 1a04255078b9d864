#pragma once
// JSON text of the models. Readers ignore unknown fields and treat null as absent; an enum value they
// do not know becomes outdated_sdk_version. A value of the wrong type is an error that names the field.

#include <optional>
#include <string>
#include <string_view>

namespace PureCloudPlatformClientV2 {

struct JsonError {
  std::string fieldName;  ///< e.g. "inactivityTimeoutGroupBundles[0].priority"; empty for syntax errors
  std::string message;    ///< e.g. "must be an integer", or where the syntax broke
};

/// Serialises a model (any type of model/*.h) to compact JSON; absent fields are left out.
template <class Model>
std::string toJson(const Model& model);

/// Parses JSON text into a model. On failure returns nullopt and, when `error` is given, says why.
template <class Model>
std::optional<Model> fromJson(std::string_view text, JsonError* error = nullptr);

}  // namespace PureCloudPlatformClientV2
