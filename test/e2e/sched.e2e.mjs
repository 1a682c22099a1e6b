// Run with Scheduler Trace in a real VS Code: a Go program (test/unit/sched-ui/go/spawner: busy
// Ps, GC cycles, its own output on stdout and stderr, a child process that ignores SIGINT and
// SIGTERM) runs from its main.go with GODEBUG=schedtrace=100,scheddetail=1,gctrace=1; the live
// dashboard charts it, the terminal shows its own lines (no SCHED lines) and takes input, a
// picked instant shows GOMAXPROCS P rows, Stop ends the program and its child, closing the view
// after a Restart ends the new run; a saved stderr log opens in the same dashboard; a build
// failure and a program that exits at once are reported with their output; and in Restricted
// Mode nothing runs.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  answerOpenDialog,
  answerQuickInput,
  e2eTest,
  launchBrowser,
  notifications,
  openInEditor,
  openWorkbench,
  quickOpen,
  repoRoot,
  runCommand,
  screenshot,
  startCodeServer,
  waitFor,
  waitForRestrictedMode,
  webviewFrame,
} from './harness.mjs';

const GOMAXPROCS = 4;
let workspace, server, browser, page;
const pidsToReap = new Set();

before(
  async () => {
    workspace = mkdtempSync(join(tmpdir(), 'golens-ws-sched-'));
    copyFileSync(
      join(repoRoot, 'test/unit/sched-ui/go/spawner/main.go'),
      join(workspace, 'main.go'),
    );
    writeFileSync(join(workspace, 'go.mod'), 'module example.com/spawner\n\ngo 1.21\n');
    copyFileSync(
      join(repoRoot, 'test/fixtures/schedtrace/go1.26.8/sched-gc.p4.detail.log'),
      join(workspace, 'sched-gc.p4.detail.log'),
    );
    // Bad input: a package that does not compile, and a program that gives up at once.
    mkdirSync(join(workspace, 'broken'));
    writeFileSync(
      join(workspace, 'broken/main.go'),
      'package main\n\nfunc main() {\n\tnotDefined()\n}\n',
    );
    mkdirSync(join(workspace, 'quits'));
    writeFileSync(
      join(workspace, 'quits/main.go'),
      'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tfmt.Println("quits: starting")\n\tfmt.Fprintln(os.Stderr, "quits: cannot find config.toml")\n\tos.Exit(3)\n}\n',
    );
    // A program that panics half a second in: the crash is told as for a Run… run.
    mkdirSync(join(workspace, 'panics'));
    copyFileSync(join(repoRoot, 'test/go/attach-panic/main.go'), join(workspace, 'panics/main.go'));
    server = await startCodeServer({
      workspace,
      settings: {
        'goLens.schedTrace.intervalMs': 100,
        'goLens.schedTrace.detail': true,
        // Also proves goLens.schedTrace.env reaches the program (and the build: GOTOOLCHAIN).
        'goLens.schedTrace.env': { GOMAXPROCS: String(GOMAXPROCS), GOTOOLCHAIN: 'local' },
        // A program that is not Go: it runs, and prints no trace line.
        'goLens.schedTrace.configurations': [
          { name: 'not Go: sleep', program: '/bin/sleep', args: ['120'] },
        ],
        // The DOM renderer, so the test can read the terminal's text.
        'terminal.integrated.gpuAcceleration': 'off',
      },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url);
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close();
  server?.stop();
  // Never leave a program of ours running, whatever failed.
  for (const pid of pidsToReap) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const childPid = () => Number(readFileSync(join(workspace, 'child.pid'), 'utf8'));

/** The root element's data attributes of the dashboard in `frame`. */
async function dashboard(frame) {
  return frame.$eval('.sched-root', (e) => ({ ...e.dataset }));
}

/** The text on screen in the terminal shown in the panel (each run has its own; the others are hidden). */
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

async function dashboardFrame() {
  const frame = await webviewFrame(page, { timeout: 60_000 });
  await frame.waitForSelector('.sched-root', { timeout: 30_000 });
  return frame;
}

let runPid;

e2eTest(
  test,
  'Run with Scheduler Trace charts the current package live, its output in a terminal',
  () => page,
  async () => {
    await openInEditor(page, 'main.go');
    await runCommand(page, 'Go Lens: Run with Scheduler Trace');
    await answerQuickInput(page, 'Run this package');
    const frame = await dashboardFrame();
    // Built, started, and at least half a second of 100 ms snapshots charted.
    const d = await waitFor(
      async () => {
        const v = await dashboard(frame);
        return Number(v.snapshots) > 5 && v.gomaxprocs && v.pid ? v : undefined;
      },
      { timeout: 90_000, what: 'snapshots in the dashboard' },
    );
    assert.equal(d.state, 'running');
    assert.equal(Number(d.gomaxprocs), GOMAXPROCS, 'gomaxprocs from goLens.schedTrace.env');
    runPid = Number(d.pid);
    pidsToReap.add(runPid);
    assert.ok(alive(runPid), `program pid ${runPid} alive`);
    assert.equal(
      await frame.$eval('[data-testid="gomaxprocs"]', (e) => e.textContent),
      String(GOMAXPROCS),
    );
    // Charts drew data, not just axes.
    const points = await frame.$$eval('canvas.chart-canvas', (cs) =>
      Object.fromEntries(cs.map((c) => [c.dataset.testid, Number(c.dataset.points ?? 0)])),
    );
    assert.ok(
      points['chart-ps'] > 5 && points['chart-threads'] > 5 && points['chart-heatmap'] > 5,
      `points drawn: ${JSON.stringify(points)}`,
    );
    // GC cycles arrive (the program forces one a second and allocates all the time).
    await waitFor(async () => Number((await dashboard(frame)).gcCount) > 0, {
      timeout: 30_000,
      what: 'GC cycles',
    });
    await waitFor(
      async () =>
        Number(
          await frame.$eval('canvas[data-testid="chart-gc-heap"]', (c) => c.dataset.points ?? 0),
        ) > 0,
      { what: 'the GC heap chart to draw cycles' },
    );

    // The program's own output, on stdout and stderr, is in the terminal; the runtime's lines are not.
    const text = await waitFor(
      async () => {
        const t = await terminalText();
        return /spawner: tick \d+ on stdout/.test(t) && /spawner: tick \d+ on stderr/.test(t)
          ? t
          : undefined;
      },
      { timeout: 30_000, what: 'program output in the terminal' },
    );
    assert.doesNotMatch(text, /SCHED \d+ms|gomaxprocs=|  P0: status=|gc \d+ @/);
    await screenshot(page, 'sched-1-live-dashboard');

    // What is typed in the terminal goes to the program's stdin.
    await page.click('.terminal-wrapper.active .xterm, .xterm');
    await page.keyboard.type('hello golens');
    await page.keyboard.press('Enter');
    await waitFor(
      async () => (await terminalText()).includes('spawner: got input "hello golens"'),
      { timeout: 15_000, what: 'the program to echo the input' },
    );
    await screenshot(page, 'sched-2-terminal-input');
  },
);

e2eTest(
  test,
  'Picking an instant shows its P, M and G tables',
  () => page,
  async () => {
    const frame = await dashboardFrame();
    const hit = await frame.waitForSelector('[data-chart="ps"] .hit');
    const box = await hit.boundingBox();
    await frame.page().mouse.click(box.x + box.width * 0.6, box.y + box.height / 2);
    await frame.waitForSelector('[data-testid="p-table"] tbody tr', { timeout: 15_000 });
    const pRows = await frame.$$eval('[data-testid="p-table"] tbody tr', (rs) =>
      rs.map((r) => r.textContent),
    );
    assert.equal(pRows.length, GOMAXPROCS, `P rows: ${pRows.join(' | ')}`);
    assert.match(pRows[0], /^P0(idle|running|syscall|gcstop)/);
    const mRows = await frame.$$eval('[data-testid="m-table"] tbody tr', (rs) => rs.length);
    assert.ok(mRows >= 1, 'M rows');
    const gCount = Number(
      await frame.$eval('[data-testid="g-table"]', (e) => e.getAttribute('aria-rowcount')),
    );
    assert.ok(gCount >= 5, `G rows: ${gCount}`);
    // Virtualised: not every G is in the DOM when there are many, but the first ones are.
    assert.match(await frame.$eval('[data-testid="g-table"] .vrow', (e) => e.textContent), /^G1/);
    await frame.$eval('[data-testid="detail"]', (e) => e.scrollIntoView());
    // A pick while following pins nothing: the dashboard keeps following.
    assert.equal((await dashboard(frame)).follow, 'true');
    await screenshot(page, 'sched-3-instant-tables');

    // Hiding the tab discards the page; showing it again brings back the charts and the picked instant.
    const picked = await frame.$eval('[data-testid="detail"]', (e) => e.dataset.detailTime);
    await page.click('.tab[aria-label*="main.go"]');
    await page.waitForTimeout(500);
    await page.click('.tab[aria-label*="Scheduler: "]');
    const again = await dashboardFrame();
    await again.waitForSelector('[data-testid="p-table"] tbody tr', { timeout: 15_000 });
    assert.equal(await again.$eval('[data-testid="detail"]', (e) => e.dataset.detailTime), picked);
    await waitFor(async () => Number((await dashboard(again)).snapshots) > 5, {
      what: 'the charts after showing the tab again',
    });
  },
);

e2eTest(
  test,
  'A frozen program is flagged when its trace lines stop, and the flag goes when it resumes',
  () => page,
  async () => {
    const frame = await dashboardFrame();
    const problem = () =>
      frame.$eval('[data-testid="problem"]', (e) => e.textContent ?? '').catch(() => '');
    // SIGSTOP freezes every thread, sysmon included, as a runtime deadlock or a debugger would.
    process.kill(runPid, 'SIGSTOP');
    try {
      const text = await waitFor(
        async () => {
          const t = await problem();
          return /No trace line from .* for [\d.]+m?s\b/.test(t) ? t : undefined;
        },
        { timeout: 20_000, what: 'the frozen-program warning' },
      );
      assert.match(text, /frozen/);
      assert.equal((await dashboard(frame)).state, 'running');
      await frame.$eval('[data-testid="problem"]', (e) => e.scrollIntoView());
      await screenshot(page, 'sched-3b-frozen');
    } finally {
      process.kill(runPid, 'SIGCONT');
    }
    await waitFor(async () => (await problem()) === '', {
      timeout: 15_000,
      what: 'the warning to go once the program runs again',
    });
    const before = Number((await dashboard(frame)).snapshots);
    await waitFor(async () => Number((await dashboard(frame)).snapshots) > before, {
      what: 'new snapshots after SIGCONT',
    });
  },
);

e2eTest(
  test,
  'Stop ends the program and its child process',
  () => page,
  async () => {
    const frame = await dashboardFrame();
    const child = childPid();
    pidsToReap.add(child);
    assert.ok(alive(child), `child ${child} alive before Stop`);
    await frame.click('[data-testid="stop"]');
    await waitFor(async () => (await dashboard(frame)).state === 'stopped', {
      timeout: 15_000,
      what: 'the stopped state',
    });
    await waitFor(() => !alive(runPid) && !alive(child), {
      timeout: 10_000,
      what: `pid ${runPid} and its child ${child} to be gone`,
    });
    assert.match(
      await frame.$eval('[data-testid="run-state"]', (e) => e.textContent),
      /Stopped after/,
    );
    await waitFor(async () => /stopped: process/.test(await terminalText()), {
      what: 'the exit notice in the terminal',
    });
    await screenshot(page, 'sched-4-stopped');

    // Save Log… writes the stderr bytes as received: runtime lines and the program's lines interleaved.
    await frame.click('[data-testid="save-log"]');
    const input = await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    const target = await waitFor(
      async () => {
        const v = await input.inputValue();
        return v.endsWith('.schedtrace.log') ? v : undefined;
      },
      { what: 'the save dialog to propose a .schedtrace.log name' },
    );
    await page.keyboard.press('Enter');
    const saved = await waitFor(
      () => {
        try {
          return readFileSync(target, 'utf8');
        } catch {
          return undefined;
        }
      },
      { what: `the saved log at ${target}` },
    );
    assert.match(saved, /^SCHED \d+ms: gomaxprocs=4 /m);
    assert.match(saved, /^ {2}P0: status=/m);
    assert.match(saved, /^gc \d+ @/m);
    assert.match(saved, /^spawner: tick \d+ on stderr$/m);
    assert.doesNotMatch(saved, /on stdout/, 'stdout is not part of the stderr log');
  },
);

e2eTest(
  test,
  'Restart runs it again; closing the view ends the run and its child',
  () => page,
  async () => {
    const frame = await dashboardFrame();
    await frame.click('[data-testid="restart"]');
    const d = await waitFor(
      async () => {
        const v = await dashboard(frame);
        return v.state === 'running' && v.pid && Number(v.pid) !== runPid && Number(v.snapshots) > 2
          ? v
          : undefined;
      },
      { timeout: 90_000, what: 'the restarted run' },
    );
    const pid = Number(d.pid);
    pidsToReap.add(pid);
    const child = await waitFor(
      () => {
        const c = childPid();
        return c && alive(c) && c !== pid ? c : undefined;
      },
      { what: 'the new child pid' },
    );
    pidsToReap.add(child);
    // Close the dashboard: its tab is the active editor after a click on it.
    await page.click('.tab[aria-label*="Scheduler: "]');
    await runCommand(page, 'View: Close Editor');
    await waitFor(() => !alive(pid) && !alive(child), {
      timeout: 15_000,
      what: `pid ${pid} and its child ${child} to be gone after closing the view`,
    });
    await screenshot(page, 'sched-5-closed');
  },
);

e2eTest(
  test,
  'Open Scheduler Trace Log… shows a saved stderr log in the same dashboard',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Open Scheduler Trace Log…');
    await answerOpenDialog(page, join(workspace, 'sched-gc.p4.detail.log'));
    const frame = await dashboardFrame();
    const d = await waitFor(
      async () => {
        const v = await dashboard(frame);
        return v.state === 'loaded' && Number(v.snapshots) > 0 ? v : undefined;
      },
      { timeout: 30_000, what: 'the log to load' },
    );
    assert.equal(Number(d.gomaxprocs), 4);
    assert.ok(Number(d.gcCount) > 0, `GC cycles in the log: ${d.gcCount}`);
    await waitFor(
      async () =>
        Number(await frame.$eval('canvas[data-testid="chart-ps"]', (c) => c.dataset.points ?? 0)) >
        0,
      { what: 'the Ps chart to draw' },
    );
    const hit = await frame.waitForSelector('[data-chart="threads"] .hit');
    const box = await hit.boundingBox();
    await frame.page().mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await frame.waitForSelector('[data-testid="p-table"] tbody tr', { timeout: 15_000 });
    assert.equal((await frame.$$('[data-testid="p-table"] tbody tr')).length, 4);
    await screenshot(page, 'sched-6-saved-log');
    const errors = (await notifications(page)).filter(
      (t) => /Go Lens/.test(t) && /error|could not/i.test(t),
    );
    assert.deepEqual(errors, []);
  },
);

/** Opens `file` of the workspace and runs the current package with the trace; returns the dashboard's frame once it has failed. */
async function runFailing(file) {
  await openInEditor(page, file);
  await runCommand(page, 'Go Lens: Run with Scheduler Trace');
  await answerQuickInput(page, 'Run this package');
  const frame = await dashboardFrame();
  await waitFor(async () => (await dashboard(frame)).state === 'failed', {
    timeout: 90_000,
    what: 'the failed state',
  });
  return frame;
}

e2eTest(
  test,
  'A package that does not build, and a program that exits at once, say so with their output',
  () => page,
  async () => {
    let frame = await runFailing('broken/main.go');
    let problem = await frame.$eval('[data-testid="problem"]', (e) => e.textContent);
    assert.match(problem, /go build failed \(exit code 1\)/);
    assert.match(problem, /undefined: notDefined/);
    assert.match(await terminalText(), /undefined: notDefined/);
    await screenshot(page, 'sched-8-build-failed');
    await page.click('.tab[aria-label*="Scheduler: broken"]');
    await runCommand(page, 'View: Close Editor');

    frame = await runFailing('quits/main.go');
    problem = await frame.$eval('[data-testid="problem"]', (e) => e.textContent);
    assert.match(problem, /exited with code 3/);
    assert.match(problem, /quits: cannot find config\.toml/);
    assert.match(await terminalText(), /quits: starting/);
    const toast = await waitFor(
      async () => (await notifications(page)).find((t) => /exited with code 3/.test(t)),
      { what: 'the error notification' },
    );
    assert.match(toast, /quits/);
    await screenshot(page, 'sched-9-exited-at-once');
    await page.click('.tab[aria-label*="Scheduler: quits"]');
    await runCommand(page, 'View: Close Editor');

    frame = await runFailing('panics/main.go');
    problem = await frame.$eval('[data-testid="problem"]', (e) => e.textContent);
    assert.match(
      problem,
      /crashed after [\d.]+m?s: panic: runtime error: index out of range \[3\] with length 2/,
    );
    await waitFor(
      async () => /\[crash: panic: runtime error: index out of range/.test(await terminalText()),
      { what: 'the crash notice in the terminal' },
    );
    const crashToast = await waitFor(
      async () => (await notifications(page)).find((t) => /crashed: panic: runtime error/.test(t)),
      { what: 'the crash notification' },
    );
    assert.match(crashToast, /panics/);
    await screenshot(page, 'sched-9b-crashed');
    await page.click('.tab[aria-label*="Scheduler: panics"]');
    await runCommand(page, 'View: Close Editor');
  },
);

e2eTest(
  test,
  'A program that prints no trace line is asked about, and Stop ends it',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Run with Scheduler Trace');
    await answerQuickInput(page, 'not Go: sleep');
    const frame = await dashboardFrame();
    const problem = await waitFor(
      async () => {
        const t = await frame
          .$eval('[data-testid="problem"]', (e) => e.textContent ?? '')
          .catch(() => '');
        return /No GODEBUG trace line from sleep after/.test(t) ? t : undefined;
      },
      { timeout: 30_000, what: 'the no-trace warning' },
    );
    assert.match(problem, /Is it a Go program\?/);
    const { state, pid } = await dashboard(frame);
    assert.equal(state, 'running');
    pidsToReap.add(Number(pid));
    await frame.click('[data-testid="stop"]');
    await waitFor(async () => (await dashboard(frame)).state === 'stopped', {
      timeout: 15_000,
      what: 'the stopped state',
    });
    await waitFor(() => !alive(Number(pid)), {
      timeout: 10_000,
      what: `sleep (pid ${pid}) to be gone`,
    });
    await page.click('.tab[aria-label*="Scheduler: "]');
    await runCommand(page, 'View: Close Editor');
  },
);

e2eTest(
  test,
  'Restricted Mode: Run with Scheduler Trace launches nothing and says why',
  () => page,
  async () => {
    await browser.close();
    server.stop();
    server = await startCodeServer({
      workspace,
      trust: true,
      settings: { 'goLens.schedTrace.intervalMs': 100 },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url);
    await waitForRestrictedMode(page);
    await quickOpen(page, 'main.go');
    const before = readFileSync(join(workspace, 'child.pid'), 'utf8');
    await runCommand(page, 'Go Lens: Run with Scheduler Trace');
    const msg = await waitFor(
      async () => (await notifications(page)).find((t) => /Restricted Mode/.test(t)),
      { what: 'the Restricted Mode warning' },
    );
    assert.match(msg, /does not run programs/);
    await screenshot(page, 'sched-7-restricted');
    await page.waitForTimeout(1500);
    assert.equal(
      await page.$(
        '.quick-input-widget .quick-input-list .monaco-list-row[aria-label*="Run this package"]',
      ),
      null,
      'no picker of what to run',
    );
    assert.equal(readFileSync(join(workspace, 'child.pid'), 'utf8'), before, 'nothing ran');
  },
);
