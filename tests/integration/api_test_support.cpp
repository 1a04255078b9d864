#include "api_test_support.h"

namespace tokens::testing {

std::string clientCredentialsToken(HttpClient& http, const std::string& clientId, const std::string& secret) {
  const auto r = http.postForm("/oauth/token", "grant_type=client_credentials", clientId, secret);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return "";
  return std::string(jsonObject(r).at("access_token").as_string());
}

Login passwordLogin(HttpClient& http, const std::string& clientId, const std::string& secret, const std::string& email,
                    const std::string& password) {
  const auto r = http.postForm("/oauth/token",
                               "grant_type=password&username=" + formEncode(email) + "&password=" + formEncode(password),
                               clientId, secret);
  EXPECT_EQ(r.status, 200) << r.body;
  Login login;
  if (r.status != 200) return login;
  const auto o = jsonObject(r);
  login.accessToken = std::string(o.at("access_token").as_string());
  login.expiresIn = static_cast<int>(o.at("expires_in").as_int64());
  if (const auto* refresh = o.if_contains("refresh_token")) login.refreshToken = std::string(refresh->as_string());
  return login;
}

HttpResult refreshGrant(HttpClient& http, const std::string& clientId, const std::string& secret,
                        const std::string& refreshToken) {
  return http.postForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + formEncode(refreshToken), clientId,
                       secret);
}

void advanceClock(HttpClient& http, int seconds) {
  const auto r = http.postJson("/_emulator/clock", "{\"advanceSeconds\": " + std::to_string(seconds) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
}

void putTimeout(HttpClient& http, const std::string& adminToken, const std::string& json) {
  const auto r = http.putJson("/api/v2/tokens/timeout", json, adminToken);
  ASSERT_EQ(r.status, 200) << r.body;
}

std::unique_ptr<ServerProcess> startServer(ServerConfig config) {
  auto server = std::make_unique<ServerProcess>(std::move(config));
  server->start();
  return server;
}

}  // namespace tokens::testing
