// The per-token API rate limit (SPEC §3): 429 with Retry-After past the window's allowance.

#include "api_test_support.h"

namespace tokens::testing {
namespace {

class TokenRateLimitTest : public FreshServerTest {
  ServerConfig config() override { return {.extraArgs = {"--rate-limit-per-token", "5"}}; }
};

TEST_F(TokenRateLimitTest, CountsRequestsAndRefusesPastTheLimitUntilTheWindowResets) {
  const auto token = acmeAdminToken(*http);
  const auto other = clientCredentialsToken(*http, kAcmeReporting, kAcmeReportingSecret);
  for (int i = 1; i <= 5; ++i) {
    const auto r = http->head("/api/v2/tokens/me", token);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("inin-ratelimit-count"), std::to_string(i));
    EXPECT_EQ(r.header("inin-ratelimit-allowed"), "5");
  }
  const auto limited = http->get("/api/v2/tokens/me", token);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.errorCode(), "too.many.requests.retry.after");
  EXPECT_EQ(limited.header("retry-after"), limited.header("inin-ratelimit-reset"));
  EXPECT_NE(jsonObject(limited).at("message").as_string().find("Retry the request in ["), boost::json::string::npos);
  EXPECT_EQ(http->head("/api/v2/tokens/me", other).status, 200) << "the limit is per token";
  advanceClock(*http, 60);
  const auto again = http->head("/api/v2/tokens/me", token);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.header("inin-ratelimit-count"), "1");
}

class NoRateLimitTest : public FreshServerTest {
  ServerConfig config() override { return {.extraArgs = {"--rate-limit-per-token", "0"}}; }
};

TEST_F(NoRateLimitTest, ZeroTurnsTheLimitOff) {
  const auto token = acmeAdminToken(*http);
  for (int i = 0; i < 320; ++i) ASSERT_EQ(http->head("/api/v2/tokens/me", token).status, 200) << "request " << i;
  EXPECT_EQ(http->head("/api/v2/tokens/me", token).header("inin-ratelimit-allowed"), "");
}

}  // namespace
}  // namespace tokens::testing
