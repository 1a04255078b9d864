// TLS, mutual TLS with a custom CA, and a proxy with credentials: the SDK against tokens-server behind
// nginx (terminating TLS, demanding a client certificate) and behind tinyproxy (demanding Basic auth).
// Certificates are made for the test with the openssl command.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "PureCloudPlatformClientV2/PureCloudPlatformClientV2.h"
#include "api_test_support.h"
#include "free_port.h"

namespace PureCloudPlatformClientV2::testing {
namespace {

using namespace std::chrono_literals;

using tokens::testing::freeLoopbackPort;

bool accepting(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void waitUntilAccepting(std::uint16_t port) {
  for (int i = 0; i < 100 && !accepting(port); ++i) std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(accepting(port)) << "nothing listens on " << port;
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

class SdkTlsAndProxyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = tokens::testing::makeTempDir();
    const auto d = dir_;
    // A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by it.
    ASSERT_EQ(run("cd " + d + " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=TestCA"), 0);
    ASSERT_EQ(run("cd " + d + " && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1"), 0);
    std::ofstream(d + "/ext.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    ASSERT_EQ(run("cd " + d + " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf"), 0);
    ASSERT_EQ(run("cd " + d + " && openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=sdk-client"), 0);
    ASSERT_EQ(run("cd " + d + " && openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2"), 0);

    server_ = tokens::testing::startServer().release();
    tlsPort_ = freeLoopbackPort();
    proxyPort_ = freeLoopbackPort();
    std::ofstream(d + "/nginx.conf") << "worker_processes 1;\npid " << d << "/nginx.pid;\nerror_log " << d << "/nginx.err;\n"
        << "events { worker_connections 64; }\nhttp {\n  access_log off;\n"
        << "  client_body_temp_path " << d << "/b; proxy_temp_path " << d << "/p; fastcgi_temp_path " << d << "/f;"
        << " uwsgi_temp_path " << d << "/u; scgi_temp_path " << d << "/s;\n"
        << "  server {\n    listen 127.0.0.1:" << tlsPort_ << " ssl;\n"
        << "    ssl_certificate " << d << "/server.pem;\n    ssl_certificate_key " << d << "/server.key;\n"
        << "    ssl_client_certificate " << d << "/ca.pem;\n    ssl_verify_client on;\n"
        << "    location / { proxy_pass http://127.0.0.1:" << server_->port() << "; }\n  }\n}\n";
    ASSERT_EQ(run("nginx -c " + d + "/nginx.conf -p " + d), 0) << "nginx (Debian's nginx-light) must be installed";
    std::ofstream(d + "/tinyproxy.conf") << "Port " << proxyPort_ << "\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\n"
        << "Allow 127.0.0.1\nBasicAuth sdkuser sdkpass\nLogLevel Info\nLogFile \"" << d << "/tinyproxy.log\"\n"
        << "PidFile \"" << d << "/tinyproxy.pid\"\n";
    ASSERT_EQ(run("tinyproxy -c " + d + "/tinyproxy.conf"), 0) << "tinyproxy (Debian package) must be installed";
    waitUntilAccepting(tlsPort_);
    waitUntilAccepting(proxyPort_);
  }

  static void TearDownTestSuite() {
    run("kill $(cat " + dir_ + "/nginx.pid)");
    run("kill $(cat " + dir_ + "/tinyproxy.pid)");
    delete server_;
  }

  void SetUp() override {
    // The proxy must be the one the test names, for every address.
    for (const char* v : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"})
      unsetenv(v);
    RetryConfig none;
    none.enabled = false;
    client->setRetryConfig(none);
  }

  std::string tlsUrl() const { return "https://127.0.0.1:" + std::to_string(tlsPort_); }
  std::string file(const char* name) const { return dir_ + "/" + name; }

  std::shared_ptr<ApiClient> client = std::make_shared<ApiClient>();
  static inline std::string dir_;
  static inline tokens::testing::ServerProcess* server_ = nullptr;
  static inline std::uint16_t tlsPort_ = 0;
  static inline std::uint16_t proxyPort_ = 0;
};

TEST_F(SdkTlsAndProxyTest, MutualTlsWithACustomCa) {
  client->setEnvironment(tlsUrl());
  client->setTlsConfig({.caFile = file("ca.pem"), .clientCertFile = file("client.pem"), .clientKeyFile = file("client.key")});
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  EXPECT_EQ(*TokensApi(client).getTokensMe().organization->id, "acme");
  EXPECT_EQ(*TokensApi(client).getTokensMeAsync().get().organization->id, "acme") << "the async loop uses the same TLS settings";
}

TEST_F(SdkTlsAndProxyTest, AServerSignedByAnUnknownCaIsNotTrusted) {
  client->setEnvironment(tlsUrl());
  client->setTlsConfig({.clientCertFile = file("client.pem"), .clientKeyFile = file("client.key")});  // system CAs
  try {
    client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
    FAIL() << "the certificate is not signed by a system CA";
  } catch (const ApiException& e) {
    EXPECT_TRUE(e.isTransportError()) << e.what();
    EXPECT_EQ(e.getStatusCode(), 0);
  }
}

TEST_F(SdkTlsAndProxyTest, WithoutAClientCertificateTheGatewayRefuses) {
  client->setEnvironment(tlsUrl());
  client->setTlsConfig({.caFile = file("ca.pem")});
  try {
    client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
    FAIL();
  } catch (const ApiException& e) {
    EXPECT_EQ(e.getStatusCode(), 400) << e.what();  // nginx: "No required SSL certificate was sent"
  }
}

TEST_F(SdkTlsAndProxyTest, ThroughAProxyWithCredentials) {
  client->setEnvironment(server_->baseUrl());
  client->setProxy({.url = "http://127.0.0.1:" + std::to_string(proxyPort_), .username = "sdkuser", .password = "sdkpass"});
  client->loginClientCredentialsGrant("acme-admin-service", "acme-admin-secret");
  TokensApi(client).headTokensMe();
  const auto log = tokens::testing::readFile(file("tinyproxy.log"));
  EXPECT_NE(log.find("/api/v2/tokens/me"), std::string::npos) << "the call went through the proxy:\n" << log;

  client->setProxy({.url = "http://127.0.0.1:" + std::to_string(proxyPort_), .username = "sdkuser", .password = "wrong"});
  // tinyproxy refuses with 401 (not 407), which the SDK takes for an expired token and tries one renewal
  // through the same proxy; either way the call must fail.
  EXPECT_THROW(TokensApi(client).headTokensMe(), ApiException);
}

}  // namespace
}  // namespace PureCloudPlatformClientV2::testing
