// `npm run bench`: every benchmark, one after another, each printing its own figures (and
// ratios against Go's own tools where there is one). `npm run bench -- pprof trace` runs some;
// `npm run bench -- trace --size 1024` passes the options on (a 1 GB trace).
// Benchmarks are not tests: they print numbers for people, and never fail on a slow machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const all = [
  ['pprof', 'decode + call tree vs go tool pprof -top (1M samples)'],
  ['flame-render', 'flame graph first render and frame times in headless Chromium'],
  [
    'pprof-interactive',
    'sample type switch, filter, sandwich, top on the loaded 1M-sample profile',
  ],
  [
    'annotations',
    'editor line-cost decorations for a 5,000-line file with the 1M-sample profile active',
  ],
  ['trace', 'execution trace parse vs golang.org/x/exp/trace (≥100 MB trace)'],
  ['timeline-render', 'scheduler timeline pan/zoom frames in headless Chromium'],
  [
    'trace-vscode',
    'the trace in a real VS Code: first timeline, complete trace, extension host + webview memory',
  ],
  ['goroutines', '100k-goroutine dump parse + group'],
  ['goroutines-ui', 'goroutine explorer and table with 100k goroutines'],
  ['schedtrace', 'an hour of 100 ms schedtrace on 64 Ps through the parser and model'],
  ['sched-dashboard', 'the live scheduler dashboard fed an hour of 100 ms 64-P data'],
  ['perf', '1 GB perf script text streamed, and 1M folded lines to the first flame graph'],
  ['core', 'a 100k-goroutine core dump read through Delve into the Goroutines view'],
  ['races', 'race reports: parse + dedupe a 50 MB log of 10,000 reports (target ≥ 50 MB/s)'],
  [
    'fuzz',
    'every reader under the coverage-guided fuzzer: inputs/s, worst time and memory per input',
  ],
];
// Options (`--size 1024`, `--go-tool-trace`) go to the chosen benchmarks; other words name them.
const forwarded = [];
const wanted = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (!a.startsWith('--')) wanted.push(a);
  else {
    forwarded.push(a);
    const v = process.argv[i + 1];
    if (v !== undefined && !v.startsWith('--') && !all.some(([n]) => n === v))
      forwarded.push(process.argv[++i]);
  }
}
const chosen = all.filter(([name]) => wanted.length === 0 || wanted.includes(name));
if (chosen.length === 0) {
  console.error(`unknown benchmark; choose from: ${all.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
for (const [name, what] of chosen) {
  const script = join(root, 'scripts/bench', `${name}.mjs`);
  if (!existsSync(script)) continue;
  console.log(`\n=== ${name}: ${what}`);
  const r = spawnSync(process.execPath, [script, ...forwarded], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.log(`=== ${name} failed (exit ${r.status})`);
}
