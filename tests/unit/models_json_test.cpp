// The JSON form of the models of SPEC §2: exact names, round trips of real payloads, and what readers
// do with unknown fields, nulls, unknown enum values, wrong types and broken text.

#include <chrono>
#include <climits>
#include <string>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "PureCloudPlatformClientV2/model/Json.h"
#include "PureCloudPlatformClientV2/model/TokenInfo.h"

namespace {

using namespace std::chrono;
using namespace PureCloudPlatformClientV2;
using ::testing::HasSubstr;
using GrantType = OrgOAuthClient::AuthorizedGrantType;
using State = OrgOAuthClient::State;

DateTime utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

// Compares JSON documents structurally (key order does not matter).
void expectSameJson(const std::string& actual, const std::string& expected) {
  EXPECT_EQ(boost::json::parse(actual), boost::json::parse(expected)) << "actual:   " << actual
                                                                      << "\nexpected: " << expected;
}

template <class M>
JsonError errorOf(const std::string& text) {
  JsonError error{"<untouched>", "<untouched>"};
  const auto parsed = fromJson<M>(text, &error);
  EXPECT_FALSE(parsed) << text;
  return error;
}

// ---- TokenInfo ---------------------------------------------------------------------------------------

TokenInfo fullTokenInfo() {
  TokenInfo info;
  info.organization = NamedEntity{"org-a", "Org A"};
  info.homeOrganization = NamedEntity{"org-home", "Home Org"};
  info.authorizedScope = std::vector<std::string>{"oauth", "directory:readonly"};
  info.clonedUser = TokenInfoClonedUser{"u-native", Entity{"org-b"}};
  info.dateTokenIdles = utc(2026, 11, 22, 10, 15, 30, 123);
  OrgOAuthClient client;
  client.id = "c-1";
  client.name = "SSO bridge";
  client.dateCreated = utc(2025, 1, 2, 3, 4, 5, 6);
  client.dateModified = utc(2025, 6, 7, 8, 9, 10, 11);
  client.createdBy = DomainEntityRef{"u-admin", "Admin", "/api/v2/users/u-admin"};
  client.modifiedBy = DomainEntityRef{"u-other", std::nullopt, "/api/v2/users/u-other"};
  client.authorizedGrantType = GrantType::SAML2_BEARER;
  client.scope = std::vector<std::string>{"oauth"};
  client.roleDivisions = std::vector<RoleDivision>{{"role-1", "div-1"}, {"role-2", "*"}};
  client.state = State::active;
  client.dateToDelete = utc(2030, 12, 31, 23, 59, 59, 999);
  client.organization = NamedEntity{"org-home", "Home Org"};
  info.OAuthClient = client;
  return info;
}

TEST(TokenInfoJson, WritesTheExactWireNames) {
  expectSameJson(toJson(fullTokenInfo()), R"({
    "organization": {"id": "org-a", "name": "Org A"},
    "homeOrganization": {"id": "org-home", "name": "Home Org"},
    "authorizedScope": ["oauth", "directory:readonly"],
    "clonedUser": {"id": "u-native", "organization": {"id": "org-b"}},
    "dateTokenIdles": "2026-11-22T10:15:30.123Z",
    "OAuthClient": {
      "id": "c-1", "name": "SSO bridge",
      "dateCreated": "2025-01-02T03:04:05.006Z", "dateModified": "2025-06-07T08:09:10.011Z",
      "createdBy": {"id": "u-admin", "name": "Admin", "selfUri": "/api/v2/users/u-admin"},
      "modifiedBy": {"id": "u-other", "selfUri": "/api/v2/users/u-other"},
      "authorizedGrantType": "SAML2-BEARER",
      "scope": ["oauth"],
      "roleDivisions": [{"roleId": "role-1", "divisionId": "div-1"}, {"roleId": "role-2", "divisionId": "*"}],
      "state": "active",
      "dateToDelete": "2030-12-31T23:59:59.999Z",
      "organization": {"id": "org-home", "name": "Home Org"}
    }
  })");
}

