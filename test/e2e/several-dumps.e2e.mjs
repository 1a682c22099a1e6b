// A log with the panics of two runs of a real Go program (test/go/dump-panic), pasted into the
// Goroutines view: Go Lens asks which dump to show (crashes first), shows the one picked, and
// "Choose Dump in This File…" switches to the other.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  copyWorkspace,
  e2eTest,
  goBuild,
  openVsCode,
  repoRoot,
  runCommand,
  screenshot,
  waitFor,
} from './harness.mjs';

let workspace, vscode, page;

before(
  async () => {
    workspace = copyWorkspace(join(repoRoot, 'test/go'));
    const bin = goBuild(workspace, './dump-panic', 'dump-panic-bin');
    // Two runs that die differently, logged one after the other as a supervisor would.
    let log = '';
    for (const mode of ['nilmap', 'goroutine']) {
      const r = spawnSync(bin, [mode], { encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      log += `== run ${mode}\n${r.stdout}${r.stderr}exit status 2\n`;
    }
    writeFileSync(join(workspace, 'runs.log'), log);
    vscode = await openVsCode(workspace);
    page = vscode.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(vscode.server.url).origin,
    });
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
});

const sidebarRow = (label) =>
  `.part.sidebar .monaco-list-row[aria-label^="${label.replace(/"/g, '\\"')}"]`;
const pickRows = () =>
  page.$$eval('.quick-input-list .monaco-list-row', (els) =>
    els.map((e) => e.getAttribute('aria-label') ?? ''),
  );

e2eTest(
  test,
  'A log with two panics asks which dump to show, and shows the one picked',
  () => page,
  async () => {
    // Pasted, as a log copied from a terminal or CI page (the file opens the same way).
    await page.evaluate(
      (text) => navigator.clipboard.writeText(text),
      readFileSync(join(workspace, 'runs.log'), 'utf8'),
    );
    await runCommand(page, 'Go Lens: Paste Goroutine Dump from Clipboard');
    await page.waitForSelector(
      '.quick-input-widget .quick-input-title:has-text("holds 2 goroutine dumps")',
      { timeout: 60_000 },
    );
    const rows = await waitFor(
      async () => {
        const r = await pickRows();
        return r.length === 2 ? r : undefined;
      },
      { what: 'two dumps in the quick pick' },
    );
    assert.match(rows[0], /panic: assignment to entry in nil map/, rows.join('\n'));
    assert.match(rows[1], /panic: .*/, rows.join('\n'));
    await screenshot(page, 'several-dumps-1-pick');
    // The second run's dump: its panic heads the tree.
    const second = rows[1].match(/panic: [^,]*/)[0].slice(0, 40);
    await page
      .locator('.quick-input-widget .quick-input-box input')
      .fill(second.slice('panic: '.length));
    await waitFor(async () => (await pickRows()).length === 1, {
      what: 'the list narrowed to one dump',
    });
    await page.keyboard.press('Enter');
    await page.waitForSelector(sidebarRow(second), { timeout: 30_000 });
    const description = await page
      .$eval('.part.sidebar .pane-header .description', (e) => e.textContent ?? '')
      .catch(() => '');
    const message = await page
      .$eval('.part.sidebar .pane-body .message', (e) => e.textContent ?? '')
      .catch(() => '');
    assert.ok(
      /dump 2 of 2/.test(description) || message.startsWith('pasted at'),
      `${description} | ${message}`,
    );
  },
);

e2eTest(
  test,
  '"Choose Dump in This File…" switches to the other dump',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Choose Dump in This File…');
    await page.waitForSelector(
      '.quick-input-widget .quick-input-title:has-text("holds 2 goroutine dumps")',
      { timeout: 30_000 },
    );
    await waitFor(async () => (await pickRows()).length === 2, { what: 'the dumps listed again' });
    // Typing narrows the list, as in any quick pick: the nil map panic of run 1.
    await page.locator('.quick-input-widget .quick-input-box input').fill('nil map');
    await waitFor(async () => (await pickRows()).length === 1, {
      what: 'the list narrowed to one dump',
    });
    await page.keyboard.press('Enter');
    await page.waitForSelector(sidebarRow('panic: assignment to entry in nil map'), {
      timeout: 30_000,
    });
    await screenshot(page, 'several-dumps-2-switched');
  },
);
