#include <array>
#include <utility>

#include "PureCloudPlatformClientV2/model/InactivityTimeoutUnit.h"
#include "PureCloudPlatformClientV2/model/OrgOAuthClient.h"

namespace PureCloudPlatformClientV2 {
namespace {

constexpr std::string_view kOutdated = "outdated_sdk_version";

// One table per enum: its values in order, with their wire names.
template <class Enum, std::size_t N>
std::string_view nameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return kOutdated;
}

template <class Enum, std::size_t N>
Enum valueOf(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [e, name] : table)
    if (name == text) return e;
  return Enum::outdated_sdk_version;
}

using GrantType = OrgOAuthClient::AuthorizedGrantType;
constexpr std::array<std::pair<GrantType, std::string_view>, 5> kGrantTypes{{
    {GrantType::CODE, "CODE"},
    {GrantType::TOKEN, "TOKEN"},
    {GrantType::SAML2_BEARER, "SAML2-BEARER"},
    {GrantType::PASSWORD, "PASSWORD"},
    {GrantType::CLIENT_CREDENTIALS, "CLIENT-CREDENTIALS"},
}};

using State = OrgOAuthClient::State;
constexpr std::array<std::pair<State, std::string_view>, 3> kStates{{
    {State::active, "active"},
    {State::disabled, "disabled"},
    {State::inactive, "inactive"},
}};

constexpr std::array<std::pair<InactivityTimeoutUnit, std::string_view>, 2> kUnits{{
    {InactivityTimeoutUnit::Minutes, "Minutes"},
    {InactivityTimeoutUnit::Hours, "Hours"},
}};

}  // namespace

std::string_view toString(GrantType value) { return nameOf(kGrantTypes, value); }
std::string_view toString(State value) { return nameOf(kStates, value); }
std::string_view toString(InactivityTimeoutUnit value) { return nameOf(kUnits, value); }
GrantType authorizedGrantTypeFromString(std::string_view text) { return valueOf(kGrantTypes, text); }
State oauthClientStateFromString(std::string_view text) { return valueOf(kStates, text); }
InactivityTimeoutUnit inactivityTimeoutUnitFromString(std::string_view text) { return valueOf(kUnits, text); }

}  // namespace PureCloudPlatformClientV2
