// The spine of Go Lens in a real VS Code: capture a CPU profile from a running Go service,
// see the flame graph, click the hot function and land on its line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stacksProfile } from '../../scripts/bench/pprof-generate.mjs';
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
    // The demo is built with -trimpath: the profile names files as example.com/golens-demo/work.go,
    // so the jump to source has to go through the workspace's go.mod, as for most production builds.
    demo = await startDemoWorkspace();
    vscode = await openVsCode(demo.workspace, { settings: { 'goLens.cpuProfileSeconds': 3 } });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  demo?.stop();
});

/** Hovers across the flame graph until the tooltip names `func`; returns that point. */
async function findFrame(frame, func) {
  const canvas = await frame.waitForSelector('canvas.flame-canvas');
  const box = await canvas.boundingBox();
  for (let row = 0; row < 20; row++) {
    const y = box.y + row * 20 + 10;
    if (y > box.y + box.height) break;
    for (let fx = 0.01; fx < 1; fx += 0.02) {
      const x = box.x + box.width * fx;
      await frame.page().mouse.move(x, y);
      const name = await frame.$eval('.tooltip .fn', (e) => e.textContent).catch(() => null);
      if (name === func) {
        const file = await frame.$eval('.tooltip .file', (e) => e.textContent);
        return { x, y, file };
      }
    }
  }
  throw new Error(`no frame named ${func} found in the flame graph`);
}

e2eTest(
  test,
  'Capture CPU Profile opens a flame graph, and a frame opens its source line',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture CPU Profile');
    await answerQuickInput(page, demo.addr);
    await page.waitForTimeout(1200);
    await screenshot(page, 'cpu-1-progress');
    const progress = (await notifications(page)).join(' | ');
    assert.match(progress, /s of 3 s|CPU profile/, `progress notification, saw: ${progress}`);

    const frame = await webviewFrame(page, { timeout: 60_000 });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 60_000 });
    const drawn = Number(await frame.$eval('canvas.flame-canvas', (c) => c.dataset.drawn));
    assert.ok(drawn > 3, `flame graph drew ${drawn} boxes`);
    await screenshot(page, 'cpu-2-flame-graph');

    const hot = await findFrame(frame, 'main.countPrimes');
    assert.match(
      hot.file,
      /^example\.com\/golens-demo\/work\.go:\d+$/,
      `tooltip file line: ${hot.file}`,
    );
    const line = Number(hot.file.split(':').pop());
    await screenshot(page, 'cpu-3-hover');

    await frame.page().mouse.dblclick(hot.x, hot.y);
    await waitFor(async () => (await activeTabLabel(page)) === 'work.go', {
      what: 'work.go to become the active editor',
    });
    const pos = await waitFor(() => cursorPosition(page), {
      what: 'cursor position in the status bar',
    });
    assert.equal(pos.line, line, `cursor on the line the frame names (${line})`);
    await screenshot(page, 'cpu-4-source');
  },
);

e2eTest(
  test,
  'Search highlights matching frames and shows their share',
  () => page,
  async () => {
    const frame = await webviewFrame(page);
    const search = await frame.waitForSelector('vscode-textfield.search');
    await search.click();
    await page.keyboard.type('hashChain');
    const share = await frame.waitForSelector('[data-testid="match-share"]');
    const text = await share.textContent();
    const pct = Number(/Matched ([\d.]+)%/.exec(text)?.[1]);
    assert.ok(pct > 1 && pct < 100, `matched share of hashChain: ${text}`);
    await screenshot(page, 'cpu-5-search');

    // Hide the view (another tab in its group) and show it again: zoom and search come back.
    const crumbs = await frame.$$eval('.breadcrumb a', (els) => els.map((e) => e.textContent));
    const profileTab = await page.waitForSelector('.tab:has-text(".pb.gz")');
    await quickOpen(page, 'main.go');
    await waitFor(async () => (await activeTabLabel(page)) === 'main.go', {
      what: 'main.go to open',
    });
    await profileTab.click();
    const again = await webviewFrame(page, { title: '.pb.gz' });
    await again.waitForSelector('canvas.flame-canvas[data-drawn]');
    const value = await again.$eval('vscode-textfield.search', (e) => e.value);
    assert.equal(value, 'hashChain');
    assert.deepEqual(
      await again.$$eval('.breadcrumb a', (els) => els.map((e) => e.textContent)),
      crumbs,
    );
  },
);

