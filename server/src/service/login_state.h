#pragma once
// What the browser logins (SPEC §5) keep between two requests: authorization codes, from the login page
// to POST /oauth/token, and login sessions, from one visit of the login page to the next. The rules live
// here; the keeping is the store's (store/login_state_store.h): in process memory for the memory and
// SQLite stores, in Redis for the Redis store (shared by every node). Only digests of codes and session
// ids are kept, as for tokens. Thread-safe, and holds no lock while the store works.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "service/token_service.h"
#include "store/login_state_store.h"

namespace tokens::service {

using store::CodeGrant;

/// Authorization codes live 60 s (SPEC §5), on the server's clock (the emulator moves it).
inline constexpr std::int64_t kCodeLifetimeMs = 60 * 1000;
/// A login session spares a user the form for 8 hours (decided), or until /logout.
inline constexpr std::int64_t kLoginSessionLifetimeMs = 8 * 3600 * 1000;

/// Why an exchange failed; every reason answers invalid_grant, with its own description.
enum class CodeError {
  Unknown, Replayed, Expired, WrongClient, WrongRedirectUri, VerifierMissing, WrongVerifier, VerifierUnexpected, UserGone
};
std::string_view messageOf(CodeError error);

class LoginState {
 public:
  LoginState(TokenService& tokens, const domain::Clock& clock, store::LoginStateStore& store)
      : tokens_(tokens), clock_(clock), store_(store) {}

  /// A fresh single-use code for `grant`; nullopt when the store keeps no more now.
  std::optional<std::string> issueCode(CodeGrant grant);

  /// POST /oauth/token with grant_type=authorization_code. `verifier` is the PKCE code_verifier if sent;
  /// `clientAuthenticated` whether the client proved its secret (without it, PKCE is required). The code
  /// is spent by the first exchange by its own client, successful or not; a second exchange of it revokes
  /// the tokens the first one issued (RFC 6749 §4.1.2). Another client presenting it changes nothing: a
  /// leaked code must not let anyone burn it or revoke its tokens.
  std::variant<IssuedTokens, CodeError> exchangeCode(const Client& client, std::string_view code,
                                                     std::string_view redirectUri,
                                                     std::optional<std::string_view> verifier,
                                                     bool clientAuthenticated);

  /// A login session for `user`; returns the session id (the cookie's value), nullopt when the store
  /// keeps no more now.
  std::optional<std::string> startSession(const User& user);
  /// The user of a live session, or null.
  const User* sessionUser(std::string_view sessionId);
  void endSession(std::string_view sessionId);
  /// Ends every login session of a user (DELETE /api/v2/tokens/{userId}: signed out everywhere, so no
  /// application can get a new token for the user without the password).
  void endSessionsOf(std::string_view userId);

  /// A secret every node shares (the login page's CSRF key), made on first use.
  std::string sharedSecret(std::string_view name) { return store_.sharedSecret(name); }

 private:
  TokenService& tokens_;
  const domain::Clock& clock_;
  store::LoginStateStore& store_;
};

}  // namespace tokens::service
