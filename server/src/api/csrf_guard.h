#pragma once
// Cross-site request forgery protection for the login form, with the Origin check of the handlers: a
// double-submit token. The page sets a random nonce in an HttpOnly, SameSite=Lax cookie and puts a keyed
// BLAKE2b MAC of it in a hidden field; a POST must bring both, and the MAC must match. So a form posts
// only together with the page it came from. What stops another site is SameSite and the Origin check: a
// site that could plant cookies for this host (a sibling subdomain) could also fetch a page to pair with
// its cookie, so the token alone does not stop it.
//
// The key lives in this process only: a restart (or another node behind a load balancer) turns pages
// already shown into "expired, try again".

#include <string>
#include <string_view>

namespace tokens::api {

class CsrfGuard {
 public:
  CsrfGuard();
  /// A fresh nonce for the cookie (base64url, 256 bits).
  std::string newNonce() const;
  /// The form field that goes with `nonce`.
  std::string tokenFor(std::string_view nonce) const;
  /// Whether `token` is the field for `nonce`, compared in constant time.
  bool valid(std::string_view nonce, std::string_view token) const;

 private:
  std::string key_;
};

}  // namespace tokens::api
