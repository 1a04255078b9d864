// js-sdk-bench.mjs: the official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2, pinned in
// package.json to the version of tests/conformance) making sequential getTokensMe calls against
// tokens-server, for bench/run-sdk.sh (see bench/README.md).
//
//   node js-sdk-bench.mjs BASE_URL TOKEN [--seconds N] [--warmup N]
//
// The SDK is configured as tests/conformance/tokens-api.test.mjs configures it: a fresh ApiClientClass,
// config-file watching off, setGateway to the server, a pre-hook that refuses any other origin and turns
// axios proxies off, extended responses (to check the HTTP status) and setAccessToken. One call at a time
// (await), --warmup seconds (default 1) unmeasured, then --seconds (default 10) measured. Prints:
//   BENCH mode=js-sdk calls=N seconds=F cps=F connections=N new_connections=N
// connections: sockets opened before and during the measured part; new_connections: those opened during
// it (0 when the keep-alive connection is reused throughout). Any failure (a status other than 200, an
// error, a body that is not a TokenInfo) ends the program with status 1.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import platformClient from 'purecloud-platform-client-v2';

function usage(problem) {
  console.error(`js-sdk-bench: ${problem}\nusage: node js-sdk-bench.mjs BASE_URL TOKEN [--seconds N] [--warmup N]`);
  process.exit(2);
}

function fail(message) {
  console.error(`js-sdk-bench: FAIL: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const o = { seconds: 10, warmup: 1 };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seconds' || arg === '--warmup') {
      const v = argv[++i];
      const min = arg === '--seconds' ? 1 : 0;
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) usage(`${arg} must be a whole number >= ${min}`);
      o[arg.slice(2)] = Number(v);
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2) usage('BASE_URL and TOKEN are required');
  [o.baseUrl, o.token] = positional;
  o.baseUrl = o.baseUrl.replace(/\/+$/, '');
  const m = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(o.baseUrl);
  if (!m) usage('BASE_URL must be http://127.0.0.1:PORT (local only)');
  o.port = Number(m[1]);
  if (!o.token) usage('TOKEN is empty');
  return o;
}

const o = parseArgs(process.argv.slice(2));

// Counts the TCP connections the SDK opens. axios (through follow-redirects) calls http.request without an
// agent of its own, so Node's global agent makes every connection (keep-alive by default since Node 19).
let connectionsOpened = 0;
const createConnection = http.globalAgent.createConnection;
http.globalAgent.createConnection = function countingCreateConnection(...args) {
  connectionsOpened++;
  return createConnection.apply(this, args);
};

// The SDK module creates a default ApiClient singleton on import; stop its config-file watcher.
platformClient.ApiClient.config.live_reload_config = false;

const client = new platformClient.ApiClientClass();
client.config.live_reload_config = false;
client.setGateway({ host: '127.0.0.1', protocol: 'http', port: o.port, path_params_login: '', path_params_api: '' });
client.timeout = 16_000; // the C++ SDK's default total timeout; must precede the first getHttpClient()
const origin = o.baseUrl;
client.setPreHook((config) => {
  if (!config.url.startsWith(`${origin}/`)) throw new Error(`js-sdk-bench refuses a request outside ${origin}`);
  config.proxy = false;
  return config;
});
client.setReturnExtendedResponses(true);
client.setAccessToken(o.token);
const api = new platformClient.TokensApi(client);

async function call() {
  let r;
  try {
    r = await api.getTokensMe();
  } catch (e) {
    if (e && typeof e === 'object' && 'status' in e) fail(`getTokensMe: HTTP ${e.status}: ${JSON.stringify(e.body)}`);
    fail(`getTokensMe: ${e?.code ?? ''} ${e?.message ?? String(e)}`);
  }
  if (r.status !== 200) fail(`getTokensMe: HTTP ${r.status}, expected 200`);
  if (typeof r.body?.OAuthClient?.id !== 'string') fail(`getTokensMe: a TokenInfo without OAuthClient.id: ${JSON.stringify(r.body)}`);
}

// The clock is read once per call, as in sdk_bench. At least one warm-up call: it opens the connection.
let now = performance.now();
const warmupEnd = now + o.warmup * 1000;
do {
  await call();
  now = performance.now();
} while (now < warmupEnd);
const openedBefore = connectionsOpened;
let calls = 0;
const start = performance.now();
const end = start + o.seconds * 1000;
do {
  await call();
  calls++;
  now = performance.now();
} while (now < end);
const seconds = (now - start) / 1000;
if (calls === 0) fail('no call completed');
console.log(`BENCH mode=js-sdk calls=${calls} seconds=${seconds.toFixed(3)} cps=${(calls / seconds).toFixed(1)} ` +
  `connections=${connectionsOpened} new_connections=${connectionsOpened - openedBefore}`);
process.exit(0);
