// The browser tests' own machinery, independent of the login page: Debian's Chromium starts headless
// with the suite's flags, renders pages from 127.0.0.1 (the suite's callback server, tokens-server's
// /healthz), saves screenshots, and cannot reach anything off the machine.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { ARTIFACTS, TEST_OPTS, screenshot, useRig, withPage } from './harness.mjs';

describe('browser test machinery', () => {
  const rig = useRig('smoke');

  test('headless Chromium renders a page served on 127.0.0.1 and saves a screenshot', TEST_OPTS, async (t) => {
    t.diagnostic(`Chromium ${rig.context.browser()?.version() ?? '(version unknown)'}`);
    await withPage(t, rig.context, async (page) => {
      const res = await page.goto(`${rig.cb.origin}/callback?smoke=1`);
      assert.equal(res?.status(), 200);
      assert.equal((await page.locator('#callback').innerText()).trim(), 'Signed in: this window may be closed.');
      assert.deepEqual((await rig.cb.nextHit()).query, { smoke: '1' }, 'the callback server saw the request');
      const file = await screenshot(t, page, 'smoke.png');
      assert.ok(file.startsWith(ARTIFACTS));
      assert.ok(existsSync(file) && statSync(file).size > 0, `${file} was written`);
    });
  });

  test("headless Chromium reaches tokens-server's /healthz", TEST_OPTS, async (t) => {
    await withPage(t, rig.context, async (page) => {
      const res = await page.goto(`${rig.base}/healthz`);
      assert.equal(res?.status(), 200);
      assert.deepEqual(JSON.parse(await res.text()), { status: 'ok' });
      await screenshot(t, page, 'smoke-healthz.png');
    });
  });

  test('requests off the loopback interface are refused', TEST_OPTS, async (t) => {
    await withPage(t, rig.context, async (page) => {
      await assert.rejects(page.goto('http://tokens-browser-test.invalid/'), /ERR_BLOCKED_BY_CLIENT/);
    });
  });
});
