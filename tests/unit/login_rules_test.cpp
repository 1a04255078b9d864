// The rules behind the login page, without sockets: redirect URI matching, PKCE, cookies, CSRF tokens and
// HTML escaping. The slow-down after failures: guess_throttle_test.cpp.

#include <gtest/gtest.h>

#include "api/cookies.h"
#include "api/csrf_guard.h"
#include "api/login_pages.h"
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
  const auto web = clientWith({"https://app.example/callback", "http://127.0.0.1/cb", "http://[::1]/cb"});
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
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://[::1]:4000/cb?x")) << "the query still counts";
  EXPECT_FALSE(domain::redirectUriRegistered(web, ""));
  EXPECT_FALSE(domain::redirectUriRegistered(clientWith({}), "http://127.0.0.1/cb"));
}

TEST(RedirectUri, ARegisteredPortMatchesThatPortOnly) {
  const auto web = clientWith({"http://127.0.0.1:8765/callback", "http://[::1]:8765/callback"});
  EXPECT_TRUE(domain::redirectUriRegistered(web, "http://127.0.0.1:8765/callback"));
  EXPECT_TRUE(domain::redirectUriRegistered(web, "http://[::1]:8765/callback"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://127.0.0.1:31337/callback"))
      << "another local process must not catch this client's codes";
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://[::1]:31337/callback"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://127.0.0.1/callback"));
  EXPECT_FALSE(domain::redirectUriRegistered(web, "http://127.0.0.1:08765/callback"));
}

TEST(RedirectUri, AnyPortMeansAValidPort) {
  const auto cli = clientWith({"http://127.0.0.1/callback"});
  EXPECT_TRUE(domain::redirectUriRegistered(cli, "http://127.0.0.1:1/callback"));
  EXPECT_TRUE(domain::redirectUriRegistered(cli, "http://127.0.0.1:65535/callback"));
  for (const auto* port : {"0", "65536", "99999", "08765", "00", "-1", "+80", "", "123456", "80a", "4294967377"})
    EXPECT_FALSE(domain::redirectUriRegistered(cli, std::string("http://127.0.0.1:") + port + "/callback")) << port;
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
