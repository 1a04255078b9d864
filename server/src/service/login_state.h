#pragma once
// What the browser logins (SPEC §5) keep between two requests: authorization codes, from the login page
// to POST /oauth/token, and login sessions, from one visit of the login page to the next. Only digests
// of codes and session ids are kept, as for tokens.
//
// Kept in memory: a restart voids the codes in flight (they live 60 s) and signs browsers out of the
// login page (not out of their tokens, which the store keeps). Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "domain/token_crypto.h"
#include "service/token_service.h"

namespace tokens::service {

/// Authorization codes live 60 s (SPEC §5), on the server's clock (the emulator moves it).
inline constexpr std::int64_t kCodeLifetimeMs = 60 * 1000;
/// A login session spares a user the form for 8 hours (decided), or until /logout.
inline constexpr std::int64_t kLoginSessionLifetimeMs = 8 * 3600 * 1000;
/// Bounds on memory: past them, no new code or session until old ones are swept (answered as "try again").
inline constexpr std::size_t kMaxCodes = 100000;
inline constexpr std::size_t kMaxSessions = 100000;

/// What an authorization code stands for: a user's consent for one client, one redirect URI and, with
/// PKCE, one challenge.
struct CodeGrant {
  std::string clientId;
  std::string userId;
  std::string redirectUri;
  std::string codeChallenge;  ///< S256; empty when the authorization request had none
};

/// Why an exchange failed; every reason answers invalid_grant, with its own description.
enum class CodeError {
  Unknown, Replayed, Expired, WrongClient, WrongRedirectUri, VerifierMissing, WrongVerifier, VerifierUnexpected, UserGone
};
std::string_view describe(CodeError error);

class LoginState {
 public:
  LoginState(TokenService& tokens, const domain::Clock& clock) : tokens_(tokens), clock_(clock) {}

  /// A fresh single-use code for `grant`; nullopt when kMaxCodes are live.
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

  /// A login session for `user`; returns the session id (the cookie's value), nullopt when kMaxSessions
  /// are live.
  std::optional<std::string> startSession(const User& user);
  /// The user of a live session, or null.
  const User* sessionUser(std::string_view sessionId);
  void endSession(std::string_view sessionId);
  /// Ends every login session of a user (DELETE /api/v2/tokens/{userId}: signed out everywhere, so no
  /// application can get a new token for the user without the password).
  void endSessionsOf(std::string_view userId);

 private:
  struct CodeEntry {
    CodeGrant grant;
    std::int64_t expiresAtMs = 0;
    bool spent = false;
    bool replayed = false;
    std::vector<domain::Digest> issued;  // by the first exchange, revoked by a replay
  };
  struct SessionEntry {
    std::string userId;
    std::int64_t expiresAtMs = 0;
  };
  void sweep(std::int64_t nowMs);  // under mutex_

  TokenService& tokens_;
  const domain::Clock& clock_;
  // One lock for both maps, never held while the token store works (it may suspend the request's
  // fiber): exchangeCode claims, issues, then records, and a replay in between is caught at the record.
  std::mutex mutex_;
  std::unordered_map<domain::Digest, CodeEntry, domain::DigestHash> codes_;
  std::unordered_map<domain::Digest, SessionEntry, domain::DigestHash> sessions_;
  std::int64_t nextSweepMs_ = 0;
};

}  // namespace tokens::service
