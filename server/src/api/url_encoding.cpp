#include "api/url_encoding.h"

#include <cctype>
#include <cstring>

#include <boost/url/decode_view.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>

namespace tokens::api {
namespace {

std::string decoded(boost::urls::pct_string_view text) {
  const boost::urls::decode_view view = *text;
  return std::string(view.begin(), view.end());
}

}  // namespace

std::optional<FormFields> parseForm(std::string_view text) {
  FormFields fields;
  if (text.empty()) return fields;
  // In forms '+' means a space; a literal '+' arrives as %2B, so this rewrite loses nothing. Characters
  // that should have been encoded but were not ('{', '|', bytes over 127...) are encoded here rather than
  // failing the whole form, as browsers and most servers do; a malformed %XX stays an error.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string rewritten;
  rewritten.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '+') {
      rewritten += "%20";
    } else if (std::isalnum(c) || std::strchr("-._~!$'()*,;:@/?%&=", c)) {
      rewritten += ch;
    } else {
      rewritten += '%';
      rewritten += kHex[c >> 4];
      rewritten += kHex[c & 15];
    }
  }
  const auto params = boost::urls::parse_query(rewritten);
  if (!params) return std::nullopt;
  for (const auto& p : *params) {
    if (p.key.empty()) continue;
    fields.emplace_back(decoded(p.key), p.has_value ? decoded(p.value) : std::string());
  }
  return fields;
}

const std::string* findField(const FormFields& fields, std::string_view name) {
  for (const auto& [key, value] : fields)
    if (key == name) return &value;
  return nullptr;
}

std::optional<std::string> decodePathSegment(std::string_view segment) {
  const auto pct = boost::urls::make_pct_string_view(segment);
  if (!pct) return std::nullopt;
  return decoded(*pct);
}

}  // namespace tokens::api