TEST(TokenInfoJson, RoundTripsEveryField) {
  const auto info = fullTokenInfo();
  const auto back = fromJson<TokenInfo>(toJson(info));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, info);
}

TEST(TokenInfoJson, ReadsAClientCredentialsPayloadAsTheServerSendsIt) {
  const auto info = fromJson<TokenInfo>(R"({
    "organization": {"id": "acme", "name": "Acme Corp"},
    "homeOrganization": {"id": "acme", "name": "Acme Corp"},
    "authorizedScope": [],
    "OAuthClient": {
      "id": "acme-admin-service",
      "name": "Acme admin service",
      "authorizedGrantType": "CLIENT-CREDENTIALS",
      "state": "disabled",
      "organization": {"id": "acme", "name": "Acme Corp"}
    }
  })");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->organization, (NamedEntity{"acme", "Acme Corp"}));
  ASSERT_TRUE(info->authorizedScope);
  EXPECT_TRUE(info->authorizedScope->empty());  // present but empty is not absent
  EXPECT_FALSE(info->clonedUser);
  EXPECT_FALSE(info->dateTokenIdles);
  ASSERT_TRUE(info->OAuthClient);
  EXPECT_EQ(info->OAuthClient->authorizedGrantType, GrantType::CLIENT_CREDENTIALS);
  EXPECT_EQ(info->OAuthClient->state, State::disabled);
  EXPECT_EQ(info->OAuthClient->name, "Acme admin service");
  EXPECT_FALSE(info->OAuthClient->roleDivisions);
}

TEST(TokenInfoJson, OAuthClientNeedsItsCapitalLetters) {
  const auto info = fromJson<TokenInfo>(R"({"oauthClient": {"id": "x"}, "OauthClient": {"id": "y"}})");
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->OAuthClient);
}

TEST(TokenInfoJson, DateTokenIdlesWithAnOffsetIsReadAsUtc) {
  const auto info = fromJson<TokenInfo>(R"({"dateTokenIdles": "2026-11-22T12:15:30.123+02:00"})");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->dateTokenIdles, utc(2026, 11, 22, 10, 15, 30, 123));
}

TEST(TokenInfoJson, EveryGrantTypeAndStateRoundTrips) {
  const std::pair<GrantType, const char*> grants[] = {{GrantType::CODE, "CODE"},
                                                      {GrantType::TOKEN, "TOKEN"},
                                                      {GrantType::SAML2_BEARER, "SAML2-BEARER"},
                                                      {GrantType::PASSWORD, "PASSWORD"},
                                                      {GrantType::CLIENT_CREDENTIALS, "CLIENT-CREDENTIALS"}};
  for (const auto& [grant, name] : grants) {
    EXPECT_EQ(toString(grant), name);
    EXPECT_EQ(authorizedGrantTypeFromString(name), grant);
    OrgOAuthClient client;
    client.authorizedGrantType = grant;
    EXPECT_EQ(toJson(client), std::string(R"({"authorizedGrantType":")") + name + "\"}");
    EXPECT_EQ(fromJson<OrgOAuthClient>(toJson(client)), client);
  }
  const std::pair<State, const char*> states[] = {
      {State::active, "active"}, {State::disabled, "disabled"}, {State::inactive, "inactive"}};
  for (const auto& [state, name] : states) {
    EXPECT_EQ(toString(state), name);
    EXPECT_EQ(oauthClientStateFromString(name), state);
  }
  EXPECT_EQ(toString(InactivityTimeoutUnit::Minutes), "Minutes");
  EXPECT_EQ(toString(InactivityTimeoutUnit::Hours), "Hours");
}

// ---- IdleTokenTimeout --------------------------------------------------------------------------------

