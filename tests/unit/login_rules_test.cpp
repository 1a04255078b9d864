// The rules behind the login page, without sockets: redirect URI matching, PKCE, the slow-down, cookies,
// CSRF tokens and HTML escaping.

#include <gtest/gtest.h>

#include "api/cookies.h"
#include "api/csrf_guard.h"
#include "api/login_pages.h"
#include "domain/login_throttle.h"
#include "domain/pkce.h"
#include "domain/redirect_uri.h"
#include "store/login_state_store.h"

namespace tokens {
namespace {

domain::Client clientWith(std::vector<std::string> uris) {
  domain::Client c;
  c.redirectUris = std::move(uris);
  return c;
}

TEST(RedirectUri, MatchesExactlyExceptTheLoopbackPort) {
  const auto web = clientWith({"https://app.example/callback", "http://127.0.0.1:8765/cb", "http://[::1]/cb"});
  EXPECT_TRUE(domain::redirectUriRegistered(web, "https://app.example/callback"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "https://app.example/callback/"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "https://app.example/callback?x=1"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "https://app.example:444/callback")) << "ports count off loopback";
  EXPECT_FALSE(domain::redirectUriRegistered(web, "HTTPS://app.example/callback"));
  EXPECT_TRUE(domain::redirectUriRegistered(web, "http://127.0.0.1:51000/cb")) << "RFC 8252 §7.3";
  EXPECT_TRUE(domain::redirectUriRegistered(web, "http://127.0.0.1/cb"));
  EXPECT_TRUE(domain::redirectUriRegistered(web, "http://[::1]:4000/cb"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://127.0.0.1:51000/other"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://127.0.0.1:51000/cb#frag"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://user@127.0.0.1:51000/cb"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://localhost:51000/cb")) << "a name is not a loopback literal";
  EXPECT_FALSE(domain::redirectUriRegistered(web, "https://127.0.0.1:51000/cb")) << "the scheme still counts";
  EXPECT_FALSE(domain::redirectUriRegistered(web, ""));
  EXPECT_FALSE(domain::redirectUriRegistered(clientWith({}), "http://127.0.0.1/cb"));
}

TEST(Pkce, ChecksVerifierAgainstTheS256Challenge) {
  // RFC 7636 appendix B.
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  EXPECT_EQ(domain::pkceS256Challenge(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_TRUE(domain::pkceVerifierMatches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
  EXPECT_FALSE(domain::pkceVerifierMatches(verifier + "x", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
  EXPECT_FALSE(domain::pkceVerifierWellFormed(std::string(42, 'a')));
  EXPECT_TRUE(domain::pkceVerifierWellFormed(std::string(43, 'a')));
  EXPECT_TRUE(domain::pkceVerifierWellFormed(std::string(128, '~')));
  EXPECT_FALSE(domain::pkceVerifierWellFormed(std::string(129, 'a')));
  EXPECT_FALSE(domain::pkceVerifierWellFormed(std::string(43, '+')));
  EXPECT_FALSE(domain::pkceVerifierMatches(std::string(42, 'a'), domain::pkceS256Challenge(std::string(42, 'a'))))
      << "a verifier too short is refused even when it hashes right";
  EXPECT_TRUE(domain::pkceChallengeWellFormed("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
  EXPECT_FALSE(domain::pkceChallengeWellFormed("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c="));
  EXPECT_FALSE(domain::pkceChallengeWellFormed("short"));
}

TEST(LoginThrottle, WaitsDoubleAfterTheFreeFailuresAndSuccessClearsTheUser) {
  domain::LoginThrottle t({.freeFailuresPerUser = 3, .freeFailuresPerAddress = 100, .firstWaitMs = 1000});
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 2; ++i) t.recordFailure("o", "Paul@X", "1.2.3.4", now);
  EXPECT_FALSE(t.waitBefore("o", "paul@x", "1.2.3.4", now)) << "two failures are free";
  t.recordFailure("o", "paul@x", "1.2.3.4", now);
  EXPECT_EQ(t.waitBefore("o", "PAUL@x", "5.6.7.8", now + 200), 800) << "per user, from any address, any case";
  EXPECT_FALSE(t.waitBefore("o", "paul@x", "1.2.3.4", now + 1000));
  t.recordFailure("o", "paul@x", "1.2.3.4", now + 1000);
  EXPECT_EQ(t.waitBefore("o", "paul@x", "1.2.3.4", now + 1000), 2000);
  EXPECT_FALSE(t.waitBefore("o", "ada@x", "9.9.9.9", now + 1000));
  t.recordSuccess("other-org", "paul@x");
  EXPECT_TRUE(t.waitBefore("o", "paul@x", "1.2.3.4", now + 1000)) << "the same email elsewhere is someone else";
  EXPECT_FALSE(t.waitBefore("other-org", "paul@x", "5.5.5.5", now + 1000));
  t.recordSuccess("o", "paul@x");
  EXPECT_FALSE(t.waitBefore("o", "paul@x", "1.2.3.4", now + 1000));
}

TEST(LoginThrottle, CountsPerAddressAndForgetsAfterAQuietWhile) {
  domain::LoginThrottle t({.freeFailuresPerUser = 100, .freeFailuresPerAddress = 2, .firstWaitMs = 1000,
                           .maxWaitMs = 4000, .forgetAfterMs = 60000});
  const std::int64_t now = 5'000'000;
  t.recordFailure("o", "a@x", "1.2.3.4", now);
  t.recordFailure("o", "b@x", "1.2.3.4", now);
  EXPECT_EQ(t.waitBefore("o", "c@x", "1.2.3.4", now), 1000);
  for (int i = 0; i < 10; ++i) t.recordFailure("o", "d@x", "1.2.3.4", now);
  EXPECT_EQ(t.waitBefore("o", "c@x", "1.2.3.4", now), 4000) << "capped";
  EXPECT_FALSE(t.waitBefore("o", "c@x", "1.2.3.4", now + 60000)) << "forgotten";
}

TEST(LoginThrottle, StaysBoundedUnderManyKeys) {
  domain::LoginThrottle t({.freeFailuresPerUser = 2, .maxKeys = 100});
  for (int i = 0; i < 1000; ++i) {
    const auto n = std::to_string(i);  // (not "u" + to_string(i): GCC 12 warns falsely there, -Wrestrict)
    t.recordFailure("o", std::string("u").append(n), std::string("a").append(n), i);
  }
  EXPECT_LE(t.trackedKeys(), 100u);
  // The most recent failures survive the sweeps: a guesser cannot flush its own count with noise.
  t.recordFailure("o", "u999", "a999", 1000);
  EXPECT_TRUE(t.waitBefore("o", "u999", "elsewhere", 1000));
}

TEST(Cookies, ReadsOneCookieAndWritesStrictAttributes) {
  EXPECT_EQ(api::cookieValue("a=1; tokens_session=abc; b=2", "tokens_session"), "abc");
  EXPECT_EQ(api::cookieValue("tokens_session=\"q\"", "tokens_session"), "q");
  EXPECT_FALSE(api::cookieValue("xtokens_session=abc", "tokens_session"));
  EXPECT_FALSE(api::cookieValue("", "tokens_session"));
  EXPECT_EQ(api::setCookie("s", "v", {}), "s=v; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(api::setCookie("s", "", {.path = "/oauth", .maxAge = std::chrono::seconds(0), .secure = true}),
            "s=; Path=/oauth; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

TEST(CsrfGuard, AcceptsOnlyTheTokenOfItsOwnNonceAndKey) {
  // Two deployments, each with its own shared secret.
  const auto ours = store::makeMemoryLoginStateStore(), theirs = store::makeMemoryLoginStateStore();
  const api::CsrfGuard guard([&] { return ours->sharedSecret("csrf"); });
  const api::CsrfGuard other([&] { return theirs->sharedSecret("csrf"); });
  const api::CsrfGuard sameDeployment([&] { return ours->sharedSecret("csrf"); });
  const auto nonce = guard.newNonce();
  EXPECT_TRUE(guard.valid(nonce, guard.tokenFor(nonce)));
  EXPECT_FALSE(guard.valid(guard.newNonce(), guard.tokenFor(nonce)));
  EXPECT_FALSE(other.valid(nonce, guard.tokenFor(nonce))) << "another deployment's key";
  EXPECT_TRUE(sameDeployment.valid(nonce, guard.tokenFor(nonce))) << "another node of the same deployment";
  EXPECT_FALSE(guard.valid("", guard.tokenFor("")));
  EXPECT_FALSE(guard.valid(nonce, ""));
}

TEST(LoginPages, EscapeEverythingTheyShow) {
  EXPECT_EQ(api::escapeHtml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  api::LoginPage page;
  page.applicationName = "<script>alert(1)</script>";
  page.hiddenFields = {{"state", "\"><img src=x>"}};
  page.error = "<b>";
  const auto html = api::renderLoginPage(page);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("role=\"alert\""), std::string::npos);
}

}  // namespace
}  // namespace tokens
