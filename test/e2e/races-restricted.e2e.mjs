// Data races in Restricted Mode: a race report opens (reading a file runs nothing), but Go Lens
// builds and runs nothing — no "race" CodeLens, and the run commands say why they refuse.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  answerOpenDialog,
  copyWorkspace,
  e2eTest,
  notifications,
  openInEditor,
  openVsCode,
  repoRoot,
  runCommand,
  screenshot,
  waitFor,
  waitForRestrictedMode,
} from './harness.mjs';

let workspace, vscode, page;

before(
  async () => {
    workspace = copyWorkspace(join(repoRoot, 'demo'));
    copyFileSync(
      join(repoRoot, 'test/fixtures/races/go1.26.8/parallel-test.txt'),
      join(workspace, 'ci-race.txt'),
    );
    vscode = await openVsCode(workspace, { trust: true });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
});

e2eTest(
  test,
  'Restricted Mode: no race lens, the run commands refuse, a report still opens',
  () => page,
  async () => {
    await waitForRestrictedMode(page);

    await openInEditor(page, 'racy/stats_test.go');
    await runCommand(page, 'Go Lens: Run Tests with Race Detector');
    await waitFor(
      async () =>
        (await notifications(page)).some((n) => /runs nothing in Restricted Mode/.test(n)),
      { what: 'the refusal message' },
    );
    // Nothing was built or started: no race detector terminal.
    const terminals = await page.$$eval(
      '.terminal-tabs-entry, .single-terminal-tab, [id="workbench.panel.terminal"] .action-label',
      (els) => els.map((e) => e.textContent ?? '').join(' '),
    );
    assert.doesNotMatch(terminals, /Race Detector/);
    // Go Lens is active (it answered the command), and the test file still has no race lens.
    await page.waitForTimeout(3000);
    const lenses = await page.$$eval('.contentWidgets .codelens-decoration', (els) =>
      els.map((e) => e.textContent ?? ''),
    );
    assert.ok(!lenses.some((t) => /race/.test(t)), `no race lens: ${JSON.stringify(lenses)}`);
    await screenshot(page, 'races-restricted-1-refused');

    await runCommand(page, 'Go Lens: Open Race Report…');
    await answerOpenDialog(page, join(workspace, 'ci-race.txt'));
    await page.waitForSelector('.pane-body .monaco-list-row[aria-label*="TestBeta ⇄ TestAlpha"]', {
      timeout: 60_000,
    });
    await screenshot(page, 'races-restricted-2-opened');
  },
);
