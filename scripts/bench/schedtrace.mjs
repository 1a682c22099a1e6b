#!/usr/bin/env node
// Benchmark of the schedtrace stream parser + model on an hour of GODEBUG=schedtrace=100,
// scheddetail=1,gctrace=1 output of a 64-P program, synthesized from a real captured block
// (schedtrace-block64.txt) with its values varied over time, program output and gc/scav lines
// mixed in. The text is generated on the fly and fed in 64 KiB chunks, as a live stream would
// be; it is never held whole.
//
// Usage: node --expose-gc scripts/bench/schedtrace.mjs [--minutes 60] [--gs 1000] [--interval 100]
// Prints throughput, total time, peak RSS, and memory after 10 min of data vs after 60 min
// (bounded memory: the model's retention policy, see src/core/schedtrace/model.ts).
import * as esbuild from 'esbuild';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const MINUTES = arg('minutes', 60);
const G_COUNT = arg('gs', 1000);
const INTERVAL = arg('interval', 100);

// Bundle the core (TypeScript) once, then import it.
const out = join(mkdtempSync(join(tmpdir(), 'golens-bench-')), 'schedtrace.mjs');
await esbuild.build({
  entryPoints: [join(root, 'src/core/schedtrace/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  outfile: out,
  logLevel: 'warning',
});
const { SchedTraceStream, SchedModel } = await import(pathToFileURL(out).href);

// ---- the template: a real block ----
const template = readFileSync(join(here, 'schedtrace-block64.txt'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));
const mLines = template.filter((l) => l.startsWith('  M'));
const gTemplate = template
  .filter((l) => l.startsWith('  G'))
  .map((l) => {
    const m = /^ {2}G(\d+): status=(\d+)\((.*)\) m=(\S+) lockedm=(\S+)$/.exec(l);
    return { status: Number(m[2]), reason: m[3], m: m[4], lockedm: m[5] };
  });
const reasons = [...new Set(gTemplate.map((g) => g.reason).filter((r) => r))];
const PROCS = 64;

let seed = 12345;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};

const ticks = new Array(PROCS).fill(0);
const gState = Array.from({ length: G_COUNT }, (_, i) => {
  const t = gTemplate[i % gTemplate.length];
  return { goid: i + 1, status: t.status, reason: t.reason || reasons[i % reasons.length] };
});
let gcN = 0;

/** The text sysmon (and friends) would print around snapshot k. */
function snapshotText(k) {
  const t = k * INTERVAL;
  const idle = Math.floor(rnd() * PROCS);
  const lines = [];
  if (k % 10 === 3) lines.push(`request ${k} served in ${Math.floor(rnd() * 900)}µs`); // program output
  lines.push(
    `SCHED ${t}ms: gomaxprocs=${PROCS} idleprocs=${idle} threads=${70 + Math.floor(rnd() * 10)} spinningthreads=${Math.floor(rnd() * 3)} needspinning=${k & 1} idlethreads=${Math.floor(rnd() * 8)} runqueue=${Math.floor(rnd() * 40)} gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false`,
  );
  for (let p = 0; p < PROCS; p++) {
    const running = p >= idle;
    ticks[p] += running ? 1 + Math.floor(rnd() * 500) : 0;
    lines.push(
      `  P${p}: status=${running ? 1 : 0} schedtick=${ticks[p]} syscalltick=${Math.floor(ticks[p] / 7)} m=${running ? p + 2 : 'nil'} runqsize=${running ? Math.floor(rnd() * 20) : 0} gfreecnt=${Math.floor(rnd() * 30)} timerslen=${Math.floor(rnd() * 4)}`,
    );
  }
  for (const m of mLines) lines.push(m);
  for (const g of gState) {
    if (rnd() < 0.05) {
      g.status = [1, 2, 4, 4, 4, 4][Math.floor(rnd() * 6)];
      if (g.status === 4) g.reason = reasons[Math.floor(rnd() * reasons.length)];
    }
    lines.push(`  G${g.goid}: status=${g.status}(${g.reason}) m=nil lockedm=nil`);
  }
  if (k % 20 === 10) {
    gcN++;
    lines.push(
      `gc ${gcN} @${(t / 1000 + 0.05).toFixed(3)}s 3%: 0.045+1.7+0.007 ms clock, 2.9+0.062/55/0.038+0.45 ms cpu, ${300 + (gcN % 50)}->${310 + (gcN % 50)}->${150 + (gcN % 30)} MB, ${320 + (gcN % 40)} MB goal, 1 MB stacks, 0 MB globals, ${PROCS} P`,
    );
    lines.push(
      `scav ${Math.floor(rnd() * 4096)} KiB work (bg), 0 KiB work (eager), ${Math.floor(rnd() * 100000)} KiB now, ${80 + Math.floor(rnd() * 20)}% util`,
    );
  }
  return lines.join('\n') + '\n';
}

// ---- run ----
const stream = new SchedTraceStream();
const model = new SchedModel();
const enc = new TextEncoder();
const total = Math.round((MINUTES * 60_000) / INTERVAL);
const perMinute = Math.round(60_000 / INTERVAL);
let bytes = 0;
let lines = 0;
let parseMs = 0;
let parseCpuMs = 0;
let genMs = 0;
let peakRss = 0;
const checkpoints = new Map();
let buf = '';
const mb = (n) => (n / 2 ** 20).toFixed(1);

function feed(text) {
  const chunk = enc.encode(text);
  bytes += chunk.length;
  const t = performance.now();
  const c = process.cpuUsage();
  model.add(stream.push(chunk));
  const d = process.cpuUsage(c);
  parseCpuMs += (d.user + d.system) / 1000;
  parseMs += performance.now() - t;
}

function measure(minute) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  if (minute === 10 || minute === MINUTES) {
    checkpoints.set(minute, {
      rss: m.rss,
      heapUsed: m.heapUsed,
      arrayBuffers: m.arrayBuffers,
      snapshots: model.snapshotCount,
      ds: model.downsampling(),
    });
  }
}

