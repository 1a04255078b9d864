#include "output.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>

#include "cli_error.h"

namespace gctokens {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A YAML reader would take these plain scalars for a bool, null, number or timestamp: quote them so that
// a string stays a string (e.g. an id "123", a date "2026-11-22T10:15:30.123Z", a name "no").
bool needsYamlQuotes(const std::string& s) {
  if (s.empty()) return true;
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
  const std::string l = lower(s);
  for (const char* w : kWords)
    if (l == w) return true;
  const char c = s.front();
  return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
}

void emitYaml(YAML::Emitter& out, const JsonValue& v) {
  if (const auto* obj = std::get_if<JsonObject>(&v.value)) {
    if (obj->empty()) {
      out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    out << YAML::BeginMap;
    for (const auto& [name, member] : *obj) {
      out << YAML::Key;
      if (needsYamlQuotes(name)) out << YAML::DoubleQuoted;
      out << name << YAML::Value;
      emitYaml(out, member);
    }
    out << YAML::EndMap;
  } else if (const auto* arr = std::get_if<JsonArray>(&v.value)) {
    if (arr->empty()) {
      out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    out << YAML::BeginSeq;
    for (const auto& item : *arr) emitYaml(out, item);
    out << YAML::EndSeq;
  } else if (const auto* s = std::get_if<std::string>(&v.value)) {
    if (needsYamlQuotes(*s)) out << YAML::DoubleQuoted;
    out << *s;
  } else if (const auto* n = std::get_if<JsonNumber>(&v.value)) {
    out << n->text;  // plain: a YAML reader takes it for the number it is
  } else if (const auto* b = std::get_if<bool>(&v.value)) {
    out << (*b ? "true" : "false");
  } else {
    out << YAML::Null;
  }
}

std::string scalarText(const JsonValue& v) {
  if (const auto* s = std::get_if<std::string>(&v.value)) return *s;
  if (const auto* n = std::get_if<JsonNumber>(&v.value)) return n->text;
  if (const auto* b = std::get_if<bool>(&v.value)) return *b ? "true" : "false";
  if (v.isNull()) return "null";
  if (v.isArray()) return "[]";  // only reached for empty containers
  return "{}";
}

// Flattens a document into (path, value) rows; empty containers stay visible as [] and {}.
void flatten(const JsonValue& v, const std::string& path, std::vector<std::pair<std::string, std::string>>& rows) {
  if (const auto* obj = std::get_if<JsonObject>(&v.value); obj && !obj->empty()) {
    for (const auto& [name, member] : *obj) flatten(member, path.empty() ? name : path + "." + name, rows);
  } else if (const auto* arr = std::get_if<JsonArray>(&v.value); arr && !arr->empty()) {
    for (std::size_t i = 0; i < arr->size(); ++i) flatten((*arr)[i], path + "[" + std::to_string(i) + "]", rows);
  } else {
    rows.emplace_back(path.empty() ? "value" : path, scalarText(v));
  }
}

std::string pad(const std::string& s, std::size_t width) { return s + std::string(width > s.size() ? width - s.size() : 0, ' '); }

std::string keyValueTable(const JsonValue& v) {
  std::vector<std::pair<std::string, std::string>> rows;
  flatten(v, "", rows);
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  std::string out;
  for (const auto& [key, value] : rows) out += pad(key, width) + "  " + value + "\n";
  return out;
}

// "clientSecret" -> "CLIENT_SECRET", "organization.id" -> "ORGANIZATION.ID".
std::string columnHeader(const std::string& key) {
  std::string header;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    if (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(key[i - 1]))) header += '_';
    header += static_cast<char>(std::toupper(c));
  }
  return header;
}

// One row per element, one column per flattened key (in first-seen order).
std::string columnTable(const JsonArray& items) {
  std::vector<std::string> columns;
  std::vector<std::map<std::string, std::string>> cells;
  for (const auto& item : items) {
    std::vector<std::pair<std::string, std::string>> rows;
    flatten(item, "", rows);
    auto& cell = cells.emplace_back();
    for (auto& [key, value] : rows) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
      cell[key] = value;
    }
  }
  std::vector<std::size_t> widths;
  for (const auto& c : columns) {
    std::size_t w = columnHeader(c).size();
    for (const auto& cell : cells)
      if (auto it = cell.find(c); it != cell.end()) w = std::max(w, it->second.size());
    widths.push_back(w);
  }
  auto line = [&](auto valueOf) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string text = valueOf(i);
      out += i + 1 == columns.size() ? text : pad(text, widths[i]) + "  ";
    }
    return out + "\n";
  };
  std::string out = line([&](std::size_t i) { return columnHeader(columns[i]); });
  for (const auto& cell : cells)
    out += line([&](std::size_t i) {
      const auto it = cell.find(columns[i]);
      return it == cell.end() ? std::string() : it->second;
    });
  return out;
}

}  // namespace

OutputFormat parseOutputFormat(std::string_view name) {
  const std::string l = lower(name);
  if (l == "json") return OutputFormat::Json;
  if (l == "yaml") return OutputFormat::Yaml;
  if (l == "table") return OutputFormat::Table;
  throw usageError("unknown output format '" + std::string(name) + "' (json, yaml or table)");
}

std::string render(const JsonValue& value, OutputFormat format) {
  switch (format) {
    case OutputFormat::Json:
      return writeJson(value, true) + "\n";
    case OutputFormat::Yaml: {
      YAML::Emitter out;
      emitYaml(out, value);
      return std::string(out.c_str()) + "\n";
    }
    case OutputFormat::Table:
      if (value.isArray() && !value.array().empty() &&
          std::all_of(value.array().begin(), value.array().end(), [](const JsonValue& v) { return v.isObject(); }))
        return columnTable(value.array());
      return keyValueTable(value);
  }
  return {};
}

std::string renderJsonText(std::string_view json, OutputFormat format) { return render(parseJson(json), format); }

void printErrorJson(const std::string& json) { std::cerr << json << std::endl; }

void printErrorMessage(const std::string& message) {
  JsonValue v;
  v.value = JsonObject{{"message", JsonValue{message}}};
  printErrorJson(writeJson(v, false));
}

}  // namespace gctokens
