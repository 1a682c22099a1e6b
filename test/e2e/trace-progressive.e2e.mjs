// Progressive opening of a big execution trace in a real VS Code: a multi-generation trace
// recorded from a real busy Go program (test/go/trace-busy, 32 MiB) shows its timeline while
// the rest is still loading (the preview of its first generations, with a progress bar and
// Cancel), then the complete trace, whose counts are those of `golens trace-analysis` on the
// same file. Opened again, Cancel during the rest keeps the preview on screen and says so.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

let vscode, page, workspace;
/** What a plain (not progressive) load of the trace holds, by the CLI. */
let expected;
const TRACE_BYTES = 32 << 20;

before(
  async () => {
    workspace = mkdtempSync(join(tmpdir(), 'golens-e2e-progressive-'));
    const bin = join(workspace, 'trace-busy');
    execFileSync('go', ['build', '-o', bin, './trace-busy'], {
      cwd: join(repoRoot, 'test/go'),
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    });
    const trace = join(workspace, 'busy.trace');
    // At 8 MiB/s: about four seconds, so several generations (the runtime starts one about
    // every second) however fast the machine.
    execFileSync(bin, ['-o', trace, '-size', String(TRACE_BYTES), '-rate', String(8 << 20)]);
    // The CLI builds the model in one go (buildModel): the reference for the complete trace.
    const r = execFileSync(
      process.execPath,
      [join(repoRoot, 'dist/cli.js'), 'trace-analysis', trace, '--json', '--timings'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
    );
    expected = { goroutines: JSON.parse(r).goroutines };
    // A small trace, opened first: Go Lens active and its worker running, as in a Go workspace
    // where it activates with the first Go file. The big trace's load starts when its view opens,
    // and a first open that also activated the extension could take long enough for the whole
    // trace to be in before the view's page could show a preview.
    execFileSync(bin, ['-o', join(workspace, 'small.trace'), '-size', String(1 << 20)]);
    vscode = await openVsCode(workspace);
    page = vscode.page;
    await quickOpen(page, 'small.trace');
    await webviewFrame(page, { timeout: 90_000, title: 'small.trace' });
    await runCommand(page, 'View: Close All Editors');
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

/**
 * Notes in the page (window.sawProgressBar) when the preview bar shows a progress bar over the
 * drawn timeline. Polling can miss it: on a slow machine the rest loaded while the test took its
 * screenshot and zoomed, and no poll saw the bar.
 */
async function recordProgressBar(frame) {
  await frame.evaluate(() => {
    const check = () => {
      window.sawProgressBar ||=
        !!document.querySelector('canvas.lanes-canvas[data-first]') &&
        !!document.querySelector(
          '[data-testid="trace-partial"][data-state="loading"] [role="progressbar"]',
        );
    };
    window.sawProgressBar = false;
    check();
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
    });
  });
}

/** The view's state, polled: the preview bar, the counts shown, the timeline's last frame. */
async function viewState(frame) {
  return frame.evaluate(() => {
    const bar = document.querySelector('[data-testid="trace-partial"]');
    const info = document.querySelector('[data-testid="trace-info"]');
    const lanes = document.querySelector('canvas.lanes-canvas');
    return {
      partial: bar ? bar.getAttribute('data-state') : null,
      partialText: bar?.textContent ?? '',
      loadingScreen: !!document.querySelector('[data-testid="trace-progress"]'),
      events: info ? Number(info.getAttribute('data-events')) : 0,
      goroutines: info ? Number(info.getAttribute('data-goroutines')) : 0,
      drawn: !!lanes?.dataset.first,
      pMarks: Number(lanes?.dataset.pMarks ?? 0),
      window: (lanes?.dataset.window ?? '').split(',').map(Number),
    };
  });
}

e2eTest(
  test,
  'A big multi-generation trace shows its first generations while the rest loads, then all of it',
  () => page,
  async () => {
    await quickOpen(page, 'busy.trace');
    const frame = await webviewFrame(page, { timeout: 90_000, title: 'busy.trace' });
    await recordProgressBar(frame);
    const seen = [];
    let preview;
    let shot = false;
    let zoomed;
    const complete = await waitFor(
      async () => {
        const s = await viewState(frame).catch(() => undefined);
        if (!s) return false;
        seen.push(s);
        if (s.partial === 'loading' && s.drawn && s.pMarks > 0) {
          preview ??= s;
          if (!shot) {
            shot = true;
            await screenshot(page, 'trace-progressive-1-preview');
            // The user zooms into the preview: that window must survive the swap.
            await frame.click('[data-testid="timeline"]', { position: { x: 5, y: 5 } });
            await page.keyboard.press('w');
            await page.keyboard.press('w');
            await page.waitForTimeout(100);
            zoomed = (await viewState(frame)).window;
          } else if (seen.filter((v) => v.partial === 'loading').length === 15) {
            // A moment later: the overview strip has filled in some of the rest.
            await screenshot(page, 'trace-progressive-1b-loading');
          }
        }
        return s.partial === null && s.drawn && s.events > 0 && s.goroutines > 0 ? s : false;
      },
      { timeout: 180_000, interval: 100, what: 'the complete trace' },
    );
    // The timeline was on screen, drawn, with the preview bar and its progress, before the end.
    assert.ok(
      preview,
      `the preview's timeline before the load completed; saw ${JSON.stringify(seen.slice(0, 5))}…`,
    );
    assert.match(preview.partialText, /Showing the first .*generation.* while the rest loads/);
    assert.ok(
      await frame.evaluate(() => window.sawProgressBar),
      'a progress bar over the drawn timeline while the rest loads',
    );
    assert.ok(preview.goroutines < complete.goroutines, 'the preview holds fewer goroutines');
    assert.ok(preview.events < complete.events, 'the preview holds fewer events');
    // The complete trace: what the one-go model of the CLI holds.
    assert.equal(complete.goroutines, expected.goroutines);
    // Shown in the window the user chose on the preview (not reset to the whole trace).
    assert.ok(zoomed && zoomed[1] > zoomed[0], `window after zooming the preview: ${zoomed}`);
    const after = (await viewState(frame)).window;
    const width = zoomed[1] - zoomed[0];
    assert.ok(
      Math.abs(after[0] - zoomed[0]) < width * 0.01 &&
        Math.abs(after[1] - zoomed[1]) < width * 0.01,
      `window kept across the swap: ${zoomed} → ${after}`,
    );
    await waitFor(async () => (await viewState(frame)).pMarks > 0, { what: 'P lanes redrawn' });
    await screenshot(page, 'trace-progressive-2-complete');
  },
  { timeout: 360_000 },
);

e2eTest(
  test,
  'Cancel while the rest loads keeps the preview on screen and says what is missing',
  () => page,
  async () => {
    await runCommand(page, 'View: Close All Editors');
    await quickOpen(page, 'busy.trace');
    const frame = await webviewFrame(page, { timeout: 90_000, title: 'busy.trace' });
    const cancel = await frame.waitForSelector('[data-testid="trace-partial-cancel"]', {
      timeout: 120_000,
    });
    await cancel.click();
    const s = await waitFor(
      async () => {
        const v = await viewState(frame);
        return v.partial === 'cancelled' ? v : false;
      },
      { timeout: 60_000, what: 'the preview marked as cancelled' },
    );
    assert.match(s.partialText, /Loading was cancelled: only the first .* is shown/);
    assert.ok(s.goroutines > 0 && s.goroutines < expected.goroutines, `${s.goroutines} goroutines`);
    // The preview's timeline stays and still answers: zoom in and it draws marks again.
    await frame.click('[data-testid="timeline"]', { position: { x: 5, y: 5 } });
    await page.keyboard.press('w');
    await waitFor(async () => (await viewState(frame)).pMarks > 0, {
      what: 'P lane marks after the cancel',
    });
    await screenshot(page, 'trace-progressive-3-cancelled');
  },
  { timeout: 240_000 },
);
