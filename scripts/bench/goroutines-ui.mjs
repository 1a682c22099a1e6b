// Benchmark: the goroutine explorer on a 100k-goroutine dump (the dump of scripts/bench/goroutines.mjs,
// made by test/go/dump-many): the sidebar through a real parse worker thread, and the table
// webview in headless Chromium.
//
//   npm run build && node scripts/bench/goroutines-ui.mjs [--goroutines N]   (the build provides the parse worker)
//
// Prints:
// - what it costs to send a whole snapshot from the worker to the extension host (structured
//   clone), for this dump and for one whose goroutines all have distinct arguments: the figure
//   behind keeping snapshots in the worker;
// - the sidebar: time to the top-level items (groups) and to the first page of a group, both
//   through the worker thread and turned into tree item descriptions;
// - the table: building its columns in the worker and moving them to the host, then in
//   Chromium (webview/goroutines built for production, with a stubbed acquireVsCodeApi) the first render of
//   100k rows, scroll frames (time from setting scrollTop to the rows being in the DOM), and a
//   re-sort by id.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const goroutines = arg('goroutines', 100_000);
const cache = join(tmpdir(), 'golens-bench', 'goroutines');
mkdirSync(cache, { recursive: true });
const ms = (x) => `${x.toFixed(1)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. The dump (shared with scripts/bench/goroutines.mjs).
const dumpPath = join(cache, `dump-${goroutines}.txt`);
if (!existsSync(dumpPath)) {
  const bin = join(cache, 'dump-many');
  execFileSync('go', ['build', '-o', bin, './dump-many'], {
    cwd: join(root, 'test/go'),
    env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    stdio: 'inherit',
  });
  writeFileSync(dumpPath, execFileSync(bin, ['-n', String(goroutines)], { maxBuffer: 1 << 30 }));
}
if (!existsSync(join(root, 'dist/parse-worker.js')))
  throw new Error('dist/parse-worker.js is missing: run npm run build first');

// The table webview as it ships: a production build (React's development build spends most of
// a render checking props and recording owner stacks).
const webviewOut = join(cache, 'webview-prod');
await esbuild.build({
  entryPoints: [join(root, 'webview/goroutines/index.tsx')],
  bundle: true,
  minify: true,
  outdir: webviewOut,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  jsx: 'automatic',
  loader: { '.css': 'css', '.ttf': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

// 2. The host side as it ships: the worker client and the tree model, bundled for Node.
const hostBundle = join(cache, 'goroutines-ui-host.mjs');
await esbuild.build({
  stdin: {
    contents: `export { ParseWorkerClient } from './src/worker/client';
export { GoroutineTreeModel } from './src/views/goroutines/tree-model';
export { parseGoroutineDump } from './src/core/goroutines/parse';
export { exploreSnapshot, goroutineTable } from './src/core/goroutines/explorer';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: hostBundle,
  logLevel: 'warning',
});
const { ParseWorkerClient, GoroutineTreeModel, parseGoroutineDump } = await import(
  pathToFileURL(hostBundle).href
);

