// Linux perf in a real VS Code: "Record CPU Profile with perf…" on the running demo service →
// the flame graph shows its Go frames and kernel frames → double-click a Go frame opens its line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  activeTabLabel,
  answerQuickInput,
  cursorPosition,
  e2eTest,
  notifications,
  openVsCode,
  quickOpen,
  runCommand,
  screenshot,
  startDemoWorkspace,
  waitFor,
  webviewFrame,
} from './harness.mjs';

let demo, vscode, page;

before(
  async () => {
    demo = await startDemoWorkspace();
    // A perf.data in the workspace, as `perf record` leaves it: the demo service run under perf for 3 s.
    // (timeout's exit status 124 is perf's: the recording is written all the same.)
    const rec = spawnSync(
      'perf',
      [
        'record',
        '-q',
        '-e',
        'cpu-clock',
        '-F',
        '499',
        '-g',
        '-o',
        join(demo.workspace, 'demo.perf.data'),
        '--',
        'timeout',
        '3',
        join(demo.workspace, 'demo-server'),
        '-addr',
        '127.0.0.1:0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    assert.ok(
      existsSync(join(demo.workspace, 'demo.perf.data')),
      `perf record wrote nothing: ${rec.stderr}`,
    );
    vscode = await openVsCode(demo.workspace, {
      settings: { 'goLens.cpuProfileSeconds': 3, 'goLens.perf.frequency': 499 },
    });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  demo?.stop();
});

/** Hovers across the flame graph until the tooltip names a function `match` accepts; returns the point, name and file. */
async function findFrame(frame, match) {
  const canvas = await frame.waitForSelector('canvas.flame-canvas');
  const box = await canvas.boundingBox();
  // Coarse steps first (wide frames are found in a few moves, which a loaded machine makes slow), then fine ones.
  for (const step of [0.05, 0.01]) {
    for (let row = 0; row < 40; row++) {
      const y = box.y + row * 20 + 10;
      if (y > box.y + box.height) break;
      for (let fx = step / 2; fx < 1; fx += step) {
        const x = box.x + box.width * fx;
        await frame.page().mouse.move(x, y);
        const name = await frame.$eval('.tooltip .fn', (e) => e.textContent).catch(() => null);
        if (name && match(name)) {
          const file = await frame.$eval('.tooltip .file', (e) => e.textContent).catch(() => '');
          return { x, y, name, file };
        }
      }
    }
  }
  return undefined;
}

e2eTest(
  test,
  'Record CPU Profile with perf shows Go and kernel frames, and a Go frame opens its line',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Record CPU Profile with perf');
    // The picker lists Go programs first; filter to the demo service.
    await answerQuickInput(page, 'demo-server');
    await page.waitForTimeout(1200);
    await screenshot(page, 'perf-1-countdown');
    const progress = (await notifications(page)).join(' | ');
    assert.match(
      progress,
      /Recording demo-server|s left|perf/,
      `countdown notification, saw: ${progress}`,
    );

    const frame = await webviewFrame(page, { timeout: 90_000 });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 90_000 });
    await screenshot(page, 'perf-2-flame-graph');

    // Kernel frames are there (the Top table lists them) and their tooltip names the kernel.
    await (await frame.waitForSelector('button.tab:has-text("Top")')).click();
    await frame.waitForSelector('[data-testid="top-table"] .trow');
    const names = await frame.$$eval('[data-testid="top-table"] .trow .cell.name', (els) =>
      els.map((e) => e.textContent),
    );
    // countPrimes is inlined into the demo's worker closure: its frame comes from the binary's inline
    // tables, as in pprof, and it has the closure's CPU (the top rows, by flat time). main.hashChain's
    // own time went to what is inlined into it (sha256…); the flame graph below shows it.
    assert.ok(
      names.includes('main.countPrimes'),
      `Go frames in the top table: ${names.slice(0, 15).join(', ')}`,
    );
    const kernel =
      /^(entry_SYSCALL|do_syscall_64|__x64_sys|asm_sysvec|sysvec_|__schedule|schedule|futex|do_futex|__futex|irqentry|hrtimer|finish_task_switch|native_)/;
    const kernelName = names.find((n) => kernel.test(n));
    assert.ok(kernelName, `a kernel frame in the top table: ${names.slice(0, 30).join(', ')}`);
    // Kernel time can be a sliver of the graph (how much depends on the machine's load): focus on
    // the kernel function so that its frame spans the graph, then find it there.
    await (await frame.waitForSelector('button.tab:has-text("Flame")')).click();
    const text = await frame.waitForSelector('vscode-textfield.filter-text');
    await text.click();
    await page.keyboard.type(`^${kernelName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await page.keyboard.press('Enter');
    const chip = await frame.waitForSelector('[data-testid="filter-chip"]:has-text("Focus:")');
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]');
    const k = await findFrame(frame, (n) => n === kernelName);
    assert.ok(k, `the kernel frame ${kernelName} in the focused flame graph`);
    assert.equal(
      k.file.replace(/:\d+$/, ''),
      '[kernel.kallsyms]',
      `kernel frame ${k.name} is marked as kernel: ${k.file}`,
    );
    await screenshot(page, 'perf-3-kernel-frame');
    await (await chip.waitForSelector('button.chip-remove')).click();
    await frame.waitForSelector('[data-testid="filter-chip"]', { state: 'detached' });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]');

    // A Go frame names its source line (from the binary's line table) and double-click opens it.
    const hot = await findFrame(frame, (n) => n === 'main.hashChain');
    assert.ok(hot, 'main.hashChain in the flame graph');
    assert.match(
      hot.file,
      /^example\.com\/golens-demo\/work\.go:\d+$/,
      `tooltip file line: ${hot.file}`,
    );
    const line = Number(hot.file.split(':').pop());
    await frame.page().mouse.dblclick(hot.x, hot.y);
    await waitFor(async () => (await activeTabLabel(page)) === 'work.go', {
      what: 'work.go to become the active editor',
    });
    const pos = await waitFor(() => cursorPosition(page), {
      what: 'cursor position in the status bar',
    });
    assert.equal(pos.line, line, `cursor on the line the frame names (${line})`);
    await screenshot(page, 'perf-4-source');
  },
);

e2eTest(
  test,
  'A perf.data file opens in the profile view (perf script run for it)',
  () => page,
  async () => {
    await quickOpen(page, 'demo.perf.data');
    const frame = await webviewFrame(page, { timeout: 90_000, title: 'demo.perf.data' });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 90_000 });
    await (await frame.waitForSelector('button.tab:has-text("Top")')).click();
    await frame.waitForSelector('[data-testid="top-table"] .trow');
    const names = await frame.$$eval('[data-testid="top-table"] .trow .cell.name', (els) =>
      els.map((e) => e.textContent),
    );
    assert.ok(
      names.includes('main.hashChain'),
      `Go frames of the recording: ${names.slice(0, 15).join(', ')}`,
    );
    await screenshot(page, 'perf-5-perf-data');
  },
);
