// A trace too big for the memory it may use, in a real VS Code: before anything is loaded it
// says so (file size, the estimate, the memory available) and offers time ranges of the trace
// (runs of its generations); the range picked opens on the timeline, which says which part it
// shows. The limit is lowered by the goLens.trace.memoryLimitMB setting so that a small
// committed trace of six generations needs the question.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  e2eTest,
  openVsCode,
  quickOpen,
  repoRoot,
  runCommand,
  screenshot,
  waitFor,
  webviewFrame,
} from './harness.mjs';

let vscode, page;
// 431 kB in six generations: 31.0 kB, 294.2 kB, 49.0 kB, 3.3 kB, 3.2 kB, 60.7 kB.
const fixture = join(repoRoot, 'test/fixtures/exectrace/workload-go1.26.8.trace');

before(
  async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'golens-ws-'));
    copyFileSync(fixture, join(workspace, 'big.trace'));
    // 0.35 MB: the whole trace (≈ 2.5 MB of model) does not fit; parts of up to 61 kB do:
    // generations 1, 2 (alone, and too big even so), 3–5 and 6.
    vscode = await openVsCode(workspace, { settings: { 'goLens.trace.memoryLimitMB': 0.35 } });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
});

/** Opens big.trace and waits for the time range question; returns its title text. */
async function openAndAsk() {
  await quickOpen(page, 'big.trace');
  const title = await page.waitForSelector('.quick-input-widget .quick-input-title', {
    state: 'visible',
    timeout: 60_000,
  });
  return waitFor(
    async () => {
      const t = (await title.textContent()) ?? '';
      return /Which time range/.test(t) ? t : undefined;
    },
    { what: 'the time range question' },
  );
}

e2eTest(
  test,
  'A trace too big for the memory limit offers time ranges and opens the one picked',
  () => page,
  async () => {
    const question = await openAndAsk();
    assert.match(question, /big\.trace is 431\.\d+kB; its timeline needs about 2\.\d+MB/);
    assert.match(question, /more than the 358\.\d+kB available/);
    const rows = await page.$$eval('.quick-input-list .monaco-list-row', (els) =>
      els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''),
    );
    assert.equal(rows.length, 5, `choices: ${rows.join(' | ')}`);
    assert.match(rows[0], /Part 1 of 4: 0\.000 s – 0\.021 s.*generation 1 of 6/);
    assert.match(rows[1], /Part 2 of 4: .*generation 2 of 6.*may run out of memory/);
    assert.match(rows[2], /Part 3 of 4: 0\.042 s – 0\.157 s.*generations 3–5 of 6/);
    assert.match(rows[3], /Part 4 of 4: .*generation 6 of 6/);
    assert.match(rows[4], /Whole trace anyway/);
    await screenshot(page, 'trace-range-1-question');
    await page.locator('.quick-input-widget input').fill('Part 3');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');

    const frame = await webviewFrame(page, { timeout: 90_000, title: 'big.trace' });
    await frame.waitForSelector('canvas.lanes-canvas[data-first]', { timeout: 90_000 });
    await waitFor(
      async () =>
        Number((await frame.$eval('canvas.lanes-canvas', (c) => c.dataset.pMarks)) ?? 0) > 0,
      { what: 'P lane marks', timeout: 30_000 },
    );
    const warning = await frame.waitForSelector('[data-testid="trace-warning"]', {
      timeout: 30_000,
    });
    const text = (await warning.textContent()) ?? '';
    assert.match(text, /Showing 0\.042 s – 0\.157 s of 0\.17\d s \(generations 3–5 of 6\)/);
    assert.match(text, /memoryLimitMB/);
    const body = (await frame.textContent('body')) ?? '';
    assert.match(body, /big\.trace · 0\.042 s – 0\.157 s/);
    await screenshot(page, 'trace-range-2-opened');
  },
);

e2eTest(
  test,
  'Dismissing the time range question opens nothing and says how to choose one',
  () => page,
  async () => {
    await runCommand(page, 'View: Close All Editors');
    await openAndAsk();
    await page.keyboard.press('Escape');
    const frame = await webviewFrame(page, { timeout: 60_000, title: 'big.trace' });
    const error = await frame.waitForSelector('[data-testid="trace-error"]', { timeout: 30_000 });
    const text = (await error.textContent()) ?? '';
    assert.match(text, /big\.trace is 431\.\d+kB; its timeline needs about 2\.\d+MB/);
    assert.match(text, /No time range was chosen: reopen the file to choose one/);
    await screenshot(page, 'trace-range-3-dismissed');
  },
);
