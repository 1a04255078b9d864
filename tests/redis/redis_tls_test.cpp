// rediss://: the connection over TLS to a redis-server with a certificate from a test CA (made with the
// openssl command), trusted through SSL_CERT_FILE as an operator would; and a tokens-server node on it.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include <boost/asio/io_context.hpp>

#include "api_test_support.h"
#include "connection_calls.h"
#include "free_port.h"
#include "redis_process.h"
#include "store/redis/redis_connection.h"

namespace tokens::testing {
namespace {

using namespace std::chrono_literals;
using store::redis::RedisConnection;
using store::redis::RedisEndpoint;
using store::redis::RedisFailure;
using store::redis::RedisResult;

int shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

// A CA and a certificate for 127.0.0.1 signed by it, in a directory of their own.
struct Certificates {
  Certificates() : dir(makeTempDir()) {
    std::ofstream(dir + "/ext.cnf") << "subjectAltName=IP:127.0.0.1\n";
    const auto in = "cd " + dir + " && ";
    ok = shell(in + "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=TestCA") == 0 &&
         shell(in + "openssl req -newkey rsa:2048 -nodes -keyout redis.key -out redis.csr -subj /CN=127.0.0.1") == 0 &&
         shell(in + "openssl x509 -req -in redis.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out redis.pem -days 2 "
                    "-extfile ext.cnf") == 0;
  }
  std::string dir;
  bool ok = false;
};

// Plain on port(), TLS on tlsPort (clients need no certificate of their own).
struct TlsRedis {
  explicit TlsRedis(const Certificates& certs)
      : tlsPort(freeLoopbackPort()),
        process({"--tls-port", std::to_string(tlsPort), "--tls-cert-file", certs.dir + "/redis.pem", "--tls-key-file",
                 certs.dir + "/redis.key", "--tls-ca-cert-file", certs.dir + "/ca.pem", "--tls-auth-clients", "no",
                 "--appendonly", "yes", "--appendfsync", "always"}) {
    process.start();
  }
  std::string uri() const { return "rediss://127.0.0.1:" + std::to_string(tlsPort) + "/0"; }
  std::uint16_t tlsPort;
  RedisProcess process;
};

// Sets an environment variable for the scope (the server processes started meanwhile inherit it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

RedisEndpoint tlsEndpoint(const TlsRedis& redis) {
  RedisEndpoint e;
  e.host = "127.0.0.1";
  e.port = redis.tlsPort;
  e.tls = true;
  return e;
}

TEST(RedisTls, CommandsGoOverTlsToAServerWhoseCertificateIsTrusted) {
  Certificates certs;
  ASSERT_TRUE(certs.ok) << "openssl could not make the test certificates";
  TlsRedis redis(certs);
  ScopedEnv trust("SSL_CERT_FILE", certs.dir + "/ca.pem");
  boost::asio::io_context ioc;
  auto c = RedisConnection::start(ioc, tlsEndpoint(redis));
  EXPECT_TRUE(call(ioc, *c, {"SET", "over", "tls"}).ok());
  EXPECT_EQ(call(ioc, *c, {"GET", "over"}).reply.text, "tls");
  c->stop();
}

TEST(RedisTls, AnUntrustedCertificateIsRefused) {
  Certificates certs;
  ASSERT_TRUE(certs.ok);
  TlsRedis redis(certs);
  ScopedEnv trust("SSL_CERT_FILE", "/dev/null");  // the test CA is not trusted
  boost::asio::io_context ioc;
  auto c = RedisConnection::start(ioc, tlsEndpoint(redis));
  const auto r = call(ioc, *c, {"PING"});
  EXPECT_EQ(r.failure, RedisFailure::Unavailable) << "the handshake must fail, and nothing be sent";
  EXPECT_FALSE(c->ready());
  c->stop();
}

TEST(RedisTls, ANodeOnRedissServesAndRevokes) {
  Certificates certs;
  ASSERT_TRUE(certs.ok);
  TlsRedis redis(certs);
  ScopedEnv trust("SSL_CERT_FILE", certs.dir + "/ca.pem");
  ServerConfig config;
  config.store = redis.uri();
  auto one = startServer(config);
  auto two = startServer(config);
  HttpClient h1(one->baseUrl()), h2(two->baseUrl());
  const auto token = acmeAdminToken(h1);
  EXPECT_EQ(h2.head("/api/v2/tokens/me", token).status, 200);
  EXPECT_EQ(h2.del("/api/v2/tokens/me", token).status, 200);
  EXPECT_EQ(h1.head("/api/v2/tokens/me", token).status, 401);
  EXPECT_EQ(h1.get("/readyz").status, 200);
}

}  // namespace
}  // namespace tokens::testing
