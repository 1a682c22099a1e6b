// Benchmark: parse + deduplicate a 50 MB log holding 10,000 race reports (target ≥ 50 MB/s),
// and the extension host's event loop while the parse worker reads the same log.
//
//   node scripts/bench/races.mjs [--reports N] [--mb N] [--runs N]
//
// The log is made from the committed -race fixtures of every Go release (test/fixtures/races),
// as CI writes such logs: plain go test output, `go test -json` events, GitHub-style timestamp
// prefixes on some jobs, CRLF on others, and ordinary test output between the reports. It is
// cached under the OS temp dir. Prints wall and CPU time per run, throughput against the
// target, and the host's worst event-loop delay while dist/parse-worker.js parses the log.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { benchCacheDir, median, numberArg, repoRoot } from './common.mjs';

const reports = numberArg('reports', 10_000);
const targetMb = numberArg('mb', 50);
const runs = numberArg('runs', 5);
const TARGET_MB_S = 50;

// 1. The log.
const logPath = join(benchCacheDir, `races-${reports}-${targetMb}mb.log`);
if (!existsSync(logPath)) {
  const root = join(repoRoot, 'test/fixtures/races');
  const samples = [];
  for (const v of readdirSync(root).filter((d) => d.startsWith('go1.'))) {
    for (const f of readdirSync(join(root, v)))
      samples.push(readFileSync(join(root, v, f), 'utf8'));
  }
  const reportsPerSample = samples.map((s) => s.split('WARNING: DATA RACE').length - 1);
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const parts = [];
  let made = 0;
  let size = 0;
  const filler = (n) => {
    let s = '';
    for (let i = 0; i < n; i++)
      s += `=== RUN   TestHandler/case_${i}\n--- PASS: TestHandler/case_${i} (0.00s)\n    handler_test.go:${40 + i}: request ${i} served in ${(rnd() * 9).toFixed(3)}ms status=200 bytes=${Math.floor(rnd() * 1e5)}\n`;
    return s;
  };
  while (made < reports) {
    const i = Math.floor(rnd() * samples.length);
    let text = samples[i];
    const style = rnd();
    if (style < 0.2)
      text = text
        .split('\n')
        .map(
          (l) =>
            `2026-12-05T08:${String(10 + Math.floor(rnd() * 50))}:${String(10 + Math.floor(rnd() * 50))}.${Math.floor(rnd() * 1e7)}Z ${l}`,
        )
        .join('\n');
    else if (style < 0.3) text = text.replace(/\n/g, '\r\n');
    parts.push(text, '\n');
    made += reportsPerSample[i];
    size += text.length;
    // Spread the filler so the whole log comes out near the wanted size.
    const want = Math.max(0, (targetMb * 1e6 - size) / Math.max(1, reports - made));
    const f = filler(Math.max(0, Math.round(want / 130)));
    parts.push(f);
    size += f.length;
  }
  writeFileSync(logPath, parts.join(''));
}
const text = readFileSync(logPath, 'utf8');
const mb = statSync(logPath).size / 1e6;

// 2. The core, bundled as it ships.
const bundle = join(benchCacheDir, 'races-core.mjs');
await esbuild.build({
  entryPoints: [join(repoRoot, 'src/core/races/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  outfile: bundle,
  logLevel: 'warning',
});
const { RaceReportParser, RaceTally } = await import(bundle);

function parseOnce() {
  const p = new RaceReportParser();
  const tally = new RaceTally('log');
  const take = (events) => tally.take(events);
  const piece = 4 << 20;
  for (let i = 0; i < text.length; i += piece) take(p.push(text.slice(i, i + piece)));
  take(p.end());
  return { reports: p.reports.length, races: tally.set.size, warnings: p.warningCount };
}

console.log(`log: ${mb.toFixed(1)} MB, ${text.split('\n').length.toLocaleString()} lines`);
const walls = [];
const cpus = [];
let result;
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  result = parseOnce();
  const c = process.cpuUsage(c0);
  walls.push(performance.now() - t0);
  cpus.push((c.user + c.system) / 1000);
}
console.log(
  `parsed: ${result.reports.toLocaleString()} reports → ${result.races} distinct races, ${result.warnings} warnings`,
);
const wall = median(walls);
const cpu = median(cpus);
console.log(
  `parse + dedupe   wall ${wall.toFixed(0)} ms (median of ${runs})   cpu ${cpu.toFixed(0)} ms`,
);
console.log(
  `throughput       ${(mb / (wall / 1000)).toFixed(1)} MB/s wall, ${(mb / (cpu / 1000)).toFixed(1)} MB/s cpu   target ≥ ${TARGET_MB_S} MB/s   ${mb / (cpu / 1000) >= TARGET_MB_S ? 'OK' : 'BELOW TARGET'}`,
);

// 3. The host while the worker parses the file: the event loop's worst delay.
const workerPath = join(repoRoot, 'dist/parse-worker.js');
/** The event loop's worst delay over 10 ms ticks while `during` runs. */
async function worstDelay(during) {
  let worst = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  const result = await during();
  clearInterval(tick);
  return { worst, result };
}

if (existsSync(workerPath)) {
  // On a loaded machine an idle event loop is late too: this is the baseline to compare with.
  const idle = await worstDelay(() => new Promise((r) => setTimeout(r, 3000)));
  console.log(`host event loop worst delay, idle for 3 s: ${idle.worst.toFixed(1)} ms`);
  const worker = new Worker(workerPath);
  const t0 = performance.now();
  const { worst, result: reply } = await worstDelay(
    () =>
      new Promise((resolve, reject) => {
        worker.on('message', (m) => m.kind !== 'progress' && resolve(m));
        worker.on('error', reject);
        worker.postMessage({
          id: 1,
          method: 'loadRaceLog',
          params: { path: logPath, source: logPath },
        });
      }),
  );
  await worker.terminate();
  if (reply.kind !== 'result') throw new Error(reply.message);
  console.log(
    `worker loadRaceLog ${(performance.now() - t0).toFixed(0)} ms for ${reply.result.reports.toLocaleString()} reports; host event loop worst delay ${worst.toFixed(1)} ms`,
  );
} else {
  console.log('(dist/parse-worker.js missing: npm run build first for the worker figure)');
}