const wall = performance.now();
for (let k = 0; k < total; k++) {
  const g0 = performance.now();
  const text = snapshotText(k);
  genMs += performance.now() - g0;
  lines += PROCS + mLines.length + G_COUNT + 1;
  buf += text;
  if (buf.length >= 1 << 16) {
    feed(buf);
    buf = '';
  }
  if ((k + 1) % perMinute === 0) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const minute = (k + 1) / perMinute;
    if (minute % 10 === 0 || minute === MINUTES) measure(minute);
  }
}
feed(buf);
const t = performance.now();
const c0 = process.cpuUsage();
model.add(stream.end());
const d0 = process.cpuUsage(c0);
parseCpuMs += (d0.user + d0.system) / 1000;
parseMs += performance.now() - t;
const wallMs = performance.now() - wall;

console.log(
  `schedtrace benchmark: ${MINUTES} min of ${INTERVAL} ms snapshots, ${PROCS} Ps, ${G_COUNT} Gs per scheddetail block (${total} blocks)`,
);
console.log(
  `  input: ${mb(bytes)} MiB, ${(lines / 1e6).toFixed(1)} M lines; gc cycles ${model.gcCount}`,
);
// CPU time is what the parser costs; wall time also counts waiting for a core on a shared machine.
const rate = (ms) =>
  `${(bytes / 2 ** 20 / (ms / 1000)).toFixed(1)} MiB/s, ${(lines / (ms / 1000) / 1e6).toFixed(2)} M lines/s, ${Math.round(total / (ms / 1000))} snapshots/s, ${(ms / total).toFixed(2)} ms per 100 ms snapshot`;
console.log(`  parse + model, CPU time: ${(parseCpuMs / 1000).toFixed(1)} s → ${rate(parseCpuMs)}`);
console.log(`  parse + model, wall time: ${(parseMs / 1000).toFixed(1)} s → ${rate(parseMs)}`);
console.log(
  `  total wall time ${(wallMs / 1000).toFixed(1)} s (of which generating the text ${(genMs / 1000).toFixed(1)} s)`,
);
console.log(
  `  peak RSS ${mb(peakRss)} MiB${globalThis.gc ? '' : ' (run with --expose-gc for settled figures)'}`,
);
for (const [minute, c] of checkpoints) {
  console.log(
    `  after ${minute} min of data: RSS ${mb(c.rss)} MiB, JS heap ${mb(c.heapUsed)} MiB, array buffers ${mb(c.arrayBuffers)} MiB; ` +
      `${c.snapshots} snapshots; detail blocks ${c.ds.detailBlocks} (${c.ds.detailBlocksWithRows} with rows, ${c.ds.rowsRetained} rows; rows dropped: ${c.ds.rowsDroppedAged} aged, ${c.ds.rowsDroppedBudget} budget)`,
  );
}
// The model's typed arrays (columns are allocated by doubling, so this counts their capacity).
let dataBytes = 0;
const seen = new Set();
const walk = (v) => {
  if (!v || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (ArrayBuffer.isView(v)) dataBytes += v.byteLength;
  else for (const x of v instanceof Map ? v.values() : Object.values(v)) walk(x);
};
walk(model);
console.log(`  model typed arrays (allocated): ${mb(dataBytes)} MiB`);
