#pragma once
// What a browser does on the login page, over real sockets: cookies kept between requests, the CSRF field
// read from the form, redirects read (not followed: their target is the application's, not the server's).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_client.h"

namespace tokens::testing {

struct AuthorizeParams {
  std::string clientId;
  std::string redirectUri;
  std::string responseType = "code";
  std::string state = "st-123";
  std::string codeChallenge;  ///< S256; empty: no PKCE
};

/// One browser: its cookie jar and its connection.
class Browser {
 public:
  explicit Browser(const std::string& baseUrl) : http_(std::make_unique<HttpClient>(baseUrl)), origin_(baseUrl) {}

  /// Sends the next requests to another node, as a load balancer would: the same cookie jar, and the
  /// origin the requests come from follows (the nodes stand for one site).
  void routeTo(const std::string& baseUrl) {
    http_ = std::make_unique<HttpClient>(baseUrl);
    origin_ = baseUrl;
  }

  /// GET with the jar's cookies, keeping the cookies the answer sets.
  HttpResult get(const std::string& pathAndQuery, const std::vector<std::string>& extraHeaders = {});
  /// POST of a form from the server's own origin (unless `origin` says otherwise).
  HttpResult postForm(const std::string& path, const std::string& form, const std::string& origin = "",
                      const std::vector<std::string>& extraHeaders = {});

  /// GET /oauth/authorize, then the form filled in and sent: the final answer (302 on success).
  HttpResult login(const AuthorizeParams& params, const std::string& email, const std::string& password);

  std::string cookie(const std::string& name) const;
  const std::string& origin() const { return origin_; }
  HttpClient& http() { return *http_; }

  static std::string authorizePath(const AuthorizeParams& params);

 private:
  void keepCookies(const HttpResult& r);
  std::string cookieHeader() const;

  std::unique_ptr<HttpClient> http_;
  std::string origin_;
  std::map<std::string, std::string> jar_;
  std::vector<std::string> setCookies_;  // every Set-Cookie line seen, for attribute checks
 public:
  const std::vector<std::string>& setCookieLines() const { return setCookies_; }
};

/// The value of hidden field `name` in a page.
std::string hiddenField(const std::string& html, const std::string& name);
/// The value of query (or fragment) parameter `name` in a URL, percent-decoded.
std::string urlParam(const std::string& url, const std::string& name);

/// A random PKCE verifier (64 unreserved characters) and its S256 challenge.
struct PkcePair {
  std::string verifier;
  std::string challenge;
};
PkcePair newPkcePair();

}  // namespace tokens::testing
