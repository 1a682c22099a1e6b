#!/usr/bin/env node
// Benchmark of the perf script and folded-stack readers, against the issue's targets:
//  - a 1 GB `perf script` text, made by repeating a real recording (the committed fixtures of
//    test/go/perf-*, with thread ids and times varied), read streamed: target ≥ 100 MB/s;
//  - a 1M-line folded file (distinct stacks over a few thousand function names, 5–40 frames deep)
//    to the first flame graph (read + index + call tree fitted to the view): target ≤ 2 s.
// Each input is written to a temp dir, measured in a child process (its peak RSS is ours alone),
// and deleted.
// Usage: node scripts/bench/perf.mjs [--mb 1024] [--lines 1000000]
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleBenchChild, numberArg, pad, repoRoot } from './common.mjs';

const MB = numberArg('mb', 1024);
const LINES = numberArg('lines', 1_000_000);
const child = await bundleBenchChild('perf-child.ts', 'perf-child.mjs', { format: 'esm' });
const work = mkdtempSync(join(tmpdir(), 'golens-bench-perf-'));

function write(path, produce) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path, { highWaterMark: 1 << 22 });
    out.on('error', reject);
    const step = () => {
      for (;;) {
        const chunk = produce();
        if (chunk === undefined) return out.end(resolve);
        if (!out.write(chunk)) return out.once('drain', step);
      }
    };
    step();
  });
}

function measure(file) {
  return JSON.parse(
    execFileSync(process.execPath, [child, file], { maxBuffer: 1 << 20 }).toString(),
  );
}

/** The machine's load: figures below are wall time, which a busy machine stretches. */
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

let seed = 7;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};

try {
  // ---- 1 GB of perf script ----
  const fixtures = ['cpu-default.perf', 'syscall-fields.perf', 'two-events.perf'].map((f) =>
    readFileSync(join(repoRoot, 'test/fixtures/perf', f), 'utf8'),
  );
  const template = fixtures.join('\n');
  const perfFile = join(work, 'big.perf');
  const target = MB * 1024 * 1024;
  let written = 0;
  let round = 0;
  await write(perfFile, () => {
    if (written >= target) return undefined;
    // Vary thread ids per round, as a busy multi-threaded recording has many threads.
    const tid = 1000 + (round++ % 64);
    const chunk = template.replace(
      /^(\S.*?\s+)(\d+)(\/\d+)?(\s)/gm,
      (_, a, _pid, slashTid, b) => `${a}${tid}${slashTid ? `/${tid}` : ''}${b}`,
    );
    written += Buffer.byteLength(chunk);
    return chunk;
  });
  const perf = measure(perfFile);
  rmSync(perfFile, { force: true });

  // ---- 1M lines of folded stacks ----
  // Shaped like a real collapsed profile: the stacks are the root-to-leaf paths of a call tree
  // (callers shared, 1–6 callees near the root, then 0–2, mostly 8–20 frames deep), listed in sorted order as
  // stackcollapse and golens folded write them, over a few thousand Go-like function names.
  const names = Array.from(
    { length: 5000 },
    (_, i) =>
      `example.com/svc/pkg${i % 97}.${['(*Server).', '', '(*conn).', 'handle'][i % 4]}Fn${i}`,
  );
  const foldedFile = join(work, 'big.folded');
  let line = 0;
  const path = ['runtime.goexit', 'main.main'];
  /** Emits the leaves under `path` until LINES lines are out; depth-first, children in name order. */
  function* walk(depth) {
    const children =
      depth >= 40
        ? 0
        : depth < 6
          ? 1 + Math.floor(rnd() * 6)
          : rnd() < 0.5
            ? 0
            : 1 + Math.floor(rnd() * 2);
    if (children === 0) {
      yield `${path.join(';')} ${1 + Math.floor(rnd() * 100)}\n`;
      return;
    }
    const picked = Array.from(
      { length: children },
      () => names[Math.floor(rnd() * names.length)],
    ).sort();
    for (const name of new Set(picked)) {
      path.push(name);
      yield* walk(depth + 1);
      path.pop();
    }
  }
  let leaves = walk(2);
  await write(foldedFile, () => {
    if (line >= LINES) return undefined;
    let chunk = '';
    for (let k = 0; k < 10_000 && line < LINES;) {
      const next = leaves.next();
      if (next.done) {
        // One call tree exhausted: start another under a new root.
        path[1] = `main.main${line}`;
        leaves = walk(2);
        continue;
      }
      chunk += next.value;
      k++;
      line++;
    }
    return chunk;
  });
  const folded = measure(foldedFile);
  rmSync(foldedFile, { force: true });

  const mbps = perf.bytes / (1 << 20) / (perf.readMs / 1000);
  const cpuMbps = perf.bytes / (1 << 20) / (perf.readCpuMs / 1000);
  const firstFlame = (folded.readMs + folded.firstTreeMs) / 1000;
  const rows = [
    [
      'perf script text',
      `${(perf.bytes / (1 << 30)).toFixed(2)} GB, ${perf.samples} distinct samples`,
      `${mbps.toFixed(0)} MB/s (${(perf.readMs / 1000).toFixed(1)} s; CPU ${cpuMbps.toFixed(0)} MB/s)`,
      '≥ 100 MB/s',
      mbps >= 100 ? 'ok' : 'MISSED',
      `${Math.round(perf.vmHwmKB / 1024)} MB`,
    ],
    [
      'folded → first flame graph',
      `${LINES.toLocaleString('en')} lines, ${(folded.bytes / (1 << 20)).toFixed(0)} MB`,
      `${firstFlame.toFixed(2)} s (read ${(folded.readMs / 1000).toFixed(2)} + tree ${(folded.firstTreeMs / 1000).toFixed(2)}; CPU ${(folded.readCpuMs / 1000).toFixed(2)} + ${((folded.cpuMs - folded.readCpuMs) / 1000).toFixed(2)} s)`,
      '≤ 2 s',
      firstFlame <= 2 ? 'ok' : 'MISSED',
      `${Math.round(folded.vmHwmKB / 1024)} MB`,
    ],
  ];
  console.log(
    `${pad('input', 28)}${pad('size', 36)}${pad('measured', 56)}${pad('target', 12)}${pad('', 8)}peak RSS`,
  );
  for (const r of rows)
    console.log(
      `${pad(r[0], 28)}${pad(r[1], 36)}${pad(r[2], 56)}${pad(r[3], 12)}${pad(r[4], 8)}${r[5]}`,
    );
  console.log(
    `(load average ${load()} on ${(await import('node:os')).cpus().length} CPUs: wall times include waiting for a CPU; the CPU figures do not)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
