#include "service/login_state.h"

#include <array>

#include "domain/pkce.h"

namespace tokens::service {

std::string_view messageOf(CodeError error) {
  switch (error) {
    case CodeError::Unknown: return "The authorization code is invalid.";
    case CodeError::Replayed: return "The authorization code was already used; the tokens it gave are revoked.";
    case CodeError::Expired: return "The authorization code expired.";
    case CodeError::WrongClient: return "The authorization code was issued to another client.";
    case CodeError::WrongRedirectUri: return "redirect_uri does not match the authorization request.";
    case CodeError::VerifierMissing: return "code_verifier is required (PKCE), or authenticate the client.";
    case CodeError::WrongVerifier: return "code_verifier does not match the code_challenge.";
    case CodeError::VerifierUnexpected: return "code_verifier was sent, but the authorization request had no code_challenge.";
    default: return "The user no longer exists.";
  }
}

std::optional<std::string> LoginState::issueCode(CodeGrant grant) {
  auto code = domain::generateOpaqueToken();
  const auto now = clock_.nowMs();
  if (!store_.putCode(domain::digestOf(code), grant, now + kCodeLifetimeMs, now)) return std::nullopt;
  return code;
}

std::variant<IssuedTokens, CodeError> LoginState::exchangeCode(const Client& client, std::string_view code,
                                                               std::string_view redirectUri,
                                                               std::optional<std::string_view> verifier,
                                                               bool clientAuthenticated) {
  // Claim, issue, record: no lock is held in between (the store may wait on the network and suspend this
  // request's fiber), and a replay that comes between the claim and the record is caught at the record.
  const auto digest = domain::digestOf(code);
  auto claim = store_.claimCode(digest, client.id);
  switch (claim.outcome) {
    case store::CodeClaim::Unknown: return CodeError::Unknown;
    case store::CodeClaim::WrongClient: return CodeError::WrongClient;
    case store::CodeClaim::Replayed:
      if (!claim.issued.empty()) tokens_.store().revoke(claim.issued);
      return CodeError::Replayed;
    case store::CodeClaim::Claimed: break;
  }
  const auto& grant = claim.grant;  // spent now, whatever follows: a code is never tried twice
  if (clock_.nowMs() >= claim.expiresAtMs) return CodeError::Expired;
  if (grant.redirectUri != redirectUri) return CodeError::WrongRedirectUri;
  if (!grant.codeChallenge.empty()) {
    if (!verifier) return CodeError::VerifierMissing;
    if (!domain::pkceVerifierMatches(*verifier, grant.codeChallenge)) return CodeError::WrongVerifier;
  } else if (verifier) {
    return CodeError::VerifierUnexpected;  // a PKCE downgrade: the request carried no challenge (RFC 9700 §4.8.2)
  } else if (!clientAuthenticated) {
    return CodeError::VerifierMissing;
  }
  const auto* user = tokens_.directory().user(grant.userId);
  if (!user) return CodeError::UserGone;
  auto issued = tokens_.issue(client, user, "authorization_code", true);
  bool recorded = false;
  try {
    recorded = store_.recordIssued(digest, issued.digests);
  } catch (const store::StoreUnavailable&) {
    // Unrecorded, a replay could not revoke them: they must not outlive this failed answer.
    try {
      tokens_.store().revoke(issued.digests);
    } catch (const store::StoreUnavailable&) {
      // The store is gone for both: they stay until they expire (a short-lived access token and its pair).
    }
    throw;
  }
  if (recorded) return issued;
  tokens_.store().revoke(issued.digests);  // replayed while these were being issued: they go the same way
  return CodeError::Replayed;
}

std::optional<std::string> LoginState::startSession(const User& user) {
  auto id = domain::generateOpaqueToken();
  const auto now = clock_.nowMs();
  if (!store_.putSession(domain::digestOf(id), user.id, now + kLoginSessionLifetimeMs, now)) return std::nullopt;
  return id;
}

const User* LoginState::sessionUser(std::string_view sessionId) {
  if (sessionId.empty()) return nullptr;
  const auto userId = store_.sessionUser(domain::digestOf(sessionId), clock_.nowMs());
  return userId ? tokens_.directory().user(*userId) : nullptr;
}

void LoginState::endSession(std::string_view sessionId) {
  if (!sessionId.empty()) store_.endSession(domain::digestOf(sessionId));
}

void LoginState::endSessionsOf(std::string_view userId) { store_.endSessionsOf(userId); }

}  // namespace tokens::service
