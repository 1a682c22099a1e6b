// Execution traces in a real VS Code: capture a trace of the running demo service, see its P
// lanes, hover a span for its stack and jump to the line; select a range and open its CPU flame
// graph; open a committed trace with "Open Execution Trace…" and its goroutine analysis; a
// truncated trace file shows what parsed and says what is missing.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  activeTabLabel,
  answerOpenDialog,
  answerQuickInput,
  cursorPosition,
  e2eTest,
  notifications,
  openVsCode,
  quickOpen,
  repoRoot,
  runCommand,
  screenshot,
  startDemoWorkspace,
  waitFor,
  webviewFrame,
} from './harness.mjs';

let demo, vscode, workspace, demoAddr, page;
const fixture = join(repoRoot, 'test/fixtures/exectrace/workload-go1.26.8.trace');
const legacyFixture = join(repoRoot, 'test/fixtures/exectrace-legacy/oneproc-go1.21.13.trace');

before(
  async () => {
    // -trimpath: frames name files as example.com/golens-demo/work.go, resolved through go.mod.
    demo = await startDemoWorkspace();
    workspace = demo.workspace;
    demoAddr = demo.addr;
    copyFileSync(fixture, join(workspace, 'workload.trace'));
    // Cut inside the last generation: complete generations, then a partial one.
    const bytes = readFileSync(fixture);
    writeFileSync(join(workspace, 'truncated.trace'), bytes.subarray(0, bytes.length - 1000));
    copyFileSync(legacyFixture, join(workspace, 'go121.trace'));
    vscode = await openVsCode(workspace, { settings: { 'goLens.traceSeconds': 2 } });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  demo?.stop();
});

/** The numbers the timeline canvas publishes about its last frame. */
async function lanesInfo(frame) {
  return frame.$eval('canvas.lanes-canvas', (c) => ({ ...c.dataset }));
}

/** Waits for a trace view (by title) to draw its P lanes with marks; returns its frame. */
async function timelineFrame(title) {
  const frame = await webviewFrame(page, { timeout: 90_000, title });
  await frame.waitForSelector('canvas.lanes-canvas[data-first]', { timeout: 90_000 });
  await waitFor(async () => Number((await lanesInfo(frame)).pMarks) > 0, {
    what: 'P lane marks',
    timeout: 30_000,
  });
  return frame;
}

let traceTitle = '';

e2eTest(
  test,
  'Capture Execution Trace shows the P lanes; a span shows its stack and opens its line',
  () => page,
  async () => {
    // The CPU profiler runs during the trace, so the trace has CPU samples for the flame graph.
    // Long enough to cover the extension's activation and the 2 s trace however slow the machine;
    // the runtime only writes samples into a trace while the profiler is on.
    const cpu = fetch(`http://${demoAddr}/debug/pprof/profile?seconds=30`)
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    await runCommand(page, 'Go Lens: Capture Execution Trace');
    await answerQuickInput(page, demoAddr);
    await page.waitForTimeout(800);
    const progress = (await notifications(page)).join(' | ');
    assert.match(progress, /execution trace|s of 2 s/, `progress notification, saw: ${progress}`);
    const frame = await timelineFrame('trace-');
    traceTitle = await frame.title();
    const info = await lanesInfo(frame);
    assert.ok(Number(info.pLanes) >= 1, `P lanes: ${info.pLanes}`);
    assert.ok(Number(info.pMarks) >= 2, `goroutine spans on the P lanes: ${info.pMarks}`);
    await screenshot(page, 'trace-1-timeline');
    void cpu;

    // Hover along the first P lane until a span's tooltip shows a stack in the demo's code.
    const canvas = await frame.waitForSelector('canvas.lanes-canvas');
    const box = await canvas.boundingBox();
    const y = box.y + Number((await lanesInfo(frame)).firstPLaneY);
    let found;
    for (let fx = 0.2; fx < 0.995 && !found; fx += 0.0125) {
      const x = box.x + box.width * fx;
      await page.mouse.move(x, y);
      await page.waitForTimeout(60);
      const frames = await frame
        .$$eval('.tooltip .frame', (els) => els.map((e) => e.textContent ?? ''))
        .catch(() => []);
      if (frames.some((t) => /work\.go:\d+/.test(t))) found = { x, frames };
    }
    assert.ok(found, 'a span on P lane 0 whose tooltip stack is in work.go');
    assert.match(found.frames.join('\n'), /main\.(countPrimes|hashChain|startWorkers)/);
    await screenshot(page, 'trace-2-hover');

    // Click the span: its details stay, with frames that open the source.
    await page.mouse.click(found.x, y);
    const link = await frame.waitForSelector('.details-panel .frame-link[data-file$="work.go"]', {
      timeout: 15_000,
    });
    const line = Number(await link.getAttribute('data-line'));
    assert.ok(line > 0, `frame line ${line}`);
    await link.click();
    await waitFor(async () => (await activeTabLabel(page)) === 'work.go', {
      what: 'work.go to become the active editor',
    });
    const pos = await waitFor(() => cursorPosition(page), {
      what: 'cursor position in the status bar',
    });
    assert.equal(pos.line, line, `cursor on the frame's line (${line})`);
    await screenshot(page, 'trace-3-source');
  },
);

