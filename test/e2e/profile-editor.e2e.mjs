// Profiles beside the code, in a real VS Code: with the demo service running and a copy of the
// demo as the workspace, a captured CPU profile puts its costs into work.go (after-line text, a
// CodeLens above countPrimes, a hover with callers and callees) until "Clear Profile Annotations";
// heap and mutex captures land in the Captures view under their target; two CPU captures selected
// there open as a diff; the "profile CPU" lens on a benchmark runs go test and opens its profile.
//
// How the annotations are read from the DOM: an after-line decoration is an empty <span> in the
// line's .view-line whose ::after pseudo-element carries the text (CSS `content`), so the test
// reads getComputedStyle(span, '::after').content of the spans of the line whose line-number
// gutter cell shows the hot line's number. CodeLenses are .codelens-decoration content widgets;
// the hover is the .monaco-hover widget.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  activeTabLabel,
  answerQuickInput,
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

let workspace, demo, vscode, server, page;

const WORK_TEST = `package main

import "testing"

func BenchmarkCountPrimes(b *testing.B) {
	for i := 0; i < b.N; i++ {
		countPrimes(20000)
	}
}
`;

before(
  async () => {
    // -trimpath, as in production builds: the profile names example.com/golens-demo/work.go and the
    // editor matches it to the workspace's work.go by the path's tail.
    demo = await startDemoWorkspace();
    workspace = demo.workspace;
    writeFileSync(join(workspace, 'work_test.go'), WORK_TEST);
    // GOTOOLCHAIN=local reaches the extension host, so "profile CPU" runs this machine's go.
    vscode = await openVsCode(workspace, {
      settings: { 'goLens.cpuProfileSeconds': 2, 'editor.stickyScroll.enabled': false },
      env: { GOTOOLCHAIN: 'local' },
    });
    ({ server, page } = vscode);
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  demo?.stop();
});

/** The line of `text` in a workspace file (1-based). */
function lineOf(file, text) {
  const i = readFileSync(join(workspace, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

/** The workspace's captures folder (the extension's workspace storage), once it exists. */
function capturesDir() {
  const ws = join(server.userData, 'User/workspaceStorage');
  if (!existsSync(ws)) return undefined;
  for (const d of readdirSync(ws)) {
    const c = join(ws, d, 'golens.go-lens', 'captures');
    if (existsSync(c)) return c;
  }
  return undefined;
}

/** Capture file names of a kind under one target folder, oldest first. */
function capturesOf(slugPrefix, kind) {
  const root = capturesDir();
  if (!root) return [];
  const out = [];
  for (const slug of readdirSync(root).filter((s) => s.startsWith(slugPrefix))) {
    for (const f of readdirSync(join(root, slug)))
      if (f.startsWith(`${kind}-`) && !f.endsWith('.json')) out.push(f);
  }
  return out.sort();
}

/** Opens a workspace file with Quick Open and goes to `line` (Quick Open's ":line"), so the line is on screen. */
async function openFileAt(name, line) {
  await quickOpen(page, name);
  await waitFor(async () => (await activeTabLabel(page)) === name, {
    what: `${name} to become the active editor`,
  });
  await page.keyboard.press('F1');
  const input = await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await input.fill(`:${line}`);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/** The after-line decoration texts of editor line `line` (1-based) in the active editor. */
async function afterTexts(line) {
  return page.evaluate((n) => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const number = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find(
      (e) => e.textContent?.trim() === String(n),
    );
    if (!number) return [];
    const top = number.getBoundingClientRect().top;
    const row = [...editor.querySelectorAll('.view-lines .view-line')].find(
      (e) => Math.abs(e.getBoundingClientRect().top - top) < 2,
    );
    if (!row) return [];
    return [...row.querySelectorAll('span')]
      .map((s) => getComputedStyle(s, '::after').content)
      .filter((c) => c && c !== 'none' && c !== 'normal')
      .map((c) => c.replace(/^"|"$/g, ''));
  }, line);
}

/** Every after-line decoration text in the active editor. */
async function allAfterTexts() {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    return [...(editor?.querySelectorAll('.view-lines .view-line span') ?? [])]
      .map((s) => getComputedStyle(s, '::after').content)
      .filter((c) => /cum/.test(c ?? ''));
  });
}

/** CodeLens texts of the active editor, each with the line number of the editor line below it. */
async function codeLenses() {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map(
      (e) => ({ top: e.getBoundingClientRect().top, n: Number(e.textContent) }),
    );
    return [...editor.querySelectorAll('.codelens-decoration')].map((lens) => {
      const bottom = lens.getBoundingClientRect().bottom;
      const below = numbers.filter((x) => x.top >= bottom - 2).sort((a, b) => a.top - b.top)[0];
      return { text: lens.textContent ?? '', line: below?.n };
    });
  });
}

