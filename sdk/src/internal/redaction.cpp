#include "internal/redaction.h"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

namespace PureCloudPlatformClientV2::internal {
namespace {

constexpr std::array<std::string_view, 8> kSecretFields{"access_token", "refresh_token", "id_token", "client_secret",
                                                        "password", "code", "code_verifier", "assertion"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The listed names, and any name that ends in "token" (accessToken, id_token...) or holds "secret" or
// "password". Not every name with "token" in it: idleTokenTimeoutSeconds is worth seeing in a log.
bool isSecretField(std::string_view name) {
  const auto lowered = lower(name);
  return std::find(kSecretFields.begin(), kSecretFields.end(), lowered) != kSecretFields.end() ||
         lowered.ends_with("token") || lowered.find("secret") != std::string::npos ||
         lowered.find("password") != std::string::npos;
}

void redactJson(boost::json::value& value) {
  if (auto* object = value.if_object()) {
    for (auto& member : *object) {
      if (isSecretField(member.key()))
        member.value() = kRedacted;
      else
        redactJson(member.value());
    }
  } else if (auto* array = value.if_array()) {
    for (auto& item : *array) redactJson(item);
  }
}

// "a=1&password=x" -> "a=1&password=[REDACTED]". Names are compared undecoded: secrets' names need no
// encoding, and an encoded name would at worst be over-redacted below.
std::optional<std::string> redactForm(std::string_view body) {
  if (body.find('=') == std::string_view::npos || body.find_first_of(" {}\"\n") != std::string_view::npos)
    return std::nullopt;
  std::string out;
  std::size_t start = 0;
  while (start <= body.size()) {
    const auto amp = body.find('&', start);
    const auto pair = body.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    const auto eq = pair.find('=');
    if (!out.empty()) out += '&';
    if (eq != std::string_view::npos && isSecretField(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out.append(kRedacted);
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

}  // namespace

bool isSensitiveHeader(std::string_view name) {
  const auto lowered = lower(name);
  return lowered == "authorization" || lowered == "proxy-authorization" || lowered == "cookie" ||
         lowered == "set-cookie";
}

std::string redactHeaderValue(std::string_view name, std::string_view value) {
  if (!isSensitiveHeader(name)) return std::string(value);
  // Keep the scheme ("Bearer", "Basic"): it helps debugging and tells nothing secret.
  const auto space = value.find(' ');
  if (space == std::string_view::npos) return std::string(kRedacted);
  return std::string(value.substr(0, space + 1)) + std::string(kRedacted);
}

std::string redactBody(std::string_view body) {
  if (body.empty()) return {};
  boost::system::error_code ec;
  auto json = boost::json::parse(body, ec);
  if (!ec) {
    redactJson(json);
    return boost::json::serialize(json);
  }
  if (auto form = redactForm(body)) return *form;
  const auto lowered = lower(body);
  for (const auto field : kSecretFields)
    if (lowered.find(field) != std::string::npos) return std::string(kRedacted);
  if (lowered.find("token") != std::string::npos || lowered.find("secret") != std::string::npos)
    return std::string(kRedacted);
  return std::string(body);
}

}  // namespace PureCloudPlatformClientV2::internal