TEST(IdleTokenTimeoutJson, RoundTripsWithBundles) {
  const std::string text = R"({
    "idleTokenTimeoutSeconds": 1800,
    "enableIdleTokenTimeout": true,
    "inactivityTimeoutUnit": "Hours",
    "inactivityTimeoutGroupsEnabled": true,
    "inactivityTimeoutGroupBundles": [
      {"priority": 1, "timeoutSeconds": 600, "inactivityTimeoutUnit": "Minutes", "groups": ["g-1", "g-2"]},
      {"priority": 5, "timeoutSeconds": 28800, "groups": ["g-3"]}
    ]
  })";
  const auto setting = fromJson<IdleTokenTimeout>(text);
  ASSERT_TRUE(setting);
  EXPECT_EQ(setting->idleTokenTimeoutSeconds, 1800);
  EXPECT_EQ(setting->enableIdleTokenTimeout, true);
  EXPECT_EQ(setting->inactivityTimeoutUnit, InactivityTimeoutUnit::Hours);
  EXPECT_EQ(setting->inactivityTimeoutGroupsEnabled, true);
  ASSERT_TRUE(setting->inactivityTimeoutGroupBundles);
  ASSERT_EQ(setting->inactivityTimeoutGroupBundles->size(), 2u);
  const auto& first = (*setting->inactivityTimeoutGroupBundles)[0];
  EXPECT_EQ(first.priority, 1);
  EXPECT_EQ(first.timeoutSeconds, 600);
  EXPECT_EQ(first.inactivityTimeoutUnit, InactivityTimeoutUnit::Minutes);
  EXPECT_EQ(first.groups, (std::vector<std::string>{"g-1", "g-2"}));
  const auto& second = (*setting->inactivityTimeoutGroupBundles)[1];
  EXPECT_EQ(second.priority, 5);
  EXPECT_FALSE(second.inactivityTimeoutUnit);

  expectSameJson(toJson(*setting), text);
  EXPECT_EQ(fromJson<IdleTokenTimeout>(toJson(*setting)), setting);
}

TEST(IdleTokenTimeoutJson, AbsentFieldsAreLeftOutButEmptyArraysAreWritten) {
  EXPECT_EQ(toJson(IdleTokenTimeout{}), "{}");
  IdleTokenTimeout t;
  t.enableIdleTokenTimeout = false;
  t.inactivityTimeoutGroupBundles = std::vector<InactivityTimeoutGroupBundle>{};
  expectSameJson(toJson(t), R"({"enableIdleTokenTimeout": false, "inactivityTimeoutGroupBundles": []})");
}

TEST(IdleTokenTimeoutJson, EmptyObjectReadsAsAllAbsent) {
  const auto t = fromJson<IdleTokenTimeout>("{}");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, IdleTokenTimeout{});
}

// ---- ErrorBody ---------------------------------------------------------------------------------------

TEST(ErrorBodyJson, RoundTripsDetailsParamsNestedErrorsAndLimit) {
  const std::string text = R"({
    "message": "Rate limit exceeded the maximum. Retry the request in [3] seconds",
    "code": "too.many.requests.retry.after",
    "status": 429,
    "entityId": "e-1",
    "entityName": "token",
    "messageWithParams": "Retry the request in [{seconds}] seconds",
    "messageParams": {"seconds": "3", "permissions": "oauth:token:delete"},
    "contextId": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "details": [
      {"errorCode": "invalid.value", "fieldName": "idleTokenTimeoutSeconds", "entityId": "x", "entityName": "y"},
      {"fieldName": "inactivityTimeoutGroupBundles[0].priority"}
    ],
    "errors": [
      {"code": "invalid.value", "status": 400, "details": [{"fieldName": "a"}],
       "errors": [{"code": "deeper", "limit": {"value": 1}}]}
    ],
    "limit": {"key": "token.requests", "namespace": "tokens", "value": 300}
  })";
  const auto body = fromJson<ErrorBody>(text);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->status, 429);
  EXPECT_EQ(body->code, "too.many.requests.retry.after");
  ASSERT_TRUE(body->messageParams);
  EXPECT_EQ(body->messageParams->at("seconds"), "3");
  EXPECT_EQ(body->messageParams->at("permissions"), "oauth:token:delete");
  ASSERT_TRUE(body->details);
  ASSERT_EQ(body->details->size(), 2u);
  EXPECT_EQ((*body->details)[1].fieldName, "inactivityTimeoutGroupBundles[0].priority");
  EXPECT_FALSE((*body->details)[1].errorCode);
  ASSERT_TRUE(body->errors);
  ASSERT_EQ(body->errors->size(), 1u);
  const auto& nested = (*body->errors)[0];
  EXPECT_EQ(nested.status, 400);
  ASSERT_TRUE(nested.errors);
  EXPECT_EQ((*nested.errors)[0].code, "deeper");
  EXPECT_EQ((*nested.errors)[0].limit, (Limit{std::nullopt, std::nullopt, 1}));
  EXPECT_EQ(body->limit, (Limit{"token.requests", "tokens", 300}));

  expectSameJson(toJson(*body), text);
  EXPECT_EQ(fromJson<ErrorBody>(toJson(*body)), body);
}

