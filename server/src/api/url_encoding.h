#pragma once
// Query strings, form bodies and path segments, percent-decoded (Boost.URL underneath).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tokens::api {

using FormFields = std::vector<std::pair<std::string, std::string>>;

/// Parses "a=1&b=x+y" (application/x-www-form-urlencoded: '+' is a space). nullopt if malformed.
std::optional<FormFields> parseForm(std::string_view text);

/// The value of the first field named `name`, if any.
const std::string* findField(const FormFields& fields, std::string_view name);

/// Percent-decodes a path segment; nullopt if malformed.
std::optional<std::string> decodePathSegment(std::string_view segment);

}  // namespace tokens::api
