#pragma once
// Issuing, authenticating and revoking tokens: the domain rules of SPEC §4-§5 applied to the store.
// Thread-safe; called from every event loop.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "domain/clock.h"
#include "domain/directory.h"
#include "domain/idle_timeout.h"
#include "store/token_store.h"

namespace tokens::service {

using domain::Client;
using domain::Organization;
using domain::User;

/// Refresh tokens live 30 days (decided; Genesys Cloud does not document its value).
inline constexpr std::chrono::seconds kRefreshTokenValidity{30 * 24 * 3600};

struct IssuedTokens {
  std::string accessToken;
  int expiresInSeconds = 0;
  std::optional<std::string> refreshToken;
  std::vector<domain::Digest> digests;  ///< of the tokens above, to revoke them together later
};

enum class AuthError { BadCredentials, Expired };

/// Who is calling: a live access token and what it acts for.
struct Caller {
  std::shared_ptr<store::TokenEntry> token;
  const Organization* organization = nullptr;
  const Client* client = nullptr;
  const User* user = nullptr;  ///< null for client-credentials tokens
  std::optional<std::chrono::seconds> idleTimeout;

  const std::vector<std::string>& permissions() const { return user ? user->permissions : client->permissions; }
};

class TokenService {
 public:
  TokenService(store::TokenStore& store, const domain::Directory& directory, const domain::Clock& clock);

  /// Checks an access token: known, unexpired, its client active, its user present, not idled out.
  /// A token found idle is revoked on the spot (with its refresh token).
  std::variant<Caller, AuthError> authenticate(std::string_view accessToken);
  /// Counts a request as activity on the caller's token (resets its idle clock).
  void recordActivity(const Caller& caller);
  /// When the caller's token idles out if nothing happens, or none if no timeout applies.
  std::optional<PureCloudPlatformClientV2::DateTime> dateTokenIdles(const Caller& caller) const;

  /// Issues an access token (and, when asked and no idle timeout applies to the user, a refresh token).
  IssuedTokens issue(const Client& client, const User* user, std::string_view grantType, bool withRefreshToken);

  /// The refresh grant: the refresh token is single-use and rotates. nullopt: unknown, expired, of
  /// another client, or already used.
  std::optional<IssuedTokens> refresh(const Client& client, std::string_view refreshToken);

  /// Revokes the caller's token and the refresh token issued with it.
  void revoke(const Caller& caller);
  std::size_t revokeUser(const Organization& org, std::string_view userId);

 private:
  /// Whether the session a refresh token belongs to has idled out (then revokes it): an idle timeout
  /// must not be sidestepped by refreshing instead of using the access token.
  bool idledOut(store::TokenEntry& refreshEntry, const User& user);
  /// Revokes a token and the one issued with it (access and refresh), all or none.
  void revokeWithPair(const store::TokenRecord& record);
  struct Minted;
  /// New tokens for a grant, not stored yet (and no refresh token while an idle timeout applies).
  Minted mint(const Client& client, const User* user, std::string_view grantType, bool withRefreshToken,
              std::int64_t now,
              std::optional<unsigned char> firstDigestByte = std::nullopt);

 public:

  /// The organization's setting, the default if it never changed it.
  std::shared_ptr<const domain::IdleTokenTimeout> idleTokenTimeout(const Organization& org);
  void setIdleTokenTimeout(const Organization& org, const domain::IdleTokenTimeout& setting);
  std::optional<std::chrono::seconds> idleTimeoutFor(const Organization& org, const User& user);

  const domain::Directory& directory() const { return directory_; }
  const domain::Clock& clock() const { return clock_; }
  store::TokenStore& store() { return store_; }

 private:
  store::TokenStore& store_;
  const domain::Directory& directory_;
  const domain::Clock& clock_;
  // Built once per organization at construction (the directory never changes), so that the request
  // path neither allocates a default setting nor takes a lock for it.
  std::map<std::string, std::shared_ptr<const domain::IdleTokenTimeout>, std::less<>> defaults_;
};

}  // namespace tokens::service
