// Go 1.25–1.27 diagnostics in a real VS Code: Find Goroutine Leaks on a leaking program
// (test/go/leak-server built with the machine's Go 1.26 and GOEXPERIMENT=goroutineleakprofile)
// shows the leaked goroutines in the Goroutines view and one warning per leak site in the
// Problems panel, whose click opens the blocking line; Add Flight Recorder Endpoint previews
// and writes the endpoint file into a program's main package, and once that program is built
// and running, Capture Flight Recorder Snapshot opens its snapshot in the trace timeline.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  activeTabLabel,
  answerQuickInput,
  copyWorkspace,
  cursorPosition,
  e2eTest,
  notifications,
  openVsCode,
  repoRoot,
  runCommand,
  screenshot,
  startListening,
  waitFor,
  webviewFrame,
} from './harness.mjs';

let workspace, leakServer, appServer, vscode, page;
const goEnv = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };

before(
  async () => {
    // The workspace is the Go module of the test programs, so the profile's paths resolve.
    workspace = copyWorkspace(join(repoRoot, 'test/go'));
    // Go 1.26 serves /debug/pprof/goroutineleak only in programs built with the experiment.
    execFileSync('go', ['build', '-trimpath', '-o', 'leak-server-bin', './leak-server'], {
      cwd: workspace,
      env: { ...goEnv, GOEXPERIMENT: 'goroutineleakprofile' },
    });
    leakServer = await startListening(join(workspace, 'leak-server-bin'));
    // A service of its own module (go 1.25, so the endpoint uses runtime/trace), without an endpoint yet.
    mkdirSync(join(workspace, 'frapp'));
    copyFileSync(join(repoRoot, 'test/go/flightrec-app/main.go'), join(workspace, 'frapp/main.go'));
    writeFileSync(join(workspace, 'frapp/go.mod'), 'module example.com/frapp\n\ngo 1.25\n');
    vscode = await openVsCode(workspace);
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  leakServer?.stop();
  appServer?.stop();
});

const sidebarRow = (label) =>
  `.part.sidebar .monaco-list-row[aria-label^="${label.replace(/"/g, '\\"')}"]`;

async function treeRows() {
  return page.$$eval('.part.sidebar .monaco-list-row', (els) =>
    els.map((e) => e.getAttribute('aria-label') ?? ''),
  );
}

function lineOf(file, text) {
  const i = readFileSync(join(workspace, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

e2eTest(
  test,
  'Find Goroutine Leaks shows the leak groups in the Goroutines view and a warning per leak site in Problems',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Find Goroutine Leaks');
    await answerQuickInput(page, leakServer.addr);
    // Said before the capture: the request runs a GC in the program.
    const told = await waitFor(
      async () => (await notifications(page)).find((n) => /runs a garbage collection in/.test(n)),
      { what: 'the GC notice' },
    );
    assert.match(told, /finding goroutine leaks runs a garbage collection in 127\.0\.0\.1:\d+/);
    await page.waitForSelector(sidebarRow('5 goroutines in main.handleRequest.func1'), {
      timeout: 60_000,
    });
    const rows = await treeRows();
    assert.ok(
      rows.some((r) => /^Leaked goroutines only: 1\d of \d+ \(show all\)$/.test(r)),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => r.startsWith('3 goroutines in main.receiveReply, chan receive')),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => r.startsWith('2 goroutines in main.waitForever.func1, sync.Cond.Wait')),
      rows.join('\n'),
    );
    // The blocked but reachable pool workers are not leaks.
    assert.ok(!rows.some((r) => r.includes('poolWorker')), rows.join('\n'));
    await screenshot(page, 'leaks-1-goroutines-view');

    await runCommand(page, 'View: Focus Problems');
    const problem =
      '.markers-panel .monaco-list-row[aria-label*="5 goroutines leaked here: chan send, created at main.handleRequest"]';
    await page.waitForSelector(problem, { timeout: 30_000 });
    const problems = await page.$$eval('.markers-panel .monaco-list-row', (els) =>
      els.map((e) => e.getAttribute('aria-label') ?? ''),
    );
    assert.ok(
      problems.some((p) => p.includes('sync.Cond.Wait, created at main.waitForever')),
      problems.join('\n'),
    );
    await screenshot(page, 'leaks-2-problems');
    await page.click(problem);
    const line = lineOf('leak-server/main.go', 'result <- id * 2');
    await waitFor(
      async () =>
        /^main\.go\s*leak-server/.test(await activeTabLabel(page)) ||
        (await activeTabLabel(page)) === 'main.go',
      { what: 'leak-server/main.go to open' },
    );
    await waitFor(async () => (await cursorPosition(page))?.line === line, {
      what: `the cursor on line ${line}`,
    });
    await screenshot(page, 'leaks-3-line');
  },
);

