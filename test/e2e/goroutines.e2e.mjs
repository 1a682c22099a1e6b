// The goroutine explorer in a real VS Code: capture a goroutine dump from a running Go service
// (test/go/dump-server: a zoo of goroutines parked in known places), read the groups in the Go
// Lens sidebar, expand a group and a goroutine, click a frame and land on its line; the table
// webview; a panic pasted from the clipboard; and the leak view comparing two dumps of a growing
// program (test/go/dump-leak).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  activeTabLabel,
  answerOpenDialog,
  answerQuickInput,
  copyWorkspace,
  cursorPosition,
  e2eTest,
  goBuild,
  notifications,
  openVsCode,
  repoRoot,
  runCommand,
  screenshot,
  startListening,
  waitFor,
  webviewFrame,
} from './harness.mjs';

let workspace, dumpServer, vscode, page;
const goEnv = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };

before(
  async () => {
    // The workspace is the Go module of the test programs, so the dump's source paths resolve.
    workspace = copyWorkspace(join(repoRoot, 'test/go'));
    // -trimpath: frames name golens.test/programs/dump-zoo/zoo.go, which the jump to source has to
    // map through the workspace's go.mod, as for most production builds.
    dumpServer = await startListening(goBuild(workspace, './dump-server', 'dump-server-bin'));
    // Three dumps of a program whose leak grows (10, 30, 60 leaked goroutines).
    mkdirSync(join(workspace, 'leaks'));
    execFileSync('go', ['run', '-trimpath', './dump-leak', '-out', 'leaks', '-steps', '3'], {
      cwd: workspace,
      env: goEnv,
    });
    vscode = await openVsCode(workspace, {
      settings: { 'goLens.goroutines.autoRefreshSeconds': 2 },
    });
    page = vscode.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(vscode.server.url).origin,
    });
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  dumpServer?.stop();
});

const sidebarRow = (label) =>
  `.part.sidebar .monaco-list-row[aria-label^="${label.replace(/"/g, '\\"')}"]`;

/** aria-labels of the rows of the Goroutines tree now on screen. */
async function treeRows() {
  return page.$$eval('.part.sidebar .monaco-list-row', (els) =>
    els.map((e) => e.getAttribute('aria-label') ?? ''),
  );
}

async function waitForRow(label, timeout = 30_000) {
  return page.waitForSelector(sidebarRow(label), { timeout });
}

/** The line above the tree: source, counts, filter, comparison. */
async function viewMessage() {
  return page
    .$eval('.part.sidebar .pane-body .message', (e) => e.textContent ?? '')
    .catch(() => '');
}

