// Benchmark: parse and group a 100k-goroutine dump (about 36 MB, 36 distinct stacks) made by a
// real Go program (test/go/dump-many). Target: parse + group under 1 s.
//
//   node scripts/bench/goroutines.mjs [--goroutines N] [--runs N]
//
// The dump is generated once and cached under the OS temp dir. Prints wall time and CPU time
// (CPU time is the steadier figure on a shared machine), throughput, and memory: the peak RSS
// of a fresh process doing one parse, and the heap the snapshot keeps.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const goroutines = arg('goroutines', 100_000);
const runs = arg('runs', 5);
const cache = join(tmpdir(), 'golens-bench', 'goroutines');
mkdirSync(cache, { recursive: true });

// 1. The dump, from a real program (cached: building and running it takes a few seconds).
const dumpPath = join(cache, `dump-${goroutines}.txt`);
if (!existsSync(dumpPath)) {
  const bin = join(cache, 'dump-many');
  execFileSync('go', ['build', '-o', bin, './dump-many'], {
    cwd: join(root, 'test/go'),
    env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    stdio: 'inherit',
  });
  const out = execFileSync(bin, ['-n', String(goroutines)], { maxBuffer: 1 << 30 });
  writeFileSync(dumpPath, out);
}
const bytes = readFileSync(dumpPath);
const mb = statSync(dumpPath).size / 1e6;

// 2. The core, bundled as it ships (esbuild, same as the extension build).
const bundle = join(cache, 'goroutines-core.mjs');
await esbuild.build({
  entryPoints: [join(root, 'src/core/goroutines/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  outfile: bundle,
  logLevel: 'warning',
});
const { parseGoroutineDump, groupGoroutines } = await import(bundle);

if (process.argv.includes('--child-peak')) {
  // One parse in a fresh process: its max RSS is the peak memory of a parse.
  const s = parseGoroutineDump(bytes);
  groupGoroutines(s);
  process.stdout.write(String(process.resourceUsage().maxRSS * 1024));
  process.exit(0);
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const fmt = (ms) => `${ms.toFixed(0)} ms`;
const wall = [];
const cpu = [];
const groupWall = [];
const groupCpu = [];
let snapshot;
// Held (never read) so the retained-heap figure below counts the grouping as well as the snapshot.
// oxlint-disable-next-line no-unused-vars
let grouping;
for (let i = 0; i <= runs; i++) {
  gc();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  snapshot = parseGoroutineDump(bytes);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  grouping = groupGoroutines(snapshot);
  const t2 = performance.now();
  const cg = process.cpuUsage(c1);
  const c = process.cpuUsage(c0);
  if (i === 0) continue; // warm-up: the first run also compiles
  wall.push(t2 - t0);
  groupWall.push(t2 - t1);
  groupCpu.push((cg.user + cg.system) / 1000);
  cpu.push((c.user + c.system) / 1000);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

gc();
const heapBefore = process.memoryUsage().heapUsed;
snapshot = undefined;
grouping = undefined;
gc();
const retained = heapBefore - process.memoryUsage().heapUsed;
const again = parseGoroutineDump(bytes);
const g = groupGoroutines(again);

const child = spawnSync(
  process.execPath,
  [fileURLToPath(import.meta.url), '--goroutines', String(goroutines), '--child-peak'],
  { encoding: 'utf8' },
);
const peak = Number(child.stdout);

console.log(`input: ${dumpPath}`);
console.log(
  `       ${mb.toFixed(1)} MB, ${again.goroutines.count} goroutines, ${again.stacks.count} distinct stacks, ${g.groups.length} groups`,
);
console.log(
  `parse + group (median of ${runs}): wall ${fmt(median(wall))} (min ${fmt(Math.min(...wall))}), cpu ${fmt(median(cpu))}; grouping alone: wall ${fmt(median(groupWall))}, cpu ${fmt(median(groupCpu))}`,
);
console.log(
  `machine load average while measuring: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores (wall time stretches with it; cpu time much less)`,
);
console.log(
  `throughput: ${(mb / (median(wall) / 1000)).toFixed(0)} MB/s wall, ${(mb / (median(cpu) / 1000)).toFixed(0)} MB/s cpu`,
);
console.log(
  `memory: peak RSS of one parse in a fresh process ${(peak / 1e6).toFixed(0)} MB (input ${mb.toFixed(0)} MB); snapshot keeps ${(retained / 1e6).toFixed(1)} MB of heap`,
);
console.log(
  `target < 1000 ms: ${median(wall) < 1000 ? 'met' : 'NOT met'} (wall), ${median(cpu) < 1000 ? 'met' : 'NOT met'} (cpu)`,
);
