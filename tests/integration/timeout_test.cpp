// GET and PUT /api/v2/tokens/timeout: defaults, validation (HIPAA included), permissions, isolation.

#include "api_test_support.h"

namespace tokens::testing {
namespace {

using TimeoutTest = FreshServerTest;

const boost::json::value kDefaults = boost::json::parse(
    R"({"idleTokenTimeoutSeconds":1800,"enableIdleTokenTimeout":false,"inactivityTimeoutUnit":"Minutes",
        "inactivityTimeoutGroupsEnabled":false,"inactivityTimeoutGroupBundles":[]})");

TEST_F(TimeoutTest, AnOrganizationStartsWithTheDefaults) {
  const auto r = http->get("/api/v2/tokens/timeout", paulLogin(*http).accessToken);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), kDefaults) << "no permission is needed to read it";
  const auto mercy = jsonObject(http->get("/api/v2/tokens/timeout", clientCredentialsToken(*http, kMercyAdminService, kMercyAdminSecret)));
  EXPECT_EQ(mercy.at("idleTokenTimeoutSeconds"), 900) << "a HIPAA organization's default is a valid HIPAA value";
}

TEST_F(TimeoutTest, PutStoresTheWholeSettingAndGetReturnsIt) {
  const auto admin = acmeAdminToken(*http);
  const std::string body = R"({"idleTokenTimeoutSeconds":3600,"enableIdleTokenTimeout":true,"inactivityTimeoutUnit":"Hours",
      "inactivityTimeoutGroupsEnabled":true,"inactivityTimeoutGroupBundles":[
        {"priority":2,"timeoutSeconds":600,"inactivityTimeoutUnit":"Minutes","groups":["acme-support"]},
        {"priority":1,"timeoutSeconds":900,"groups":["acme-engineering","acme-support"]}],
      "someFutureField":{"ignored":true}})";
  const auto put = http->putJson("/api/v2/tokens/timeout", body, admin);
  ASSERT_EQ(put.status, 200) << put.body;
  auto expected = boost::json::parse(body).as_object();
  expected.erase("someFutureField");
  EXPECT_EQ(put.json(), expected);
  EXPECT_EQ(http->get("/api/v2/tokens/timeout", admin).json(), expected);
}

TEST_F(TimeoutTest, FieldsLeftOutTakeTheDefaults) {
  const auto admin = acmeAdminToken(*http);
  putTimeout(*http, admin, R"({"idleTokenTimeoutSeconds":600,"enableIdleTokenTimeout":true})");
  const auto r = http->putJson("/api/v2/tokens/timeout", R"({"enableIdleTokenTimeout":true})", admin);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(jsonObject(r).at("idleTokenTimeoutSeconds"), 1800) << "a PUT replaces the setting as a whole";
  const auto empty = http->request("PUT", "/api/v2/tokens/timeout", {"Authorization: Bearer " + admin}, "");
  ASSERT_EQ(empty.status, 200) << "the body is optional";
  EXPECT_EQ(empty.json(), kDefaults);
}

TEST_F(TimeoutTest, PutNeedsTheOrganizationAdminPermission) {
  const auto paul = paulLogin(*http).accessToken;
  const auto reporting = clientCredentialsToken(*http, kAcmeReporting, kAcmeReportingSecret);
  for (const auto& token : {paul, reporting}) {
    const auto r = http->putJson("/api/v2/tokens/timeout", R"({"enableIdleTokenTimeout":true})", token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.errorCode(), "missing.any.permissions");
    EXPECT_EQ(jsonObject(r).at("messageParams").at("permissions"), "directory:organization:admin");
  }
  EXPECT_EQ(http->get("/api/v2/tokens/timeout", paul).json(), kDefaults) << "nothing was written";
  // An administrator user (not only a client) may.
  EXPECT_EQ(http->putJson("/api/v2/tokens/timeout", "{}", adaLogin(*http).accessToken).status, 200);
}

struct InvalidCase {
  std::string body;
  std::string fieldName;
};

