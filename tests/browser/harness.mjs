// What the browser tests share: the rig each file runs against (its own tokens-server, a loopback
// OAuth callback server, headless Chromium: Debian's, driven by playwright-core), screenshots as test
// artifacts, the login-page steps, and plain HTTP calls to tokens-server for what a test checks beside
// the official JavaScript SDK.
//
// Env: TOKENS_TEST_ARTIFACTS = where screenshots and server logs go (default <repo>/build/test-artifacts/browser)
//      TOKENS_CHROMIUM       = the Chromium binary (default /usr/bin/chromium, Debian's `chromium`)

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import platformClient from 'purecloud-platform-client-v2';
import { DEMO_PROVISIONING, REPO, startTokensServer, stopTokensServer } from '../support/tokens_server.mjs';

export const CHROMIUM = process.env.TOKENS_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = Object.freeze([
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]);
export const ARTIFACTS = process.env.TOKENS_TEST_ARTIFACTS
  ? path.resolve(process.env.TOKENS_TEST_ARTIFACTS)
  : path.join(REPO, 'build', 'test-artifacts', 'browser');

// Every wait is bounded; a test as a whole is bounded by TEST_OPTS (and node --test-timeout).
export const LAUNCH_TIMEOUT_MS = 30_000;
export const CLOSE_TIMEOUT_MS = 10_000;
export const ACTION_TIMEOUT_MS = 10_000;
export const NAVIGATION_TIMEOUT_MS = 15_000;
export const HTTP_TIMEOUT_MS = 10_000;
export const TEST_OPTS = Object.freeze({ timeout: 60_000 });
export const HOOK_OPTS = Object.freeze({ timeout: 45_000 });

// Demo identities (provisioning/demo.toml; README "The demo organizations"). Public demo material.
export const ACME = { id: 'acme', name: 'Acme Corp' };
export const PAUL = { id: 'acme-user', email: 'paul@acme.example', password: 'paul-password' };
export const ADA = { id: 'acme-admin', email: 'ada@acme.example', password: 'ada-password' };
export const ACME_WEB = { id: 'acme-web', secret: 'acme-web-secret' };   // CODE, confidential
export const ACME_SPA = { id: 'acme-spa' };                              // TOKEN (implicit), public
export const ACME_CLI = { id: 'acme-cli' };                              // CODE with PKCE, public
export const ACME_ADMIN_SVC = { id: 'acme-admin-service', secret: 'acme-admin-secret' };  // CLIENT-CREDENTIALS, both permissions

/** A fresh random OAuth `state`. */
export const newState = () => randomBytes(12).toString('base64url');

/** Resolves to `promise`, or rejects after `ms` with `what` in the message. */
export async function within(ms, what, promise) {
  const ac = new AbortController();
  const timer = sleep(ms, undefined, { signal: ac.signal, ref: false }).then(
    () => { throw new Error(`${what}: no result within ${ms / 1000} s`); },
    () => {});
  try {
    return await Promise.race([promise, timer]);
  } finally {
    ac.abort();
  }
}

// ------------------------------------------------------------------------------------------------
// What a test file runs against

/**
 * Registers, in the enclosing describe(), the hooks that start and stop what the tests use: a
 * tokens-server of their own, the callback server (unless `callback` is false) and Chromium. The
 * returned object is filled in by the `before` hook: `server`, `cb`, `browser`, and the shortcuts
 * `base` (the server's URL) and `context` (the browser context). The server's logs are kept in
 * ARTIFACTS/<name>-server-logs. With `skip`, nothing is started.
 */
export function useRig(name, { callback = true, skip = false } = {}) {
  const rig = {
    server: null,
    cb: null,
    browser: null,
    get base() { return this.server.base; },
    get context() { return this.browser.context; },
  };
  let provisionDir = null;
  before(async () => {
    if (skip) return;
    let provision;
    if (callback) {
      rig.cb = await startCallbackServer();
      provisionDir = mkdtempSync(path.join(tmpdir(), `tokens-browser-${name}-provision-`));
      provision = provisioningWithCallback(rig.cb.origin, provisionDir);
    }
    rig.server = await startTokensServer({ tmpPrefix: `tokens-browser-${name}-`, logLevel: 'info', provision });
    rig.browser = await launchBrowser();
  }, HOOK_OPTS);
  after(async () => {
    await rig.browser?.close();
    await rig.cb?.close();
    await stopTokensServer(rig.server, { saveLogsTo: path.join(ARTIFACTS, `${name}-server-logs`) });
    if (provisionDir) rmSync(provisionDir, { recursive: true, force: true });
  }, HOOK_OPTS);
  return rig;
}

// ------------------------------------------------------------------------------------------------
// Chromium

const isLoopback = (url) => url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';

