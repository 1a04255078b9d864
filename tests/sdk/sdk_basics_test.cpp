// Regions, URLs, the config file, environment variables, PKCE and redaction: no server needed.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"
#include "internal/config_file.h"
#include "internal/redaction.h"

namespace PureCloudPlatformClientV2 {
namespace {

TEST(Regions, EighteenRegionsWithTheirHosts) {
  EXPECT_EQ(regionHost(Region::us_east_1), "mypurecloud.com");
  EXPECT_EQ(regionHost(Region::eu_west_1), "mypurecloud.ie");
  EXPECT_EQ(regionHost(Region::ap_southeast_2), "mypurecloud.com.au");
  EXPECT_EQ(regionHost(Region::us_east_2), "use2.us-gov-pure.cloud");
  EXPECT_EQ(regionHost(Region::eusc_de_east_1), "edee1.eusc-pure.cloud");
  EXPECT_EQ(regionFromName("us-east-1"), Region::us_east_1);
  EXPECT_EQ(regionFromName("eusc_de_east_1"), Region::eusc_de_east_1);
  EXPECT_EQ(regionFromName("mx-central-1"), Region::mx_central_1);
  EXPECT_FALSE(regionFromName("moon-1"));
}

TEST(Environment, RegionsHostsAndBaseUrlsGiveTheApiAndLoginHosts) {
  ApiClient c;
  c.setEnvironment(Region::eu_central_1);
  EXPECT_EQ(c.getBasePath(), "https://api.mypurecloud.de");
  EXPECT_EQ(c.getLoginBasePath(), "https://login.mypurecloud.de");
  c.setEnvironment("api.usw2.pure.cloud/");
  EXPECT_EQ(c.getBasePath(), "https://api.usw2.pure.cloud");
  EXPECT_EQ(c.getLoginBasePath(), "https://login.usw2.pure.cloud");
  c.setEnvironment("https://api.mypurecloud.jp");
  EXPECT_EQ(c.getLoginBasePath(), "https://login.mypurecloud.jp");
  c.setEnvironment("http://127.0.0.1:8080");
  EXPECT_EQ(c.getBasePath(), "http://127.0.0.1:8080");
  EXPECT_EQ(c.getLoginBasePath(), "http://127.0.0.1:8080") << "no api. to turn into login.";
}

TEST(Environment, AGatewayOverridesBoth) {
  ApiClient c;
  c.setEnvironment(Region::us_east_1);
  c.setGateway({.protocol = "http", .host = "gw.internal", .port = 8443, .pathParamsLogin = "login/", .pathParamsApi = "/api"});
  EXPECT_EQ(c.getBasePath(), "http://gw.internal:8443/api");
  EXPECT_EQ(c.getLoginBasePath(), "http://gw.internal:8443/login");
  c.setGateway({.host = "gw.example"});
  EXPECT_EQ(c.getBasePath(), "https://gw.example");
  c.setGateway({});
  EXPECT_EQ(c.getBasePath(), "https://api.mypurecloud.com") << "an empty gateway host removes the gateway";
}

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) { setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(name_); }
 private:
  const char* name_;
};

TEST(ConfigFile, TheOtherSdksSectionsAreRead) {
  char dir[] = "/tmp/sdk-config-XXXXXX";
  ASSERT_TRUE(mkdtemp(dir));
  const std::string path = std::string(dir) + "/config";
  std::ofstream(path) << "[logging]\nlog_level = debug\nlog_format = json\nlog_to_console = false\n"
                         "[retry]\nretry_max = 2\nretry_wait_min = 0.25\nretry_wait_max = 4\nretry_after_cap = 30\n"
                         "[reauthentication]\nrefresh_access_token = false\n"
                         "[general]\nhost = mypurecloud.ie\n"
                         "[gateway]\nhost = gw.example\nprotocol = http\nport = 9000\npath_params_api = v2\n";
  ScopedEnv env("GENESYSCLOUDCPP_CONFIG_PATH", path);
  ApiClient c;
  EXPECT_EQ(c.getRetryConfig().maxRetries, 2);
  EXPECT_EQ(c.getRetryConfig().baseDelay, std::chrono::milliseconds(250));
  EXPECT_EQ(c.getRetryConfig().maxDelay, std::chrono::milliseconds(4000));
  EXPECT_EQ(c.getRetryConfig().retryAfterCap, std::chrono::seconds(30));
  EXPECT_EQ(c.getBasePath(), "http://gw.example:9000/v2");
}

TEST(ConfigFile, NotANumberIsANumberThatDoesNotParse) {
  // from_chars reads "nan", for which every range comparison is false: it once reached an integer cast.
  std::istringstream in("[retry]\nretry_max = nan\nretry_wait_min = -nan\n[reauthentication]\nrefresh_token_wait_max = NaN\n");
  PureCloudPlatformClientV2::RetryConfig defaults;
  defaults.maxRetries = 3;
  defaults.baseDelay = std::chrono::milliseconds(500);
  const auto settings = PureCloudPlatformClientV2::internal::parseConfigFile(in, "nan.ini", defaults);
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->retry.maxRetries, 3);
  EXPECT_EQ(settings->retry.baseDelay, std::chrono::milliseconds(500));
  EXPECT_EQ(settings->refreshWaitMax, std::chrono::seconds(10));
}

