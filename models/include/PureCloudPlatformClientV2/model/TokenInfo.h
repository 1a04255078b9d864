#pragma once
#include <optional>
#include <string>
#include <vector>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "PureCloudPlatformClientV2/model/NamedEntity.h"
#include "PureCloudPlatformClientV2/model/OrgOAuthClient.h"
#include "PureCloudPlatformClientV2/model/TokenInfoClonedUser.h"

namespace PureCloudPlatformClientV2 {

/// What GET /api/v2/tokens/me tells about the calling token.
struct TokenInfo {
  std::optional<NamedEntity> organization;      ///< the organization the token acts in
  std::optional<NamedEntity> homeOrganization;  ///< the OAuth client's own organization
  std::optional<std::vector<std::string>> authorizedScope;
  std::optional<TokenInfoClonedUser> clonedUser;
  std::optional<DateTime> dateTokenIdles;  ///< absent when no idle timeout applies to the token
  std::optional<OrgOAuthClient> OAuthClient;  // sic: the JSON name is "OAuthClient"

  bool operator==(const TokenInfo&) const = default;
};

}  // namespace PureCloudPlatformClientV2