TEST(ErrorBodyJson, LimitNamespaceUsesTheJsonKeyword) {
  Limit limit{"k", "ns", 5};
  expectSameJson(toJson(limit), R"({"key": "k", "namespace": "ns", "value": 5})");
  EXPECT_EQ(toJson(limit).find("namespace_"), std::string::npos);
}

TEST(ErrorBodyJson, EmptyMessageParamsStayPresent) {
  ErrorBody body;
  body.messageParams = std::map<std::string, std::string>{};
  EXPECT_EQ(toJson(body), R"({"messageParams":{}})");
  const auto back = fromJson<ErrorBody>(toJson(body));
  ASSERT_TRUE(back);
  ASSERT_TRUE(back->messageParams);
  EXPECT_TRUE(back->messageParams->empty());
}

TEST(ErrorBodyJson, StringsAreEscapedAndUnicodeSurvives) {
  ErrorBody body;
  body.message = "quote \" backslash \\ newline \n tab \t caf\xC3\xA9 \xE2\x9C\x93";
  const auto back = fromJson<ErrorBody>(toJson(body));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->message, body.message);
  EXPECT_EQ(fromJson<ErrorBody>(R"({"message": "caf\u00e9 \ud83d\ude00"})")->message,
            "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

// ---- leniency of readers -----------------------------------------------------------------------------

TEST(JsonReaders, IgnoreUnknownFieldsAtEveryLevel) {
  const auto info = fromJson<TokenInfo>(R"({
    "selfUri": "/api/v2/tokens/me",
    "futureField": {"deeply": [1, 2, {"x": null}]},
    "organization": {"id": "o", "name": "O", "selfUri": "/api/v2/organizations/o", "extra": 1},
    "OAuthClient": {"name": "n", "somethingNew": [true], "roleDivisions": [{"roleId": "r", "divisionId": "d", "z": 0}]}
  })");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->organization, (NamedEntity{"o", "O"}));
  ASSERT_TRUE(info->OAuthClient);
  EXPECT_EQ(info->OAuthClient->name, "n");
  EXPECT_EQ(info->OAuthClient->roleDivisions, (std::vector<RoleDivision>{{"r", "d"}}));

  const auto setting = fromJson<IdleTokenTimeout>(
      R"({"idleTokenTimeoutSeconds": 600, "inactivityTimeoutGroupBundles": [{"priority": 2, "color": "red"}],
          "version": 7})");
  ASSERT_TRUE(setting);
  EXPECT_EQ(setting->idleTokenTimeoutSeconds, 600);
  EXPECT_EQ((*setting->inactivityTimeoutGroupBundles)[0].priority, 2);
}

TEST(JsonReaders, TreatNullAsAbsent) {
  const auto info = fromJson<TokenInfo>(R"({
    "organization": null, "authorizedScope": null, "clonedUser": {"id": null, "organization": null},
    "dateTokenIdles": null, "OAuthClient": {"name": "n", "authorizedGrantType": null, "state": null}
  })");
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->organization);
  EXPECT_FALSE(info->authorizedScope);
  ASSERT_TRUE(info->clonedUser);
  EXPECT_EQ(*info->clonedUser, TokenInfoClonedUser{});
  EXPECT_FALSE(info->dateTokenIdles);
  ASSERT_TRUE(info->OAuthClient);
  EXPECT_FALSE(info->OAuthClient->authorizedGrantType);
  EXPECT_FALSE(info->OAuthClient->state);

  const auto body = fromJson<ErrorBody>(R"({"status": null, "limit": null, "errors": null, "messageParams": null})");
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, ErrorBody{});
}