e2eTest(
  test,
  'Refresh finds the leaks again, and the comparison shows which leaks are new',
  () => page,
  async () => {
    // The program leaks two more request goroutines; the second leak-detecting GC also reports
    // the mutex waiters the first one missed.
    for (let i = 0; i < 2; i++) await fetch(`http://${leakServer.addr}/leak`);
    await runCommand(page, 'Go Lens: Refresh Goroutines');
    await page.waitForSelector(sidebarRow('7 goroutines in main.handleRequest.func1'), {
      timeout: 60_000,
    });
    await runCommand(page, 'Go Lens: Compare Goroutines with Previous Snapshot');
    await page.waitForSelector(sidebarRow('7 goroutines in main.handleRequest.func1, +2 since'), {
      timeout: 30_000,
    });
    const rows = await treeRows();
    // The mutex waiters are new when the first detection missed them (timing), unchanged otherwise.
    assert.ok(
      rows.some((r) =>
        /^2 goroutines in main\.lockForever\.func1, (new \(\+2\)|unchanged) since /.test(r),
      ),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => r.startsWith('3 goroutines in main.receiveReply, unchanged since ')),
      rows.join('\n'),
    );
    await screenshot(page, 'leaks-3b-compare');
    await runCommand(page, 'Go Lens: Stop Comparing Goroutines');
  },
);