TEST_F(TimeoutTest, InvalidValuesAreRefusedNamingTheFieldAndChangeNothing) {
  const auto admin = acmeAdminToken(*http);
  const std::vector<InvalidCase> cases{
      {R"({"idleTokenTimeoutSeconds":299})", "idleTokenTimeoutSeconds"},
      {R"({"idleTokenTimeoutSeconds":28801})", "idleTokenTimeoutSeconds"},
      {R"({"idleTokenTimeoutSeconds":"900"})", "idleTokenTimeoutSeconds"},
      {R"({"idleTokenTimeoutSeconds":900.5})", "idleTokenTimeoutSeconds"},
      {R"({"enableIdleTokenTimeout":"yes"})", "enableIdleTokenTimeout"},
      {R"({"inactivityTimeoutUnit":"Days"})", "inactivityTimeoutUnit"},
      {R"({"inactivityTimeoutGroupBundles":{}})", "inactivityTimeoutGroupBundles"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":0,"timeoutSeconds":600,"groups":["acme-support"]}]})",
       "inactivityTimeoutGroupBundles[0].priority"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":6,"timeoutSeconds":600,"groups":["acme-support"]}]})",
       "inactivityTimeoutGroupBundles[0].priority"},
      {R"({"inactivityTimeoutGroupBundles":[{"timeoutSeconds":600,"groups":["acme-support"]}]})",
       "inactivityTimeoutGroupBundles[0].priority"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":600,"groups":["acme-support"]},
           {"priority":1,"timeoutSeconds":700,"groups":["acme-engineering"]}]})",
       "inactivityTimeoutGroupBundles[1].priority"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":200,"groups":["acme-support"]}]})",
       "inactivityTimeoutGroupBundles[0].timeoutSeconds"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":1,"groups":["acme-support"]}]})",
       "inactivityTimeoutGroupBundles[0].timeoutSeconds"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":600,"groups":[]}]})",
       "inactivityTimeoutGroupBundles[0].groups"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":600,"groups":["no-such-group"]}]})",
       "inactivityTimeoutGroupBundles[0].groups[0]"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":600,"groups":["mercy-nurses"]}]})",
       "inactivityTimeoutGroupBundles[0].groups[0]"},
      {R"({"inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":600,"groups":["acme-support"],
           "inactivityTimeoutUnit":"Weeks"}]})",
       "inactivityTimeoutGroupBundles[0].inactivityTimeoutUnit"},
  };
  for (const auto& c : cases) {
    const auto r = http->putJson("/api/v2/tokens/timeout", c.body, admin);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_EQ(r.errorCode(), "invalid.value") << c.body;
    bool named = false;
    const auto body = jsonObject(r);
    for (const auto& d : body.at("details").as_array()) named = named || d.at("fieldName") == c.fieldName.c_str();
    EXPECT_TRUE(named) << c.body << " -> " << r.body;
  }
  EXPECT_EQ(http->get("/api/v2/tokens/timeout", admin).json(), kDefaults);
}

TEST_F(TimeoutTest, AHipaaOrganizationAllowsAtMostFifteenMinutes) {
  const auto mercy = clientCredentialsToken(*http, kMercyAdminService, kMercyAdminSecret);
  const auto tooLong = http->putJson("/api/v2/tokens/timeout", R"({"idleTokenTimeoutSeconds":901,"enableIdleTokenTimeout":true})", mercy);
  EXPECT_EQ(tooLong.status, 400);
  EXPECT_EQ(jsonObject(tooLong).at("details").at(0).at("fieldName"), "idleTokenTimeoutSeconds");
  const auto bundle = http->putJson("/api/v2/tokens/timeout",
      R"({"inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":1200,"groups":["mercy-nurses"]}]})", mercy);
  EXPECT_EQ(bundle.status, 400);
  EXPECT_EQ(http->putJson("/api/v2/tokens/timeout", R"({"idleTokenTimeoutSeconds":900,"enableIdleTokenTimeout":true})", mercy).status, 200);
  // The same value is fine in an organization without HIPAA.
  EXPECT_EQ(http->putJson("/api/v2/tokens/timeout", R"({"idleTokenTimeoutSeconds":901})", acmeAdminToken(*http)).status, 200);
}

TEST_F(TimeoutTest, OneOrganizationsSettingIsInvisibleToAnother) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds":600,"enableIdleTokenTimeout":true})");
  const auto mercy = jsonObject(http->get("/api/v2/tokens/timeout", clientCredentialsToken(*http, kMercyAdminService, kMercyAdminSecret)));
  EXPECT_EQ(mercy.at("enableIdleTokenTimeout"), false);
  EXPECT_EQ(mercy.at("idleTokenTimeoutSeconds"), 900);
}

}  // namespace
}  // namespace tokens::testing
