#pragma once
// The query of a URL as a map, percent-decoded, '+' read as a space (as forms and OAuth redirects write
// it): for tests that play the browser and read authorize URLs and redirects.

#include <map>
#include <string>

#include <boost/url/parse.hpp>

namespace tokens::testing {

/// A URL's query parameters, decoded; a repeated name keeps its first value. Empty for a URL that does
/// not parse.
inline std::map<std::string, std::string> queryParams(const std::string& url) {
  std::map<std::string, std::string> params;
  if (const auto parsed = boost::urls::parse_uri(url))
    for (const auto& p : parsed->params(boost::urls::encoding_opts(/*space_as_plus=*/true))) params.emplace(p.key, p.value);
  return params;
}

}  // namespace tokens::testing
