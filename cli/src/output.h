#pragma once
// How results reach stdout: the model's JSON (pretty-printed), YAML, or an aligned table; and how
// failures reach stderr (always JSON, whatever --output says, so that scripts can parse them).

#include <iosfwd>
#include <string>
#include <string_view>

#include "json_value.h"

namespace gctokens {

enum class OutputFormat { Json, Yaml, Table };

/// "json" | "yaml" | "table" (case-insensitive); throws CliError (usage) otherwise.
OutputFormat parseOutputFormat(std::string_view name);

/// The text for stdout, ending with a newline.
/// Table: an object becomes aligned "key  value" rows of its flattened members (organization.id,
/// authorizedScope[0], ...); an array of objects becomes one row per element under a header line.
std::string render(const JsonValue& value, OutputFormat format);
/// Same, for JSON text (what the SDK's toJson gives).
std::string renderJsonText(std::string_view json, OutputFormat format);

/// Writes JSON text (an ErrorBody, or {"message": ...}) as one line on stderr.
void printErrorJson(const std::string& json);
/// {"message": message} on stderr.
void printErrorMessage(const std::string& message);

}  // namespace gctokens
