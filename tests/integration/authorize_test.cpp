// Browser logins over real sockets (SPEC §5): the login page, codes, PKCE, the implicit grant, sessions,
// CSRF, the slow-down after failures, and what the tokens they give can do.

#include <gtest/gtest.h>

#include "api_test_support.h"
#include "browser_login.h"

namespace tokens::testing {
namespace {

// From provisioning/demo.toml.
const std::string kWeb = "acme-web", kWebSecret = "acme-web-secret";
const std::string kCli = "acme-cli", kSpa = "acme-spa";
const std::string kCallback = "http://127.0.0.1:8765/callback";
// acme-cli registers http://127.0.0.1/callback: any port on the loopback address (RFC 8252).
const std::string kLoopbackCallback = "http://127.0.0.1:53682/callback";

class AuthorizeTest : public FreshServerTest {
 protected:
  std::unique_ptr<Browser> browser() { return std::make_unique<Browser>(server->baseUrl()); }

  /// Paul through the code grant of acme-web: the code from the redirect.
  std::string paulsCode(Browser& b, const std::string& email = "paul@acme.example",
                        const std::string& password = "paul-password") {
    const auto r = b.login({kWeb, kCallback}, email, password);
    EXPECT_EQ(r.status, 302) << r.body;
    const auto location = r.header("location");
    EXPECT_TRUE(location.starts_with(kCallback + "?code=")) << location;
    EXPECT_EQ(urlParam(location, "state"), "st-123");
    return urlParam(location, "code");
  }

  HttpResult exchange(const std::string& code, const std::string& redirectUri = kCallback) {
    return http->postForm("/oauth/token",
                          "grant_type=authorization_code&code=" + formEncode(code) + "&redirect_uri=" + formEncode(redirectUri),
                          kWeb, kWebSecret);
  }

  HttpResult exchangePkce(const std::string& code, const std::string& verifier,
                          const std::string& redirectUri = kLoopbackCallback, const std::string& clientId = kCli) {
    std::string form = "grant_type=authorization_code&code=" + formEncode(code) + "&redirect_uri=" +
                       formEncode(redirectUri) + "&client_id=" + formEncode(clientId);
    if (!verifier.empty()) form += "&code_verifier=" + formEncode(verifier);
    return http->postForm("/oauth/token", form);
  }

  /// Paul through PKCE with acme-cli: the code and the verifier that redeems it.
  std::pair<std::string, std::string> paulsPkceCode(Browser& b) {
    const auto pkce = newPkcePair();
    const auto r = b.login({kCli, kLoopbackCallback, "code", "st-9", pkce.challenge}, "paul@acme.example", "paul-password");
    EXPECT_EQ(r.status, 302) << r.body;
    return {urlParam(r.header("location"), "code"), pkce.verifier};
  }

