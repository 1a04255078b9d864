#include "http_client.h"

#include <algorithm>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <curl/curl.h>

namespace tokens::testing {
namespace {

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string line(data, size * count);
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  if (line.rfind("HTTP/", 0) == 0) headers.clear();  // a new response (after 100 Continue)
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of("\r\n \t") + 1);
    // Repeated headers (Set-Cookie) are kept one per line, as HTTP allows no comma-joining for them.
    auto [it, fresh] = headers.try_emplace(name, value);
    if (!fresh) it->second += "\n" + value;
  }
  return size * count;
}

}  // namespace

boost::json::value HttpResult::json() const { return boost::json::parse(body); }

std::string HttpResult::header(const std::string& lowerName) const {
  const auto it = headers.find(lowerName);
  return it == headers.end() ? "" : it->second;
}

std::string HttpResult::errorCode() const {
  try {
    const auto v = json();
    if (const auto* code = v.as_object().if_contains("code")) return std::string(code->as_string());
  } catch (...) {
  }
  return "";
}

std::string formEncode(const std::string& value) {
  // libcurl's escaping keeps exactly RFC 3986's unreserved characters, as form values want (the handle
  // argument has been ignored since curl 7.82).
  char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
  if (!escaped) throw std::runtime_error("curl_easy_escape failed");
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

HttpClient::HttpClient(std::string baseUrl) : base_(std::move(baseUrl)), curl_(curl_easy_init()) {
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::vector<std::string>& headers, const std::optional<std::string>& body) {
  auto* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  HttpResult result;
  const auto url = base_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!localAddress_.empty()) curl_easy_setopt(curl, CURLOPT_INTERFACE, ("host!" + localAddress_).c_str());
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  const auto rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) throw std::runtime_error(method + " " + path + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

namespace {
std::vector<std::string> bearer(const std::string& token) {
  if (token.empty()) return {};
  return {"Authorization: Bearer " + token};
}
}  // namespace

HttpResult HttpClient::get(const std::string& path, const std::string& token) { return request("GET", path, bearer(token)); }
HttpResult HttpClient::head(const std::string& path, const std::string& token) { return request("HEAD", path, bearer(token)); }
HttpResult HttpClient::del(const std::string& path, const std::string& token) { return request("DELETE", path, bearer(token)); }

HttpResult HttpClient::putJson(const std::string& path, const std::string& json, const std::string& token) {
  auto headers = bearer(token);
  headers.emplace_back("Content-Type: application/json");
  return request("PUT", path, headers, json);
}

HttpResult HttpClient::postJson(const std::string& path, const std::string& json) {
  return request("POST", path, {"Content-Type: application/json"}, json);
}

HttpResult HttpClient::postForm(const std::string& path, const std::string& form, const std::string& basicUser,
                                const std::string& basicPassword) {
  std::vector<std::string> headers{"Content-Type: application/x-www-form-urlencoded"};
  auto* curl = static_cast<CURL*>(curl_);
  (void)curl;
  if (!basicUser.empty()) {
    // Built by hand (not CURLOPT_USERPWD) so that tests can send any credentials, even malformed ones.
    static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string raw = basicUser + ":" + basicPassword;
    std::string enc;
    std::size_t i = 0;
    for (; i + 2 < raw.size(); i += 3) {
      const unsigned v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8) |
                         static_cast<unsigned char>(raw[i + 2]);
      enc += kB64[(v >> 18) & 63];
      enc += kB64[(v >> 12) & 63];
      enc += kB64[(v >> 6) & 63];
      enc += kB64[v & 63];
    }
    if (i + 1 == raw.size()) {
      const unsigned v = static_cast<unsigned char>(raw[i]) << 16;
      enc += kB64[(v >> 18) & 63];
      enc += kB64[(v >> 12) & 63];
      enc += "==";
    } else if (i + 2 == raw.size()) {
      const unsigned v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8);
      enc += kB64[(v >> 18) & 63];
      enc += kB64[(v >> 12) & 63];
      enc += kB64[(v >> 6) & 63];
      enc += '=';
    }
    headers.push_back("Authorization: Basic " + enc);
  }
  return request("POST", path, headers, form);
}

}  // namespace tokens::testing
