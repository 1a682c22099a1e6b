// Benchmark: the interactive operations on a large profile once it is loaded (decoded and
// indexed): switching the sample type, focusing on a function, the sandwich of a hot function,
// the top table, the per-line costs of a file. Target: each ≤ 100 ms (median wall time, each run
// cold: the worker's query cache, src/worker/profile-cache.ts, is cleared before it). Also prints the index's build time and
// memory.
//
//   node scripts/bench/pprof-interactive.mjs [--runs N]
//
// The profile (~1M samples) is benchProfilePath()'s, generated once into $TMPDIR/golens-bench/.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { bundleBenchChild, median, numberArg, pad } from './common.mjs';
import { benchProfilePath } from './pprof-generate.mjs';

const runs = numberArg('runs', 5);
const TARGET_MS = 100;

const profilePath = benchProfilePath();
const childPath = await bundleBenchChild(
  'pprof-interactive-child.ts',
  'pprof-interactive-child.cjs',
);

const r = spawnSync(
  process.execPath,
  ['--expose-gc', '--max-old-space-size=8192', childPath, profilePath, String(runs)],
  { encoding: 'utf8', maxBuffer: 64 << 20 },
);
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const d = JSON.parse(r.stdout.trim().split('\n').pop());
const ms = (x) => `${x.toFixed(0)} ms`;

console.log(`profile: ${profilePath} (${(statSync(profilePath).size / 1e6).toFixed(1)} MB)`);
console.log(
  `  ${d.samples} samples → ${d.stacks} distinct stacks, ${d.trieNodes} location-trie nodes, ${d.treeNodes} call-tree nodes`,
);
console.log(`load (read + gunzip + decode): ${ms(d.loadMs)}`);
console.log(
  `index build: ${ms(d.indexMs)} wall, ${ms(d.indexCpuMs)} cpu; index arrays ${d.indexArraysMB.toFixed(0)} MB (ArrayBuffers +${d.arrayBuffersDeltaMB.toFixed(0)} MB, JS heap +${d.heapDeltaMB.toFixed(0)} MB)`,
);
console.log(
  `first call tree (default sample type): ${ms(d.firstTreeMs)}; index build + first tree: ${ms(d.indexMs + d.firstTreeMs)}`,
);
console.log(
  `hot function: ${d.hot}; mid-frequency function: ${d.mid} (cum ${d.midCumPercent.toFixed(2)}%, focused tree ${d.focusedNodes} nodes); file: ${d.hotFile}`,
);
console.log('');
console.log(
  `${pad('operation (cold, median of ' + runs + ')', 52)}${pad('wall', 10)}${pad('cpu', 10)}target ${TARGET_MS} ms`,
);
let ok = true;
for (const [name, t] of Object.entries(d.timings)) {
  const wall = median(t.wallMs);
  const cpu = median(t.cpuMs);
  const pass = wall <= TARGET_MS;
  ok &&= pass;
  console.log(`${pad(name, 52)}${pad(ms(wall), 10)}${pad(ms(cpu), 10)}${pass ? 'OK' : 'MISSED'}`);
}
console.log('');
console.log(
  `warm: switching back to a sample type already shown ${ms(d.switchBackMs)}; after a tree, the same query's top table ${ms(d.warmTopMs)}, per-line costs of one file ${ms(d.warmLinesMs)}`,
);
console.log(
  `per-line and per-function costs of all ${d.files} files at once (sourceCosts): ${ms(d.allFilesMs)}`,
);
// Wall time is the target; cpu time (user + sys) is printed too because on a shared machine it
// varies less than wall time.
process.exitCode = ok ? 0 : 1;