/** The line of `text` in a file of the workspace (1-based). */
function lineOf(file, text) {
  const i = readFileSync(join(workspace, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

e2eTest(
  test,
  'The empty Goroutines view offers to capture, open or paste a dump',
  () => page,
  async () => {
    await page.click('.activitybar .action-item a[aria-label^="Go Lens"]');
    const welcome = await page.waitForSelector('.part.sidebar .welcome-view-content', {
      timeout: 30_000,
    });
    const buttons = await welcome.$$eval('.monaco-button', (els) =>
      els.map((e) => e.textContent?.trim()),
    );
    assert.deepEqual(buttons, [
      'Capture Goroutine Dump',
      'Open Goroutine Dump…',
      'Paste from Clipboard',
    ]);
    await screenshot(page, 'goroutines-0-welcome');
  },
);

e2eTest(
  test,
  'Capture Goroutine Dump shows the groups of a running service in the sidebar',
  () => page,
  async () => {
    // The Captures and Data Races views share the sidebar; collapsed, the Goroutines tree has room
    // for every group.
    for (const name of ['Captures', 'Data Races']) {
      const pane = await page.$(
        `.part.sidebar .pane-header[aria-expanded="true"]:has-text("${name}")`,
      );
      if (pane) await pane.click();
    }
    // From the welcome view's button, as a first-time user would.
    await page.click(
      '.part.sidebar .welcome-view-content .monaco-button:has-text("Capture Goroutine Dump")',
    );
    await answerQuickInput(page, dumpServer.addr);
    // The view comes into sight with the groups: the largest first.
    await waitForRow('8 goroutines in dump-zoo.worker', 60_000);
    const rows = await treeRows();
    const first = rows.findIndex((r) => /^\d+ goroutines? in /.test(r));
    assert.match(
      rows[first],
      /^8 goroutines in dump-zoo\.worker, chan receive · zoo\.go:168$/,
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => /^3 goroutines in main\.shardWorker, chan receive · main\.go:41$/.test(r)),
      rows.join('\n'),
    );
    // Same function, different lines: two groups of two when grouping by exact stack.
    assert.equal(
      rows.filter((r) => r.startsWith('2 goroutines in dump-zoo.stage, chan receive')).length,
      2,
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => r.startsWith('1 goroutine in dump-zoo.mutexWaiter, sync.Mutex.Lock')),
      rows.join('\n'),
    );
    const expected = new RegExp(
      `^${dumpServer.addr.replace(/\./g, '\\.')} at \\d\\d:\\d\\d:\\d\\d · \\d+ goroutines in \\d+ groups$`,
    );
    await waitFor(async () => expected.test(await viewMessage()), {
      what: 'the source and counts above the tree',
    });
    await screenshot(page, 'goroutines-1-sidebar');
  },
);

e2eTest(
  test,
  'A group expands into goroutines, a goroutine into frames, and a frame opens its line',
  () => page,
  async () => {
    await page.click(sidebarRow('8 goroutines in dump-zoo.worker'));
    await waitForRow('goroutine ');
    const goroutines = (await treeRows()).filter((r) => /^goroutine \d+, chan receive$/.test(r));
    assert.equal(goroutines.length, 8, (await treeRows()).join('\n'));
    await page.click(sidebarRow(goroutines[0]));
    await waitForRow('dump-zoo.worker zoo.go:');
    await waitForRow('created by dump-zoo.Start zoo.go:');
    await screenshot(page, 'goroutines-2-expanded');

    const line = lineOf('dump-zoo/zoo.go', 'for j := range jobs');
    await page.click(sidebarRow(`dump-zoo.worker zoo.go:${line}`));
    await waitFor(async () => (await activeTabLabel(page)) === 'zoo.go', {
      what: 'zoo.go to become the active editor',
    });
    const pos = await waitFor(
      async () => {
        const p = await cursorPosition(page);
        return p?.line === line ? p : undefined;
      },
      { what: `the cursor on line ${line}` },
    );
    assert.equal(pos.line, line);
    await screenshot(page, 'goroutines-3-source');
  },
);

e2eTest(
  test,
  'Filtering and relaxed grouping narrow and fold the groups',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Filter Goroutines…');
    const input = await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await input.fill('stage');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await viewMessage()).endsWith('· filter "stage": 4 in 2 groups'), {
      what: 'the filter in the message',
    });
    let groups = (await treeRows()).filter((r) => /^\d+ goroutines? in /.test(r));
    assert.deepEqual(
      groups.map((r) => r.split(',')[0]),
      ['2 goroutines in dump-zoo.stage', '2 goroutines in dump-zoo.stage'],
    );
    await runCommand(page, 'Go Lens: Group Goroutines by Function (Ignore Lines)');
    await waitForRow('4 goroutines in dump-zoo.stage');
    groups = (await treeRows()).filter((r) => /^\d+ goroutines? in /.test(r));
    assert.equal(groups.length, 1, groups.join('\n'));
    await screenshot(page, 'goroutines-4-filter-relaxed');
    await runCommand(page, 'Go Lens: Group Goroutines by Exact Stack');
    await runCommand(page, 'Go Lens: Clear Goroutine Filter');
    await waitForRow('8 goroutines in dump-zoo.worker');
    await waitFor(async () => !/filter/.test(await viewMessage()), { what: 'the filter to go' });
  },
);

