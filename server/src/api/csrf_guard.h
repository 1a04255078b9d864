#pragma once
// Cross-site request forgery protection for the login form, with the Origin check of the handlers: a
// double-submit token. The page sets a random nonce in an HttpOnly, SameSite=Lax cookie and puts a keyed
// BLAKE2b MAC of it in a hidden field; a POST must bring both, and the MAC must match. So a form posts
// only together with the page it came from. What stops another site is SameSite and the Origin check: a
// site that could plant cookies for this host (a sibling subdomain) could also fetch a page to pair with
// its cookie, so the token alone does not stop it.
//
// The key comes from the login state store, fetched on first use: shared by every node with the Redis
// store (a page shown by one node can be posted to another); this process's own otherwise, so that a
// restart turns pages already shown into "expired, try again".

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace tokens::api {

class CsrfGuard {
 public:
  /// `loadKey` gives the key (32 random bytes, the same on every call); it may throw StoreUnavailable.
  explicit CsrfGuard(std::function<std::string()> loadKey) : loadKey_(std::move(loadKey)) {}
  /// A fresh nonce for the cookie (base64url, 256 bits).
  std::string newNonce() const;
  /// The form field that goes with `nonce`.
  std::string tokenFor(std::string_view nonce) const;
  /// Whether `token` is the field for `nonce`, compared in constant time.
  bool valid(std::string_view nonce, std::string_view token) const;

 private:
  std::string key() const;

  std::function<std::string()> loadKey_;
  mutable std::mutex mutex_;  // not held while the key loads: that may wait on the store
  mutable std::string key_;
};

}  // namespace tokens::api
