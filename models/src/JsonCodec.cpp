// The JSON form of every model of SPEC §2. Each model lists its fields once, in `describe`; a Writer
// and a Reader visit that list, so the JSON names live in one place and reading and writing agree.

#include "PureCloudPlatformClientV2/model/internal/JsonCodec.h"

#include <limits>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "PureCloudPlatformClientV2/model/TokenInfo.h"

namespace PureCloudPlatformClientV2::internal {
namespace {

namespace json = boost::json;

// ---- field lists ------------------------------------------------------------------------------------

template <class V> void describe(V& v, Entity& m) { v("id", m.id); }
template <class V> void describe(V& v, NamedEntity& m) { v("id", m.id); v("name", m.name); }
template <class V> void describe(V& v, DomainEntityRef& m) {
  v("id", m.id); v("name", m.name); v("selfUri", m.selfUri);
}
template <class V> void describe(V& v, TokenInfoClonedUser& m) { v("id", m.id); v("organization", m.organization); }
template <class V> void describe(V& v, RoleDivision& m) { v("roleId", m.roleId); v("divisionId", m.divisionId); }
template <class V> void describe(V& v, OrgOAuthClient& m) {
  v("id", m.id); v("name", m.name); v("dateCreated", m.dateCreated); v("dateModified", m.dateModified);
  v("createdBy", m.createdBy); v("modifiedBy", m.modifiedBy); v("authorizedGrantType", m.authorizedGrantType);
  v("scope", m.scope); v("roleDivisions", m.roleDivisions); v("state", m.state);
  v("dateToDelete", m.dateToDelete); v("organization", m.organization);
}
template <class V> void describe(V& v, TokenInfo& m) {
  v("organization", m.organization); v("homeOrganization", m.homeOrganization);
  v("authorizedScope", m.authorizedScope); v("clonedUser", m.clonedUser);
  v("dateTokenIdles", m.dateTokenIdles); v("OAuthClient", m.OAuthClient);
}
template <class V> void describe(V& v, InactivityTimeoutGroupBundle& m) {
  v("priority", m.priority); v("timeoutSeconds", m.timeoutSeconds);
  v("inactivityTimeoutUnit", m.inactivityTimeoutUnit); v("groups", m.groups);
}
template <class V> void describe(V& v, IdleTokenTimeout& m) {
  v("idleTokenTimeoutSeconds", m.idleTokenTimeoutSeconds); v("enableIdleTokenTimeout", m.enableIdleTokenTimeout);
  v("inactivityTimeoutUnit", m.inactivityTimeoutUnit);
  v("inactivityTimeoutGroupsEnabled", m.inactivityTimeoutGroupsEnabled);
  v("inactivityTimeoutGroupBundles", m.inactivityTimeoutGroupBundles);
}
template <class V> void describe(V& v, Detail& m) {
  v("errorCode", m.errorCode); v("fieldName", m.fieldName); v("entityId", m.entityId); v("entityName", m.entityName);
}
template <class V> void describe(V& v, Limit& m) { v("key", m.key); v("namespace", m.namespace_); v("value", m.value); }
template <class V> void describe(V& v, ErrorBody& m) {
  v("message", m.message); v("code", m.code); v("status", m.status); v("entityId", m.entityId);
  v("entityName", m.entityName); v("messageWithParams", m.messageWithParams); v("messageParams", m.messageParams);
  v("contextId", m.contextId); v("details", m.details); v("errors", m.errors); v("limit", m.limit);
}

template <class M>
concept Model = requires(M& m, int& visitor) { describe(visitor, m); };

// ---- writing ---------------------------------------------------------------------------------------

json::value encode(const std::string& s) { return json::string(s); }
json::value encode(int i) { return i; }
json::value encode(bool b) { return b; }
json::value encode(DateTime t) { return json::string(formatDateTime(t)); }
json::value encode(OrgOAuthClient::AuthorizedGrantType e) { return json::string(toString(e)); }
json::value encode(OrgOAuthClient::State e) { return json::string(toString(e)); }
json::value encode(InactivityTimeoutUnit e) { return json::string(toString(e)); }
json::value encode(const std::map<std::string, std::string>& map) {
  json::object o;
  for (const auto& [k, val] : map) o.emplace(k, val);
  return o;
}
template <Model M> json::value encode(const M& model);
template <class T> json::value encode(const std::vector<T>& items) {
  json::array a;
  a.reserve(items.size());
  for (const auto& item : items) a.push_back(encode(item));
  return a;
}

struct Writer {
  json::object& out;
  template <class T>
  void operator()(std::string_view key, const std::optional<T>& field) {
    if (field) out.emplace(key, encode(*field));
  }
};

template <Model M> json::value encode(const M& model) {
  json::object o;
  Writer w{o};
  // describe() takes a mutable model so one list serves Reader and Writer; the Writer only reads.
  describe(w, const_cast<M&>(model));
  return o;
}

// ---- reading ---------------------------------------------------------------------------------------

// Where a value sits in the document. Built on the stack as decoding descends and spelled out only when
// an error names it: decoding a valid document (every SDK call does) allocates nothing for paths.
struct JsonPath {
  const JsonPath* parent = nullptr;
  std::string_view key;  ///< a member name; for the root, the path the caller gave (often empty)
  std::size_t index = std::string::npos;  ///< an array element's index; npos for members

