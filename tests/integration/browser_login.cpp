#include "browser_login.h"

#include <sodium.h>

#include <sstream>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "url_query.h"

namespace tokens::testing {

void Browser::keepCookies(const HttpResult& r) {
  std::istringstream lines(r.header("set-cookie"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    setCookies_.push_back(line);
    const auto eq = line.find('=');
    const auto end = line.find(';');
    const auto name = line.substr(0, eq);
    const auto value = line.substr(eq + 1, end == std::string::npos ? std::string::npos : end - eq - 1);
    if (value.empty() || line.find("Max-Age=0") != std::string::npos)
      jar_.erase(name);
    else
      jar_[name] = value;
  }
}

std::string Browser::cookieHeader() const {
  std::string h;
  for (const auto& [name, value] : jar_) h += (h.empty() ? "" : "; ") + name + "=" + value;
  return h.empty() ? h : "Cookie: " + h;
}

std::string Browser::cookie(const std::string& name) const {
  const auto it = jar_.find(name);
  return it == jar_.end() ? "" : it->second;
}

HttpResult Browser::get(const std::string& pathAndQuery, const std::vector<std::string>& extraHeaders) {
  auto headers = extraHeaders;
  if (const auto c = cookieHeader(); !c.empty()) headers.push_back(c);
  auto r = http_->request("GET", pathAndQuery, headers);
  keepCookies(r);
  return r;
}

HttpResult Browser::postForm(const std::string& path, const std::string& form, const std::string& origin,
                             const std::vector<std::string>& extraHeaders) {
  auto headers = extraHeaders;
  headers.push_back("Content-Type: application/x-www-form-urlencoded");
  headers.push_back("Origin: " + (origin.empty() ? origin_ : origin));
  if (const auto c = cookieHeader(); !c.empty()) headers.push_back(c);
  auto r = http_->request("POST", path, headers, form);
  keepCookies(r);
  return r;
}

std::string Browser::authorizePath(const AuthorizeParams& p) {
  std::string q = "/oauth/authorize?client_id=" + formEncode(p.clientId) + "&redirect_uri=" + formEncode(p.redirectUri) +
                  "&response_type=" + formEncode(p.responseType);
  if (!p.state.empty()) q += "&state=" + formEncode(p.state);
  if (!p.codeChallenge.empty()) q += "&code_challenge=" + formEncode(p.codeChallenge) + "&code_challenge_method=S256";
  return q;
}

HttpResult Browser::login(const AuthorizeParams& p, const std::string& email, const std::string& password) {
  const auto page = get(authorizePath(p));
  if (page.status != 200) return page;
  // Send back every hidden field as the page has it, as a browser would.
  std::string form;
  for (const char* name : {"client_id", "redirect_uri", "response_type", "state", "code_challenge",
                           "code_challenge_method", "csrf_token"}) {
    const auto value = hiddenField(page.body, name);
    if (!value.empty()) form += std::string(form.empty() ? "" : "&") + name + "=" + formEncode(value);
  }
  form += "&email=" + formEncode(email) + "&password=" + formEncode(password);
  return postForm("/oauth/authorize", form);
}

std::string hiddenField(const std::string& html, const std::string& name) {
  const auto at = html.find("name=\"" + name + "\" value=\"");
  if (at == std::string::npos) return "";
  const auto start = html.find("value=\"", at) + 7;
  std::string value = html.substr(start, html.find('"', start) - start);
  // The page escapes attribute values; these are the entities it uses.
  for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
           {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
    for (auto pos = value.find(entity); pos != std::string::npos; pos = value.find(entity, pos + c.size()))
      value.replace(pos, entity.size(), c);
  return value;
}

std::string urlParam(const std::string& url, const std::string& name) {
  const auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return "";
  // The code grant answers in the query, the implicit grant in the fragment (written the same way).
  for (const auto& params : {queryParams(url), queryParams("http://fragment/?" + std::string(parsed->encoded_fragment()))})
    if (const auto it = params.find(name); it != params.end()) return it->second;
  return "";
}

PkcePair newPkcePair() {
  static const char kUnreserved[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  PkcePair p;
  for (int i = 0; i < 64; ++i) p.verifier += kUnreserved[randombytes_uniform(sizeof kUnreserved - 1)];
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(p.verifier.data()), p.verifier.size());
  char encoded[sodium_base64_ENCODED_LEN(sizeof digest, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  p.challenge = encoded;
  return p;
}

}  // namespace tokens::testing
