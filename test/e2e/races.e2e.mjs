// Data races in a real VS Code: "Run Tests with Race Detector" on the demo's racy package
// (demo/racy: a total written outside its mutex and read outside it) builds with -race and runs
// the tests in a terminal; the race appears in the Problems panel at the racing write and read,
// clicking it opens the line, and its related information opens the other access. The Data
// Races view lists it with its test; a saved `go test -race -json` log opens into the same view.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  activeTabLabel,
  answerOpenDialog,
  answerQuickInput,
  copyWorkspace,
  cursorPosition,
  e2eTest,
  openVsCode,
  repoRoot,
  runCommand,
  screenshot,
  waitFor,
  openInEditor,
} from './harness.mjs';

let workspace, vscode, page;

before(
  async () => {
    workspace = copyWorkspace(join(repoRoot, 'demo'));
    copyFileSync(
      join(repoRoot, 'test/fixtures/races/go1.26.8/parallel-test.json'),
      join(workspace, 'ci-race.json'),
    );
    vscode = await openVsCode(workspace, {
      settings: {
        // Also proves the setting reaches the program: no one-second wait at exit.
        'goLens.race.gorace': 'atexit_sleep_ms=0',
        'terminal.integrated.gpuAcceleration': 'off',
        // A configured command line: Run Program with Race Detector offers it.
        'goLens.schedTrace.configurations': [
          { name: 'demo server', program: '${workspaceFolder}', args: ['-addr', '127.0.0.1:0'] },
        ],
      },
      env: { GOTOOLCHAIN: 'local', CGO_ENABLED: '1' },
    });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
});

/** The Problems panel's rows as { label, text }. */
async function problemRows() {
  return page.$$eval('.markers-panel .monaco-list-row', (els) =>
    els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', text: e.textContent ?? '' })),
  );
}

/** The text of the Data Races view's row whose label contains `label`, once it matches `expected`. */
async function rowText(label, expected) {
  const row = page.locator(`.pane-body .monaco-list-row[aria-label*="${label}"]`).first();
  await row.waitFor({ timeout: 60_000 });
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = (await row.innerText().catch(() => '')).replace(/\s+/g, ' ');
        return expected.test(last) ? last : undefined;
      },
      { what: `the Data Races row ${label}` },
    );
  } catch (err) {
    throw new Error(`${err.message}: it shows "${last}"`);
  }
}

/** Shows the Problems panel (a run brings its terminal to the front of the panel). */
async function openProblems() {
  const open = await page.$('.markers-panel');
  if (open && (await open.isVisible())) return;
  await page.keyboard.press('Control+Shift+M');
  await page
    .waitForSelector('.markers-panel', { state: 'visible', timeout: 5_000 })
    .catch(() => undefined);
}