  std::string str() const {
    std::string s = parent ? parent->str() : std::string();
    if (index != std::string::npos) return s + "[" + std::to_string(index) + "]";
    if (!s.empty() && !key.empty()) s += '.';
    return s.append(key);
  }
};

bool fail(JsonError& error, const JsonPath& path, std::string message) {
  error.fieldName = path.str();
  error.message = std::move(message);
  return false;
}

bool decode(const json::value& v, std::string& out, JsonError& e, const JsonPath& path) {
  if (!v.is_string()) return fail(e, path, "must be a string");
  out.assign(v.get_string().data(), v.get_string().size());
  return true;
}
bool decode(const json::value& v, int& out, JsonError& e, const JsonPath& path) {
  constexpr auto lo = std::numeric_limits<int>::min();
  constexpr auto hi = std::numeric_limits<int>::max();
  if (v.is_int64()) {
    const auto i = v.get_int64();
    if (i < lo || i > hi) return fail(e, path, "is out of range");
    out = static_cast<int>(i);
    return true;
  }
  if (v.is_uint64()) return fail(e, path, "is out of range");
  if (v.is_double()) {  // 900.0 is an integer written by a lax writer; 900.5 is not
    const double d = v.get_double();
    // Before the cast, which would be undefined: out of range, infinite, or NaN ("0e3081" reads as NaN),
    // for which every comparison is false, hence the negation.
    if (!(d >= lo && d <= hi)) return fail(e, path, "is out of range");
    if (d != static_cast<double>(static_cast<long long>(d))) return fail(e, path, "must be an integer");
    out = static_cast<int>(d);
    return true;
  }
  return fail(e, path, "must be an integer");
}
bool decode(const json::value& v, bool& out, JsonError& e, const JsonPath& path) {
  if (!v.is_bool()) return fail(e, path, "must be a boolean");
  out = v.get_bool();
  return true;
}
bool decode(const json::value& v, DateTime& out, JsonError& e, const JsonPath& path) {
  if (v.is_string()) {
    const auto& s = v.get_string();
    if (auto t = parseDateTime(std::string_view(s.data(), s.size()))) {
      out = *t;
      return true;
    }
  }
  return fail(e, path, "must be an ISO-8601 date-time");
}
template <class Enum, class FromString>
bool decodeEnum(const json::value& v, Enum& out, JsonError& e, const JsonPath& path, FromString fromString) {
  if (!v.is_string()) return fail(e, path, "must be a string");
  out = fromString(std::string_view(v.get_string().data(), v.get_string().size()));
  return true;
}
bool decode(const json::value& v, OrgOAuthClient::AuthorizedGrantType& out, JsonError& e, const JsonPath& p) {
  return decodeEnum(v, out, e, p, authorizedGrantTypeFromString);
}
bool decode(const json::value& v, OrgOAuthClient::State& out, JsonError& e, const JsonPath& p) {
  return decodeEnum(v, out, e, p, oauthClientStateFromString);
}
bool decode(const json::value& v, InactivityTimeoutUnit& out, JsonError& e, const JsonPath& p) {
  return decodeEnum(v, out, e, p, inactivityTimeoutUnitFromString);
}
bool decode(const json::value& v, std::map<std::string, std::string>& out, JsonError& e, const JsonPath& path) {
  if (!v.is_object()) return fail(e, path, "must be an object");
  for (const auto& kv : v.get_object()) {
    std::string item;
    if (!decode(kv.value(), item, e, JsonPath{&path, kv.key()})) return false;
    out.emplace(std::string(kv.key()), std::move(item));
  }
  return true;
}
template <Model M> bool decode(const json::value& v, M& out, JsonError& e, const JsonPath& path);
template <class T> bool decode(const json::value& v, std::vector<T>& out, JsonError& e, const JsonPath& path) {
  if (!v.is_array()) return fail(e, path, "must be an array");
  const auto& a = v.get_array();
  out.clear();
  out.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    T item{};
    if (!decode(a[i], item, e, JsonPath{&path, {}, i})) return false;
    out.push_back(std::move(item));
  }
  return true;
}

struct Reader {
  const json::object& in;
  JsonError& error;
  const JsonPath& path;
  bool ok = true;