TEST(JsonReaders, UnknownEnumValuesBecomeOutdatedSdkVersion) {
  const auto info = fromJson<TokenInfo>(
      R"({"OAuthClient": {"authorizedGrantType": "DEVICE-CODE", "state": "archived"}})");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->OAuthClient->authorizedGrantType, GrantType::outdated_sdk_version);
  EXPECT_EQ(info->OAuthClient->state, State::outdated_sdk_version);

  const auto setting = fromJson<IdleTokenTimeout>(
      R"({"inactivityTimeoutUnit": "Days", "inactivityTimeoutGroupBundles": [{"inactivityTimeoutUnit": "Weeks"}]})");
  ASSERT_TRUE(setting);
  EXPECT_EQ(setting->inactivityTimeoutUnit, InactivityTimeoutUnit::outdated_sdk_version);
  EXPECT_EQ((*setting->inactivityTimeoutGroupBundles)[0].inactivityTimeoutUnit,
            InactivityTimeoutUnit::outdated_sdk_version);
}

TEST(JsonReaders, EnumNamesAreCaseSensitive) {
  EXPECT_EQ(authorizedGrantTypeFromString("code"), GrantType::outdated_sdk_version);
  EXPECT_EQ(authorizedGrantTypeFromString("SAML2_BEARER"), GrantType::outdated_sdk_version);
  EXPECT_EQ(authorizedGrantTypeFromString("CLIENT_CREDENTIALS"), GrantType::outdated_sdk_version);
  EXPECT_EQ(authorizedGrantTypeFromString(""), GrantType::outdated_sdk_version);
  EXPECT_EQ(oauthClientStateFromString("Active"), State::outdated_sdk_version);
  EXPECT_EQ(inactivityTimeoutUnitFromString("minutes"), InactivityTimeoutUnit::outdated_sdk_version);
  EXPECT_EQ(inactivityTimeoutUnitFromString("outdated_sdk_version"), InactivityTimeoutUnit::outdated_sdk_version);
}

TEST(JsonReaders, IntegralDoublesAreIntegers) {
  const auto t = fromJson<IdleTokenTimeout>(R"({"idleTokenTimeoutSeconds": 900.0})");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->idleTokenTimeoutSeconds, 900);
}

TEST(JsonReaders, IntLimitsAreAccepted) {
  EXPECT_EQ(fromJson<Limit>(R"({"value": 2147483647})")->value, INT_MAX);
  EXPECT_EQ(fromJson<Limit>(R"({"value": -2147483648})")->value, INT_MIN);
}

// ---- errors ------------------------------------------------------------------------------------------

struct TypeErrorCase {
  const char* json;
  const char* fieldName;
  const char* message;
};

class IdleTokenTimeoutTypeErrors : public ::testing::TestWithParam<TypeErrorCase> {};