e2eTest(
  test,
  'The goroutine table lists groups and goroutines, filters, and opens a frame',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Open Goroutine Table');
    const frame = await webviewFrame(page, { timeout: 60_000 });
    await frame.waitForSelector('.trow', { timeout: 30_000 });
    // One row per group (the default): the workers' group first, 8 of them.
    const firstGroup = await frame.$$eval('.vrow[data-index="0"] .cell', (els) =>
      els.map((e) => e.textContent),
    );
    assert.equal(firstGroup[0], '8');
    assert.ok(firstGroup.includes('dump-zoo.worker'), firstGroup.join(' | '));
    await screenshot(page, 'goroutines-5-table-groups');

    // One row per goroutine.
    await frame.click('vscode-single-select.mode');
    await frame.getByRole('option', { name: 'One row per goroutine' }).click();
    const counts = await waitFor(
      async () => {
        const t = await frame.$eval('[data-testid=counts]', (e) => e.textContent ?? '');
        return /^(\d+) of \1 goroutines$/.test(t) ? t : undefined;
      },
      { what: 'the goroutine count' },
    );
    const total = Number(counts.split(' ')[0]);
    assert.ok(total >= 35, counts);
    // Sort by ID, then filter to the workers.
    await frame.click('.th.c-id');
    const ids = await frame.$$eval('.vrow .c-id', (els) => els.map((e) => Number(e.textContent)));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    const filter = await frame.waitForSelector('vscode-textfield.filter');
    await filter.click();
    await page.keyboard.type('dump-zoo.worker');
    await waitFor(
      async () =>
        (await frame.$eval('[data-testid=counts]', (e) => e.textContent)) ===
        `8 of ${total} goroutines`,
      { what: 'the filtered count' },
    );
    // Select a goroutine: its stack appears below, with arguments from the host.
    await frame.click('.vrow[data-index="0"] .trow');
    await frame.waitForSelector('.details .frames .args');
    const heading = await frame.$eval('.details-heading', (e) => e.textContent ?? '');
    assert.match(heading, /^goroutine \d+ · chan receive$/);
    await screenshot(page, 'goroutines-6-table-goroutines');

    const line = lineOf('dump-zoo/zoo.go', 'for j := range jobs');
    await frame.click('.details .frames li:first-child a.frame-link');
    await waitFor(async () => (await activeTabLabel(page)) === 'zoo.go', {
      what: 'zoo.go from the table',
    });
    await waitFor(async () => (await cursorPosition(page))?.line === line, {
      what: `line ${line} from the table`,
    });

    // Hidden and shown again (VS Code discards a hidden webview's page): mode, sort, filter and
    // selection come back.
    await page.click('.tabs-container .tab:has-text("Goroutines:")');
    const again = await webviewFrame(page, { timeout: 30_000 });
    await again.waitForSelector('.trow.selected', { timeout: 30_000 });
    assert.equal(
      await again.$eval('[data-testid=counts]', (e) => e.textContent),
      `8 of ${total} goroutines`,
    );
    assert.equal(await again.$eval('vscode-textfield.filter', (e) => e.value), 'dump-zoo.worker');
    assert.equal(await again.$eval('.th.sorted', (e) => e.textContent), 'ID');
    assert.equal(await again.$eval('.details-heading', (e) => e.textContent), heading);

    // "Open Goroutine Table" on a group in the sidebar selects that group in the table.
    await page.hover(sidebarRow('3 goroutines in main.shardWorker'));
    await page.click(
      `${sidebarRow('3 goroutines in main.shardWorker')} .action-label[aria-label="Open Goroutine Table"]`,
    );
    await waitFor(
      async () =>
        (await again.$eval('.trow.selected .c-top', (e) => e.textContent).catch(() => '')) ===
        'main.shardWorker',
      { what: 'the group selected in the table' },
    );
    assert.match(
      await again.$eval('.details-heading', (e) => e.textContent ?? ''),
      /^3 goroutines · chan receive \(3\)$/,
    );
    await screenshot(page, 'goroutines-6b-table-reveal');
  },
);

