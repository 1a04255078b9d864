// User logins through tokens-server's login page (SPEC §5, GET /oauth/authorize), in headless Chromium:
// the page itself, its error state, the code grant and PKCE finished with the official JavaScript SDK,
// the implicit grant, and the ways a code must not work (replayed, wrong verifier, another redirect
// URI, expired) or an authorize request must not redirect (unknown client, unregistered redirect URI).
//
// The browser is redirected to a real HTTP server of the test's own on 127.0.0.1 (an ephemeral port,
// registered for the demo clients by the rig: a registered port is matched exactly), which records what
// arrives.

import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACME, ACME_CLI, ACME_SPA, ACME_WEB, ADA, PAUL, TEST_OPTS,
  advanceClock, alertText, assertActsFor, assertLoginForm, assertOAuthError, assertRejected, authorizeUrl,
  newState, openLoginPage, platformClient, screenshot, sdkClient, sdkLogin, signInAndFollowRedirect,
  submitLogin, tokenRequest, tokensMe, useRig, withPage,
} from './harness.mjs';

// The same redirect URI on another loopback port.
function otherPortOf(redirectUri) {
  const url = new URL(redirectUri);
  url.port = String(url.port === '31337' ? 31338 : 31337);
  return url.href;
}

describe('login page (GET /oauth/authorize) in headless Chromium', () => {
  const rig = useRig('login');

  beforeEach(() => rig.cb.skipPending());

  // Opens the login page for a code-grant client, signs in and returns the code from the callback.
  async function codeFromLogin(page, { client = ACME_WEB, user = PAUL, codeChallenge } = {}) {
    const state = newState();
    await openLoginPage(page, authorizeUrl(rig.base, {
      client_id: client.id,
      redirect_uri: rig.cb.redirectUri,
      response_type: 'code',
      state,
      code_challenge: codeChallenge,
      code_challenge_method: codeChallenge ? 'S256' : undefined,
    }));
    const { url, hit } = await signInAndFollowRedirect(page, rig.cb, user);
    assert.equal(hit.path, '/callback');
    assert.equal(hit.query.error, undefined, `no error at the callback (${hit.query.error}: ${hit.query.error_description})`);
    assert.equal(typeof hit.query.code, 'string', `the callback receives a code (query: ${JSON.stringify(hit.query)})`);
    assert.ok(hit.query.code.length > 0, 'the code is not empty');
    assert.equal(hit.query.state, state, 'the callback receives the state unchanged');
    assert.equal(url.searchParams.get('code'), hit.query.code, "the browser's final URL carries the same code");
    return hit.query.code;
  }

  const exchangeCode = (code, redirectUri = rig.cb.redirectUri) =>
    tokenRequest(rig.base, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, ACME_WEB);

  // getTokensMe through the SDK client that holds the token: an acme token of `client`.
  async function assertTokenInfo(sdk, client, grantType) {
    const me = await new platformClient.TokensApi(sdk).getTokensMe();
    assert.equal(me.organization?.id, ACME.id, 'organization');
    assert.equal(me.homeOrganization?.id, ACME.id, 'homeOrganization');
    assert.equal(me.OAuthClient?.id, client.id, 'OAuthClient.id');
    assert.equal(me.OAuthClient?.authorizedGrantType, grantType, 'OAuthClient.authorizedGrantType');
  }

  // Collects the requests a page makes anywhere but tokens-server: an authorize request that must not
  // redirect leaves it empty.
  function offServerRequests(page) {
    const seen = [];
    page.on('request', (r) => { if (new URL(r.url()).origin !== rig.base) seen.push(r.url()); });
    return seen;
  }

  // --- the page --------------------------------------------------------------------------------

  test('shows the login form', TEST_OPTS, async (t) => {
    await withPage(t, rig.context, async (page) => {
      const url = authorizeUrl(rig.base, {
        client_id: ACME_WEB.id, redirect_uri: rig.cb.redirectUri, response_type: 'code', state: newState(),
      });
      await openLoginPage(page, url);
      assert.equal(new URL(page.url()).origin, rig.base, 'the login page stays on the server');
      assert.equal(await page.locator('[role="alert"]').count(), 0, 'no error shown before a login attempt');
      await screenshot(t, page, 'login-page.png');
      assert.deepEqual(rig.cb.pending(), [], 'nothing reached the callback');
    });
  });

  test('a wrong password and an unknown user get the same error, then the right password signs in', TEST_OPTS, async (t) => {
    await withPage(t, rig.context, async (page) => {
      const state = newState();
      const url = authorizeUrl(rig.base, {
        client_id: ACME_WEB.id, redirect_uri: rig.cb.redirectUri, response_type: 'code', state,
      });

      await openLoginPage(page, url);
      const wrongPassword = 'not-pauls-password-4711';
      await submitLogin(page, { email: PAUL.email, password: wrongPassword });
      const wrong = await alertText(page);
      assert.equal(await page.locator('[role="alert"]').getAttribute('id'), 'login-error', 'the alert is #login-error');
      assert.equal(new URL(page.url()).origin, rig.base, 'a failed login stays on the server');
      await assertLoginForm(page); // the user may try again
      assert.ok(!(await page.content()).includes(wrongPassword), 'the page does not echo the password');
      await screenshot(t, page, 'login-error.png');

      await openLoginPage(page, url);
      await submitLogin(page, { email: 'nobody@acme.example', password: PAUL.password });
      const unknown = await alertText(page);
      assert.equal(unknown, wrong, 'an unknown user gets the same generic error as a wrong password');
      assert.ok(!unknown.includes('nobody@acme.example'), 'the error does not name the account');
      assert.deepEqual(rig.cb.pending(), [], 'failed logins never reach the callback');

      // Retrying on the error page, with the right password, completes the original request.
      await assertLoginForm(page);
      const { hit } = await signInAndFollowRedirect(page, rig.cb, PAUL);
      assert.equal(typeof hit.query.code, 'string', `a code after the retry (query: ${JSON.stringify(hit.query)})`);
      assert.equal(hit.query.state, state, 'the state survives the failed attempts');
    });
  });

  // --- the three grants ------------------------------------------------------------------------

  test('code grant: the browser signs in, the JavaScript SDK exchanges the code (loginCodeAuthorizationGrant)', TEST_OPTS, async (t) => {
    const code = await withPage(t, rig.context, (page) => codeFromLogin(page));
    const client = sdkClient(rig.base);
    const login = await sdkLogin(client.loginCodeAuthorizationGrant(ACME_WEB.id, ACME_WEB.secret, code, rig.cb.redirectUri));
    assert.ok(login.ok, `loginCodeAuthorizationGrant: HTTP ${login.status} ${JSON.stringify(login.data)}`);
    assert.equal(typeof login.auth.accessToken, 'string', 'the SDK holds an access token');

    await assertTokenInfo(client, ACME_WEB, 'CODE');
    await assertActsFor(rig.base, login.auth.accessToken, PAUL.id);
  });

  test('PKCE: the JavaScript SDK makes the verifier and challenge and finishes with authorizePKCEGrant', TEST_OPTS, async (t) => {
    const client = sdkClient(rig.base);
    const verifier = client.generatePKCECodeVerifier(64);
    const challenge = await client.computePKCECodeChallenge(verifier);
    const code = await withPage(t, rig.context, (page) =>
      codeFromLogin(page, { client: ACME_CLI, codeChallenge: challenge }));

    const login = await sdkLogin(client.authorizePKCEGrant(ACME_CLI.id, verifier, code, rig.cb.redirectUri));
    assert.ok(login.ok, `authorizePKCEGrant: HTTP ${login.status} ${JSON.stringify(login.data)}`);
    assert.equal(typeof login.auth.accessToken, 'string', 'the SDK holds an access token');

    await assertTokenInfo(client, ACME_CLI, 'CODE');
    await assertActsFor(rig.base, login.auth.accessToken, PAUL.id);
  });

  test('implicit grant (response_type=token): the token arrives in the fragment and works', TEST_OPTS, async (t) => {
    const state = newState();
    const { url, hit } = await withPage(t, rig.context, async (page) => {
      await openLoginPage(page, authorizeUrl(rig.base, {
        client_id: ACME_SPA.id, redirect_uri: rig.cb.redirectUri, response_type: 'token', state,
      }));
      return signInAndFollowRedirect(page, rig.cb, ADA);
    });
    const fragment = new URLSearchParams(url.hash.slice(1));
    assert.equal(fragment.get('error'), null, `no error (${fragment.get('error')}: ${fragment.get('error_description')})`);
    const token = fragment.get('access_token');
    assert.ok(token, `the fragment carries access_token (URL: ${url.origin}${url.pathname}, fragment keys: ${[...fragment.keys()]})`);
    assert.equal(fragment.get('token_type')?.toLowerCase(), 'bearer', 'token_type');
    assert.match(String(fragment.get('expires_in')), /^[1-9]\d*$/, 'expires_in is a positive number of seconds');
    assert.equal(fragment.get('state'), state, 'state');
    assert.equal(url.search, '', 'nothing in the query: the token travels in the fragment only');
    assert.ok(!hit.rawUrl.includes(token), 'the callback server never sees the token');

    await assertTokenInfo(sdkClient(rig.base, { token }), ACME_SPA, 'TOKEN');
    await assertActsFor(rig.base, token, ADA.id);
  });

  // --- what must fail --------------------------------------------------------------------------

  test('a code is single-use: a replay is invalid_grant and revokes the token of the first use', TEST_OPTS, async (t) => {
    const code = await withPage(t, rig.context, (page) => codeFromLogin(page));
    const first = await sdkLogin(sdkClient(rig.base).loginCodeAuthorizationGrant(ACME_WEB.id, ACME_WEB.secret, code, rig.cb.redirectUri));
    assert.ok(first.ok, `first exchange: HTTP ${first.status} ${JSON.stringify(first.data)}`);
    const token = first.auth.accessToken;
    assert.equal((await tokensMe(rig.base, token)).status, 200, 'the first token works');

    const second = await sdkLogin(sdkClient(rig.base).loginCodeAuthorizationGrant(ACME_WEB.id, ACME_WEB.secret, code, rig.cb.redirectUri));
    assert.equal(second.ok, false, 'the second exchange of the same code must fail');
    assert.equal(second.status, 400, `second exchange: HTTP 400 expected (body: ${JSON.stringify(second.data)})`);
    assert.equal(second.data?.error, 'invalid_grant', 'second exchange: error');
    await assertRejected(rig.base, token, 'after the replay, the token of the first exchange');
  });

  test('PKCE with a wrong code_verifier is invalid_grant', TEST_OPTS, async (t) => {
    const client = sdkClient(rig.base);
    const verifier = client.generatePKCECodeVerifier(64);
    const code = await withPage(t, rig.context, async (page) =>
      codeFromLogin(page, { client: ACME_CLI, codeChallenge: await client.computePKCECodeChallenge(verifier) }));
    let other = client.generatePKCECodeVerifier(64);
    while (other === verifier) other = client.generatePKCECodeVerifier(64);
    const r = await sdkLogin(client.authorizePKCEGrant(ACME_CLI.id, other, code, rig.cb.redirectUri));
    assert.equal(r.ok, false, 'an exchange with another verifier must fail');
    assert.equal(r.status, 400, `HTTP 400 expected (body: ${JSON.stringify(r.data)})`);
    assert.equal(r.data?.error, 'invalid_grant', 'error');
  });

  test('a redirect_uri at the exchange other than the one authorized is invalid_grant', TEST_OPTS, async (t) => {
    const code = await withPage(t, rig.context, (page) => codeFromLogin(page));
    // Registered for acme-web, but not the redirect URI this code was issued for.
    assertOAuthError(await exchangeCode(code, 'http://localhost:8765/callback'), 400, 'invalid_grant',
      'exchange with a different redirect_uri');
  });

  test('an unknown client_id gets an error page, never a redirect', TEST_OPTS, async (t) => {
    await withPage(t, rig.context, async (page) => {
      const away = offServerRequests(page);
      const res = await page.goto(authorizeUrl(rig.base, {
        client_id: 'no-such-client', redirect_uri: rig.cb.redirectUri, response_type: 'code', state: newState(),
      }));
      assert.equal(res?.status(), 400, 'HTTP 400');
      await alertText(page);
      await screenshot(t, page, 'authorize-unknown-client.png');
      assert.equal(new URL(page.url()).origin, rig.base, 'the browser stays on the server');
      assert.deepEqual(away, [], 'no request left the server (no redirect)');
      assert.deepEqual(rig.cb.pending(), [], 'nothing reached the callback');
    });
  });

  test('a redirect_uri the client did not register gets an error page, never a redirect', TEST_OPTS, async (t) => {
    const unregistered = [
      'http://tokens-browser-test.invalid/callback', // another host
      `${rig.cb.origin}/elsewhere`,                      // the loopback host, another path
      otherPortOf(rig.cb.redirectUri),                   // registered with its port: no other port (SPEC §5)
    ];
    for (const redirectUri of unregistered) {
      await withPage(t, rig.context, async (page) => {
        const away = offServerRequests(page);
        const res = await page.goto(authorizeUrl(rig.base, {
          client_id: ACME_WEB.id, redirect_uri: redirectUri, response_type: 'code', state: newState(),
        }));
        assert.equal(res?.status(), 400, `redirect_uri ${redirectUri}: HTTP 400`);
        await alertText(page);
        assert.deepEqual(away, [], `redirect_uri ${redirectUri}: no request left the server`);
      });
    }
    assert.deepEqual(rig.cb.pending(), [], 'nothing reached the callback');
  });

  test('an error once the redirect URI is known goes back to it with error and state', TEST_OPTS, async (t) => {
    await withPage(t, rig.context, async (page) => {
      const state = newState();
      await page.goto(authorizeUrl(rig.base, {
        client_id: ACME_WEB.id, redirect_uri: rig.cb.redirectUri, response_type: 'not-a-response-type', state,
      }));
      const hit = await rig.cb.nextHit(5_000); // page.goto has already followed any redirect
      assert.ok(['unsupported_response_type', 'invalid_request'].includes(hit.query.error),
        `error=unsupported_response_type (RFC 6749 §4.1.2.1), got ${JSON.stringify(hit.query)}`);
      assert.equal(typeof hit.query.error_description, 'string', 'error_description');
      assert.equal(hit.query.state, state, 'state');
      assert.equal(hit.query.code, undefined, 'no code');
    });
  });

  // Last: it moves the server's clock.
  test('a code older than 60 s is invalid_grant', TEST_OPTS, async (t) => {
    const code = await withPage(t, rig.context, (page) => codeFromLogin(page));
    await advanceClock(rig.base, 61);
    assertOAuthError(await exchangeCode(code), 400, 'invalid_grant', 'exchange of an expired code');
  });
});