e2eTest(
  test,
  'Run Tests with Race Detector: the race is in the Problems panel, and opens both accesses',
  () => page,
  async () => {
    await openInEditor(page, 'racy/stats_test.go');
    // The "race" lens sits above each test, beside nothing else of ours in a non-benchmark test file.
    await page.waitForSelector('.contentWidgets .codelens-decoration a:has-text("race")', {
      timeout: 60_000,
    });
    await runCommand(page, 'Go Lens: Run Tests with Race Detector');
    const rows = await waitFor(
      async () => {
        // The run shows its terminal in the panel; the Problems panel is brought back each time.
        await openProblems();
        const r = await problemRows();
        // Both accesses; the test is named once it ends ("race detected during execution of test").
        return r.filter((x) => /Data race.*in TestStats/.test(x.text)).length >= 2 ? r : undefined;
      },
      { timeout: 180_000, what: 'the race in the Problems panel' },
    );
    const races = rows.filter((x) => /Data race/.test(x.text));
    assert.ok(
      races.some((r) =>
        /write by goroutine \d+ in \(\*Stats\)\.Hit vs previous read by goroutine \d+ in \(\*Stats\)\.Total/.test(
          r.text,
        ),
      ),
      JSON.stringify(races),
    );
    assert.ok(
      races.every((r) => /Go Lens race/.test(r.text + r.label)),
      'source Go Lens race',
    );
    assert.ok(
      races.some((r) => /in TestStats/.test(r.text)),
      'names the test',
    );
    // Related information: the other access and where the goroutines were created.
    assert.ok(
      rows.some((r) => /the other access: previous read/.test(r.text)),
      JSON.stringify(rows.map((r) => r.text)),
    );
    assert.ok(rows.some((r) => /was created here/.test(r.text)));
    await screenshot(page, 'races-1-problems');

    // Clicking the race opens the racing write.
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: /Data race: write by goroutine/ })
      .first()
      .click();
    await waitFor(
      async () =>
        (await activeTabLabel(page)).includes('stats.go') &&
        (await cursorPosition(page))?.line === 25,
      { what: 'stats.go:25 (the write) to open' },
    );
    // A hover on the racing line shows the race, with the two stacks one click away.
    await runCommand(page, 'View: Focus Active Editor Group');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = await page.waitForSelector('.monaco-hover:has-text("Show both stacks")', {
      timeout: 30_000,
    });
    assert.match(
      (await hover.textContent()) ?? '',
      /Other access: .*\(\*Stats\)\.Total — stats\.go:30/,
    );
    await screenshot(page, 'races-1b-hover');
    await page.click('.monaco-hover a:has-text("Show both stacks")');
    await waitFor(async () => (await activeTabLabel(page)).includes('.race'), {
      what: 'the side-by-side detail to open',
    });
    // Monaco renders spaces as no-break spaces.
    const detail = await waitFor(
      async () => {
        const t = (
          await page
            .$eval('.editor-group-container.active .view-lines', (e) => e.textContent ?? '')
            .catch(() => '')
        ).replace(/\u00a0/g, ' ');
        return /Goroutine \d+ \(running\) created at/.test(t) ? t : undefined;
      },
      { what: 'the side-by-side detail to draw' },
    );
    assert.match(detail, /Write by goroutine \d+.*│ Previous read by goroutine \d+/);
    assert.match(
      detail,
      /racy\.\(\*Stats\)\.Hit\s+│ example\.com\/golens-demo\/racy\.\(\*Stats\)\.Total/,
    );
    await screenshot(page, 'races-1c-side-by-side');
    await openProblems();
    // Its related location opens the other access: the read in Total.
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: /the other access: previous read/ })
      .first()
      .click();
    await waitFor(
      async () =>
        (await activeTabLabel(page)).includes('stats.go') &&
        (await cursorPosition(page))?.line === 30,
      { what: 'stats.go:30 (the read) to open' },
    );
    await screenshot(page, 'races-2-other-access');

    // The Data Races view lists it once, with its count and test.
    await runCommand(page, 'Go Lens: Focus on Data Races View');
    await rowText('(*Stats).Hit', /\(\*Stats\)\.Hit ⇄ \(\*Stats\)\.Total\s*1× · TestStats/);
    await screenshot(page, 'races-3-view');
  },
  { timeout: 300_000 },
);

e2eTest(
  test,
  'Open Race Report… reads a saved go test -race -json log into the Data Races view',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Open Race Report…');
    await answerOpenDialog(page, join(workspace, 'ci-race.json'));
    await rowText('TestBeta ⇄ TestAlpha', /TestBeta ⇄ TestAlpha\s*1× · TestBeta, TestAlpha/);
    await screenshot(page, 'races-4-opened-log');
  },
);

e2eTest(
  test,
  'Paste Race Report from Clipboard reads a report copied out of a CI log',
  () => page,
  async () => {
    const origin = new URL(page.url()).origin;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    // As copied from a GitHub Actions log: timestamps before every line.
    const report = readFileSync(join(repoRoot, 'test/fixtures/races/go1.26.8/field.txt'), 'utf8')
      .split('\n')
      .map((l, i) => `2026-12-05T08:10:${String(10 + i).padStart(2, '0')}.1234567Z ${l}`)
      .join('\n');
    await page.evaluate((text) => navigator.clipboard.writeText(text), report);
    await runCommand(page, 'Go Lens: Paste Race Report from Clipboard');
    await rowText('(*counter).read', /\(\*counter\)\.read ⇄ \(\*counter\)\.bump\s*1×/);
    await screenshot(page, 'races-4b-pasted');
  },
);