const sidebarRow = (label) =>
  `.part.sidebar .monaco-list-row[aria-label^="${label.replace(/"/g, '\\"')}"]`;
async function sidebarRows() {
  return page.$$eval('.part.sidebar .monaco-list-row', (els) =>
    els.map((e) => e.getAttribute('aria-label') ?? ''),
  );
}

let hotLine;

e2eTest(
  test,
  'A CPU profile puts line costs, a CodeLens and a hover with callers into work.go',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture CPU Profile');
    await answerQuickInput(page, demo.addr);
    const frame = await webviewFrame(page, { timeout: 60_000, title: 'cpu-' });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 60_000 });

    hotLine = lineOf('work.go', 'if i%d == 0');
    const funcLine = lineOf('work.go', 'func countPrimes');
    await openFileAt('work.go', hotLine);
    const texts = await waitFor(
      async () => {
        const t = await afterTexts(hotLine);
        return t.some((x) => /^flat .+ · cum .+ \(\d/.test(x)) ? t : undefined;
      },
      { what: `an after-line cost on work.go:${hotLine}` },
    );
    const cost = texts.find((x) => x.startsWith('flat'));
    // 2 s of one goroutine spinning in this loop: the line costs hundreds of ms to seconds.
    assert.match(cost, /^flat [\d.]+m?s · cum [\d.]+m?s \([\d.]+%\)$/, cost);
    await screenshot(page, 'annotations-1-line-costs');

    const lens = await waitFor(
      async () =>
        (await codeLenses()).find((l) => l.line === funcLine && /self .+ · total /.test(l.text)),
      {
        what: `a CodeLens with self and total above func countPrimes (line ${funcLine})`,
      },
    ).catch(async (err) => {
      throw new Error(`${err.message}; lenses: ${JSON.stringify(await codeLenses())}`);
    });
    assert.match(lens.text, /self [\d.]+m?s \([\d.]+%\) · total [\d.]+m?s \([\d.]+%\)/);

    // Hover over the hot line's code.
    const box = await page.evaluate((n) => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      const number = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find(
        (e) => e.textContent?.trim() === String(n),
      );
      const top = number.getBoundingClientRect().top;
      const row = [...editor.querySelectorAll('.view-lines .view-line')].find(
        (e) => Math.abs(e.getBoundingClientRect().top - top) < 2,
      );
      const span = row.querySelector('span span:nth-child(3)') ?? row.querySelector('span span');
      const r = span.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, hotLine);
    const hover = await waitFor(
      async () => {
        await page.mouse.move(box.x + 1, box.y);
        await page.mouse.move(box.x, box.y);
        const t = await page
          .waitForSelector('.monaco-hover:has-text("Callers")', {
            state: 'visible',
            timeout: 3_000,
          })
          .catch(() => null);
        return t ? t.textContent() : undefined;
      },
      { what: 'the hover with callers and callees', timeout: 30_000 },
    );
    assert.match(hover, /Go Lens/);
    assert.match(hover, new RegExp(`line ${hotLine}: flat`));
    assert.match(hover, /Callers \(who calls into this line\):\s*main\.startWorkers\.func1 — /);
    assert.match(hover, /Callees \(what this line calls\):\s*\S/);
    await screenshot(page, 'annotations-2-hover');
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');

    await runCommand(page, 'Go Lens: Clear Profile Annotations');
    await waitFor(async () => (await allAfterTexts()).length === 0, {
      what: 'the line costs to go',
    });
    await waitFor(async () => !(await codeLenses()).some((l) => /self .+ · total /.test(l.text)), {
      what: 'the CodeLens to go',
    });
    await screenshot(page, 'annotations-3-cleared');
  },
);

