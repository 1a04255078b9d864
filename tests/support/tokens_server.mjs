// Starts the real tokens-server binary for the Node.js suites (tests/conformance, tests/browser): on
// 127.0.0.1 with an ephemeral port, an in-memory store, the demo provisioning file and the emulator
// extras. Node built-ins only, so that any suite can import it whatever its node_modules hold.
//
// Env: TOKENS_SERVER = path of the server binary (default <repo>/build/bin/tokens-server).

import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_BIN = process.env.TOKENS_SERVER || path.join(REPO, 'build', 'bin', 'tokens-server');
export const DEMO_PROVISIONING = path.join(REPO, 'provisioning', 'demo.toml');

export const STARTUP_LIMIT_MS = 15_000;
export const STOP_GRACE_MS = 5_000;

// A timer that does not keep the process alive (used in races against the server's exit).
const unrefSleep = (ms) => sleep(ms, undefined, { ref: false });

/** The end of a text file ('' if it cannot be read). */
export function tail(file, max = 4000) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.length > max ? '...' + text.slice(-max) : text;
  } catch {
    return '';
  }
}

/**
 * Starts tokens-server and waits (at most STARTUP_LIMIT_MS) for "listening on http://127.0.0.1:PORT" on
 * its stderr. Its stdout and stderr go to files in a fresh temporary directory (its working directory).
 * Resolves to {child, port, base, dir, outPath, errPath}; on failure throws with the logs' last lines.
 */
export async function startTokensServer({ tmpPrefix = 'tokens-server-', logLevel = 'warn', extraArgs = [],
                                         provision = DEMO_PROVISIONING } = {}) {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(`tokens-server binary not found at ${SERVER_BIN}: build it first or set TOKENS_SERVER`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), tmpPrefix));
  const outPath = path.join(dir, 'server.stdout.log');
  const errPath = path.join(dir, 'server.stderr.log');
  const outFd = openSync(outPath, 'w');
  const errFd = openSync(errPath, 'w');
  const args = [
    '--listen', '127.0.0.1:0',
    '--store', 'memory:',
    '--provision', provision,
    '--emulator',
    '--threads', '1',
    '--log-level', logLevel,
    ...extraArgs,
  ];
  const child = spawn(SERVER_BIN, args, { cwd: dir, stdio: ['ignore', outFd, errFd] });
  closeSync(outFd);
  closeSync(errFd);

  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  child.on('error', (err) => { exited = { error: err.message }; });
  process.once('exit', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });

  const deadline = Date.now() + STARTUP_LIMIT_MS;
  for (;;) {
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(tail(errPath, 1 << 20));
    if (m) {
      const port = Number(m[1]);
      return { child, port, base: `http://127.0.0.1:${port}`, dir, errPath, outPath };
    }
    let problem = null;
    if (exited) {
      problem = `tokens-server exited before listening (${JSON.stringify(exited)})`;
    } else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      problem = `tokens-server did not print "listening on http://127.0.0.1:PORT" on stderr within ${STARTUP_LIMIT_MS / 1000} s`;
    }
    if (problem) {
      const logs = `--- stderr ---\n${tail(errPath)}\n--- stdout ---\n${tail(outPath)}`;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${problem}\n${logs}`);
    }
    await sleep(50);
  }
}

/**
 * Stops a server from startTokensServer: SIGTERM, then SIGKILL after STOP_GRACE_MS; then removes its
 * directory, first copying its two logs into `saveLogsTo` if given.
 */
export async function stopTokensServer(srv, { saveLogsTo } = {}) {
  if (!srv) return;
  const { child } = srv;
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const how = await Promise.race([gone.then(() => 'exited'), unrefSleep(STOP_GRACE_MS).then(() => 'stuck')]);
    if (how === 'stuck') {
      child.kill('SIGKILL');
      await Promise.race([gone, unrefSleep(2_000)]);
    }
  }
  if (saveLogsTo) {
    mkdirSync(saveLogsTo, { recursive: true });
    for (const file of [srv.outPath, srv.errPath]) {
      if (existsSync(file)) copyFileSync(file, path.join(saveLogsTo, path.basename(file)));
    }
  }
  rmSync(srv.dir, { recursive: true, force: true });
}
