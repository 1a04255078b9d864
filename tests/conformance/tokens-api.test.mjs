// Conformance suite: drives tokens-server with the official Genesys Cloud JavaScript SDK
// (purecloud-platform-client-v2, pinned in package.json), used exactly as published.
//
// Run: cd tests/conformance && npm ci && node --test
// Env: TOKENS_SERVER = path of the server binary (default <repo>/build/bin/tokens-server).
//
// The suite starts its own server on 127.0.0.1 with an ephemeral port, an in-memory store and the
// demo provisioning file, and stops it when done. Nothing is sent anywhere but that server: every SDK
// request passes through a pre-hook that refuses any other origin and turns axios proxies off.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import platformClient from 'purecloud-platform-client-v2';
import { STARTUP_LIMIT_MS, STOP_GRACE_MS, startTokensServer, stopTokensServer } from '../support/tokens_server.mjs';

const SDK_TIMEOUT_MS = 10_000;
const TEST_OPTS = { timeout: 30_000 };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_MS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// Demo identities (provisioning/demo.toml). Public demo material.
const ACME = { id: 'acme', name: 'Acme Corp' };
const MERCY = { id: 'mercy', name: 'Mercy Health' };
const ACME_ADMIN_SVC = { id: 'acme-admin-service', secret: 'acme-admin-secret', name: 'Acme admin service', scope: ['oauth', 'directory'] };
const ACME_REPORTING = { id: 'acme-reporting', secret: 'acme-reporting-secret' };
const ACME_RETIRED = { id: 'acme-retired', secret: 'acme-retired-secret' };
const ACME_DESKTOP = { id: 'acme-desktop', secret: 'acme-desktop-secret', name: 'Acme desktop app' };
const MERCY_ADMIN_SVC = { id: 'mercy-admin-service', secret: 'mercy-admin-secret', name: 'Mercy admin service' };
const MERCY_DESKTOP = { id: 'mercy-desktop', secret: 'mercy-desktop-secret' };
const ADA = { id: 'acme-admin', email: 'ada@acme.example', password: 'ada-password' };
const PAUL = { id: 'acme-user', email: 'paul@acme.example', password: 'paul-password' };
const CLEO = { id: 'acme-clone', email: 'cleo@acme.example', password: 'cleo-password' };
const NINA = { id: 'mercy-nurse', email: 'nina@mercy.example', password: 'nina-password' };

const DEFAULT_TIMEOUT = Object.freeze({
  idleTokenTimeoutSeconds: 1800,
  enableIdleTokenTimeout: false,
  inactivityTimeoutUnit: 'Minutes',
  inactivityTimeoutGroupsEnabled: false,
  inactivityTimeoutGroupBundles: [],
});

// ------------------------------------------------------------------------------------------------
// Server process (tests/support/tokens_server.mjs)

let server = null; // { child, port, base, dir, errPath, outPath }

// ------------------------------------------------------------------------------------------------
// SDK plumbing

// The SDK module creates a default ApiClient singleton on import; stop its config-file watcher.
platformClient.ApiClient.config.live_reload_config = false;

// A fresh, independent ApiClient pointed at our server. By default it returns "extended" responses
// ({status, statusText, headers, body, error}) so that HTTP status and headers can be asserted.
function sdkClient({ token, extended = true } = {}) {
  const client = new platformClient.ApiClientClass();
  client.config.live_reload_config = false; // ignore ~/.genesyscloudjavascript/config changes
  client.setGateway({
    host: '127.0.0.1',
    protocol: 'http',
    port: server.port,
    path_params_login: '',
    path_params_api: '',
  });
  client.timeout = SDK_TIMEOUT_MS; // must precede the first getHttpClient()
  const origin = server.base;
  client.setPreHook((config) => {
    if (new URL(config.url).origin !== origin) {
      throw new Error(`conformance suite refuses a request outside ${origin}`);
    }
    config.proxy = false;
    return config;
  });
  client.setReturnExtendedResponses(extended);
  if (token) client.setAccessToken(token);
  return client;
}

function tokensApi(token, opts) {
  return new platformClient.TokensApi(sdkClient({ token, ...opts }));
}

// Settles an SDK call made with an extended client into {ok, status, headers, body}, never letting
// the axios error (whose config carries the Authorization header) reach the test output.
async function settle(promise) {
  try {
    const r = await promise;
    return { ok: true, status: r.status, headers: r.headers, body: r.body };
  } catch (e) {
    if (e && typeof e === 'object' && 'status' in e && 'body' in e) {
      return { ok: false, status: e.status, headers: e.headers, body: e.body };
    }
    throw new Error(`SDK call failed without an HTTP response: ${e?.code ?? ''} ${e?.message ?? String(e)}`);
  }
}

