#pragma once
// A minimal JSON document model for rendering output. The SDK's models serialise to compact JSON text
// (model/Json.h) but expose no document tree, and the CLI must not reach into the SDK's internals for
// one: this small reader gives the output layer something to pretty-print, convert to YAML and flatten
// into a table. Numbers keep their original text so that nothing is rounded on the way through.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gctokens {

struct JsonValue;
using JsonArray = std::vector<JsonValue>;
/// Members in document order (the order the model writes them in), not sorted.
using JsonObject = std::vector<std::pair<std::string, JsonValue>>;

struct JsonNumber {
  std::string text;  ///< as written, e.g. "1800" or "1.5e3"
};

struct JsonValue {
  std::variant<std::nullptr_t, bool, JsonNumber, std::string, JsonArray, JsonObject> value = nullptr;

  bool isNull() const { return std::holds_alternative<std::nullptr_t>(value); }
  bool isObject() const { return std::holds_alternative<JsonObject>(value); }
  bool isArray() const { return std::holds_alternative<JsonArray>(value); }
  bool isString() const { return std::holds_alternative<std::string>(value); }
  const JsonObject& object() const { return std::get<JsonObject>(value); }
  const JsonArray& array() const { return std::get<JsonArray>(value); }
  const std::string& string() const { return std::get<std::string>(value); }
};

/// Parses JSON text; throws std::runtime_error naming the offset where the syntax broke.
JsonValue parseJson(std::string_view text);

/// JSON text: indented by two spaces when `pretty`, else compact. Strings are escaped as JSON requires.
std::string writeJson(const JsonValue& value, bool pretty);

/// A JSON string literal (with quotes) for `text`.
std::string jsonQuote(std::string_view text);

}  // namespace gctokens
