// Bad input of every kind answered per SPEC §3, while the server keeps serving everyone else.

#include <thread>

#include "api_test_support.h"

namespace tokens::testing {
namespace {

using namespace std::chrono_literals;

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = startServer({.extraArgs = {"--max-body-bytes", "2048", "--max-header-bytes", "4096", "--read-timeout", "1"}})
                  .release();
  }
  static void TearDownTestSuite() { delete server_; }
  void TearDown() override {
    // Whatever a test sent, the server still answers others.
    HttpClient fresh(server_->baseUrl());
    EXPECT_EQ(fresh.get("/healthz").status, 200);
  }
  HttpClient http{server_->baseUrl()};
  static inline ServerProcess* server_ = nullptr;
};

TEST_F(BadInputTest, MalformedAndTruncatedJsonIsBadRequestSayingWhere) {
  const auto admin = acmeAdminToken(http);
  for (const std::string body : {R"({"idleTokenTimeoutSeconds": 900,)", R"({"idleTokenTimeoutSeconds": 9)" "\n" R"(00})",
                                 "{\"a\":", "not json", "[1,2", "\"\xff\xfe\""}) {
    const auto r = http.putJson("/api/v2/tokens/timeout", body, admin);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.errorCode(), "bad.request") << body;
    const auto details = jsonObject(r).at("details").as_array();
    ASSERT_FALSE(details.empty());
    EXPECT_NE(std::string(details.at(0).at("entityName").as_string()).find("line"), std::string::npos) << r.body;
  }
  const auto notObject = http.putJson("/api/v2/tokens/timeout", "[1,2,3]", admin);
  EXPECT_EQ(notObject.status, 400);
  EXPECT_EQ(notObject.errorCode(), "bad.request");
}

TEST_F(BadInputTest, WrongTypesAreInvalidValueNamingTheField) {
  const auto r = http.putJson("/api/v2/tokens/timeout", R"({"inactivityTimeoutGroupsEnabled": 1})", acmeAdminToken(http));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "invalid.value");
  EXPECT_EQ(jsonObject(r).at("details").at(0).at("fieldName"), "inactivityTimeoutGroupsEnabled");
}

TEST_F(BadInputTest, AnOversizeBodyIs413AndNothingIsWritten) {
  const auto admin = acmeAdminToken(http);
  const std::string huge = R"({"idleTokenTimeoutSeconds":900,"enableIdleTokenTimeout":true,"pad":")" + std::string(4000, 'x') + "\"}";
  const auto r = http.putJson("/api/v2/tokens/timeout", huge, admin);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.errorCode(), "request.entity.too.large");
  EXPECT_NE(std::string(jsonObject(r).at("message").as_string()).find("2048"), std::string::npos);
  HttpClient fresh(server_->baseUrl());
  EXPECT_EQ(jsonObject(fresh.get("/api/v2/tokens/timeout", admin)).at("enableIdleTokenTimeout"), false);

  // Chunked, so the size is only known as it arrives.
  RawConnection raw(server_->port());
  raw.send("PUT /api/v2/tokens/timeout HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
           "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 4; ++i) raw.send("400\r\n" + std::string(0x400, ' ') + "\r\n");
  const auto answer = raw.readUntil("\r\n\r\n", 5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0U) << answer;
}

TEST_F(BadInputTest, AWrongContentTypeIs415) {
  const auto r = http.request("PUT", "/api/v2/tokens/timeout",
                              {"Authorization: Bearer " + acmeAdminToken(http), "Content-Type: text/plain"},
                              R"({"enableIdleTokenTimeout":true})");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.errorCode(), "unsupported.media.type");
  const auto charset = http.request("PUT", "/api/v2/tokens/timeout",
                                    {"Authorization: Bearer " + acmeAdminToken(http), "Content-Type: application/json; charset=utf-8"},
                                    "{}");
  EXPECT_EQ(charset.status, 200) << "parameters of the media type are fine";
}

TEST_F(BadInputTest, UnknownPathsAre404) {
  for (const std::string path : {"/", "/api", "/api/v2/tokens", "/api/v2/tokens/me/extra", "/api/v2/tokens/me/",
                                 "/api/v2/users", "/_emulatorx/clock", "/oauth/authorize/x", "/logoutx"}) {
    const auto r = http.get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.errorCode(), "not.found") << path;
  }
}

