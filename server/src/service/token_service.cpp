#include "service/token_service.h"

#include <algorithm>
#include <array>

namespace tokens::service {

using store::TokenKind;
using store::TokenRecord;

TokenService::TokenService(store::TokenStore& store, const domain::Directory& directory, const domain::Clock& clock)
    : store_(store), directory_(directory), clock_(clock) {
  for (const auto& [id, org] : directory.organizations())
    defaults_.emplace(id, std::make_shared<const domain::IdleTokenTimeout>(domain::defaultIdleTokenTimeout(org)));
}

std::shared_ptr<const domain::IdleTokenTimeout> TokenService::idleTokenTimeout(const Organization& org) {
  if (auto stored = store_.idleTokenTimeout(org.id)) return stored;
  const auto it = defaults_.find(org.id);
  return it != defaults_.end() ? it->second
                               : std::make_shared<const domain::IdleTokenTimeout>(domain::defaultIdleTokenTimeout(org));
}

void TokenService::setIdleTokenTimeout(const Organization& org, const domain::IdleTokenTimeout& setting) {
  store_.saveIdleTokenTimeout(org.id, setting);
}

std::optional<std::chrono::seconds> TokenService::idleTimeoutFor(const Organization& org, const User& user) {
  return domain::effectiveIdleTimeout(*idleTokenTimeout(org), user.groups);
}

std::variant<Caller, AuthError> TokenService::authenticate(std::string_view accessToken) {
  const auto digest = domain::digestOf(accessToken);
  auto entry = store_.find(digest);
  if (!entry || entry->record.kind != TokenKind::Access) return AuthError::BadCredentials;
  const auto& record = entry->record;
  const auto now = clock_.nowMs();
  if (now >= record.expiresAtMs) return AuthError::Expired;

  Caller caller;
  caller.client = directory_.client(record.clientId);
  caller.organization = directory_.organization(record.organizationId);
  if (!caller.client || caller.client->state != domain::ClientState::active || !caller.organization)
    return AuthError::BadCredentials;
  if (!record.userId.empty()) {
    caller.user = directory_.user(record.userId);
    if (!caller.user || caller.user->organizationId != record.organizationId) return AuthError::BadCredentials;
    caller.idleTimeout = idleTimeoutFor(*caller.organization, *caller.user);
    if (caller.idleTimeout) {
      const auto idlesAt = entry->lastActivityMs.load(std::memory_order_relaxed) +
                           std::chrono::duration_cast<std::chrono::milliseconds>(*caller.idleTimeout).count();
      if (now >= idlesAt) {
        caller.token = std::move(entry);
        revoke(caller);
        return AuthError::BadCredentials;
      }
    }
  }
  caller.token = std::move(entry);
  return caller;
}

void TokenService::recordActivity(const Caller& caller) { store_.touch(*caller.token, clock_.nowMs()); }

std::optional<PureCloudPlatformClientV2::DateTime> TokenService::dateTokenIdles(const Caller& caller) const {
  if (!caller.idleTimeout) return std::nullopt;
  return domain::fromMs(caller.token->lastActivityMs.load(std::memory_order_relaxed)) + *caller.idleTimeout;
}

/// Tokens made and not stored yet: what the caller gets, and the records the store keeps of them.
struct TokenService::Minted {
  IssuedTokens issued;
  std::array<TokenRecord, 2> records;
  std::size_t count = 1;
  std::span<const TokenRecord> stored() const { return {records.data(), count}; }
};

TokenService::Minted TokenService::mint(const Client& client, const User* user, std::string_view grantType,
                                        bool withRefreshToken, std::int64_t now,
                                        std::optional<unsigned char> firstDigestByte) {
  const auto* org = directory_.organization(client.organizationId);
  if (user && org && idleTimeoutFor(*org, *user)) withRefreshToken = false;  // SPEC §4: none while a timeout applies

  Minted minted;
  auto& issued = minted.issued;
  // A store that keeps tokens together by their digest's first byte (TokenStore::keepsPairsTogether)
  // gets pairs whose digests share it: given (the pair replacing one), or the access token's.
  issued.accessToken = firstDigestByte ? domain::generateOpaqueTokenWithDigestStartingWith(*firstDigestByte)
                                       : domain::generateOpaqueToken();
  issued.expiresInSeconds = client.accessTokenValiditySeconds;

  auto& access = minted.records[0];
  access.digest = domain::digestOf(issued.accessToken);
  access.kind = TokenKind::Access;
  access.organizationId = client.organizationId;
  access.clientId = client.id;
  access.userId = user ? user->id : std::string();
  access.grantType = std::string(grantType);
  access.issuedAtMs = now;
  access.expiresAtMs = now + std::int64_t{client.accessTokenValiditySeconds} * 1000;

  if (withRefreshToken) {
    issued.refreshToken = store_.keepsPairsTogether()
                              ? domain::generateOpaqueTokenWithDigestStartingWith(access.digest[0])
                              : domain::generateOpaqueToken();
    auto& refresh = minted.records[1];
    refresh = access;
    refresh.digest = domain::digestOf(*issued.refreshToken);
    refresh.kind = TokenKind::Refresh;
    refresh.expiresAtMs = now + std::chrono::duration_cast<std::chrono::milliseconds>(kRefreshTokenValidity).count();
    refresh.pairDigest = access.digest;
    access.pairDigest = refresh.digest;
    minted.count = 2;
  }
  for (const auto& record : minted.stored()) issued.digests.push_back(record.digest);
  return minted;
}

IssuedTokens TokenService::issue(const Client& client, const User* user, std::string_view grantType,
                                 bool withRefreshToken) {
  const auto now = clock_.nowMs();
  auto minted = mint(client, user, grantType, withRefreshToken, now);
  store_.insert(minted.stored(), now);
  return std::move(minted.issued);
}

std::optional<IssuedTokens> TokenService::refresh(const Client& client, std::string_view refreshToken) {
  const auto digest = domain::digestOf(refreshToken);
  const auto entry = store_.find(digest);
  if (!entry || entry->record.kind != TokenKind::Refresh || entry->record.clientId != client.id) return std::nullopt;
  const auto now = clock_.nowMs();
  if (now >= entry->record.expiresAtMs) return std::nullopt;
  const User* user = entry->record.userId.empty() ? nullptr : directory_.user(entry->record.userId);
  if (!entry->record.userId.empty() && !user) return std::nullopt;
  if (user && idledOut(*entry, *user)) return std::nullopt;
  // Single use, and one step with the new pair (TokenStore::rotate): of two concurrent refreshes with the
  // same token only one wins, and a revocation of the user cannot fall between the old token's end and
  // the new pair's start. A refreshed token is still a password (code...) token.
  auto minted = mint(client, user, entry->record.grantType, true, now,
                     store_.keepsPairsTogether() ? std::optional<unsigned char>(digest[0]) : std::nullopt);
  if (!store_.rotate(digest, minted.stored(), now)) return std::nullopt;
  return std::move(minted.issued);
}

bool TokenService::idledOut(store::TokenEntry& refreshEntry, const User& user) {
  const auto* org = directory_.organization(user.organizationId);
  const auto timeout = org ? idleTimeoutFor(*org, user) : std::nullopt;
  if (!timeout) return false;
  // The session's last activity: its access token's (the refresh token itself is used rarely).
  auto lastActivity = refreshEntry.lastActivityMs.load(std::memory_order_relaxed);
  if (refreshEntry.record.pairDigest)
    if (const auto access = store_.find(*refreshEntry.record.pairDigest))
      lastActivity = std::max(lastActivity, access->lastActivityMs.load(std::memory_order_relaxed));
  if (clock_.nowMs() < lastActivity + std::chrono::duration_cast<std::chrono::milliseconds>(*timeout).count())
    return false;
  revokeWithPair(refreshEntry.record);  // the session is over, whichever of its tokens shows up first
  return true;
}

void TokenService::revokeWithPair(const store::TokenRecord& record) {
  std::vector<domain::Digest> digests{record.digest};
  if (record.pairDigest) digests.push_back(*record.pairDigest);
  store_.revoke(digests);
}

void TokenService::revoke(const Caller& caller) { revokeWithPair(caller.token->record); }

std::size_t TokenService::revokeUser(const Organization& org, std::string_view userId) {
  return store_.revokeUser(org.id, userId);
}

}  // namespace tokens::service
