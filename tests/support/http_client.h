#pragma once
// A small libcurl client for integration tests: one keep-alive connection per client object.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace tokens::testing {

struct HttpResult {
  long status = 0;
  std::map<std::string, std::string> headers;  ///< names lower-cased
  std::string body;

  boost::json::value json() const;
  /// A header's value, or "" when absent.
  std::string header(const std::string& lowerName) const;
  /// ErrorBody's "code", or "" when the body is not one.
  std::string errorCode() const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string baseUrl);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Connects from this loopback address (say 127.0.0.2) instead of 127.0.0.1: another caller, for the
  /// throttles kept per caller address.
  void setLocalAddress(std::string address) { localAddress_ = std::move(address); }

  HttpResult request(const std::string& method, const std::string& path, const std::vector<std::string>& headers = {},
                     const std::optional<std::string>& body = std::nullopt);

  HttpResult get(const std::string& path, const std::string& token = "");
  HttpResult head(const std::string& path, const std::string& token = "");
  HttpResult del(const std::string& path, const std::string& token = "");
  HttpResult putJson(const std::string& path, const std::string& json, const std::string& token = "");
  HttpResult postJson(const std::string& path, const std::string& json);
  HttpResult postForm(const std::string& path, const std::string& form, const std::string& basicUser = "",
                      const std::string& basicPassword = "");

 private:
  std::string base_;
  std::string localAddress_;
  void* curl_;
};

/// Form-encodes one value.
std::string formEncode(const std::string& value);

}  // namespace tokens::testing