e2eTest(
  test,
  'Heap and mutex captures appear in the Captures view under their target',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture Heap Profile');
    await answerQuickInput(page, demo.addr);
    await webviewFrame(page, { timeout: 60_000, title: 'heap-' });
    await runCommand(page, 'Go Lens: Capture Mutex Profile');
    await answerQuickInput(page, demo.addr);
    await webviewFrame(page, { timeout: 60_000, title: 'mutex-' });
    // The demo sets runtime.SetMutexProfileFraction(5) and contends a lock: not the empty-profile advice.
    assert.ok(!(await notifications(page)).some((t) => /mutex profile has no samples/.test(t)));

    // The view's own focus command: clicking the activity bar icon would close an open sidebar.
    await runCommand(page, 'Go Lens: Focus on Captures View');
    await page.waitForSelector(sidebarRow(demo.addr), { timeout: 30_000 });
    const rows = await waitFor(
      async () => {
        const r = await sidebarRows();
        return ['CPU profiles', 'Heap profiles', 'Mutex profiles'].every((k) =>
          r.some((x) => x.startsWith(k)),
        )
          ? r
          : undefined;
      },
      { what: 'the kinds under the target' },
    );
    const target = rows.findIndex((r) => r.startsWith(demo.addr));
    const kinds = rows.slice(target + 1).filter((r) => / profiles/.test(r));
    assert.deepEqual(
      kinds.slice(0, 3).map((r) => r.split(/,| \d/)[0]),
      ['CPU profiles', 'Heap profiles', 'Mutex profiles'],
      rows.join('\n'),
    );
    await screenshot(page, 'annotations-4-captures-view');
  },
);

e2eTest(
  test,
  'Two CPU captures selected in the Captures view open as a diff',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture CPU Profile');
    await answerQuickInput(page, demo.addr);
    const slug = demo.addr.replace(/[^a-zA-Z0-9.-]+/g, '_');
    const names = await waitFor(
      () => {
        const n = capturesOf(slug, 'cpu');
        return n.length >= 2 ? n : undefined;
      },
      { what: 'two CPU captures on disk', timeout: 60_000 },
    );
    await webviewFrame(page, { timeout: 60_000, title: names[1] });

    // Both CPU captures, newest first under "CPU profiles" (labelled with their time).
    await runCommand(page, 'Go Lens: Focus on Captures View');
    const cpuRows = await waitFor(
      async () => {
        const handles = await page.$$('.part.sidebar .monaco-list-row');
        const out = [];
        let inCpu = false;
        for (const h of handles) {
          const label = (await h.getAttribute('aria-label')) ?? '';
          if (label.startsWith('CPU profiles')) inCpu = true;
          else if (/profiles|traces|dumps/.test(label) || label.startsWith(demo.addr))
            inCpu = false;
          else if (inCpu && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(label)) out.push(h);
        }
        return out.length >= 2 ? out : undefined;
      },
      { what: 'two rows under CPU profiles' },
    );
    await cpuRows[0].click();
    await cpuRows[1].click({ modifiers: ['Control'] });
    await cpuRows[1].click({ button: 'right' });
    await (
      await page.waitForSelector(
        '.context-view .action-label:has-text("Compare Selected Captures")',
        { timeout: 10_000 },
      )
    ).click();

    const [older, newer] = names.slice(-2);
    const title = await waitFor(
      async () => {
        const labels = await page.$$eval('.tab .label-name', (els) =>
          els.map((e) => e.textContent ?? ''),
        );
        return labels.find((l) => l.includes('→'));
      },
      { what: 'a diff view tab', timeout: 60_000 },
    );
    assert.ok(
      title.includes(older) && title.includes(newer),
      `diff title "${title}" names ${older} and ${newer}`,
    );
    assert.ok(
      title.indexOf(older) < title.indexOf(newer),
      `the older capture is the base: ${title}`,
    );
    const frame = await webviewFrame(page, { timeout: 60_000, title: '→' });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 60_000 });
    await screenshot(page, 'annotations-5-diff');
  },
);

e2eTest(
  test,
  'The "profile CPU" lens on a benchmark runs go test and opens its profile',
  () => page,
  async () => {
    const line = lineOf('work_test.go', 'func BenchmarkCountPrimes');
    await openFileAt('work_test.go', line);
    const lensLink =
      '.editor-group-container.active .codelens-decoration a:has-text("profile CPU")';
    await page.waitForSelector(lensLink, { timeout: 60_000 });
    const lensTexts = await page.$$eval(
      '.editor-group-container.active .codelens-decoration',
      (els) => els.map((e) => e.textContent ?? ''),
    );
    assert.ok(
      lensTexts.some((t) => /profile CPU.*profile memory.*trace.*mutex\/block…/.test(t)),
      lensTexts.join(' | '),
    );
    await screenshot(page, 'annotations-6-test-lens');
    // Lenses are re-rendered when providers report changes: click by selector, which re-finds it.
    await page.click(lensLink);

    const name = await waitFor(() => capturesOf('go-test_', 'cpu')[0], {
      what: 'the go test CPU profile in the captures folder',
      timeout: 150_000,
    });
    const frame = await webviewFrame(page, { timeout: 60_000, title: name });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 60_000 });
    await waitFor(async () => (await activeTabLabel(page)) === name, {
      what: `${name} to be the active tab`,
    });
    await screenshot(page, 'annotations-7-test-profile');
  },
);