  template <class T>
  void operator()(std::string_view key, std::optional<T>& field) {
    if (!ok) return;
    const auto it = in.find(key);
    if (it == in.end() || it->value().is_null()) return;  // unknown fields are never looked at
    T value{};
    ok = decode(it->value(), value, error, JsonPath{&path, key});
    if (ok) field = std::move(value);
  }
};

template <Model M> bool decode(const json::value& v, M& out, JsonError& e, const JsonPath& path) {
  if (!v.is_object()) return fail(e, path, "must be an object");
  Reader r{v.get_object(), e, path};
  describe(r, out);
  return r.ok;
}

std::pair<std::size_t, std::size_t> lineAndColumn(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

template <class M>
json::value toJsonValue(const M& model) {
  return encode(model);
}

template <class M>
bool fromJsonValue(const json::value& value, M& model, JsonError& error, std::string_view path) {
  return decode(value, model, error, JsonPath{nullptr, path});
}

std::optional<json::value> parseJson(std::string_view text, JsonError& error, json::storage_ptr storage) {
  // The parser's own working stack lives in this buffer too, for documents of ordinary depth.
  unsigned char scratch[1024];
  json::stream_parser parser({}, {}, scratch, sizeof scratch);
  parser.reset(std::move(storage));
  boost::system::error_code ec;
  const std::size_t used = parser.write(text.data(), text.size(), ec);
  std::size_t at = used;
  if (!ec) {
    parser.finish(ec);
    at = text.size();
  }
  if (ec) {
    const auto [line, column] = lineAndColumn(text, at);
    error.fieldName.clear();
    error.message = "malformed JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
                    ": " + ec.message();
    return std::nullopt;
  }
  return parser.release();
}

#define TOKENS_MODEL_CODEC(M)                                  \
  template json::value toJsonValue<M>(const M&);               \
  template bool fromJsonValue<M>(const json::value&, M&, JsonError&, std::string_view);

TOKENS_MODEL_CODEC(Entity)
TOKENS_MODEL_CODEC(NamedEntity)
TOKENS_MODEL_CODEC(DomainEntityRef)
TOKENS_MODEL_CODEC(TokenInfoClonedUser)
TOKENS_MODEL_CODEC(RoleDivision)
TOKENS_MODEL_CODEC(OrgOAuthClient)
TOKENS_MODEL_CODEC(TokenInfo)
TOKENS_MODEL_CODEC(InactivityTimeoutGroupBundle)
TOKENS_MODEL_CODEC(IdleTokenTimeout)
TOKENS_MODEL_CODEC(Detail)
TOKENS_MODEL_CODEC(Limit)
TOKENS_MODEL_CODEC(ErrorBody)

}  // namespace PureCloudPlatformClientV2::internal