e2eTest(
  test,
  'The diagnostics follow the line when lines are added above it; a rerun without the race clears it',
  () => page,
  async () => {
    await openInEditor(page, 'racy/stats.go');
    await page.click('.editor-group-container.active .view-lines');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await openProblems();
    await waitFor(
      async () =>
        (await problemRows()).some(
          (r) => /Data race: write/.test(r.text) && /Ln 27\b/.test(r.text),
        ),
      { what: 'the write diagnostic to move from line 25 to 27' },
    );
    assert.ok(
      (await problemRows()).some(
        (r) => /Data race: previous read/.test(r.text) && /Ln 32\b/.test(r.text),
      ),
      'the read moved from 30 to 32',
    );
    await screenshot(page, 'races-5-followed-edit');
    // Undoing the edit moves them back.
    // Two Enters are one or two undo stops; nothing older is on this editor's undo stack.
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await waitFor(
      async () =>
        (await problemRows()).some(
          (r) => /Data race: write/.test(r.text) && /Ln 25\b/.test(r.text),
        ),
      { what: 'the write diagnostic back on line 25 after undo' },
    );

    // Fix the race on disk (the total under the lock) and run the same tests again.
    const file = join(workspace, 'racy/stats.go');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(
          '\ts.mu.Unlock()\n\ts.total++ // the race: written outside the lock',
          '\ts.total++\n\ts.mu.Unlock()',
        )
        .replace(
          '\treturn s.total // ... and read outside it',
          '\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn s.total',
        ),
    );
    await runCommand(page, 'Go Lens: Restart the Race Detector Run');
    await waitFor(
      async () => {
        await openProblems();
        return !(await problemRows()).some((r) => /Data race/.test(r.text));
      },
      { timeout: 180_000, what: 'the rerun to clear the race from the Problems panel' },
    );
    // The Data Races view lost it too; the opened log's race stays.
    await waitFor(
      async () => !(await page.$('.pane-body .monaco-list-row[aria-label*="(*Stats).Hit"]')),
      { what: 'the race to leave the Data Races view' },
    );
    assert.ok(await page.$('.pane-body .monaco-list-row[aria-label*="TestBeta ⇄ TestAlpha"]'));
    await screenshot(page, 'races-6-rerun-clean');
  },
  { timeout: 300_000 },
);

/** Pids of the binaries Go Lens built with -race for this workspace (in its golens-race-* build folder). */
function raceBinaries() {
  const name = workspace.split('/').pop();
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('/golens-race-') && l.includes(`/${name} `) && !l.includes('/bin/sh'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

e2eTest(
  test,
  'Run Program with Race Detector runs a configured command line; Stop ends it',
  () => page,
  async () => {
    await openInEditor(page, 'main.go');
    await runCommand(page, 'Go Lens: Run Program with Race Detector');
    await answerQuickInput(page, 'demo server');
    // Built with -race (a minute or more for net/http on a busy machine), then running.
    await page.waitForSelector(
      '.pane-body .monaco-list-row[aria-label*="demo server: running with the race detector"]',
      { timeout: 240_000 },
    );
    const pids = await waitFor(
      () => {
        const p = raceBinaries();
        return p.length > 0 ? p : undefined;
      },
      { what: 'the demo server process' },
    );
    await screenshot(page, 'races-7-program-running');
    await runCommand(page, 'Go Lens: Stop the Race Detector Run');
    await page.waitForSelector('.pane-body .monaco-list-row[aria-label*="demo server: running"]', {
      state: 'detached',
      timeout: 30_000,
    });
    await waitFor(() => raceBinaries().length === 0, {
      what: `the demo server (${pids.join(', ')}) to end`,
    });
  },
  { timeout: 360_000 },
);
