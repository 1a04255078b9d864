#include "service/login_state.h"

#include <array>

#include "domain/pkce.h"

namespace tokens::service {

namespace {

// A spent or expired code is remembered this long after its expiry, so that a late replay still
// revokes what the code gave.
constexpr std::int64_t kSpentCodeMemoryMs = 10 * 60 * 1000;
constexpr std::int64_t kSweepEveryMs = 60 * 1000;

}  // namespace

std::string_view describe(CodeError error) {
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

void LoginState::sweep(std::int64_t nowMs) {
  if (nowMs < nextSweepMs_) return;
  nextSweepMs_ = nowMs + kSweepEveryMs;
  std::erase_if(codes_, [&](const auto& kv) { return nowMs >= kv.second.expiresAtMs + kSpentCodeMemoryMs; });
  std::erase_if(sessions_, [&](const auto& kv) { return nowMs >= kv.second.expiresAtMs; });
}

std::optional<std::string> LoginState::issueCode(CodeGrant grant) {
  auto code = domain::generateOpaqueToken();
  const auto now = clock_.nowMs();
  std::lock_guard lock(mutex_);
  sweep(now);
  if (codes_.size() >= kMaxCodes) return std::nullopt;
  codes_.insert_or_assign(domain::digestOf(code), CodeEntry{std::move(grant), now + kCodeLifetimeMs, false, false, {}});
  return code;
}

std::variant<IssuedTokens, CodeError> LoginState::exchangeCode(const Client& client, std::string_view code,
                                                               std::string_view redirectUri,
                                                               std::optional<std::string_view> verifier,
                                                               bool clientAuthenticated) {
  // Two steps, with no lock held in between: the store may wait on the network (Redis) and suspend this
  // request's fiber, and a lock held across that would stop every other request on the same thread.
  // 1. Claim the code: the first claim by its own client spends it; a later one is a replay.
  const auto now = clock_.nowMs();
  const auto digest = domain::digestOf(code);
  CodeGrant grant;
  std::int64_t expiresAtMs = 0;
  std::vector<domain::Digest> replayedTokens;
  {
    std::lock_guard lock(mutex_);
    sweep(now);
    const auto it = codes_.find(digest);
    if (it == codes_.end()) return CodeError::Unknown;
    auto& entry = it->second;
    // Only its own client can spend a code or, replaying it, revoke what it gave.
    if (entry.grant.clientId != client.id) return CodeError::WrongClient;
    if (entry.spent) {
      entry.replayed = true;
      replayedTokens.swap(entry.issued);
    } else {
      entry.spent = true;  // whatever follows: a code is never tried twice (no guessing the verifier)
      grant = entry.grant;
      expiresAtMs = entry.expiresAtMs;
    }
  }
  if (grant.clientId.empty()) {
    if (!replayedTokens.empty()) tokens_.store().revoke(replayedTokens);
    return CodeError::Replayed;
  }
  if (now >= expiresAtMs) return CodeError::Expired;
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

  // 2. Record what the code gave, so that a replay revokes it; a replay that came in between finds
  // nothing recorded yet, so these go the same way here.
  {
    std::lock_guard lock(mutex_);
    const auto it = codes_.find(digest);
    if (it == codes_.end() || !it->second.replayed) {
      if (it != codes_.end()) it->second.issued = issued.digests;
      return issued;
    }
  }
  tokens_.store().revoke(issued.digests);
  return CodeError::Replayed;
}

std::optional<std::string> LoginState::startSession(const User& user) {
  auto id = domain::generateOpaqueToken();
  const auto now = clock_.nowMs();
  std::lock_guard lock(mutex_);
  sweep(now);
  if (sessions_.size() >= kMaxSessions) return std::nullopt;
  sessions_.insert_or_assign(domain::digestOf(id), SessionEntry{user.id, now + kLoginSessionLifetimeMs});
  return id;
}

const User* LoginState::sessionUser(std::string_view sessionId) {
  if (sessionId.empty()) return nullptr;
  const auto now = clock_.nowMs();
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(domain::digestOf(sessionId));
  if (it == sessions_.end() || now >= it->second.expiresAtMs) return nullptr;
  return tokens_.directory().user(it->second.userId);
}

void LoginState::endSession(std::string_view sessionId) {
  if (sessionId.empty()) return;
  std::lock_guard lock(mutex_);
  sessions_.erase(domain::digestOf(sessionId));
}

void LoginState::endSessionsOf(std::string_view userId) {
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.userId == userId; });
}

}  // namespace tokens::service