e2eTest(
  test,
  'Add Flight Recorder Endpoint previews the file, writes it, and the snapshot opens in the timeline',
  () => page,
  async () => {
    // Several main.go are open or recent: open this one by its full path, typed over whatever
    // folder the open dialog starts in.
    await runCommand(page, 'File: Open File...');
    const input = await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.waitForTimeout(1000);
    await input.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(join(workspace, 'frapp/main.go'), { delay: 20 });
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
    await waitFor(
      async () =>
        (
          await page.$$eval(
            '.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item',
            (els) => els.map((e) => e.textContent ?? ''),
          )
        ).some((t) => t.includes('frapp')),
      {
        what: 'frapp/main.go to be the active editor',
      },
    );
    await runCommand(page, 'Go Lens: Add Flight Recorder Endpoint');
    const dialog = await page.waitForSelector('.monaco-dialog-box', { timeout: 30_000 });
    assert.match(
      await dialog.textContent(),
      /Add golens_flightrecorder\.go to frapp\?.*runtime\/trace flight recorder/s,
    );
    // The preview diff is open behind the dialog.
    await waitFor(
      async () =>
        (await page.$$eval('.tab .label-name', (els) => els.map((e) => e.textContent ?? ''))).some(
          (t) => t.includes('golens_flightrecorder.go'),
        ),
      { what: 'the preview tab' },
    );
    await screenshot(page, 'leaks-4-endpoint-preview');
    await page.click('.monaco-dialog-box .monaco-button:has-text("Add File")');
    const file = join(workspace, 'frapp/golens_flightrecorder.go');
    await waitFor(async () => existsSync(file), { what: 'the endpoint file' });

    // The user rebuilds and restarts the program.
    execFileSync('go', ['build', '-o', 'frapp-bin', '.'], {
      cwd: join(workspace, 'frapp'),
      env: goEnv,
    });
    appServer = await startListening(join(workspace, 'frapp/frapp-bin'));
    await new Promise((r) => setTimeout(r, 1000));

    // Close the "added …" notification's focus trap, if any, before the palette.
    await page.keyboard.press('Escape');
    await runCommand(page, 'Go Lens: Capture Flight Recorder Snapshot');
    await answerQuickInput(page, appServer.addr);
    // Asked once: the default path is the one the inserted endpoint serves.
    await page.waitForSelector(
      '.quick-input-widget .quick-input-title:has-text("Flight recorder snapshot URL")',
      { timeout: 15_000 },
    );
    assert.equal(
      await page.locator('.quick-input-widget .quick-input-box input').inputValue(),
      '/debug/golens/flightrecorder',
    );
    await page.keyboard.press('Enter');
    const frame = await webviewFrame(page, { timeout: 90_000, title: 'trace-' });
    await frame.waitForSelector('canvas.lanes-canvas[data-first]', { timeout: 90_000 });
    await waitFor(
      async () => Number(await frame.$eval('canvas.lanes-canvas', (c) => c.dataset.pMarks)) > 0,
      { what: 'P lane marks', timeout: 30_000 },
    );
    await screenshot(page, 'leaks-5-flight-recorder-timeline');

    // Go 1.26 traces carry clock snapshots: the axis switches to wall-clock time.
    const ticks = () =>
      frame.$$eval('svg.axis .tick text', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(
      (await ticks()).every((t) => !/^\d\d:\d\d:\d\d/.test(t)),
      (await ticks()).join(' '),
    );
    await frame.click('[data-testid="wall-clock"]');
    await waitFor(
      async () => {
        const t = await ticks();
        // A narrow view of a few seconds may have a single round wall time in it.
        return t.length >= 1 && t.every((x) => /^\d\d:\d\d:\d\d(\.\d+)?$/.test(x)) ? t : undefined;
      },
      { what: 'wall-clock tick labels' },
    );
    // Go to Time… with a log line. A time an hour ago is before the trace, and the answer names the
    // span the trace covers; the middle of that span is inside it. (A tick label is no sure pick: a
    // view of a few seconds may show one round second only, in the margin before the trace.)
    // The input stays open after a time outside the trace (the user corrects it), so it is opened
    // only when closed; the notice is read once its text is new.
    let lastNotice = '';
    const goToTime = async (line) => {
      if (!(await frame.$('[data-testid="go-to-time-input"]')))
        await frame.click('[data-testid="go-to-time"]');
      await frame.fill('[data-testid="go-to-time-input"]', line);
      await frame.press('[data-testid="go-to-time-input"]', 'Enter');
      lastNotice = await waitFor(
        async () => {
          const text = await frame
            .$eval('[data-testid="notice"]', (e) => e.textContent ?? '')
            .catch(() => '');
          return text && text !== lastNotice ? text : undefined;
        },
        { what: 'the Go to Time notice', timeout: 10_000 },
      );
      return lastNotice;
    };
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const before = await goToTime(`time=${anHourAgo} level=INFO msg="service started"`);
    const span = before.match(
      /before the trace starts: the trace covers (\d\d):(\d\d):(\d\d\.\d+) – (\d\d):(\d\d):(\d\d\.\d+) \(UTC/,
    );
    assert.ok(span, before);
    const secondsOfDay = (h, m, s) => Number(h) * 3600 + Number(m) * 60 + Number(s);
    const middle = (secondsOfDay(...span.slice(1, 4)) + secondsOfDay(...span.slice(4, 7))) / 2;
    const clock = [Math.floor(middle / 3600), Math.floor(middle / 60) % 60]
      .map((n) => String(n).padStart(2, '0'))
      .concat((middle % 60).toFixed(6).padStart(9, '0'))
      .join(':');
    const inside = await goToTime(`level=WARN at ${clock} handler: request timed out`);
    assert.match(inside, /since the trace start \(marked\)/);
    await screenshot(page, 'leaks-6-wall-clock');
  },
);