TEST_F(BadInputTest, WrongMethodsAre405WithAllow) {
  struct Case { std::string method, path, allow; };
  for (const auto& c : std::vector<Case>{{"POST", "/api/v2/tokens/me", "GET, HEAD, DELETE"},
                                         {"PATCH", "/api/v2/tokens/timeout", "GET, HEAD, PUT"},
                                         {"DELETE", "/api/v2/tokens/timeout", "GET, HEAD, PUT"},
                                         {"GET", "/oauth/token", "POST"},
                                         {"GET", "/api/v2/tokens/some-user", "DELETE"}}) {
    const auto r = http.request(c.method, c.path);
    EXPECT_EQ(r.status, 405) << c.method << ' ' << c.path;
    EXPECT_EQ(r.errorCode(), "method.not.allowed");
    EXPECT_EQ(r.header("allow"), c.allow) << c.method << ' ' << c.path;
  }
}

TEST_F(BadInputTest, AuthorizationHeadersOfEveryWrongShape) {
  struct Case { std::vector<std::string> headers; std::string code; };
  for (const auto& c : std::vector<Case>{
           {{}, "authentication.required"},
           {{"Authorization: Basic YWNtZTpzZWNyZXQ="}, "authentication.required"},
           {{"Authorization: Token abc"}, "authentication.required"},
           {{"Authorization: Bearer"}, "authentication.required"},
           {{"Authorization: Bearer    "}, "authentication.required"},
           {{"Authorization: Bearer two words"}, "bad.credentials"},
           {{"Authorization: Bearer " + std::string(600, 'a')}, "bad.credentials"},
           {{"Authorization: Bearer <script>"}, "bad.credentials"},
           {{"Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, "bad.credentials"}}) {
    const auto r = http.request("GET", "/api/v2/tokens/me", c.headers);
    EXPECT_EQ(r.status, 401) << (c.headers.empty() ? "none" : c.headers[0]);
    EXPECT_EQ(r.errorCode(), c.code) << (c.headers.empty() ? "none" : c.headers[0]);
  }
  EXPECT_EQ(http.request("GET", "/api/v2/tokens/me", {"Authorization: bearer " + acmeAdminToken(http)}).status, 200)
      << "the scheme is case-insensitive";
}

TEST_F(BadInputTest, OversizedHeadersAre431) {
  RawConnection raw(server_->port());
  raw.send("GET /api/v2/tokens/me HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(6000, 'y') + "\r\n\r\n");
  const auto answer = raw.readUntilClosed(5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0U) << answer.substr(0, 200);
  EXPECT_NE(answer.find("request.header.fields.too.large"), std::string::npos);
}

TEST_F(BadInputTest, GarbageIsBadRequestAndTheConnectionCloses) {
  RawConnection raw(server_->port());
  raw.send("HELLO THERE\r\n\r\n");
  const auto answer = raw.readUntilClosed(5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0U) << answer;
  EXPECT_NE(answer.find("bad.request"), std::string::npos);
  EXPECT_TRUE(raw.closedByPeer());
}

TEST_F(BadInputTest, AClientThatStallsMidRequestGets408WhileOthersAreServed) {
  RawConnection stalled(server_->port());
  stalled.send("PUT /api/v2/tokens/timeout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"idle");
  // While it stalls, another client is served at once.
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(http.get("/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 900ms) << "served while the other connection stalls";
  const auto answer = stalled.readUntilClosed(5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0U) << answer;
  EXPECT_TRUE(stalled.closedByPeer());
}

TEST_F(BadInputTest, AnIdleKeepAliveConnectionIsClosedQuietly) {
  RawConnection idle(server_->port());
  const auto answer = idle.readUntilClosed(5s);
  EXPECT_TRUE(answer.empty()) << answer;
  EXPECT_TRUE(idle.closedByPeer());
}

TEST_F(BadInputTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection raw(server_->port());
  raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto answer = raw.readUntilClosed(5s);
  const auto first = answer.find("HTTP/1.1 200");
  const auto second = answer.find("HTTP/1.1 404");
  const auto third = answer.find("HTTP/1.1 200", second);
  EXPECT_NE(first, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_NE(third, std::string::npos) << answer;
}

TEST_F(BadInputTest, ATransferEncodingNotEndingInChunkedIsRefusedNotSmuggled) {
  RawConnection raw(server_->port());
  raw.send("POST /oauth/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
           "GET /nowhere-smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto answer = raw.readUntilClosed(5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0U) << answer;
  EXPECT_EQ(answer.find("HTTP/1.1 404"), std::string::npos) << "the bytes after the header must not be a second request";
  EXPECT_TRUE(raw.closedByPeer());
}

TEST_F(BadInputTest, AnHttp11RequestNeedsExactlyOneValidHost) {
  // RFC 9112 §3.2. Two Hosts once meant the first one won, the login form's same-origin check included.
  for (const std::string head : {"GET /healthz HTTP/1.1\r\n",
                                 "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n",
                                 "GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\n",
                                 "GET /healthz HTTP/1.1\r\nHost: \r\n",
                                 "GET /healthz HTTP/1.1\r\nHost: user@127.0.0.1\r\n",
                                 "GET /healthz HTTP/1.1\r\nHost: a b\r\n",
                                 "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:x\r\n"}) {
    RawConnection raw(server_->port());
    raw.send(head + "\r\nGET /nowhere-smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto answer = raw.readUntilClosed(5s);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0U) << head << answer;
    EXPECT_NE(answer.find("\"code\":\"bad.request\""), std::string::npos) << head;
    EXPECT_EQ(answer.find("HTTP/1.1 404"), std::string::npos) << head;
    EXPECT_TRUE(raw.closedByPeer()) << head;
  }
  RawConnection http10(server_->port());
  http10.send("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(http10.readUntilClosed(5s).rfind("HTTP/1.1 200", 0), 0U) << "HTTP/1.0 needs no Host";
  RawConnection withPort(server_->port());
  withPort.send("GET /healthz HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(withPort.readUntilClosed(5s).rfind("HTTP/1.1 200", 0), 0U);
}

TEST_F(BadInputTest, TheAbsoluteFormOfATargetIsAccepted) {
  const auto token = acmeAdminToken(http);
  const auto authority = "127.0.0.1:" + std::to_string(server_->port());
  RawConnection raw(server_->port());
  raw.send("HEAD http://" + authority + "/api/v2/tokens/me HTTP/1.1\r\nHost: " + authority +
           "\r\nAuthorization: Bearer " + token + "\r\n\r\n");
  EXPECT_EQ(raw.readUntil("\r\n\r\n", 5s).rfind("HTTP/1.1 200", 0), 0U);
  raw.send("GET HTTP://" + authority + "/api/v2/tokens/me?preserveIdleTTL=true HTTP/1.1\r\nHost: ignored.example\r\n"
           "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
  const auto answer = raw.readUntilClosed(5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0U) << answer;
  EXPECT_NE(answer.find("\"OAuthClient\""), std::string::npos) << "the path and the query were read";
  for (const auto& target : {"http://user@" + authority + "/healthz", std::string("http:///healthz"), std::string("https://[oops/healthz")}) {
    RawConnection bad(server_->port());
    bad.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(bad.readUntilClosed(5s).rfind("HTTP/1.1 400", 0), 0U) << target;
  }
  RawConnection root(server_->port());
  root.send("GET http://" + authority + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(root.readUntilClosed(5s).rfind("HTTP/1.1 404", 0), 0U) << "no path is /, which is no route";
}

TEST_F(BadInputTest, UnencodedCharactersInAFormAreReadNotRefused) {
  const auto r = http.postForm("/oauth/token", "grant_type=password&username=paul%40acme.example&password=x{y}|z",
                               kAcmeDesktop, kAcmeDesktopSecret);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(jsonObject(r).at("error"), "invalid_grant") << "a wrong password, not a malformed form";
}

TEST_F(BadInputTest, AuthenticationComesBeforeParameterValidation) {
  EXPECT_EQ(http.get("/api/v2/tokens/me?preserveIdleTTL=maybe").status, 401);
  EXPECT_EQ(http.get("/api/v2/tokens/me?preserveIdleTTL=maybe&other=a|b", acmeAdminToken(http)).status, 400);
  EXPECT_EQ(http.get("/api/v2/tokens/me?unrelated=a|b", acmeAdminToken(http)).status, 200);
}

TEST_F(BadInputTest, ExpectContinueIsHonoured) {
  RawConnection raw(server_->port());
  raw.send("PUT /api/v2/tokens/timeout HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + acmeAdminToken(http) +
           "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(raw.readUntil("\r\n\r\n", 5s).rfind("HTTP/1.1 100 Continue", 0), 0U);
  raw.send("{}");
  EXPECT_EQ(raw.readUntil("\r\n\r\n", 5s).rfind("HTTP/1.1 200", 0), 0U);
}

class ConnectionCapTest : public FreshServerTest {
  ServerConfig config() override { return {.threads = 1, .extraArgs = {"--max-connections", "2"}}; }
};

TEST_F(ConnectionCapTest, ConnectionsPastTheCapAreAnswered503AndClosed) {
  RawConnection first(server->port());
  RawConnection second(server->port());
  first.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");  // both accepted and open
  EXPECT_EQ(first.readUntil("\r\n\r\n", 5s).rfind("HTTP/1.1 200", 0), 0U);
  second.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(second.readUntil("\r\n\r\n", 5s).rfind("HTTP/1.1 200", 0), 0U);

  RawConnection third(server->port());
  const auto refused = third.readUntilClosed(5s);
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0U) << refused;
  EXPECT_NE(refused.find("service.unavailable"), std::string::npos);
  EXPECT_TRUE(third.closedByPeer());
}

}  // namespace
}  // namespace tokens::testing
