#pragma once
// Shared pieces of the integration tests: the demo identities and the calls most tests start with.

#include <gtest/gtest.h>

#include <string>

#include <boost/json.hpp>

#include "http_client.h"
#include "raw_connection.h"
#include "server_process.h"

namespace tokens::testing {

// From provisioning/demo.toml.
inline const std::string kAcmeAdminService = "acme-admin-service", kAcmeAdminSecret = "acme-admin-secret";
inline const std::string kAcmeReporting = "acme-reporting", kAcmeReportingSecret = "acme-reporting-secret";
inline const std::string kAcmeDesktop = "acme-desktop", kAcmeDesktopSecret = "acme-desktop-secret";
inline const std::string kAcmeKiosk = "acme-kiosk", kAcmeKioskSecret = "acme-kiosk-secret";
inline const std::string kMercyAdminService = "mercy-admin-service", kMercyAdminSecret = "mercy-admin-secret";
inline const std::string kMercyDesktop = "mercy-desktop", kMercyDesktopSecret = "mercy-desktop-secret";

struct Login {
  std::string accessToken;
  std::string refreshToken;  ///< empty when none was issued
  int expiresIn = 0;
};

/// A successful client-credentials grant (fails the test otherwise).
std::string clientCredentialsToken(HttpClient& http, const std::string& clientId, const std::string& secret);
inline std::string acmeAdminToken(HttpClient& http) { return clientCredentialsToken(http, kAcmeAdminService, kAcmeAdminSecret); }

/// A successful password grant (fails the test otherwise).
Login passwordLogin(HttpClient& http, const std::string& clientId, const std::string& secret, const std::string& email,
                    const std::string& password);
inline Login paulLogin(HttpClient& http) {
  return passwordLogin(http, kAcmeDesktop, kAcmeDesktopSecret, "paul@acme.example", "paul-password");
}
inline Login adaLogin(HttpClient& http) {
  return passwordLogin(http, kAcmeDesktop, kAcmeDesktopSecret, "ada@acme.example", "ada-password");
}

HttpResult refreshGrant(HttpClient& http, const std::string& clientId, const std::string& secret,
                        const std::string& refreshToken);

/// Moves the emulator clock forward.
void advanceClock(HttpClient& http, int seconds);

/// PUT /api/v2/tokens/timeout with an admin token of the organization, expecting 200.
void putTimeout(HttpClient& http, const std::string& adminToken, const std::string& json);

/// The JSON object of a response body.
inline boost::json::object jsonObject(const HttpResult& r) { return r.json().as_object(); }

/// Starts a server for one test: `ServerProcess` that is already listening.
std::unique_ptr<ServerProcess> startServer(ServerConfig config = {});

/// A server of its own for each test, for tests whose changes others must not see.
class FreshServerTest : public ::testing::Test {
 protected:
  virtual ServerConfig config() { return {}; }
  void SetUp() override {
    server = startServer(config());
    http = std::make_unique<HttpClient>(server->baseUrl());
  }
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpClient> http;
};

}  // namespace tokens::testing