e2eTest(
  test,
  'A selected range opens its CPU samples as a flame graph in the profile view',
  () => page,
  async () => {
    // Back to the trace view (the source editor opened beside it).
    const frame = await webviewFrame(page, { title: traceTitle });
    const header = await frame.waitForSelector('canvas.header-canvas');
    const hb = await header.boundingBox();
    const lanes = await frame.$('canvas.lanes-canvas');
    const lb = await lanes.boundingBox();
    // Drag along the time ruler (the header's axis row) over most of the trace.
    const rulerY = hb.y + 43;
    const left = lb.x + 215;
    await page.mouse.move(left + 5, rulerY);
    await page.mouse.down();
    await page.mouse.move(lb.x + lb.width - 20, rulerY, { steps: 8 });
    await page.mouse.up();
    const bar = await frame.waitForSelector('[data-testid="selection-bar"]', { timeout: 10_000 });
    assert.match((await bar.textContent()) ?? '', /Selected/);
    await screenshot(page, 'trace-4-selection');
    await (await bar.$('button:has-text("CPU flame graph")')).click();
    const opened = await Promise.race([
      frame
        .waitForSelector('[data-testid="flame-opened"]', { timeout: 30_000 })
        .then(() => 'opened'),
      frame
        .waitForSelector('[data-testid="notice"]', { timeout: 30_000 })
        .then(async (n) => `notice: ${await n.textContent()}`),
    ]);
    assert.equal(opened, 'opened', 'the CPU flame graph opened (the trace has CPU samples)');
    const flame = await webviewFrame(page, { title: 'CPU ', timeout: 30_000 });
    await flame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 30_000 });
    const search = await flame.waitForSelector('vscode-textfield.search');
    await search.click();
    await page.keyboard.type('main.countPrimes');
    const share = await flame.waitForSelector('[data-testid="match-share"]', { timeout: 10_000 });
    const text = (await share.textContent()) ?? '';
    const pct = Number(/([\d.]+)%/.exec(text)?.[1]);
    assert.ok(pct > 0, `main.countPrimes in the range's CPU samples: ${text}`);
    await screenshot(page, 'trace-5-flame');
  },
);

e2eTest(
  test,
  'Open Execution Trace… shows a committed trace and its goroutine analysis',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Open Execution Trace…');
    await answerOpenDialog(page, join(workspace, 'workload.trace'));
    const frame = await timelineFrame('workload.trace');
    await screenshot(page, 'trace-6-fixture');
    await (await frame.waitForSelector('[data-testid="tab-analysis"]')).click();
    await frame.waitForSelector('[data-testid="analysis-table"] .group-row', { timeout: 30_000 });
    const groups = await frame.$$eval('[data-testid="analysis-table"] .group-row td.name', (els) =>
      els.map((e) => e.textContent ?? ''),
    );
    assert.ok(groups.length >= 5, `analysis groups: ${groups.length}`);
    assert.ok(
      groups.some((g) => /main\./.test(g)),
      `a group of the workload's own goroutines: ${groups.join(', ')}`,
    );
    // Expand the first group: its goroutines, then reveal one on the timeline.
    await (await frame.$('[data-testid="analysis-table"] .group-row')).click();
    const row = await frame.waitForSelector('[data-testid="analysis-table"] .goroutine-row', {
      timeout: 15_000,
    });
    await screenshot(page, 'trace-7-analysis');
    await row.click();
    await frame.waitForSelector('[data-testid="timeline"]:visible', { timeout: 10_000 });
    await waitFor(async () => Number((await lanesInfo(frame)).rows) > 0, {
      what: 'the timeline to redraw',
    });
    await screenshot(page, 'trace-8-reveal');
  },
);

e2eTest(
  test,
  'A truncated trace shows what parsed with a warning',
  () => page,
  async () => {
    await quickOpen(page, 'truncated.trace');
    const frame = await timelineFrame('truncated.trace');
    const warning = await frame.waitForSelector('[data-testid="trace-warning"]', {
      timeout: 30_000,
    });
    const text = (await warning.textContent()) ?? '';
    assert.match(text, /truncated after generation \d+/);
    assert.match(text, /Showing the first/);
    await screenshot(page, 'trace-9-truncated');
  },
);

e2eTest(
  test,
  'A Go 1.21 trace opens on the timeline, converted as go tool trace converts it',
  () => page,
  async () => {
    await quickOpen(page, 'go121.trace');
    const frame = await timelineFrame('go121.trace');
    assert.equal(
      await frame.$('[data-testid="trace-warning"]'),
      null,
      'no warning for a complete Go 1.21 trace',
    );
    const info = await lanesInfo(frame);
    assert.ok(Number(info.pMarks) > 0, `P lane marks: ${JSON.stringify(info)}`);
    await screenshot(page, 'trace-10-go121');
  },
);
