// Go Lens: Run… in a real VS Code, on the demo workspace's second program (cmd/batch: no pprof
// import, no port): it runs from its main.go with the profiling endpoints added at build time,
// Capture CPU Profile offers the run first and opens its flame graph, the Goroutines view's
// refresh reads the run, the flight recorder's snapshot answers at the run's own URL, Stop ends
// the whole process group, and the workspace's files are unchanged.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  copyWorkspace,
  e2eTest,
  openVsCode,
  repoRoot,
  runCommand,
  screenshot,
  waitFor,
  webviewFrame,
  openInEditor,
} from './harness.mjs';

let workspace, vscode, page, pid, endpoints, flightUrl, digestBefore;

function digest(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

before(
  async () => {
    workspace = copyWorkspace(join(repoRoot, 'demo'));
    digestBefore = digest(workspace);
    vscode = await openVsCode(workspace, {
      settings: {
        'goLens.cpuProfileSeconds': 3,
        'goLens.run.flightRecorder.minAgeSeconds': 5,
        // The DOM renderer, so the test can read the terminal's text.
        'terminal.integrated.gpuAcceleration': 'off',
      },
      env: { GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  if (pid) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

async function terminalText() {
  return page
    .$$eval('.xterm-rows', (els) =>
      els
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => e.textContent ?? '')
        .join('\n'),
    )
    .catch(() => '');
}

/** Waits for a quick pick row whose label contains `text`, then accepts the active (first) row. */
async function acceptRow(text) {
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${text}"]`, {
    timeout: 30_000,
  });
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

function groupAlive(p) {
  try {
    process.kill(-p, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

e2eTest(
  test,
  'Run… builds cmd/batch with profiling endpoints and runs it in a terminal',
  () => page,
  async () => {
    await openInEditor(page, 'cmd/batch/main.go');
    await runCommand(page, 'Go Lens: Run…');
    await acceptRow('Run this package');
    await screenshot(page, 'launcher-0-picked');
    // The options, profiling endpoints and flight recorder checked: Enter runs.
    await page.waitForSelector(
      '.quick-input-widget .quick-input-list .monaco-list-row[aria-label*="Profiling endpoints"]',
      { timeout: 30_000 },
    );
    // A click on a row of a multi-select quick pick toggles its checkbox.
    await page
      .locator(
        '.quick-input-list .monaco-list-row[aria-label*="Flight recorder"] .label-name, .quick-input-list .monaco-list-row[aria-label*="Flight recorder"]',
      )
      .first()
      .click();
    await page
      .waitForSelector('.quick-input-widget .quick-input-count:has-text("2")', { timeout: 10_000 })
      .catch(() => undefined);
    await page.waitForTimeout(300);
    await screenshot(page, 'launcher-1-options');
    await page.keyboard.press('Enter');
    const text = await waitFor(
      async () => {
        const t = await terminalText();
        return /profiling endpoints at http:\/\/127\.0\.0\.1:\d+\/debug\/pprof/.test(t) &&
          /batch: \d+ records scored/.test(t)
          ? t
          : undefined;
      },
      { timeout: 180_000, what: 'the run to report its endpoints and print progress' },
    );
    pid = Number(/pid (\d+), profiling endpoints/.exec(text)[1]);

    endpoints = /profiling endpoints at (http:\/\/\S+\/debug\/pprof)/.exec(text)[1];
    flightUrl = /flight recorder at (http:\/\/\S+?)[\s\]]/.exec(text)?.[1];
    assert.ok(groupAlive(pid), `the run's process group ${pid} is alive`);
    // The CodeLens on func main offers the same run (the terminal may have scrolled it out of sight).
    await page.waitForSelector(
      '.contentWidgets .codelens-decoration a:has-text("Run with Go Lens")',
      { timeout: 60_000, state: 'attached' },
    );
    await screenshot(page, 'launcher-2-running');
  },
);

e2eTest(
  test,
  'Capture CPU Profile picks the run first and shows its flame graph',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture CPU Profile');
    // The live run is the first row: Enter takes it, nothing to type.
    await acceptRow('running under Go Lens');
    const frame = await webviewFrame(page, { timeout: 60_000, title: '.pb.gz' });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 90_000 });
    assert.ok(Number(await frame.$eval('canvas.flame-canvas', (c) => c.dataset.drawn)) > 3);
    // The profile is the batch's: its hot functions are in the Top view's data.
    const res = await fetch(`${endpoints}/goroutine?debug=2`);
    assert.match(await res.text(), /main\.(scoreRecord|normalize|main)\(/);
    await screenshot(page, 'launcher-3-flame-graph');
  },
);

e2eTest(
  test,
  "the flight recorder's snapshot answers at the run's own URL",
  () => page,
  async () => {
    assert.ok(flightUrl, 'the terminal names the flight recorder URL (Go 1.25+)');
    const res = await fetch(flightUrl);
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.match(new TextDecoder().decode(bytes.subarray(0, 16)), /^go 1\.\d+ trace/);
  },
);

e2eTest(
  test,
  'Capture Flight Recorder Snapshot takes the run and its URL without asking, and opens the timeline',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture Flight Recorder Snapshot');
    // The live run is the first row, and it carries its flight recorder URL: no URL question.
    await acceptRow('running under Go Lens');
    const frame = await webviewFrame(page, { timeout: 90_000, title: 'trace-' });
    await frame.waitForSelector('canvas.lanes-canvas[data-first]', { timeout: 90_000 });
    await waitFor(
      async () => Number(await frame.$eval('canvas.lanes-canvas', (c) => c.dataset.pMarks)) > 0,
      { what: 'P lane marks', timeout: 30_000 },
    );
    await screenshot(page, 'launcher-4-flight-recorder-timeline');
  },
);

e2eTest(
  test,
  'Stop ends the process group; the workspace files are unchanged',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Stop Run');
    await waitFor(() => !groupAlive(pid), { timeout: 30_000, what: 'the process group to end' });
    const t = await waitFor(
      async () => {
        const s = await terminalText();
        return /stopped: process (was ended by SIGINT|exited with code \d+)/.test(s)
          ? s
          : undefined;
      },
      { what: 'the exit in the terminal' },
    );
    assert.match(t, /stopped: process/);
    await assert.rejects(fetch(`${endpoints}/`), 'the endpoints are gone with the run');
    assert.deepEqual(digest(workspace), digestBefore);
    await screenshot(page, 'launcher-4-stopped');
  },
);
