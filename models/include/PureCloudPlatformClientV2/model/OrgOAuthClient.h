#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "PureCloudPlatformClientV2/model/DomainEntityRef.h"
#include "PureCloudPlatformClientV2/model/NamedEntity.h"
#include "PureCloudPlatformClientV2/model/RoleDivision.h"

namespace PureCloudPlatformClientV2 {

struct OrgOAuthClient {
  /// The OAuth grant a client is registered for. A value this SDK does not know reads as
  /// outdated_sdk_version, as in the other Genesys Cloud SDKs.
  enum class AuthorizedGrantType { CODE, TOKEN, SAML2_BEARER, PASSWORD, CLIENT_CREDENTIALS, outdated_sdk_version };
  enum class State { active, disabled, inactive, outdated_sdk_version };

  std::optional<std::string> id;
  std::optional<std::string> name;  ///< required by the API
  std::optional<DateTime> dateCreated;
  std::optional<DateTime> dateModified;
  std::optional<DomainEntityRef> createdBy;
  std::optional<DomainEntityRef> modifiedBy;
  std::optional<AuthorizedGrantType> authorizedGrantType;  ///< required by the API
  std::optional<std::vector<std::string>> scope;
  std::optional<std::vector<RoleDivision>> roleDivisions;
  std::optional<State> state;
  std::optional<DateTime> dateToDelete;
  std::optional<NamedEntity> organization;

  bool operator==(const OrgOAuthClient&) const = default;
};

/// The wire names: "CODE", "SAML2-BEARER", "CLIENT-CREDENTIALS", ...
std::string_view toString(OrgOAuthClient::AuthorizedGrantType value);
std::string_view toString(OrgOAuthClient::State value);
/// Unknown names give outdated_sdk_version.
OrgOAuthClient::AuthorizedGrantType authorizedGrantTypeFromString(std::string_view text);
OrgOAuthClient::State oauthClientStateFromString(std::string_view text);

}  // namespace PureCloudPlatformClientV2