console.log(`input: ${dumpPath} (${(statSync(dumpPath).size / 1e6).toFixed(1)} MB)`);
console.log(
  `machine load average: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);

// 3. Structured clone of a whole snapshot (what sending it to the host would cost).
function cloneCost(snapshot) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    structuredClone(snapshot);
    times.push(performance.now() - t);
  }
  return median(times);
}
const text = readFileSync(dumpPath, 'utf8');
const snap = parseGoroutineDump(text);
console.log(
  `\nsnapshot → host by structured clone: ${ms(cloneCost(snap))} for this dump (${snap.goroutines.count} goroutines, ${snap.args.length} distinct argument texts)`,
);
{
  // Worst case: every goroutine with its own arguments (pointers differ in real servers).
  const parts = [];
  for (let i = 0; i < snap.goroutines.count; i++) {
    parts.push(
      `goroutine ${i + 10} [chan receive]:\nmain.handle(0xc000${i.toString(16).padStart(6, '0')}, 0x${(i * 7919).toString(16)})\n\t/src/app/main.go:${40 + (i % 36)} +0x1d\ncreated by main.main in goroutine 1\n\t/src/app/main.go:20 +0x2f\n`,
    );
  }
  const distinct = parseGoroutineDump(parts.join('\n'));
  console.log(
    `                                    ${ms(cloneCost(distinct))} when all ${distinct.args.length - 1} argument texts differ`,
  );
}

// 4. The sidebar through a real worker thread.
const worker = new ParseWorkerClient(join(root, 'dist'));
const model = new GoroutineTreeModel(worker, () => worker.generation);
let t = performance.now();
const loaded = await worker.request('loadGoroutineDump', { path: dumpPath });
const parseMs = performance.now() - t;
model.setCurrent({
  handle: loaded.handle,
  summary: loaded.summary,
  source: { kind: 'clipboard' },
  takenAt: new Date(),
  reload: () => worker.request('loadGoroutineDump', { path: dumpPath }),
});
const sidebar = [];
const firstPage = [];
for (let i = 0; i < 5; i++) {
  model.invalidate();
  t = performance.now();
  const roots = await model.roots();
  roots.forEach((n) => model.describe(n));
  const t1 = performance.now();
  const kids = await model.children(roots.find((n) => n.kind === 'group'));
  kids.forEach((n) => model.describe(n));
  const t2 = performance.now();
  sidebar.push(t1 - t);
  firstPage.push(t2 - t1);
  // The first round groups the snapshot; later ones hit the worker's view cache, as expanding
  // and paging do. Report both.
  if (i === 0)
    console.log(
      `\nsidebar, first view of the snapshot (the worker groups its ${loaded.summary.totalGoroutines} goroutines): top level ${ms(t1 - t)}, first page ${ms(t2 - t1)}`,
    );
}
console.log(
  `sidebar, view cached: top-level items ${ms(median(sidebar.slice(1)))}, first page of ${model.pageSize} goroutines ${ms(median(firstPage.slice(1)))} (median of 4)`,
);
model.setOptions({ filter: 'entryC block' });
t = performance.now();
await model.roots();
console.log(`sidebar, filter "entryC block": ${ms(performance.now() - t)} (${model.message()})`);
model.setOptions({ filter: '' });
console.log(`(parse in the worker: ${ms(parseMs)})`);

t = performance.now();
const data = await model.table();
const tableMs = performance.now() - t;
const bytes = Object.values(data)
  .filter((v) => ArrayBuffer.isView(v))
  .reduce((n, v) => n + v.byteLength, 0);
console.log(
  `\ntable columns built in the worker and moved to the host: ${ms(tableMs)} (${data.rowCount} rows, ${(bytes / 1e6).toFixed(1)} MB of typed arrays)`,
);
worker.dispose();

// 5. The table webview in headless Chromium.
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
async function webviewRun(mode) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.route('http://bench.invalid/**', (route) => {
    const name = route.request().url().split('/').pop();
    const file = {
      'goroutines.js': join(webviewOut, 'index.js'),
      'goroutines.css': join(webviewOut, 'index.css'),
    }[name];
    if (name === 'index.html') {
      return route.fulfill({
        contentType: 'text/html',
        body: `<!DOCTYPE html><html><head><link rel="stylesheet" href="goroutines.css"></head><body class="vscode-dark"><div id="root"></div>
<script>window.acquireVsCodeApi = () => ({ postMessage(m) { (window.posted ??= []).push(m); }, getState() { return { mode: ${JSON.stringify(mode)} }; }, setState() {} });</script>
<script src="goroutines.js"></script></body></html>`,
      });
    }
    return route.fulfill({ path: file });
  });
  await page.goto('http://bench.invalid/index.html');
  await page.waitForFunction(() => window.posted?.some((m) => m.method === 'ready'));
  // The table data arrives as it would from the host: typed arrays in a postMessage.
  await page.evaluate(
    ([cols, rest]) => {
      const types = {
        row: Uint32Array,
        id: Float64Array,
        count: Uint32Array,
        state: Uint32Array,
        waitMinutes: Uint32Array,
        stack: Uint32Array,
        createdBy: Int32Array,
        labels: Int32Array,
        group: Uint32Array,
        flags: Uint8Array,
      };
      const d = { ...rest };
      for (const [k, v] of Object.entries(cols)) d[k] = types[k].from(v);
      d.frames = { ...rest.frames, line: Uint32Array.from(rest.frames.line) };
      d.stacks = {
        frameStart: Uint32Array.from(rest.stacks.frameStart),
        frameIndex: Uint32Array.from(rest.stacks.frameIndex),
        focus: Int32Array.from(rest.stacks.focus),
      };
      window.benchData = d;
    },
    [
      Object.fromEntries(
        [
          'row',
          'id',
          'count',
          'state',
          'waitMinutes',
          'stack',
          'createdBy',
          'labels',
          'group',
          'flags',
        ].map((k) => [k, Array.from(data[k])]),
      ),
      {
        rowCount: data.rowCount,
        states: data.states,
        labelTexts: data.labelTexts,
        groups: data.groups,
        frames: {
          func: data.frames.func,
          file: data.frames.file,
          line: Array.from(data.frames.line),
        },
        stacks: {
          frameStart: Array.from(data.stacks.frameStart),
          frameIndex: Array.from(data.stacks.frameIndex),
          focus: Array.from(data.stacks.focus),
        },
      },
    ],
  );
  const first = await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const t0 = performance.now();
    window.postMessage(
      {
        rpc: 'push',
        event: 'table',
        data: {
          version: 1,
          source: { title: 'bench', detail: '', comparing: false },
          data: window.benchData,
        },
      },
      '*',
    );
    while (!document.querySelector('.vrow')) await frame();
    await frame();
    return {
      ms: performance.now() - t0,
      rows: document.querySelectorAll('.vrow').length,
      counts: document.querySelector('[data-testid=counts]')?.textContent,
    };
  });
  const result = { first };
  if (mode === 'goroutines') {
    result.scroll = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const list = document.querySelector('.vlist');
      const work = [];
      const paint = [];
      const max = list.scrollHeight - list.clientHeight;
      for (let i = 1; i <= 30; i++) {
        // Jumps across the whole list (a dragged scrollbar), then small steps (a wheel).
        const target = i <= 15 ? Math.round((max * i) / 15) : Math.round(max / 2) + (i - 15) * 66;
        await frame();
        const t0 = performance.now();
        list.scrollTop = target;
        // The browser fires 'scroll' at the next frame; dispatching it now runs the list's
        // handler (which renders synchronously) here, so its cost can be timed alone.
        list.dispatchEvent(new Event('scroll'));
        const t1 = performance.now();
        const want = Math.floor(list.scrollTop / 22);
        if (!document.querySelector(`.vrow[data-index="${want}"]`))
          throw new Error(`row ${want} not rendered after scroll`);
        await frame();
        work.push(t1 - t0);
        paint.push(performance.now() - t0);
      }
      const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      return {
        work: med(work),
        workMax: Math.max(...work),
        paint: med(paint),
        rows: document.querySelectorAll('.vrow').length,
      };
    });
    result.sort = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const th = document.querySelector('.th.c-id');
      const t0 = performance.now();
      th.click();
      while (!document.querySelector('.th.c-id.sorted')) await frame();
      await frame();
      return performance.now() - t0;
    });
    result.filter = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const counts = () => document.querySelector('[data-testid=counts]')?.textContent ?? '';
      const before = counts();
      const tf = document.querySelector('vscode-textfield.filter');
      const t0 = performance.now();
      tf.value = 'entryC';
      tf.dispatchEvent(new Event('input', { bubbles: true }));
      while (counts() === before) await frame();
      await frame();
      return { ms: performance.now() - t0, counts: counts() };
    });
  }
  await page.close();
  return result;
}
// A page first, to warm Chromium's caches (the first page of a browser pays for compiling the bundle).
await webviewRun('groups');
const groupsRun = await webviewRun('groups');
const rowsRun = await webviewRun('goroutines');
await browser.close();
console.log(
  `\ntable webview, one row per group: first render ${ms(groupsRun.first.ms)} (${groupsRun.first.counts})`,
);
console.log(
  `table webview, one row per goroutine: first render ${ms(rowsRun.first.ms)} (${rowsRun.first.counts}; ${rowsRun.first.rows} rows in the DOM)`,
);
console.log(
  `  scroll frame: render work ${ms(rowsRun.scroll.work)} median, ${ms(rowsRun.scroll.workMax)} max; scrollTop set → next frame ${ms(rowsRun.scroll.paint)} median (30 scrolls; ${rowsRun.scroll.rows} rows in the DOM)`,
);
console.log(
  `  sort 100k rows by id: ${ms(rowsRun.sort)}; filter "entryC": ${ms(rowsRun.filter.ms)} (${rowsRun.filter.counts})`,
);