/**
 * Launches headless Chromium on a fresh temporary profile. Requests to anything but the loopback
 * interface are aborted, so nothing leaves the machine even if a page tries. Resolves to
 * {context, close()}; close() also removes the profile.
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (scripts/install-deps.sh) or set TOKENS_CHROMIUM`);
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'tokens-browser-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: LAUNCH_TIMEOUT_MS,
      viewport: { width: 1024, height: 720 },
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  await context.route((url) => !isLoopback(url), (route) => route.abort('blockedbyclient'));
  return {
    context,
    async close() {
      await within(CLOSE_TIMEOUT_MS, 'closing Chromium', context.close()).catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

/** Saves a full-page screenshot into ARTIFACTS and names the file in the test's output. */
export async function screenshot(t, page, fileName) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, fileName);
  await page.screenshot({ path: file, fullPage: true, timeout: ACTION_TIMEOUT_MS });
  t.diagnostic(`screenshot: ${file}`);
  return file;
}

/**
 * Runs `fn(page)` on a new page of a context without cookies (no login session carried over from an
 * earlier test). If it throws, the page is saved as <test name>-failure.png first; such a file left by
 * an earlier run is removed when the test starts.
 */
export async function withPage(t, context, fn) {
  const failureShot = `${slug(t.name)}-failure.png`;
  rmSync(path.join(ARTIFACTS, failureShot), { force: true }); // left by an earlier run
  await context.clearCookies();
  const page = await context.newPage();
  try {
    return await fn(page);
  } catch (e) {
    await screenshot(t, page, failureShot).catch(() => {});
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * The demo provisioning file with the web and single-page clients registered at the callback server's
 * own origin instead of http://127.0.0.1:8765: a redirect URI registered with a port matches that port
 * only (SPEC §5), and the callback server's port is ephemeral. Returns the file's path.
 */
function provisioningWithCallback(origin, dir) {
  const demo = readFileSync(DEMO_PROVISIONING, 'utf8');
  const file = path.join(dir, 'provisioning.toml');
  writeFileSync(file, demo.replaceAll('http://127.0.0.1:8765', origin));
  return file;
}

// ------------------------------------------------------------------------------------------------
// The OAuth redirect target: a real HTTP server on 127.0.0.1, ephemeral port (RFC 8252 loopback)

/**
 * Starts the callback server. Each request to /callback is recorded as a hit {path, query, rawUrl};
 * nextHit() waits (bounded) for the next one not yet taken. Every page it serves says "Signed in".
 */
export async function startCallbackServer() {
  const hits = [];
  let taken = 0;
  let wake = () => {};
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    hits.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), rawUrl: req.url });
    wake();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('<!doctype html><html><head><title>Callback</title></head>' +
      '<body><p id="callback">Signed in: this window may be closed.</p></body></html>');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    redirectUri: `${origin}/callback`,
    /** Hits not yet taken by nextHit(). */
    pending: () => hits.slice(taken),
    /** Forgets hits not yet taken (e.g. left over by a failed test). */
    skipPending() { taken = hits.length; },
    async nextHit(timeoutMs = NAVIGATION_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      while (taken >= hits.length) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the callback server received no request within ${timeoutMs / 1000} s`);
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => { clearTimeout(timer); resolve(); };
        });
      }
      return hits[taken++];
    },
    async close() {
      server.closeAllConnections();
      await within(CLOSE_TIMEOUT_MS, 'closing the callback server', new Promise((resolve) => server.close(resolve)));
    },
  };
}

// ------------------------------------------------------------------------------------------------
// The login page

/** GET /oauth/authorize with these parameters (undefined ones left out). */
export function authorizeUrl(base, params) {
  const url = new URL('/oauth/authorize', base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** Opens an authorize URL and checks that the answer is the login page of the contract (200, the form). */
export async function openLoginPage(page, url) {
  const res = await page.goto(url);
  assert.ok(res, `GET ${url}: no response`);
  assert.equal(res.status(), 200, `GET /oauth/authorize should show the login page (HTTP 200), got ${res.status()}: ${(await res.text()).slice(0, 500)}`);
  assert.match(String(res.headers()['content-type']), /^text\/html/i, 'the login page is HTML');
  await assertLoginForm(page);
  return res;
}

export async function assertLoginForm(page) {
  const form = page.locator('form#login-form');
  await form.waitFor({ state: 'visible' });
  assert.equal((await form.getAttribute('method'))?.toLowerCase(), 'post', 'form#login-form method');
  assert.equal(await form.getAttribute('action'), '/oauth/authorize', 'form#login-form action');
  const email = form.locator('input#email');
  assert.equal(await email.getAttribute('name'), 'email', 'input#email name');
  assert.ok(await email.isVisible(), 'input#email is visible');
  const password = form.locator('input#password');
  assert.equal(await password.getAttribute('name'), 'password', 'input#password name');
  assert.equal(await password.getAttribute('type'), 'password', 'input#password type');
  const signIn = form.locator('button#sign-in');
  assert.equal(await signIn.getAttribute('type'), 'submit', 'button#sign-in type');
  assert.ok(await signIn.isVisible(), 'button#sign-in is visible');
}

/** Types the credentials and presses "sign in" (does not wait for what follows). */
export async function submitLogin(page, { email, password }) {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#sign-in');
}

/**
 * Signs in on the open login page and follows the redirect to the callback server. Checks that the
 * redirect is a 302 from the server, and resolves to the browser's final URL (a URL object: the code
 * grant's result is in its query, the implicit grant's in its fragment) and the callback server's hit.
 */
export async function signInAndFollowRedirect(page, cb, user) {
  const reached = page.waitForRequest((r) => r.url().startsWith(cb.redirectUri), { timeout: NAVIGATION_TIMEOUT_MS });
  await submitLogin(page, user);
  const request = await reached;
  const from = request.redirectedFrom();
  assert.ok(from, `the callback was reached by a redirect (got a direct request to ${request.url()})`);
  const fromResponse = await from.response();
  assert.equal(fromResponse?.status(), 302, `the server redirects to redirect_uri with 302 (from ${from.method()} ${from.url()})`);
  await page.waitForURL((u) => u.href.startsWith(cb.redirectUri), { waitUntil: 'load' });
  const hit = await cb.nextHit();
  return { url: new URL(page.url()), hit };
}

/** The visible error of the login or error page (role="alert"), checking it is there and says something. */
export async function alertText(page) {
  const alert = page.locator('[role="alert"]');
  await alert.first().waitFor({ state: 'visible' });
  assert.equal(await alert.count(), 1, 'exactly one role="alert" element');
  const text = (await alert.innerText()).trim();
  assert.ok(text.length > 0, 'the role="alert" element says what went wrong');
  return text;
}

// ------------------------------------------------------------------------------------------------
// tokens-server over plain HTTP (what the checks need beside the SDK)

async function call(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

/** POST /oauth/token with a form; Basic authentication if `client.secret` is given. */
export function tokenRequest(base, form, client) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  if (client?.secret) headers.Authorization = 'Basic ' + Buffer.from(`${client.id}:${client.secret}`).toString('base64');
  return call(`${base}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
}