  std::string accessTokenOf(const HttpResult& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? std::string(jsonObject(r).at("access_token").as_string()) : "";
  }
};

TEST_F(AuthorizeTest, TheLoginPageIsAnAccessibleFormWithCsrfProtectionAndStrictHeaders) {
  auto b = browser();
  const auto r = b->get(Browser::authorizePath({kWeb, kCallback}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<form id=\"login-form\" method=\"post\" action=\"/oauth/authorize\""), std::string::npos);
  EXPECT_NE(r.body.find("<label for=\"email\">"), std::string::npos);
  EXPECT_NE(r.body.find("<label for=\"password\">"), std::string::npos);
  EXPECT_NE(r.body.find("Acme web app"), std::string::npos) << "names the application";
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
  EXPECT_EQ(hiddenField(r.body, "csrf_token").size(), 43u);
  EXPECT_NE(r.header("content-security-policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(r.header("x-frame-options"), "DENY");
  // Not no-referrer: browsers then send "Origin: null" with the form, which is refused (found by the
  // browser tests).
  EXPECT_EQ(r.header("referrer-policy"), "same-origin");
  EXPECT_EQ(r.header("cache-control"), "no-store");
  const auto csrfCookie = r.header("set-cookie");
  EXPECT_TRUE(csrfCookie.starts_with("tokens_csrf=")) << csrfCookie;
  EXPECT_NE(csrfCookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(csrfCookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(csrfCookie.find("Secure"), std::string::npos) << "plain HTTP: a Secure cookie would never come back";
}

TEST_F(AuthorizeTest, CookiesAreSecureWhenServedOverTls) {
  auto b = browser();
  const auto r = b->get(Browser::authorizePath({kWeb, kCallback}), {"X-Forwarded-Proto: https"});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("set-cookie").find("; Secure"), std::string::npos) << r.header("set-cookie");
}

TEST_F(AuthorizeTest, AnUnknownClientOrUnregisteredRedirectShowsAnErrorPageAndNeverRedirects) {
  auto b = browser();
  for (const auto& path : {Browser::authorizePath({"no-such-client", kCallback}),
                           Browser::authorizePath({kWeb, "https://evil.example/callback"}),
                           Browser::authorizePath({kWeb, "http://127.0.0.1:8765/callback/../steal"}),
                           Browser::authorizePath({kWeb, ""})}) {
    const auto r = b->get(path);
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(r.header("location"), "") << path;
    EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos) << path;
  }
}

TEST_F(AuthorizeTest, ARegisteredPortIsThePortAndALiveSessionGivesNoCodeToAnyOther) {
  // The attack (SPEC §5): Paul is signed in, so the login page answers without a prompt; another local
  // process asks for a code (or, implicit, a token) on a port of its own. acme-web and acme-spa register
  // http://127.0.0.1:8765/callback, with a port: no other port may receive anything.
  auto b = browser();
  paulsCode(*b);  // leaves the session cookie in the browser
  for (const auto& params : {AuthorizeParams{kWeb, "http://127.0.0.1:31337/callback"},
                             AuthorizeParams{kSpa, "http://127.0.0.1:31337/callback", "token"},
                             AuthorizeParams{kWeb, "http://127.0.0.1:08765/callback"},
                             AuthorizeParams{kWeb, "http://127.0.0.1/callback"}}) {
    const auto r = b->get(Browser::authorizePath(params));
    EXPECT_EQ(r.status, 400) << params.redirectUri << " " << r.header("location");
    EXPECT_EQ(r.header("location"), "") << params.redirectUri;
    EXPECT_EQ(r.body.find("code="), std::string::npos);
    EXPECT_EQ(r.body.find("access_token"), std::string::npos);
  }
  // The registered port itself still works without a prompt.
  const auto r = b->get(Browser::authorizePath({kWeb, kCallback}));
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_TRUE(r.header("location").starts_with(kCallback + "?code=")) << r.header("location");
}

TEST_F(AuthorizeTest, ALoopbackUriRegisteredWithoutAPortTakesOnlyValidPorts) {
  auto b = browser();
  for (const auto* port : {"0", "65536", "08765", "99999", ""}) {
    const auto r = b->get(Browser::authorizePath({kCli, std::string("http://127.0.0.1:") + port + "/callback"}));
    EXPECT_EQ(r.status, 400) << port;
    EXPECT_EQ(r.header("location"), "") << port;
  }
  const auto pkce = newPkcePair();
  const auto r = b->get(Browser::authorizePath({kCli, "http://127.0.0.1:65535/callback", "code", "st-9", pkce.challenge}));
  EXPECT_EQ(r.status, 200) << "the login page: 65535 is a port";
}

TEST_F(AuthorizeTest, ErrorsAfterAValidRedirectUriGoBackToTheApplication) {
  auto b = browser();
  // acme-web is a CODE client: the implicit grant is not for it.
  auto r = b->get(Browser::authorizePath({kWeb, kCallback, "token"}));
  ASSERT_EQ(r.status, 302);
  EXPECT_EQ(urlParam(r.header("location"), "error"), "unauthorized_client");
  EXPECT_EQ(urlParam(r.header("location"), "state"), "st-123");
  r = b->get(Browser::authorizePath({kWeb, kCallback, "id_token"}));
  EXPECT_EQ(urlParam(r.header("location"), "error"), "unsupported_response_type");
  r = b->get("/oauth/authorize?client_id=acme-cli&redirect_uri=" + formEncode(kLoopbackCallback) +
             "&response_type=code&code_challenge=abc&code_challenge_method=plain");
  EXPECT_EQ(urlParam(r.header("location"), "error"), "invalid_request");
}

TEST_F(AuthorizeTest, TheCodeGrantGivesAUsersTokenThatWorks) {
  auto b = browser();
  const auto token = exchange(paulsCode(*b));
  ASSERT_EQ(token.status, 200) << token.body;
  const auto o = jsonObject(token);
  EXPECT_EQ(o.at("token_type").as_string(), "bearer");
  EXPECT_TRUE(o.contains("refresh_token")) << "no idle timeout applies to Paul yet";
  const auto me = http->get("/api/v2/tokens/me", std::string(o.at("access_token").as_string()));
  ASSERT_EQ(me.status, 200) << me.body;
  const auto info = jsonObject(me);
  EXPECT_EQ(info.at("OAuthClient").at("id").as_string(), kWeb);
  EXPECT_EQ(info.at("organization").at("id").as_string(), "acme");
  EXPECT_FALSE(info.contains("dateTokenIdles"));
}

TEST_F(AuthorizeTest, ACodeIsSingleUseAndItsReplayRevokesWhatTheFirstUseGave) {
  auto b = browser();
  const auto code = paulsCode(*b);
  const auto first = exchange(code);
  const auto access = accessTokenOf(first);
  const auto refresh = std::string(jsonObject(first).at("refresh_token").as_string());
  ASSERT_EQ(http->get("/api/v2/tokens/me", access).status, 200);

  const auto replay = exchange(code);
  EXPECT_EQ(replay.status, 400);
  EXPECT_EQ(jsonObject(replay).at("error").as_string(), "invalid_grant");
  EXPECT_EQ(http->get("/api/v2/tokens/me", access).status, 401) << "the replay revoked the first token";
  EXPECT_EQ(refreshGrant(*http, kWeb, kWebSecret, refresh).status, 400) << "and its refresh token";
}

TEST_F(AuthorizeTest, ACodeLivesSixtySecondsOnTheServersClock) {
  auto b = browser();
  const auto fresh = paulsCode(*b);
  advanceClock(*http, 59);
  EXPECT_EQ(exchange(fresh).status, 200) << "59 s old";

  const auto old = paulsCode(*b);
  advanceClock(*http, 61);
  const auto r = exchange(old);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(jsonObject(r).at("error").as_string(), "invalid_grant");
}

TEST_F(AuthorizeTest, ACodeIsBoundToItsClientAndRedirectUri) {
  auto b = browser();
  auto r = exchange(paulsCode(*b), "http://localhost:8765/callback");  // registered too, but not the one asked for
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(jsonObject(r).at("error").as_string(), "invalid_grant");

  const auto [code, verifier] = paulsPkceCode(*b);
  r = http->postForm("/oauth/token",
                     "grant_type=authorization_code&code=" + formEncode(code) + "&redirect_uri=" +
                         formEncode(kLoopbackCallback) + "&code_verifier=" + verifier,
                     kWeb, kWebSecret);
  EXPECT_EQ(r.status, 400) << "acme-cli's code, redeemed by acme-web";
  EXPECT_EQ(jsonObject(r).at("error").as_string(), "invalid_grant");
}

TEST_F(AuthorizeTest, APublicClientMustUsePkceAndAConfidentialOneCannotBeDowngraded) {
  auto b = browser();
  auto r = b->get(Browser::authorizePath({kCli, kLoopbackCallback}));  // acme-cli has no secret, no challenge sent
  ASSERT_EQ(r.status, 302);
  EXPECT_EQ(urlParam(r.header("location"), "error"), "invalid_request");
  // A code asked for without a challenge is not redeemed with a verifier (RFC 9700 §4.8.2).
  const auto code = paulsCode(*b);
  r = http->postForm("/oauth/token",
                     "grant_type=authorization_code&code=" + formEncode(code) + "&redirect_uri=" + formEncode(kCallback) +
                         "&code_verifier=" + newPkcePair().verifier,
                     kWeb, kWebSecret);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(jsonObject(r).at("error").as_string(), "invalid_grant");
}

TEST_F(AuthorizeTest, AnotherClientCanNeitherSpendACodeNorRevokeItsTokens) {
  auto b = browser();
  const auto [code, verifier] = paulsPkceCode(*b);
  EXPECT_EQ(exchangePkce(code, verifier, kCallback, kWeb).status, 400) << "acme-web presenting acme-cli's code";
  const auto token = accessTokenOf(exchangePkce(code, verifier));
  EXPECT_EQ(exchangePkce(code, verifier, kCallback, kWeb).status, 400);
  EXPECT_EQ(http->get("/api/v2/tokens/me", token).status, 200) << "only its own client's replay revokes";
}

TEST_F(AuthorizeTest, PkceNeedsNoSecretButTheRightVerifier) {
  auto b = browser();
  auto [code, verifier] = paulsPkceCode(*b);
  const auto token = accessTokenOf(exchangePkce(code, verifier));
  const auto me = http->get("/api/v2/tokens/me", token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(jsonObject(me).at("OAuthClient").at("id").as_string(), kCli);

  std::tie(code, verifier) = paulsPkceCode(*b);
  auto wrong = verifier;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  auto r = exchangePkce(code, wrong);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(jsonObject(r).at("error").as_string(), "invalid_grant");
  EXPECT_EQ(exchangePkce(code, verifier).status, 400) << "a code is spent by a failed exchange too";

  std::tie(code, verifier) = paulsPkceCode(*b);
  EXPECT_EQ(exchangePkce(code, "").status, 400) << "no verifier and no secret";
}

TEST_F(AuthorizeTest, ThePublicClientRefreshesWithItsIdAndTheTokenRotates) {
  auto b = browser();
  const auto [code, verifier] = paulsPkceCode(*b);
  const auto first = exchangePkce(code, verifier);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto refresh = std::string(jsonObject(first).at("refresh_token").as_string());
  const auto form = "grant_type=refresh_token&client_id=acme-cli&refresh_token=" + formEncode(refresh);
  const auto renewed = http->postForm("/oauth/token", form);
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  const auto next = std::string(jsonObject(renewed).at("refresh_token").as_string());
  EXPECT_NE(next, refresh);
  EXPECT_EQ(http->postForm("/oauth/token", form).status, 400) << "a refresh token is single-use";
  // A confidential client still needs its secret to refresh.
  const auto webToken = exchange(paulsCode(*b));
  const auto webRefresh = std::string(jsonObject(webToken).at("refresh_token").as_string());
  EXPECT_EQ(http->postForm("/oauth/token", "grant_type=refresh_token&client_id=acme-web&refresh_token=" +
                                               formEncode(webRefresh)).status,
            401);
}

TEST_F(AuthorizeTest, TheCodeGrantsRefreshTokenRotates) {
  auto b = browser();
  const auto first = exchange(paulsCode(*b));
  const auto refresh = std::string(jsonObject(first).at("refresh_token").as_string());
  const auto renewed = refreshGrant(*http, kWeb, kWebSecret, refresh);
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  EXPECT_NE(jsonObject(renewed).at("refresh_token").as_string(), refresh);
  EXPECT_EQ(refreshGrant(*http, kWeb, kWebSecret, refresh).status, 400);
  EXPECT_EQ(http->get("/api/v2/tokens/me", accessTokenOf(renewed)).status, 200);
}

TEST_F(AuthorizeTest, NoRefreshTokenWhileAnIdleTimeoutAppliesAndTheTokenShowsWhenItIdles) {
  putTimeout(*http, acmeAdminToken(*http), R"({"idleTokenTimeoutSeconds": 900, "enableIdleTokenTimeout": true})");
  auto b = browser();
  const auto token = exchange(paulsCode(*b));
  ASSERT_EQ(token.status, 200);
  EXPECT_FALSE(jsonObject(token).contains("refresh_token"));
  const auto me = http->get("/api/v2/tokens/me", accessTokenOf(token));
  EXPECT_TRUE(jsonObject(me).contains("dateTokenIdles")) << me.body;
}

TEST_F(AuthorizeTest, AClonedUsersTokenShowsTheClone) {
  auto b = browser();
  const auto token = accessTokenOf(exchange(paulsCode(*b, "cleo@acme.example", "cleo-password")));
  const auto me = http->get("/api/v2/tokens/me", token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(jsonObject(me).at("clonedUser").at("id").as_string(), "mercy-nurse");
}

TEST_F(AuthorizeTest, TheImplicitGrantPutsTheTokenInTheFragment) {
  auto b = browser();
  const auto r = b->login({kSpa, kCallback, "token"}, "paul@acme.example", "paul-password");
  ASSERT_EQ(r.status, 302) << r.body;
  const auto location = r.header("location");
  ASSERT_TRUE(location.starts_with(kCallback + "#access_token=")) << location;
  EXPECT_EQ(urlParam(location, "token_type"), "bearer");
  EXPECT_EQ(urlParam(location, "expires_in"), "86400");
  EXPECT_EQ(urlParam(location, "state"), "st-123");
  EXPECT_EQ(location.find("refresh_token"), std::string::npos);
  EXPECT_EQ(http->get("/api/v2/tokens/me", urlParam(location, "access_token")).status, 200);
}

TEST_F(AuthorizeTest, AWrongPasswordOrUnknownUserShowsTheSameErrorAndNoRedirect) {
  auto b = browser();
  for (const auto& [email, password] : {std::pair{"paul@acme.example", "wrong"}, {"nobody@acme.example", "x"},
                                        {"nina@mercy.example", "nina-password"}}) {  // another organization's user
    const auto r = b->login({kWeb, kCallback}, email, password);
    EXPECT_EQ(r.status, 401) << email;
    EXPECT_EQ(r.header("location"), "");
    EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
    EXPECT_NE(r.body.find("Incorrect email or password."), std::string::npos) << email;
  }
}

TEST_F(AuthorizeTest, AFormWithoutItsCsrfTokenOrFromAnotherSiteIsRefused) {
  auto b = browser();
  const auto page = b->get(Browser::authorizePath({kWeb, kCallback}));
  const auto csrf = hiddenField(page.body, "csrf_token");
  const std::string base = "client_id=acme-web&redirect_uri=" + formEncode(kCallback) +
                           "&response_type=code&email=paul%40acme.example&password=paul-password";
  EXPECT_EQ(b->postForm("/oauth/authorize", base).status, 403) << "no csrf_token";
  EXPECT_EQ(b->postForm("/oauth/authorize", base + "&csrf_token=" + csrf, "https://evil.example").status, 403);
  EXPECT_EQ(b->postForm("/oauth/authorize", base + "&csrf_token=" + csrf, "null").status, 403);
  Browser stranger(server->baseUrl());  // a token without the cookie it was made for
  EXPECT_EQ(stranger.postForm("/oauth/authorize", base + "&csrf_token=" + csrf).status, 403);
  // Neither Origin nor Referer: not a browser's form. A same-origin Referer (an old browser) is enough.
  const auto bare = b->http().request("POST", "/oauth/authorize",
                                      {"Content-Type: application/x-www-form-urlencoded",
                                       "Cookie: tokens_csrf=" + b->cookie("tokens_csrf")},
                                      base + "&csrf_token=" + csrf);
  EXPECT_EQ(bare.status, 403);
  const auto referred = b->http().request("POST", "/oauth/authorize",
                                          {"Content-Type: application/x-www-form-urlencoded",
                                           "Cookie: tokens_csrf=" + b->cookie("tokens_csrf"),
                                           "Referer: " + server->baseUrl() + "/oauth/authorize?client_id=acme-web"},
                                          base + "&csrf_token=" + csrf);
  EXPECT_EQ(referred.status, 302) << referred.body;
  EXPECT_EQ(b->postForm("/oauth/authorize", base + "&csrf_token=" + csrf).status, 302) << "the real page works";
}

TEST_F(AuthorizeTest, RepeatedFailuresSlowDownLoginsPerUser) {
  auto b = browser();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(b->login({kWeb, kCallback}, "paul@acme.example", "wrong").status, 401);
  // Even the right password waits now: a guesser learns nothing from trying.
  auto r = b->login({kWeb, kCallback}, "paul@acme.example", "paul-password");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_NE(r.body.find("Too many failed sign-in attempts"), std::string::npos);
  Browser other(server->baseUrl());  // a session of its own: b must keep seeing the form
  EXPECT_EQ(other.login({kWeb, kCallback}, "ada@acme.example", "ada-password").status, 302) << "others are not slowed";
  advanceClock(*http, 2);
  EXPECT_EQ(b->login({kWeb, kCallback}, "paul@acme.example", "wrong").status, 401);
  r = b->login({kWeb, kCallback}, "paul@acme.example", "paul-password");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "2") << "the wait doubles";
  advanceClock(*http, 3);
  EXPECT_EQ(b->login({kWeb, kCallback}, "paul@acme.example", "paul-password").status, 302);
}

TEST_F(AuthorizeTest, RepeatedFailuresSlowDownLoginsPerAddress) {
  auto b = browser();
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(b->login({kWeb, kCallback}, "guess" + std::to_string(i) + "@acme.example", "x").status, 401);
  EXPECT_EQ(b->login({kWeb, kCallback}, "ada@acme.example", "ada-password").status, 429);
}

// Through a proxy on the same machine, the address that counts is the one the proxy forwards.
TEST_F(AuthorizeTest, BehindALocalProxyTheForwardedAddressIsCounted) {
  auto guesser = browser();
  const auto page = guesser->get(Browser::authorizePath({kWeb, kCallback}));
  const std::string form = "client_id=acme-web&redirect_uri=" + formEncode(kCallback) + "&response_type=code&state=s" +
                           "&csrf_token=" + hiddenField(page.body, "csrf_token") + "&password=x&email=";
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(guesser->postForm("/oauth/authorize", form + "g" + std::to_string(i) + "%40acme.example", "",
                                {"X-Forwarded-For: 198.51.100.7, 203.0.113.9"}).status,
              401);
  EXPECT_EQ(guesser->postForm("/oauth/authorize", form + "g99%40acme.example", "", {"X-Forwarded-For: 203.0.113.9"}).status,
            429);
  EXPECT_EQ(guesser->postForm("/oauth/authorize", form + "g99%40acme.example", "", {"X-Forwarded-For: 203.0.113.10"}).status,
            401) << "another client behind the same proxy is not slowed";
}

TEST_F(AuthorizeTest, ALoginSessionSkipsTheFormUntilLogout) {
  auto b = browser();
  paulsCode(*b);
  const auto session = b->setCookieLines().back();
  EXPECT_TRUE(session.starts_with("tokens_session=")) << session;
  EXPECT_NE(session.find("HttpOnly"), std::string::npos);
  EXPECT_NE(session.find("SameSite=Lax"), std::string::npos);

  auto r = b->get(Browser::authorizePath({kSpa, kCallback, "token"}));
  ASSERT_EQ(r.status, 302) << "signed in already: no form";
  EXPECT_EQ(http->get("/api/v2/tokens/me", urlParam(r.header("location"), "access_token")).status, 200);

  r = b->get("/logout?client_id=acme-web&redirect_uri=" + formEncode(kCallback));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.header("location"), kCallback);
  EXPECT_EQ(b->get(Browser::authorizePath({kWeb, kCallback})).status, 200) << "the form again";

  // Logout with an unregistered redirect URI still signs out, and shows a page instead of redirecting.
  paulsCode(*b);
  r = b->get("/logout?client_id=acme-web&redirect_uri=" + formEncode("https://evil.example/"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("location"), "");
  EXPECT_EQ(b->get(Browser::authorizePath({kWeb, kCallback})).status, 200);
}

TEST_F(AuthorizeTest, DeletingAUsersTokensRevokesThoseOfEveryClientAndGrant) {
  auto b = browser();
  const auto byPassword = paulLogin(*http).accessToken;
  const auto byCode = accessTokenOf(exchange(paulsCode(*b)));
  const auto implicit = b->get(Browser::authorizePath({kSpa, kCallback, "token"}));  // the session skips the form
  const auto byImplicit = urlParam(implicit.header("location"), "access_token");
  const auto ada = adaLogin(*http).accessToken;
  for (const auto& t : {byPassword, byCode, byImplicit}) ASSERT_EQ(http->get("/api/v2/tokens/me", t).status, 200);

  ASSERT_EQ(http->del("/api/v2/tokens/acme-user", acmeAdminToken(*http)).status, 204);
  for (const auto& t : {byPassword, byCode, byImplicit}) EXPECT_EQ(http->get("/api/v2/tokens/me", t).status, 401);
  EXPECT_EQ(http->get("/api/v2/tokens/me", ada).status, 200) << "only Paul's";
  // Signed out of the login page too: no application gets a new token for Paul without his password.
  EXPECT_EQ(b->get(Browser::authorizePath({kSpa, kCallback, "token"})).status, 200) << "the form, not a redirect";
}

}  // namespace
}  // namespace tokens::testing