async function loginClient(client) {
  const c = sdkClient();
  try {
    const auth = await c.loginClientCredentialsGrant(client.id, client.secret);
    return auth.accessToken;
  } catch (e) {
    throw new Error(`client-credentials login of ${client.id} failed: HTTP ${e?.response?.status} ` +
      `${JSON.stringify(e?.response?.data)} ${e?.response ? '' : e?.message}`);
  }
}

// Password grant with plain fetch: the JS SDK has no password-grant login.
async function tokenRequest(client, form) {
  const res = await fetch(`${server.base}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: 'Basic ' + Buffer.from(`${client.id}:${client.secret}`).toString('base64'),
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(SDK_TIMEOUT_MS),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

async function passwordGrant(client, user, username = user.email) {
  const r = await tokenRequest(client, { grant_type: 'password', username, password: user.password });
  assert.equal(r.status, 200, `password grant of ${username} via ${client.id}: HTTP ${r.status} ${r.text}`);
  assert.equal(typeof r.json?.access_token, 'string', 'password grant: access_token');
  assert.equal(String(r.json.token_type).toLowerCase(), 'bearer', 'password grant: token_type');
  return r.json;
}

async function emulatorClock(advanceSeconds) {
  const init = advanceSeconds === undefined
    ? { method: 'GET' }
    : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds }) };
  const res = await fetch(`${server.base}/_emulator/clock`, { ...init, signal: AbortSignal.timeout(SDK_TIMEOUT_MS) });
  const text = await res.text();
  assert.equal(res.status, 200, `emulator clock: HTTP ${res.status} ${text}`);
  const now = JSON.parse(text).now;
  assert.match(now, ISO_MS_RE, 'emulator clock: now');
  return Date.parse(now);
}

// Asserts an ErrorBody as the SDK hands it over in extended mode.
function assertError(r, status, code, what) {
  assert.equal(r.ok, false, `${what}: expected HTTP ${status} ${code}, but the SDK call succeeded (HTTP ${r.status})`);
  assert.equal(r.status, status, `${what}: HTTP status (body: ${JSON.stringify(r.body)})`);
  assert.match(String(r.headers['content-type']), /^application\/json/i, `${what}: Content-Type`);
  assert.equal(typeof r.body, 'object', `${what}: ErrorBody is JSON`);
  assert.equal(r.body.code, code, `${what}: ErrorBody.code (body: ${JSON.stringify(r.body)})`);
  assert.equal(r.body.status, status, `${what}: ErrorBody.status`);
  assert.equal(typeof r.body.message, 'string', `${what}: ErrorBody.message`);
  const cid = r.headers['inin-correlation-id'];
  assert.match(String(cid), UUID_RE, `${what}: ININ-Correlation-Id header`);
  assert.equal(r.body.contextId, cid, `${what}: ErrorBody.contextId equals ININ-Correlation-Id`);
}

function assertNoBody(r, status, what) {
  assert.equal(r.ok, true, `${what}: expected success, got HTTP ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(r.status, status, `${what}: HTTP status`);
  assert.equal(r.body, '', `${what}: no body expected, got ${JSON.stringify(r.body)}`);
}

async function assertTokenWorks(token, what) {
  const r = await settle(tokensApi(token).headTokensMe());
  assert.equal(r.status, 200, `${what}: headTokensMe should be 200 (token still valid)`);
}

async function assertTokenRevoked(token, what) {
  const head = await settle(tokensApi(token).headTokensMe());
  assert.equal(head.ok, false, `${what}: headTokensMe should fail`);
  assert.equal(head.status, 401, `${what}: headTokensMe status`);
  assert.equal(head.body, '', `${what}: HEAD response carries no body`);
  assertError(await settle(tokensApi(token).getTokensMe()), 401, 'bad.credentials', `${what}: getTokensMe`);
}

function messageParamValues(body) {
  return Object.values(body.messageParams ?? {}).join(' ');
}

// ------------------------------------------------------------------------------------------------

describe('tokens-server driven by purecloud-platform-client-v2', () => {
  let adminToken; // acme-admin-service, client credentials

  before(async () => {
    server = await startTokensServer({ tmpPrefix: 'tokens-conformance-' });
    adminToken = await loginClient(ACME_ADMIN_SVC);
  }, { timeout: STARTUP_LIMIT_MS + 10_000 });

  after(async () => {
    await stopTokensServer(server);
  }, { timeout: STOP_GRACE_MS + 5_000 });

  // --- login -------------------------------------------------------------------------------------

  test('loginClientCredentialsGrant returns an access token', TEST_OPTS, async () => {
    const client = sdkClient();
    const t0 = Date.now();
    const auth = await client.loginClientCredentialsGrant(ACME_ADMIN_SVC.id, ACME_ADMIN_SVC.secret)
      .catch((e) => { throw new Error(`login failed: HTTP ${e?.response?.status} ${JSON.stringify(e?.response?.data)}`); });
    assert.equal(typeof auth.accessToken, 'string');
    assert.ok(auth.accessToken.length >= 43, 'access token carries at least 256 bits (base64url)');
    assert.match(auth.accessToken, /^[A-Za-z0-9_-]+$/, 'access token is base64url');
    // tokenExpiryTime = local now + expires_in * 1000; the demo client has the default 86400 s.
    const lifetime = (auth.tokenExpiryTime - t0) / 1000;
    assert.ok(Math.abs(lifetime - 86400) < 60, `expires_in should be 86400 s, SDK computed ~${Math.round(lifetime)} s`);
    // The SDK installed the token on this client: it now authenticates API calls.
    const me = await settle(new platformClient.TokensApi(client).getTokensMe());
    assert.equal(me.status, 200);
    assert.equal(me.body.OAuthClient?.id, ACME_ADMIN_SVC.id);
    // Two logins give two distinct tokens.
    assert.notEqual(auth.accessToken, adminToken, 'each login issues a fresh token');
  });

  test('loginClientCredentialsGrant with a wrong secret or an inactive client is rejected', TEST_OPTS, async () => {
    const wrong = await sdkClient().loginClientCredentialsGrant(ACME_ADMIN_SVC.id, 'not-the-secret').then(
      () => assert.fail('login with a wrong secret succeeded'),
      (e) => e);
    assert.equal(wrong?.response?.status, 401, 'wrong secret: HTTP 401');
    assert.equal(wrong.response.data?.error, 'invalid_client', 'wrong secret: error');
    assert.equal(typeof wrong.response.data?.error_description, 'string', 'wrong secret: error_description');

    const retired = await sdkClient().loginClientCredentialsGrant(ACME_RETIRED.id, ACME_RETIRED.secret).then(
      () => assert.fail('login of a disabled client succeeded'),
      (e) => e);
    assert.ok([400, 401].includes(retired?.response?.status), `disabled client: HTTP 400/401, got ${retired?.response?.status}`);
    assert.equal(typeof retired.response.data?.error, 'string', 'disabled client: RFC 6749 error');
  });

  // --- the six operations ------------------------------------------------------------------------

  test('getTokensTimeout returns the organization defaults (SPEC §4)', TEST_OPTS, async () => {
    const r = await settle(tokensApi(adminToken).getTokensTimeout());
    assert.equal(r.status, 200, `HTTP status (body: ${JSON.stringify(r.body)})`);
    assert.match(String(r.headers['content-type']), /^application\/json/i);
    assert.deepEqual(r.body, DEFAULT_TIMEOUT);
    // No permission is needed to read it.
    const reporting = await loginClient(ACME_REPORTING);
    const r2 = await settle(tokensApi(reporting).getTokensTimeout());
    assert.equal(r2.status, 200);
    assert.deepEqual(r2.body, DEFAULT_TIMEOUT);
  });

  test('headTokensMe verifies a token: 200, no body', TEST_OPTS, async () => {
    const r = await settle(tokensApi(adminToken).headTokensMe());
    assertNoBody(r, 200, 'headTokensMe');
    assert.match(String(r.headers['inin-correlation-id']), UUID_RE, 'ININ-Correlation-Id');
    // In non-extended mode the SDK resolves with undefined.
    assert.equal(await tokensApi(adminToken, { extended: false }).headTokensMe(), undefined);
  });

  test('getTokensMe returns the TokenInfo of a client-credentials token', TEST_OPTS, async () => {
    const r = await settle(tokensApi(adminToken).getTokensMe());
    assert.equal(r.status, 200, `HTTP status (body: ${JSON.stringify(r.body)})`);
    assert.match(String(r.headers['content-type']), /^application\/json/i);
    const info = r.body;
    assert.deepEqual(info.organization, ACME, 'organization');
    assert.deepEqual(info.homeOrganization, ACME, 'homeOrganization');
    assert.equal(info.OAuthClient?.id, ACME_ADMIN_SVC.id, 'OAuthClient.id');
    assert.equal(info.OAuthClient?.name, ACME_ADMIN_SVC.name, 'OAuthClient.name');
    assert.equal(info.OAuthClient?.authorizedGrantType, 'CLIENT-CREDENTIALS', 'OAuthClient.authorizedGrantType');
    assert.ok(Array.isArray(info.authorizedScope), 'authorizedScope is an array');
    assert.deepEqual([...info.authorizedScope].sort(), [...ACME_ADMIN_SVC.scope].sort(),
      'authorizedScope lists the client\'s scopes');
    assert.equal(info.clonedUser, undefined, 'clonedUser absent');
    assert.equal(info.dateTokenIdles, undefined, 'no idle timeout applies to client-credentials tokens');
    if (info.OAuthClient?.organization !== undefined) {
      assert.deepEqual(info.OAuthClient.organization, ACME, 'OAuthClient.organization');
    }

    // Non-extended mode resolves with the TokenInfo itself.
    const plain = await tokensApi(adminToken, { extended: false }).getTokensMe();
    assert.deepEqual(plain, info);
  });

  test('getTokensMe with preserveIdleTTL=true and =false', TEST_OPTS, async () => {
    const api = tokensApi(adminToken);
    const plain = await settle(api.getTokensMe());
    const kept = await settle(api.getTokensMe({ preserveIdleTTL: true }));
    const reset = await settle(api.getTokensMe({ preserveIdleTTL: false }));
    assert.equal(kept.status, 200, `preserveIdleTTL=true: HTTP status (body: ${JSON.stringify(kept.body)})`);
    assert.equal(reset.status, 200, `preserveIdleTTL=false: HTTP status (body: ${JSON.stringify(reset.body)})`);
    assert.deepEqual(kept.body, plain.body);
    assert.deepEqual(reset.body, plain.body);
  });

  test('getTokensMe of password-grant user tokens (OAuthClient, clonedUser)', TEST_OPTS, async () => {
    // username is case-insensitive (SPEC §5)
    const ada = await passwordGrant(ACME_DESKTOP, ADA, 'Ada@ACME.example');
    const r = await settle(tokensApi(ada.access_token).getTokensMe());
    assert.equal(r.status, 200, `HTTP status (body: ${JSON.stringify(r.body)})`);
    assert.deepEqual(r.body.organization, ACME);
    assert.deepEqual(r.body.homeOrganization, ACME);
    assert.equal(r.body.OAuthClient?.id, ACME_DESKTOP.id);
    assert.equal(r.body.OAuthClient?.name, ACME_DESKTOP.name);
    assert.equal(r.body.OAuthClient?.authorizedGrantType, 'PASSWORD');
    assert.equal(r.body.clonedUser, undefined, 'Ada is not a clone');
    assert.equal(r.body.dateTokenIdles, undefined, 'no idle timeout is enabled by default');
    assert.equal(typeof ada.refresh_token, 'string', 'password grant issues a refresh token while no idle timeout applies');

    const cleo = await passwordGrant(ACME_DESKTOP, CLEO);
    const c = await settle(tokensApi(cleo.access_token).getTokensMe());
    assert.equal(c.status, 200);
    assert.deepEqual(c.body.clonedUser, { id: NINA.id, organization: { id: MERCY.id } }, 'clonedUser');
    assert.deepEqual(c.body.organization, ACME);
  });

  test('putTokensTimeout stores a valid body and getTokensTimeout reads it back', TEST_OPTS, async () => {
    const api = tokensApi(adminToken);
    const mercyApi = tokensApi(await loginClient(MERCY_ADMIN_SVC));
    const mercyBefore = await settle(mercyApi.getTokensTimeout());
    assert.equal(mercyBefore.status, 200);
    const full = {
      idleTokenTimeoutSeconds: 3600,
      enableIdleTokenTimeout: true,
      inactivityTimeoutUnit: 'Hours',
      inactivityTimeoutGroupsEnabled: true,
      inactivityTimeoutGroupBundles: [
        { priority: 2, timeoutSeconds: 7200, inactivityTimeoutUnit: 'Hours', groups: ['acme-engineering'] },
        { priority: 1, timeoutSeconds: 600, inactivityTimeoutUnit: 'Minutes', groups: ['acme-support'] },
      ],
    };
    try {
      const put = await settle(api.putTokensTimeout({ body: full }));
      assert.equal(put.status, 200, `HTTP status (body: ${JSON.stringify(put.body)})`);
      assert.match(String(put.headers['content-type']), /^application\/json/i);
      assert.deepEqual(put.body, full, 'PUT answers the stored setting');
      const get = await settle(api.getTokensTimeout());
      assert.deepEqual(get.body, full, 'GET reads back what was stored');

      // A body replaces the setting as a whole: left-out fields take the defaults; unknown ones are ignored.
      const partial = await settle(api.putTokensTimeout({ body: { idleTokenTimeoutSeconds: 900, someFutureField: 'x' } }));
      assert.equal(partial.status, 200, `partial body: HTTP status (body: ${JSON.stringify(partial.body)})`);
      const expected = { ...DEFAULT_TIMEOUT, idleTokenTimeoutSeconds: 900 };
      assert.deepEqual(partial.body, expected, 'partial PUT: fields left out take the defaults');
      assert.deepEqual((await settle(api.getTokensTimeout())).body, expected);

      // Non-extended mode resolves with the IdleTokenTimeout itself.
      const plain = await tokensApi(adminToken, { extended: false }).putTokensTimeout({ body: { ...DEFAULT_TIMEOUT, idleTokenTimeoutSeconds: 1200 } });
      assert.deepEqual(plain, { ...DEFAULT_TIMEOUT, idleTokenTimeoutSeconds: 1200 });

      // Another organization's setting is untouched.
      const mercyAfter = await settle(mercyApi.getTokensTimeout());
      assert.deepEqual(mercyAfter.body, mercyBefore.body, "mercy's setting is not affected by acme's PUT");
    } finally {
      await api.putTokensTimeout({ body: { ...DEFAULT_TIMEOUT } }).catch(() => {});
    }
    assert.deepEqual((await settle(api.getTokensTimeout())).body, DEFAULT_TIMEOUT, 'defaults restored');
  });

  test('idle timeout through getTokensMe: dateTokenIdles, preserveIdleTTL, expiry (emulator clock)', TEST_OPTS, async () => {
    const admin = tokensApi(adminToken);
    try {
      const put = await settle(admin.putTokensTimeout({ body: { ...DEFAULT_TIMEOUT, idleTokenTimeoutSeconds: 900, enableIdleTokenTimeout: true } }));
      assert.equal(put.status, 200, `enable idle timeout: HTTP status (body: ${JSON.stringify(put.body)})`);

      const grant = await passwordGrant(ACME_DESKTOP, PAUL);
      assert.equal(grant.refresh_token, undefined, 'no refresh token while an idle timeout applies');
      const paul = tokensApi(grant.access_token);

      const first = await settle(paul.getTokensMe());
      assert.equal(first.status, 200);
      assert.match(String(first.body.dateTokenIdles), ISO_MS_RE, 'dateTokenIdles: ISO-8601 UTC with milliseconds');
      const d1 = Date.parse(first.body.dateTokenIdles);
      const now1 = await emulatorClock();
      assert.ok(Math.abs(d1 - now1 - 900_000) < 5_000, `dateTokenIdles ≈ now + 900 s (got now + ${(d1 - now1) / 1000} s)`);

      const kept = await settle(paul.getTokensMe({ preserveIdleTTL: true }));
      assert.equal(Date.parse(kept.body.dateTokenIdles), d1, 'preserveIdleTTL=true does not move dateTokenIdles');

      await emulatorClock(600);
      const stillKept = await settle(paul.getTokensMe({ preserveIdleTTL: true }));
      assert.equal(stillKept.status, 200, 'token alive 600 s into a 900 s timeout');
      assert.equal(Date.parse(stillKept.body.dateTokenIdles), d1, 'preserveIdleTTL=true, 600 s later: unchanged');

      const reset = await settle(paul.getTokensMe({ preserveIdleTTL: false }));
      const d2 = Date.parse(reset.body.dateTokenIdles);
      assert.ok(d2 - d1 >= 599_000, `preserveIdleTTL=false resets the idle clock (moved ${(d2 - d1) / 1000} s)`);

      await emulatorClock(901);
      await assertTokenRevoked(grant.access_token, 'idled-out token');
    } finally {
      await admin.putTokensTimeout({ body: { ...DEFAULT_TIMEOUT } }).catch(() => {});
    }
  });

  test('deleteToken(userId) revokes every token of that user: 204, then 401', TEST_OPTS, async () => {
    const paul1 = await passwordGrant(ACME_DESKTOP, PAUL);
    const paul2 = await passwordGrant(ACME_DESKTOP, PAUL);
    const ada = await passwordGrant(ACME_DESKTOP, ADA);
    await assertTokenWorks(paul1.access_token, 'paul before revocation');
    await assertTokenWorks(paul2.access_token, 'paul (2nd token) before revocation');

    const r = await settle(tokensApi(adminToken).deleteToken(PAUL.id));
    assertNoBody(r, 204, 'deleteToken');

    await assertTokenRevoked(paul1.access_token, 'paul after deleteToken');
    await assertTokenRevoked(paul2.access_token, 'paul (2nd token) after deleteToken');
    if (paul1.refresh_token) {
      const refresh = await tokenRequest(ACME_DESKTOP, { grant_type: 'refresh_token', refresh_token: paul1.refresh_token });
      assert.notEqual(refresh.status, 200, 'the refresh token was revoked with the user');
      assert.equal(refresh.json?.error, 'invalid_grant', `refresh after revocation: HTTP ${refresh.status} ${refresh.text}`);
    }
    await assertTokenWorks(ada.access_token, 'another user of the org');
    await assertTokenWorks(adminToken, 'the caller');

    // Revoking a user with no live token is still 204; non-extended mode resolves with undefined.
    assert.equal(await tokensApi(adminToken, { extended: false }).deleteToken(PAUL.id), undefined);
    // The user can log in again afterwards.
    await assertTokenWorks((await passwordGrant(ACME_DESKTOP, PAUL)).access_token, 'paul after a new login');
  });

  test('deleteTokensMe revokes the calling token: 200, then 401', TEST_OPTS, async () => {
    const doomed = await loginClient(ACME_ADMIN_SVC);
    const sibling = await loginClient(ACME_ADMIN_SVC);
    await assertTokenWorks(doomed, 'token before deleteTokensMe');

    const r = await settle(tokensApi(doomed).deleteTokensMe());
    assertNoBody(r, 200, 'deleteTokensMe');

    await assertTokenRevoked(doomed, 'token after deleteTokensMe');
    assertError(await settle(tokensApi(doomed).deleteTokensMe()), 401, 'bad.credentials', 'deleteTokensMe twice');
    await assertTokenWorks(sibling, 'another token of the same client');

    // A user token with its refresh token (SPEC §1: the refresh token issued with it is revoked too).
    const paul = await passwordGrant(ACME_DESKTOP, PAUL);
    assert.equal(await tokensApi(paul.access_token, { extended: false }).deleteTokensMe(), undefined);
    await assertTokenRevoked(paul.access_token, 'paul after deleteTokensMe');
    if (paul.refresh_token) {
      const refresh = await tokenRequest(ACME_DESKTOP, { grant_type: 'refresh_token', refresh_token: paul.refresh_token });
      assert.equal(refresh.json?.error, 'invalid_grant', `refresh after deleteTokensMe: HTTP ${refresh.status} ${refresh.text}`);
    }
  });

  // --- errors as the SDK surfaces them -----------------------------------------------------------

  test('400 invalid.value: putTokensTimeout out of range or of the wrong type', TEST_OPTS, async () => {
    const api = tokensApi(adminToken);
    const r = await settle(api.putTokensTimeout({ body: { idleTokenTimeoutSeconds: 10 } }));
    assertError(r, 400, 'invalid.value', 'idleTokenTimeoutSeconds 10');
    assert.ok(Array.isArray(r.body.details) && r.body.details.some((d) => d.fieldName === 'idleTokenTimeoutSeconds'),
      `details[].fieldName names idleTokenTimeoutSeconds (details: ${JSON.stringify(r.body.details)})`);

    // Non-extended mode: the SDK rejects with the ErrorBody itself.
    const plain = await tokensApi(adminToken, { extended: false }).putTokensTimeout({ body: { idleTokenTimeoutSeconds: 10 } })
      .then(() => assert.fail('PUT of 10 s succeeded'), (e) => e);
    assert.equal(plain?.status, 400);
    assert.equal(plain?.code, 'invalid.value');

    const cases = [
      ['idleTokenTimeoutSeconds 28801', { idleTokenTimeoutSeconds: 28801 }],
      ['idleTokenTimeoutSeconds of the wrong type', { idleTokenTimeoutSeconds: 'an hour' }],
      ['inactivityTimeoutUnit Days', { inactivityTimeoutUnit: 'Days' }],
      ['bundle priority 6', { inactivityTimeoutGroupBundles: [{ priority: 6, timeoutSeconds: 600, groups: ['acme-support'] }] }],
      ['bundle timeoutSeconds 299', { inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 299, groups: ['acme-support'] }] }],
      ['bundle with empty groups', { inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: [] }] }],
      ['bundles with the same priority', { inactivityTimeoutGroupBundles: [
        { priority: 1, timeoutSeconds: 600, groups: ['acme-support'] },
        { priority: 1, timeoutSeconds: 900, groups: ['acme-engineering'] }] }],
    ];
    for (const [what, body] of cases) {
      assertError(await settle(api.putTokensTimeout({ body })), 400, 'invalid.value', what);
    }
    assert.deepEqual((await settle(api.getTokensTimeout())).body, DEFAULT_TIMEOUT, 'rejected PUTs change nothing');
  });

  test('400 invalid.value: HIPAA organization caps the idle timeout at 900 s', TEST_OPTS, async () => {
    const mercy = tokensApi(await loginClient(MERCY_ADMIN_SVC));
    const r = await settle(mercy.putTokensTimeout({ body: { idleTokenTimeoutSeconds: 1800, enableIdleTokenTimeout: true } }));
    assertError(r, 400, 'invalid.value', 'HIPAA idleTokenTimeoutSeconds 1800');
    assert.ok(r.body.details?.some((d) => d.fieldName === 'idleTokenTimeoutSeconds'),
      `details[].fieldName names idleTokenTimeoutSeconds (details: ${JSON.stringify(r.body.details)})`);
    const ok = await settle(mercy.putTokensTimeout({ body: { idleTokenTimeoutSeconds: 900 } }));
    assert.equal(ok.status, 200, `HIPAA 900 s: HTTP status (body: ${JSON.stringify(ok.body)})`);
    assert.equal(ok.body.idleTokenTimeoutSeconds, 900);
    // The same 1800 s is fine in acme (not HIPAA).
    const acme = await settle(tokensApi(adminToken).putTokensTimeout({ body: { ...DEFAULT_TIMEOUT } }));
    assert.equal(acme.status, 200);
  });

  test('401 bad.credentials: unknown token', TEST_OPTS, async () => {
    const bogus = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    for (const [what, call] of [
      ['getTokensMe', (api) => api.getTokensMe()],
      ['getTokensTimeout', (api) => api.getTokensTimeout()],
      ['putTokensTimeout', (api) => api.putTokensTimeout({ body: { ...DEFAULT_TIMEOUT } })],
      ['deleteToken', (api) => api.deleteToken(PAUL.id)],
      ['deleteTokensMe', (api) => api.deleteTokensMe()],
    ]) {
      assertError(await settle(call(tokensApi(bogus))), 401, 'bad.credentials', `${what} with an unknown token`);
    }
    const head = await settle(tokensApi(bogus).headTokensMe());
    assert.equal(head.status, 401, 'headTokensMe with an unknown token');
    assert.equal(head.body, '', 'HEAD: no body');

    // Non-extended mode: the SDK rejects with the ErrorBody itself.
    const plain = await tokensApi(bogus, { extended: false }).getTokensMe().then(() => assert.fail('bogus token accepted'), (e) => e);
    assert.equal(plain?.status, 401);
    assert.equal(plain?.code, 'bad.credentials');
  });

  test('401 authentication.required: no token at all', TEST_OPTS, async () => {
    // An ApiClient without an access token sends no Authorization header.
    assertError(await settle(tokensApi(undefined).getTokensMe()), 401, 'authentication.required', 'getTokensMe without a token');
  });

  test('403 missing.any.permissions: the acme-reporting token', TEST_OPTS, async () => {
    const reporting = tokensApi(await loginClient(ACME_REPORTING));
    const paul = await passwordGrant(ACME_DESKTOP, PAUL);

    const put = await settle(reporting.putTokensTimeout({ body: { ...DEFAULT_TIMEOUT, idleTokenTimeoutSeconds: 600 } }));
    assertError(put, 403, 'missing.any.permissions', 'putTokensTimeout without directory:organization:admin');
    assert.match(messageParamValues(put.body), /directory:organization:admin/,
      `messageParams names the permission (got ${JSON.stringify(put.body.messageParams)})`);

    const del = await settle(reporting.deleteToken(PAUL.id));
    assertError(del, 403, 'missing.any.permissions', 'deleteToken without oauth:token:delete');
    assert.match(messageParamValues(del.body), /oauth:token:delete/,
      `messageParams names the permission (got ${JSON.stringify(del.body.messageParams)})`);

    assert.deepEqual((await settle(tokensApi(adminToken).getTokensTimeout())).body, DEFAULT_TIMEOUT, 'setting unchanged');
    await assertTokenWorks(paul.access_token, 'paul after a forbidden deleteToken');
    // Operations that need no permission work for the same token.
    assert.equal((await settle(reporting.headTokensMe())).status, 200);
    assert.equal((await settle(reporting.getTokensMe())).status, 200);

    // A user without the permissions (password grant) is refused as well.
    const asPaul = await settle(tokensApi(paul.access_token).deleteToken(ADA.id));
    assertError(asPaul, 403, 'missing.any.permissions', 'deleteToken by a user without oauth:token:delete');
  });

  test('404 not.found: deleteToken of an unknown user or a user of another organization', TEST_OPTS, async () => {
    const api = tokensApi(adminToken);
    assertError(await settle(api.deleteToken('no-such-user')), 404, 'not.found', 'deleteToken(unknown id)');
    assertError(await settle(api.deleteToken(NINA.id)), 404, 'not.found', 'deleteToken(mercy-nurse) with an acme token');
    // The SDK percent-encodes the path segment (encodeURIComponent): "a b/c" is sent as a%20b%2Fc.
    assertError(await settle(api.deleteToken('no such/user')), 404, 'not.found', 'deleteToken(percent-encoded unknown id)');
    // Non-extended mode: the SDK rejects with the ErrorBody itself.
    const plain = await tokensApi(adminToken, { extended: false }).deleteToken('no-such-user').then(() => assert.fail('deleted'), (e) => e);
    assert.equal(plain?.status, 404);
    assert.equal(plain?.code, 'not.found');
  });

  // --- organizations are isolated ----------------------------------------------------------------

  test('cross-organization: an acme token cannot revoke mercy users; mercy tokens keep working', TEST_OPTS, async () => {
    const nina = await passwordGrant(MERCY_DESKTOP, NINA);
    const mercyToken = await loginClient(MERCY_ADMIN_SVC);
    const mercy = tokensApi(mercyToken);

    const me = await settle(tokensApi(nina.access_token).getTokensMe());
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.organization, MERCY);
    assert.deepEqual(me.body.homeOrganization, MERCY);
    const svc = await settle(mercy.getTokensMe());
    assert.deepEqual(svc.body.organization, MERCY);
    assert.equal(svc.body.OAuthClient?.name, MERCY_ADMIN_SVC.name);

    const acme = tokensApi(adminToken);
    assertError(await settle(acme.deleteToken(NINA.id)), 404, 'not.found', 'acme revokes mercy-nurse');
    assertError(await settle(acme.deleteToken('mercy-admin')), 404, 'not.found', 'acme revokes mercy-admin');
    await assertTokenWorks(nina.access_token, "mercy-nurse's token after acme's attempt");
    await assertTokenWorks(mercyToken, "mercy's service token after acme's attempt");

    // The reverse holds too, and mercy can revoke its own users.
    const paul = await passwordGrant(ACME_DESKTOP, PAUL);
    assertError(await settle(mercy.deleteToken(PAUL.id)), 404, 'not.found', 'mercy revokes acme-user');
    await assertTokenWorks(paul.access_token, "paul's token after mercy's attempt");

    assertNoBody(await settle(mercy.deleteToken(NINA.id)), 204, 'mercy revokes mercy-nurse');
    await assertTokenRevoked(nina.access_token, 'mercy-nurse after her own org revoked her');
    await assertTokenWorks(mercyToken, "mercy's service token after revoking a user");
  });

  // --- headers -----------------------------------------------------------------------------------

  test('responses carry ININ-Correlation-Id and inin-ratelimit-* headers', TEST_OPTS, async () => {
    const api = tokensApi(await loginClient(ACME_ADMIN_SVC));
    const a = await settle(api.getTokensMe());
    const b = await settle(api.getTokensTimeout());
    for (const [what, r] of [['first', a], ['second', b]]) {
      assert.equal(r.status, 200);
      assert.match(String(r.headers['inin-correlation-id']), UUID_RE, `${what}: ININ-Correlation-Id`);
      assert.match(String(r.headers['inin-ratelimit-count']), /^\d+$/, `${what}: inin-ratelimit-count`);
      assert.match(String(r.headers['inin-ratelimit-reset']), /^\d+$/, `${what}: inin-ratelimit-reset`);
      assert.equal(String(r.headers['inin-ratelimit-allowed']), '300', `${what}: inin-ratelimit-allowed`);
      assert.ok(Number(r.headers['inin-ratelimit-reset']) <= 60, `${what}: reset within the 60 s window`);
    }
    assert.notEqual(a.headers['inin-correlation-id'], b.headers['inin-correlation-id'], 'a fresh id per response');
    assert.ok(Number(a.headers['inin-ratelimit-count']) >= 1);
    assert.equal(Number(b.headers['inin-ratelimit-count']), Number(a.headers['inin-ratelimit-count']) + 1,
      'the count goes up by one per request of this token');
  });
});