TEST_P(IdleTokenTimeoutTypeErrors, NameTheFieldPath) {
  const auto& c = GetParam();
  const auto error = errorOf<IdleTokenTimeout>(c.json);
  EXPECT_EQ(error.fieldName, c.fieldName) << c.json;
  EXPECT_EQ(error.message, c.message) << c.json;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, IdleTokenTimeoutTypeErrors,
    ::testing::Values(
        TypeErrorCase{R"({"idleTokenTimeoutSeconds": "900"})", "idleTokenTimeoutSeconds", "must be an integer"},
        TypeErrorCase{R"({"idleTokenTimeoutSeconds": true})", "idleTokenTimeoutSeconds", "must be an integer"},
        TypeErrorCase{R"({"idleTokenTimeoutSeconds": 900.5})", "idleTokenTimeoutSeconds", "must be an integer"},
        TypeErrorCase{R"({"idleTokenTimeoutSeconds": [900]})", "idleTokenTimeoutSeconds", "must be an integer"},
        TypeErrorCase{R"({"enableIdleTokenTimeout": 1})", "enableIdleTokenTimeout", "must be a boolean"},
        TypeErrorCase{R"({"enableIdleTokenTimeout": "true"})", "enableIdleTokenTimeout", "must be a boolean"},
        TypeErrorCase{R"({"inactivityTimeoutUnit": 60})", "inactivityTimeoutUnit", "must be a string"},
        TypeErrorCase{R"({"inactivityTimeoutGroupBundles": {}})", "inactivityTimeoutGroupBundles",
                      "must be an array"},
        TypeErrorCase{R"({"inactivityTimeoutGroupBundles": [7]})", "inactivityTimeoutGroupBundles[0]",
                      "must be an object"},
        TypeErrorCase{R"({"inactivityTimeoutGroupBundles": [
                          {"priority": 1, "timeoutSeconds": 300, "groups": ["g"]},
                          {"priority": "2", "timeoutSeconds": 300, "groups": ["g"]}]})",
                      "inactivityTimeoutGroupBundles[1].priority", "must be an integer"},
        TypeErrorCase{R"({"inactivityTimeoutGroupBundles": [{"timeoutSeconds": 1e3}, {"timeoutSeconds": 3.5}]})",
                      "inactivityTimeoutGroupBundles[1].timeoutSeconds", "must be an integer"},
        TypeErrorCase{R"({"inactivityTimeoutGroupBundles": [{"groups": ["g", 3]}]})",
                      "inactivityTimeoutGroupBundles[0].groups[1]", "must be a string"},
        TypeErrorCase{R"({"inactivityTimeoutGroupBundles": [{"groups": "g"}]})",
                      "inactivityTimeoutGroupBundles[0].groups", "must be an array"},
        TypeErrorCase{R"({"inactivityTimeoutGroupBundles": [{}, {}, {"inactivityTimeoutUnit": false}]})",
                      "inactivityTimeoutGroupBundles[2].inactivityTimeoutUnit", "must be a string"},
        TypeErrorCase{R"([])", "", "must be an object"},
        TypeErrorCase{R"("text")", "", "must be an object"}));

class TokenInfoTypeErrors : public ::testing::TestWithParam<TypeErrorCase> {};

TEST_P(TokenInfoTypeErrors, NameTheFieldPath) {
  const auto& c = GetParam();
  const auto error = errorOf<TokenInfo>(c.json);
  EXPECT_EQ(error.fieldName, c.fieldName) << c.json;
  EXPECT_EQ(error.message, c.message) << c.json;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, TokenInfoTypeErrors,
    ::testing::Values(
        TypeErrorCase{R"({"organization": "acme"})", "organization", "must be an object"},
        TypeErrorCase{R"({"organization": {"id": 5}})", "organization.id", "must be a string"},
        TypeErrorCase{R"({"authorizedScope": "admin"})", "authorizedScope", "must be an array"},
        TypeErrorCase{R"({"authorizedScope": ["a", null]})", "authorizedScope[1]", "must be a string"},
        TypeErrorCase{R"({"clonedUser": {"organization": []}})", "clonedUser.organization", "must be an object"},
        TypeErrorCase{R"({"dateTokenIdles": "yesterday"})", "dateTokenIdles", "must be an ISO-8601 date-time"},
        TypeErrorCase{R"({"dateTokenIdles": 1764000000})", "dateTokenIdles", "must be an ISO-8601 date-time"},
        TypeErrorCase{R"({"dateTokenIdles": "2026-02-30T10:00:00Z"})", "dateTokenIdles",
                      "must be an ISO-8601 date-time"},
        TypeErrorCase{R"({"OAuthClient": {"createdBy": {"selfUri": 5}}})", "OAuthClient.createdBy.selfUri",
                      "must be a string"},
        TypeErrorCase{R"({"OAuthClient": {"dateCreated": "2026-11-22T10:15:30"}})", "OAuthClient.dateCreated",
                      "must be an ISO-8601 date-time"},
        TypeErrorCase{R"({"OAuthClient": {"roleDivisions": [{"roleId": "r", "divisionId": "d"}, {"roleId": true}]}})",
                      "OAuthClient.roleDivisions[1].roleId", "must be a string"},
        TypeErrorCase{R"({"OAuthClient": {"authorizedGrantType": 3}})", "OAuthClient.authorizedGrantType",
                      "must be a string"},
        TypeErrorCase{R"({"OAuthClient": {"state": {}}})", "OAuthClient.state", "must be a string"}));

