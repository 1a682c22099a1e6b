// Benchmark: the live scheduler dashboard with an hour of GODEBUG=schedtrace=100 data from a
// 64-P program (36,000 snapshots, a GC cycle every 2 s). The host side (SchedSession, the
// extension host's code, bundled for Node) is timed building one update — the decimated series,
// the per-P heatmap and the GC charts of the range shown — at 10, 30 and 60 minutes, for the
// views a user has (whole run, last 5 minutes, a zoomed minute). The webview (the built
// dist/webview/sched.js in headless Chromium, acquireVsCodeApi stubbed) is timed rendering the
// updates a live hour-long run sends: from the message's arrival to every chart drawn.
// Target: host ≤ 25 ms and render ≤ 50 ms per update, at most 4 updates a second.
//
//   node scripts/bench/sched-dashboard.mjs        (run `npm run build` first)
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openWebviewPage, pack, unpackInPage } from './webview-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(mkdtempSync(join(tmpdir(), 'golens-bench-')), 'session.mjs');
await esbuild.build({
  entryPoints: [join(root, 'src/views/sched/session.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: out,
  logLevel: 'warning',
});
const { SchedSession } = await import(pathToFileURL(out).href);

const PROCS = 64;
const INTERVAL = 100;
const HOUR = 36_000;

let seed = 42;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};

/** The events of snapshot k (and a GC cycle every 2 s, every 10th forced). */
function eventsAt(k) {
  const t = k * INTERVAL;
  const idle = Math.floor(rnd() * 8) + (Math.floor(k / 600) % 2 ? 30 : 0);
  const events = [
    {
      kind: 'snapshot',
      snapshot: {
        timeMs: t,
        gomaxprocs: PROCS,
        idleprocs: idle,
        threads: 70 + Math.floor(rnd() * 10),
        spinningthreads: Math.floor(rnd() * 3),
        needspinning: k & 1,
        idlethreads: Math.floor(rnd() * 8),
        runqueue: Math.floor(rnd() * 40),
        runqueues: Array.from({ length: PROCS }, (_, p) =>
          p < PROCS - idle ? Math.floor(rnd() * (p % 8 === 0 ? 60 : 12)) : 0,
        ),
        line: 0,
      },
    },
  ];
  if (k % 20 === 10) {
    const n = (k - 10) / 20 + 1;
    const heap = 300 + (n % 50);
    events.push({
      kind: 'gc',
      gc: {
        n,
        startS: t / 1000 + 0.05,
        cpuPercent: 3,
        leakCheck: false,
        clockSweepTermMs: 0.045 + rnd() * 0.1,
        clockMarkMs: 1.7,
        clockMarkTermMs: 0.007 + rnd() * 0.3,
        cpuSweepTermMs: 2.9,
        cpuAssistMs: 0.062,
        cpuBackgroundMs: 55,
        cpuIdleMs: 0.038,
        cpuMarkTermMs: 0.45,
        heapStartMB: heap,
        heapEndMB: heap + 10,
        heapLiveMB: 150 + (n % 30),
        heapGoalMB: 320 + (n % 40),
        stacksMB: 1,
        globalsMB: 0,
        procs: PROCS,
        forced: n % 10 === 0,
        line: 0,
      },
    });
  }
  return events;
}

const WIDTH = 1400; // plot pixels of a wide editor
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { mean, p50: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
const fmt = (x) =>
  `mean ${x.mean.toFixed(2)} ms, median ${x.p50.toFixed(2)} ms, max ${x.max.toFixed(2)} ms`;

// ---- host ----
console.log(
  `sched dashboard benchmark: ${HOUR.toLocaleString()} snapshots (1 h at ${INTERVAL} ms) of ${PROCS} Ps, a GC every 2 s; plot ${WIDTH} px wide`,
);
const session = new SchedSession(() => undefined);
let ingestMs = 0;
const views = {
  'whole run': { seq: 1, follow: true, windowMs: 0, t0: 0, t1: 1, width: WIDTH },
  'last 5 min': { seq: 1, follow: true, windowMs: 300_000, t0: 0, t1: 1, width: WIDTH },
  'zoomed minute': { seq: 1, follow: false, windowMs: 0, t0: 600_000, t1: 660_000, width: WIDTH },
};
const hostResults = [];
for (let k = 0; k < HOUR; k++) {
  const t = performance.now();
  session.ingest(eventsAt(k));
  ingestMs += performance.now() - t;
  const minute = (k + 1) / 600;
  if (minute === 10 || minute === 30 || minute === 60) {
    for (const [name, view] of Object.entries(views)) {
      const times = [];
      for (let r = 0; r < 12; r++) {
        const t0 = performance.now();
        session.buildUpdate(view, true);
        times.push(performance.now() - t0);
      }
      hostResults.push({ minute, name, ...stats(times.slice(2)) });
    }
  }
}
console.log(
  `host: ingest ${((ingestMs / HOUR) * 1000).toFixed(1)} µs per snapshot (model.add, parser excluded: see npm run bench schedtrace)`,
);
for (const r of hostResults)
  console.log(`host: build update after ${r.minute} min, ${r.name.padEnd(13)} ${fmt(r)}`);
const hostWorst = Math.max(...hostResults.map((r) => r.mean));

// ---- webview ----
// The updates a live run sends while following the whole run during its last minute (one per
// 250 ms), built by the host code from the hour of data, plus a zoomed one and a detail.
const live = new SchedSession(() => undefined);
for (let k = 0; k < HOUR - 600; k++) live.ingest(eventsAt(k));
const updates = [];
for (let k = HOUR - 600; k < HOUR; k++) {
  live.ingest(eventsAt(k));
  if (k % 3 === 0) updates.push(live.buildUpdate({ ...views['whole run'], seq: 1 }, true));
}
const hostLiveBytes = pack(updates).length / updates.length;
const { page, close } = await openWebviewPage(
  'sched',
  { '/updates.bin': pack(updates) },
  { width: WIDTH + 90, height: 1400 },
);
try {
  await page.waitForFunction(() => window.__hostMessages.some((m) => m.method === 'ready'));
  await page.waitForFunction(() => window.__hostMessages.some((m) => m.method === 'view'));
  const view = (await page.evaluate(() => window.__hostMessages)).find(
    (m) => m.method === 'view',
  ).params;
  console.log(
    `webview: asked for a ${view.width} px plot (${view.follow ? 'following' : 'fixed range'})`,
  );
  await page.evaluate(() => {
    // Pushes of the channel (src/protocol/rpc.ts), each carrying its message.
    const push = (data) => window.postMessage({ rpc: 'push', event: data.type, data }, '*');
    push({
      type: 'init',
      info: {
        title: 'bench',
        kind: 'live',
        source: 'GODEBUG=schedtrace=100 ./bench',
        intervalMs: 100,
        detail: false,
      },
    });
    push({ type: 'status', status: { state: 'running', pid: 1, message: 'Running, pid 1' } });
  });
  await page.evaluate(async (unpackSrc) => {
    const unpack = eval(unpackSrc);
    window.__updates = unpack(await (await fetch('/updates.bin')).arrayBuffer());
  }, unpackInPage);
  const renders = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const times = [];
        let i = 0;
        const next = () => {
          if (i >= window.__updates.length) return resolve(times);
          performance.clearMeasures('sched-update');
          window.postMessage({ rpc: 'push', event: 'update', data: window.__updates[i++] }, '*');
          const poll = () => {
            const m = performance.getEntriesByName('sched-update')[0];
            if (m) {
              times.push(m.duration);
              setTimeout(next, 0);
            } else requestAnimationFrame(poll);
          };
          poll();
        };
        next();
      }),
  );
  const draws = await page.evaluate(() => performance.getEntriesByName('sched-chart-draw').length);
  const perChart = await page.evaluate(() => {
    const by = {};
    for (const m of performance.getEntriesByName('sched-chart-draw'))
      (by[m.detail.chart] ??= []).push(m.duration);
    return Object.entries(by)
      .map(([k, v]) => `${k} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)}`)
      .join(', ');
  });
  const snapshots = await page.$eval('.sched-root', (e) => e.dataset.snapshots);
  const points = await page.$$eval('canvas.chart-canvas', (cs) =>
    cs.map((c) => `${c.closest('[data-chart]').dataset.chart}:${c.dataset.points}`).join(' '),
  );
  await page.screenshot({ path: join(tmpdir(), 'golens-sched-dashboard-bench.png') });
  const r = stats(renders.slice(2));
  console.log(
    `webview: ${renders.length} live updates (${Math.round(hostLiveBytes / 1024)} KiB each), ${draws} chart draws, ${snapshots} snapshots shown; points per chart ${points}`,
  );
  console.log(`webview: render per update ${fmt(r)}`);
  console.log(`webview: mean draw per chart (ms): ${perChart}`);
  console.log(
    `\nRESULT host per update ≤ ${hostWorst.toFixed(1)} ms (mean, worst view) (${hostWorst <= 25 ? 'meets' : 'MISSES'} ≤ 25 ms); webview render per update mean ${r.mean.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (${r.mean <= 50 ? 'meets' : 'MISSES'} ≤ 50 ms); screenshot ${join(tmpdir(), 'golens-sched-dashboard-bench.png')}`,
  );
} finally {
  await close();
}