/** GET /api/v2/tokens/me with a bearer token. */
export function tokensMe(base, token) {
  return call(`${base}/api/v2/tokens/me`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
}

/** Moves the emulator clock forward. */
export async function advanceClock(base, seconds) {
  const r = await call(`${base}/_emulator/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  assert.equal(r.status, 200, `POST /_emulator/clock: HTTP ${r.status} ${r.text}`);
}

/** Asserts an RFC 6749 §5.2 error answer of POST /oauth/token. */
export function assertOAuthError(r, status, error, what) {
  assert.equal(r.status, status, `${what}: HTTP ${status} expected, got ${r.status} ${r.text}`);
  assert.equal(r.json?.error, error, `${what}: error (body: ${r.text})`);
}

/** Asserts that GET /api/v2/tokens/me rejects the token with 401. */
export async function assertRejected(base, token, what) {
  const r = await tokensMe(base, token);
  assert.equal(r.status, 401, `${what}: GET /api/v2/tokens/me should be 401, got ${r.status} ${r.text}`);
}

/**
 * Shows that `token` acts for the acme user `userId`: once an administrator (acme-admin-service)
 * revokes that user's tokens, it stops working. Revokes every token of that user.
 */
export async function assertActsFor(base, token, userId) {
  const admin = await tokenRequest(base, { grant_type: 'client_credentials' }, ACME_ADMIN_SVC);
  assert.equal(admin.status, 200, `client-credentials login of ${ACME_ADMIN_SVC.id}: ${admin.text}`);
  const r = await call(`${base}/api/v2/tokens/${encodeURIComponent(userId)}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${admin.json.access_token}` },
  });
  assert.equal(r.status, 204, `DELETE /api/v2/tokens/${userId}: HTTP ${r.status} ${r.text}`);
  await assertRejected(base, token, `after revoking ${userId}'s tokens, the token`);
}

// ------------------------------------------------------------------------------------------------
// The official JavaScript SDK, pointed at the server

// The SDK module creates a default ApiClient singleton on import; stop its config-file watcher.
platformClient.ApiClient.config.live_reload_config = false;
export { platformClient };

/**
 * A fresh ApiClient whose login host and API host are both `base` (the SDK's gateway setting, as in
 * tests/conformance). A pre-hook refuses any other origin and turns axios proxies off.
 */
export function sdkClient(base, { token } = {}) {
  const { hostname, port, origin } = new URL(base);
  const client = new platformClient.ApiClientClass();
  client.config.live_reload_config = false; // ignore ~/.genesyscloudjavascript/config changes
  client.setGateway({ host: hostname, protocol: 'http', port: Number(port), path_params_login: '', path_params_api: '' });
  client.timeout = HTTP_TIMEOUT_MS; // must precede the first getHttpClient()
  client.setPreHook((config) => {
    if (new URL(config.url).origin !== origin) throw new Error(`browser suite refuses a request outside ${origin}`);
    config.proxy = false;
    return config;
  });
  if (token) client.setAccessToken(token);
  return client;
}

/**
 * Runs an SDK login call; a rejection becomes {status, data} of the HTTP answer (never the axios error,
 * whose config carries the Authorization header).
 */
export async function sdkLogin(promise) {
  try {
    return { ok: true, auth: await promise };
  } catch (e) {
    if (e?.response) return { ok: false, status: e.response.status, data: e.response.data };
    throw new Error(`SDK login failed without an HTTP response: ${e?.code ?? ''} ${e?.message ?? String(e)}`);
  }
}