class ErrorBodyTypeErrors : public ::testing::TestWithParam<TypeErrorCase> {};

TEST_P(ErrorBodyTypeErrors, NameTheFieldPath) {
  const auto& c = GetParam();
  const auto error = errorOf<ErrorBody>(c.json);
  EXPECT_EQ(error.fieldName, c.fieldName) << c.json;
  EXPECT_EQ(error.message, c.message) << c.json;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, ErrorBodyTypeErrors,
    ::testing::Values(
        TypeErrorCase{R"({"status": "400"})", "status", "must be an integer"},
        TypeErrorCase{R"({"messageParams": ["a"]})", "messageParams", "must be an object"},
        TypeErrorCase{R"({"messageParams": {"ok": "x", "seconds": 3}})", "messageParams.seconds", "must be a string"},
        TypeErrorCase{R"({"details": [{"fieldName": "a"}, {"fieldName": 1}]})", "details[1].fieldName",
                      "must be a string"},
        TypeErrorCase{R"({"errors": [{}, {"details": [{"errorCode": false}]}]})", "errors[1].details[0].errorCode",
                      "must be a string"},
        TypeErrorCase{R"({"errors": [{"errors": [{"limit": {"value": "300"}}]}]})", "errors[0].errors[0].limit.value",
                      "must be an integer"},
        TypeErrorCase{R"({"limit": {"namespace": 1}})", "limit.namespace", "must be a string"},
        TypeErrorCase{R"({"limit": {"value": 1.5}})", "limit.value", "must be an integer"}));

TEST(JsonErrors, OutOfRangeIntegersAreRefused) {
  for (const char* text : {R"({"idleTokenTimeoutSeconds": 2147483648})",
                           R"({"idleTokenTimeoutSeconds": -2147483649})",
                           R"({"idleTokenTimeoutSeconds": 9223372036854775807})",
                           R"({"idleTokenTimeoutSeconds": 18446744073709551615})",
                           R"({"idleTokenTimeoutSeconds": 1e10})",
                           R"({"idleTokenTimeoutSeconds": -3e9})"}) {
    const auto error = errorOf<IdleTokenTimeout>(text);
    EXPECT_EQ(error.fieldName, "idleTokenTimeoutSeconds") << text;
    EXPECT_EQ(error.message, "is out of range") << text;
  }
}

TEST(JsonErrors, HugeDoublesAreRefused) {
  for (const char* text : {R"({"idleTokenTimeoutSeconds": 1e19})", R"({"idleTokenTimeoutSeconds": 1e300})",
                           R"({"idleTokenTimeoutSeconds": -1e300})", R"({"idleTokenTimeoutSeconds": 1e-300})"}) {
    const auto error = errorOf<IdleTokenTimeout>(text);
    EXPECT_EQ(error.fieldName, "idleTokenTimeoutSeconds") << text;
  }
}

TEST(JsonErrors, HugeDoublesAreRefusedAsOutOfRange) {
  // Beyond the range of long long: converting such a double to an integer type is undefined behaviour,
  // so the range has to be checked before any conversion.
  for (const char* text : {R"({"idleTokenTimeoutSeconds": 1e19})", R"({"idleTokenTimeoutSeconds": 1e300})",
                           R"({"idleTokenTimeoutSeconds": -1e300})"}) {
    const auto error = errorOf<IdleTokenTimeout>(text);
    EXPECT_EQ(error.fieldName, "idleTokenTimeoutSeconds") << text;
    EXPECT_EQ(error.message, "is out of range") << text;
  }
}