TEST(ConfigFile, EnvironmentVariablesWinOverTheFileAndCodeWinsOverBoth) {
  char dir[] = "/tmp/sdk-config-XXXXXX";
  ASSERT_TRUE(mkdtemp(dir));
  const std::string path = std::string(dir) + "/config";
  std::ofstream(path) << "[general]\nhost = mypurecloud.ie\n";
  ScopedEnv file("GENESYSCLOUDCPP_CONFIG_PATH", path);
  {
    ApiClient c;
    EXPECT_EQ(c.getBasePath(), "https://api.mypurecloud.ie");
  }
  ScopedEnv region("GENESYSCLOUD_REGION", "ap-northeast-1");
  {
    ApiClient c;
    EXPECT_EQ(c.getBasePath(), "https://api.mypurecloud.jp");
  }
  ScopedEnv apiRegion("GENESYSCLOUD_API_REGION", "https://api.euw2.pure.cloud");
  ApiClient c;
  EXPECT_EQ(c.getBasePath(), "https://api.euw2.pure.cloud");
  c.setEnvironment(Region::us_east_1);
  EXPECT_EQ(c.getBasePath(), "https://api.mypurecloud.com");
}

TEST(ConfigFile, AValueThatDoesNotParseIsNamedAndTheRestApplies) {
  char dir[] = "/tmp/sdk-config-XXXXXX";
  ASSERT_TRUE(mkdtemp(dir));
  const std::string path = std::string(dir) + "/config";
  std::ofstream(path) << "[logging]\nlog_level = loud\nlog_to_console = yes\n"
                         "[retry]\nretry_max = many\nretry_wait_max = 2\n"
                         "[gateway]\nhost = gw.example\nport = 70000\n";
  ScopedEnv env("GENESYSCLOUDCPP_CONFIG_PATH", path);
  ::testing::internal::CaptureStderr();
  ApiClient c;
  const auto err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(c.getRetryConfig().maxRetries, RetryConfig{}.maxRetries) << "retry_max kept its default";
  EXPECT_EQ(c.getRetryConfig().maxDelay, std::chrono::milliseconds(2000)) << "the rest of the file applies";
  EXPECT_EQ(c.getBasePath(), "https://gw.example") << "a port out of range is left out";
  EXPECT_NE(err.find("ignoring retry.retry_max = many"), std::string::npos) << err;
  EXPECT_NE(err.find("ignoring logging.log_level = loud (expected one of none, error, debug, trace)"), std::string::npos) << err;
  EXPECT_NE(err.find("ignoring gateway.port = 70000"), std::string::npos) << err;
  EXPECT_EQ(err.find("log_to_console"), std::string::npos) << "yes is a fine boolean";
}

TEST(ConfigFile, AMalformedFileIsIgnored) {
  char dir[] = "/tmp/sdk-config-XXXXXX";
  ASSERT_TRUE(mkdtemp(dir));
  const std::string path = std::string(dir) + "/config";
  std::ofstream(path) << "[logging\nthis is not ini\n";
  ScopedEnv env("GENESYSCLOUDCPP_CONFIG_PATH", path);
  ApiClient c;
  EXPECT_EQ(c.getBasePath(), "https://api.mypurecloud.com");
}

TEST(Pkce, VerifiersAndTheS256Challenge) {
  const auto v = ApiClient::generatePKCECodeVerifier();
  EXPECT_EQ(v.size(), 128U);
  EXPECT_EQ(v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"), std::string::npos);
  EXPECT_NE(v, ApiClient::generatePKCECodeVerifier());
  EXPECT_EQ(ApiClient::generatePKCECodeVerifier(43).size(), 43U);
  EXPECT_THROW(ApiClient::generatePKCECodeVerifier(42), std::invalid_argument);
  EXPECT_THROW(ApiClient::generatePKCECodeVerifier(129), std::invalid_argument);
  // RFC 7636, appendix B.
  EXPECT_EQ(ApiClient::computePKCECodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Redaction, HeadersKeepTheSchemeOnly) {
  using internal::redactHeaderValue;
  EXPECT_EQ(redactHeaderValue("Authorization", "Bearer abc.def"), "Bearer [REDACTED]");
  EXPECT_EQ(redactHeaderValue("authorization", "Basic YTpi"), "Basic [REDACTED]");
  EXPECT_EQ(redactHeaderValue("Cookie", "session=1"), "[REDACTED]");
  EXPECT_EQ(redactHeaderValue("Accept", "application/json"), "application/json");
}

TEST(Redaction, BodiesLoseEveryCredentialAndKeepTheRest) {
  using internal::redactBody;
  const auto json = redactBody(R"({"access_token":"A","expires_in":3600,"nested":{"refresh_token":"R","list":[{"client_secret":"S"}]}})");
  EXPECT_EQ(json.find("\"A\""), std::string::npos);
  EXPECT_EQ(json.find("\"R\""), std::string::npos);
  EXPECT_EQ(json.find("\"S\""), std::string::npos);
  EXPECT_NE(json.find("3600"), std::string::npos);
  EXPECT_EQ(redactBody("grant_type=password&username=u%40x&password=hunter2"),
            "grant_type=password&username=u%40x&password=[REDACTED]");
  EXPECT_EQ(redactBody("grant_type=authorization_code&code=abc&code_verifier=xyz"),
            "grant_type=authorization_code&code=[REDACTED]&code_verifier=[REDACTED]");
  EXPECT_EQ(redactBody("plain text mentioning a token value"), "[REDACTED]");
  EXPECT_EQ(redactBody("nothing sensitive here"), "nothing sensitive here");
  const auto setting = redactBody(R"({"idleTokenTimeoutSeconds":900,"enableIdleTokenTimeout":true,"accessToken":"x"})");
  EXPECT_NE(setting.find("900"), std::string::npos) << "names that merely contain 'token' are kept: " << setting;
  EXPECT_NE(setting.find("true"), std::string::npos);
  EXPECT_EQ(setting.find("\"x\""), std::string::npos);
}

}  // namespace
}  // namespace PureCloudPlatformClientV2