e2eTest(
  test,
  'Top, Call Tree, Sandwich and Icicle views, and a focus filter, show the same profile',
  () => page,
  async () => {
    const frame = await webviewFrame(page);
    // Clear the search of the previous test so every view shows everything.
    const search = await frame.waitForSelector('vscode-textfield.search');
    await search.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');

    await (await frame.waitForSelector('button.tab:has-text("Top")')).click();
    const table = await frame.waitForSelector('[data-testid="top-table"]');
    await frame.waitForSelector('[data-testid="top-table"] .trow');
    const names = await frame.$$eval('[data-testid="top-table"] .trow .cell.name', (els) =>
      els.map((e) => e.textContent),
    );
    assert.ok(
      names.includes('main.countPrimes'),
      `top table lists main.countPrimes: ${names.slice(0, 10).join(', ')}`,
    );
    assert.ok(Number(await table.getAttribute('data-rows')) > 3);
    await screenshot(page, 'cpu-6-top');

    await (await frame.waitForSelector('.trow:has-text("main.countPrimes")')).click();
    await (await frame.waitForSelector('button.tab:has-text("Sandwich")')).click();
    const title = await (await frame.waitForSelector('.sandwich-title')).textContent();
    assert.match(title, /main\.countPrimes/);
    await frame.waitForSelector('[data-testid="sandwich"] canvas.flame-canvas[data-drawn]');
    await screenshot(page, 'cpu-7-sandwich');

    await (await frame.waitForSelector('button.tab:has-text("Call Tree")')).click();
    await frame.waitForSelector('[data-testid="call-tree"] .trow');
    assert.ok(Number(await frame.$eval('[data-testid="call-tree"]', (e) => e.dataset.rows)) > 2);

    await (await frame.waitForSelector('button.tab:has-text("Icicle")')).click();
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]');
    await screenshot(page, 'cpu-8-icicle');

    // Focus on hashChain: the Top table no longer lists countPrimes.
    const text = await frame.waitForSelector('vscode-textfield.filter-text');
    await text.click();
    await page.keyboard.type('hashChain');
    await page.keyboard.press('Enter');
    await frame.waitForSelector('[data-testid="filter-chip"]:has-text("Focus: hashChain")');
    await (await frame.waitForSelector('button.tab:has-text("Top")')).click();
    await frame.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="top-table"] .trow .cell.name')].map(
        (e) => e.textContent,
      );
      return rows.includes('main.hashChain') && !rows.includes('main.countPrimes');
    });
    await screenshot(page, 'cpu-9-focus-filter');
    await (await frame.waitForSelector('.chip-remove')).click();
    await (await frame.waitForSelector('button.tab:has-text("Flame Graph")')).click();
  },
);

e2eTest(
  test,
  'An address where nothing listens gets a message that says so',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture CPU Profile');
    await answerQuickInput(page, '127.0.0.1:1');
    const msg = await waitFor(
      async () => (await notifications(page)).find((t) => /Nothing is listening/.test(t)),
      { what: 'the error notification' },
    );
    assert.match(msg, /127\.0\.0\.1:1/);
    await screenshot(page, 'cpu-10-unreachable');
  },
);

e2eTest(
  test,
  'Zooming into a frame of a huge profile brings back the frames too small to see from the root',
  () => page,
  async () => {
    // 120k call-tree nodes: more than a view is sent, so the tree is pruned. main.a_light (2% of
    // the profile) has 200 callees of 0.01% each, below the cut-off from the root; zoomed into,
    // each is 0.5% of the view.
    const stacks = [];
    for (let c = 0; c < 20_000; c++)
      stacks.push([
        ['main.main', 'main.heavy', `main.h${c}`, 'main.s1', 'main.s2', 'main.s3', 'main.s4'],
        49_000,
      ]);
    for (let i = 0; i < 200; i++)
      stacks.push([
        ['main.main', 'main.a_light', `main.leaf${String(i).padStart(3, '0')}`],
        100_000,
      ]);
    writeFileSync(join(demo.workspace, 'wide.pb.gz'), stacksProfile(stacks));
    await quickOpen(page, 'wide.pb.gz');
    const frame = await webviewFrame(page, { title: 'wide.pb.gz', timeout: 60_000 });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 60_000 });
    const notice = await frame.waitForSelector('[data-testid="pruned-notice"]');
    assert.match((await notice.textContent()) ?? '', /left out to keep the view fast/);
    const light = await findFrame(frame, 'main.a_light');
    await frame.page().mouse.click(light.x, light.y);
    await waitFor(
      async () =>
        (await frame.$$eval('.breadcrumb a', (els) => els.map((e) => e.textContent))).at(-1) ===
        'main.a_light',
      { what: 'the zoom on main.a_light' },
    );
    // The finer tree arrives from the worker and is drawn: all 200 callees.
    const drawn = await waitFor(
      async () => {
        const n = Number(await frame.$eval('canvas.flame-canvas', (c) => c.dataset.drawn));
        return n >= 200 ? n : undefined;
      },
      { what: 'the callees of main.a_light to be drawn', timeout: 30_000 },
    );
    assert.ok(drawn >= 200, `boxes drawn: ${drawn}`);
    const text =
      (await frame.$eval('[data-testid="pruned-notice"]', (e) => e.textContent).catch(() => '')) ??
      '';
    assert.doesNotMatch(text, /Loading/, `notice: ${text}`);
    // One callee, hovered, in the row below main.a_light: callees are in name order, so
    // main.leaf100 (the 101st of 200) is at the middle of the zoomed view.
    const box = await (await frame.$('canvas.flame-canvas')).boundingBox();
    const names = [];
    for (const fx of [0.5025, 0.5, 0.505, 0.4975, 0.51]) {
      await frame.page().mouse.move(box.x + box.width * fx, light.y + 20);
      names.push(await frame.$eval('.tooltip .fn', (e) => e.textContent).catch(() => null));
      if (names.at(-1) === 'main.leaf100') break;
    }
    assert.equal(names.at(-1), 'main.leaf100', `hovered: ${names.join(', ')}`);
    await screenshot(page, 'cpu-11-refined-zoom');
    // The Call Tree tab says its tree is pruned too, and where to see the rest.
    await (await frame.waitForSelector('button.tab:has-text("Call Tree")')).click();
    await frame.waitForSelector('[data-testid="call-tree"]');
    assert.match(
      await frame.$eval('[data-testid="pruned-notice"]', (e) => e.textContent),
      /of the profile are left out to keep the view fast\. Zoom into a frame in the Flame Graph/,
    );
    await page.keyboard.press('Control+W');
  },
);