TEST(JsonErrors, ANumberThatReadsAsNaNIsOutOfRangeNotCast) {
  // Found by fuzz_json_bodies: "0e3081" reads as NaN (zero times an infinite power), for which every
  // comparison is false, so it slipped past the range check into a cast that is undefined behaviour.
  for (const char* text : {R"({"idleTokenTimeoutSeconds": 0e3081})", R"({"idleTokenTimeoutSeconds": -0e999})",
                           R"({"inactivityTimeoutGroupBundles": [{"priority": 0e3081, "timeoutSeconds": 600, "groups": ["g"]}]})"}) {
    const auto error = errorOf<IdleTokenTimeout>(text);
    EXPECT_EQ(error.message, "is out of range") << text;
  }
}

TEST(JsonErrors, OutOfRangeInsideAnArrayNamesTheElement) {
  const auto error = errorOf<IdleTokenTimeout>(
      R"({"inactivityTimeoutGroupBundles": [{"priority": 1}, {"priority": 4294967296}]})");
  EXPECT_EQ(error.fieldName, "inactivityTimeoutGroupBundles[1].priority");
  EXPECT_EQ(error.message, "is out of range");
}

TEST(JsonErrors, MalformedJsonSaysLineAndColumn) {
  const std::string text = "{\n  \"idleTokenTimeoutSeconds\": 900,\n  \"enableIdleTokenTimeout\": }\n";
  const auto error = errorOf<IdleTokenTimeout>(text);
  EXPECT_EQ(error.fieldName, "");
  // The '}' that cannot start a value is the 29th character of line 3.
  EXPECT_THAT(error.message, HasSubstr("line 3, column 29")) << error.message;
}

TEST(JsonErrors, MalformedJsonOnTheFirstLine) {
  const auto error = errorOf<ErrorBody>(R"({"status": 400,, "code": "x"})");
  EXPECT_EQ(error.fieldName, "");
  EXPECT_THAT(error.message, HasSubstr("line 1, column 16")) << error.message;  // the second ','

}

TEST(JsonErrors, TruncatedJsonPointsAtTheEnd) {
  const std::string text = "{\"errors\": [\n{\"code\": \"a\"},\n{\"code\": \"b\"";
  const auto error = errorOf<ErrorBody>(text);
  EXPECT_EQ(error.fieldName, "");
  EXPECT_THAT(error.message, HasSubstr("line 3, column 13")) << error.message;  // just past the last character
}

TEST(JsonErrors, EmptyAndWhitespaceTextAreMalformed) {
  for (const char* text : {"", "   ", "\n"}) {
    const auto error = errorOf<IdleTokenTimeout>(text);
    EXPECT_EQ(error.fieldName, "");
    EXPECT_THAT(error.message, HasSubstr("malformed JSON at line")) << error.message;
  }
}

TEST(JsonErrors, TrailingGarbageIsMalformed) {
  const auto error = errorOf<IdleTokenTimeout>("{} {}");
  EXPECT_EQ(error.fieldName, "");
  EXPECT_THAT(error.message, HasSubstr("line 1, column 4")) << error.message;
  errorOf<IdleTokenTimeout>("{}x");
}

TEST(JsonErrors, OtherSyntaxErrorsAreRefused) {
  for (const char* text : {"{'a': 1}", "{\"a\": 01}", "{\"a\": NaN}", "{\"a\": tru}", "{\"a\" 1}", "{\"a\": [1,]}",
                           "{\"a\": \"unterminated}", "// comment\n{}"}) {
    const auto error = errorOf<IdleTokenTimeout>(text);
    EXPECT_EQ(error.fieldName, "") << text;
    EXPECT_THAT(error.message, HasSubstr("malformed JSON")) << text;
  }
}

TEST(JsonErrors, ErrorIsOptional) {
  EXPECT_FALSE(fromJson<IdleTokenTimeout>("{"));
  EXPECT_FALSE(fromJson<IdleTokenTimeout>(R"({"idleTokenTimeoutSeconds": "x"})"));
}

TEST(JsonErrors, TheFirstBadFieldIsReportedAndNothingIsReturned) {
  JsonError error;
  const auto t = fromJson<IdleTokenTimeout>(R"({"idleTokenTimeoutSeconds": 600, "enableIdleTokenTimeout": "no"})",
                                            &error);
  EXPECT_FALSE(t);
  EXPECT_EQ(error.fieldName, "enableIdleTokenTimeout");
}

}  // namespace