e2eTest(
  test,
  'Auto-refresh captures again every few seconds, until stopped',
  () => page,
  async () => {
    const stamp = async () => /^\S+ at (\d\d:\d\d:\d\d) · /.exec(await viewMessage())?.[1];
    const first = await stamp();
    assert.ok(first, await viewMessage());
    await runCommand(page, 'Go Lens: Start Auto-Refresh of Goroutines');
    // goLens.goroutines.autoRefreshSeconds is 2 here: two refreshes within 20 s.
    const second = await waitFor(
      async () => {
        const t = await stamp();
        return t && t !== first ? t : undefined;
      },
      { what: 'a refreshed snapshot', timeout: 20_000 },
    );
    await waitFor(
      async () => {
        const t = await stamp();
        return t && t !== first && t !== second;
      },
      { what: 'a second refresh', timeout: 20_000 },
    );
    await runCommand(page, 'Go Lens: Stop Auto-Refresh of Goroutines');
    await page.waitForTimeout(500);
    const stopped = await stamp();
    await page.waitForTimeout(4_000);
    assert.equal(await stamp(), stopped, 'no refresh after stopping');
    await waitForRow('8 goroutines in dump-zoo.worker');
  },
);

e2eTest(
  test,
  'A panic pasted from the clipboard shows the crash first',
  () => page,
  async () => {
    const panic = readFileSync(
      join(repoRoot, 'test/fixtures/goroutines/go1.26.8/panic-nilptr.txt'),
      'utf8',
    );
    await page.evaluate((text) => navigator.clipboard.writeText(text), panic);
    await runCommand(page, 'Go Lens: Paste Goroutine Dump from Clipboard');
    await waitForRow('panic: runtime error: invalid memory address or nil pointer dereference');
    const rows = await treeRows();
    assert.match(
      rows[1],
      /^1 goroutine in main\.\(\*point\)\.norm, running · main\.go:72$/,
      rows.join('\n'),
    );
    await waitFor(
      async () => /^pasted at \d\d:\d\d:\d\d · 1 goroutine in 1 group$/.test(await viewMessage()),
      { what: 'the pasted source above the tree' },
    );
    await screenshot(page, 'goroutines-7-panic');
  },
);

e2eTest(
  test,
  'Compare with the previous snapshot marks the groups that grew or are new',
  () => page,
  async () => {
    for (const step of [1, 3]) {
      await runCommand(page, 'Go Lens: Open Goroutine Dump…');
      await answerOpenDialog(page, join(workspace, 'leaks', `leak-${step}.txt`));
      await waitFor(async () => (await viewMessage()).startsWith(`leak-${step}.txt · `), {
        what: `leak-${step}.txt in the view's message`,
      });
    }
    await runCommand(page, 'Go Lens: Compare Goroutines with Previous Snapshot');
    const grew = await waitForRow('60 goroutines in main.handleRequest.func1, +50 since');
    const grewLabel = await grew.getAttribute('aria-label');
    assert.match(grewLabel, /, \+50 since \d\d:\d\d:\d\d · chan send · main\.go:\d+$/);
    const rows = await treeRows();
    assert.ok(
      rows.some((r) => r.startsWith('1 goroutine in main.cacheRefresher, new (+1) since ')),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => r.startsWith('vanished group in main.batchJob, gone (was 6)')),
      rows.join('\n'),
    );
    await waitFor(
      async () =>
        /^leak-3\.txt · \d+ goroutines in \d+ groups · \+\d+ since \d\d:\d\d:\d\d$/.test(
          await viewMessage(),
        ),
      { what: 'the comparison in the message' },
    );
    // The Go Lens icon in the activity bar counts the groups that grew or appeared.
    await waitFor(
      async () =>
        (
          await page.$$eval('.activitybar .badge-content', (els) => els.map((e) => e.textContent))
        ).includes('2'),
      { what: 'the badge "2"' },
    );
    await screenshot(page, 'goroutines-8-compare');
  },
);

e2eTest(
  test,
  'A file that is not a dump, and a target where nothing listens, get messages that say so',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Open Goroutine Dump…');
    await answerOpenDialog(page, join(workspace, 'go.mod'));
    const msg = await waitFor(
      async () =>
        (await notifications(page)).find((t) => /go\.mod is not a goroutine dump/.test(t)),
      { what: 'the not-a-dump error' },
    );
    assert.match(msg, /goroutine 1 \[running\]/);
    await screenshot(page, 'goroutines-9-not-a-dump');
    await runCommand(page, 'Go Lens: Capture Goroutine Dump');
    await answerQuickInput(page, '127.0.0.1:1');
    await waitFor(
      async () => (await notifications(page)).find((t) => /Nothing is listening/.test(t)),
      { what: 'the unreachable-target error' },
    );
  },
);
