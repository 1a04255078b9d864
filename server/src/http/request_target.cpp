#include "http/request_target.h"

#include <boost/url/parse.hpp>

namespace tokens::http {

namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<RequestTarget> parseRequestTarget(std::string_view target) {
  if (!startsWithNoCase(target, "http://") && !startsWithNoCase(target, "https://")) {
    const auto question = target.find('?');
    RequestTarget t;
    t.path = target.substr(0, question);
    if (question != std::string_view::npos) t.query = target.substr(question + 1);
    return t;
  }
  const auto url = boost::urls::parse_absolute_uri(target);
  if (!url || !url->has_authority() || url->has_userinfo() || url->encoded_host().empty() || url->has_fragment())
    return std::nullopt;
  RequestTarget t;
  // The views below point into `target` itself: a url_view does not copy its buffer.
  const std::string_view path = url->encoded_path();
  t.path = path.empty() ? std::string_view("/") : path;
  if (url->has_query()) t.query = url->encoded_query();
  t.authority = url->encoded_host_and_port();
  return t;
}

bool validHost(std::string_view value) {
  if (value.empty()) return false;
  const auto authority = boost::urls::parse_authority(value);
  return authority && !authority->has_userinfo() && !authority->encoded_host().empty();
}

}  // namespace tokens::http
