// Benchmark: decoding a large profile and building its call tree (as the parse worker does: the
// profile index, then the first tree), against `go tool pprof -top` on
// the same file. Prints time and peak RSS of both, and the ratios against the targets
// (ours ≤ 0.25× the time and ≤ 0.5× the peak memory).
//
//   node scripts/bench/pprof.mjs [--runs N]
//
// The profile (~1M samples) is generated once into $TMPDIR/golens-bench/ and reused.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { bundleBenchChild, median, numberArg, pad } from './common.mjs';
import { benchProfilePath } from './pprof-generate.mjs';

const runs = numberArg('runs', 3);
const profilePath = benchProfilePath();
const childPath = await bundleBenchChild('pprof-child.ts', 'pprof-child.cjs');

// pprof itself, not the go command that launches it (Go ≥ 1.24 builds it on first use).
const env = { ...process.env, GOTOOLCHAIN: 'local' };
let pprofCmd;
try {
  const path = execFileSync('go', ['tool', '-n', 'pprof'], { env, encoding: 'utf8' }).trim();
  pprofCmd = existsSync(path) ? [path] : ['go', 'tool', 'pprof'];
} catch {
  pprofCmd = ['go', 'tool', 'pprof'];
}

/** Runs argv under GNU time; returns wall seconds, CPU seconds, peak RSS in MB and stdout. */
function measure(argv) {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env,
  });
  if (r.status !== 0)
    throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(
    r.stderr,
  );
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!wall || !rss) throw new Error(`could not read /usr/bin/time output:\n${r.stderr}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  return { seconds, cpu: user + sys, rssMB: Number(rss[1]) / 1024, stdout: r.stdout };
}

const size = statSync(profilePath).size;
console.log(`profile: ${profilePath} (${(size / 1e6).toFixed(1)} MB)`);
console.log(`runs: ${runs} each, alternating; medians reported`);
const ours = [];
const go = [];
let detail;
for (let i = 0; i < runs; i++) {
  const o = measure([process.execPath, childPath, profilePath]);
  detail = JSON.parse(o.stdout.trim().split('\n').pop());
  ours.push(o);
  go.push(measure([...pprofCmd, '-top', '-symbolize=none', profilePath]));
}
const oursT = median(ours.map((r) => r.seconds));
const oursM = median(ours.map((r) => r.rssMB));
const goT = median(go.map((r) => r.seconds));
const goM = median(go.map((r) => r.rssMB));
const oursC = median(ours.map((r) => r.cpu));
const goC = median(go.map((r) => r.cpu));
console.log('');
// Wall time is the target; CPU time (user + sys) is printed too because on a shared machine it
// varies less than wall time.
console.log(`${pad('', 30)}${pad('wall', 12)}${pad('cpu', 12)}peak RSS`);
console.log(
  `${pad('golens decode + call tree', 30)}${pad(oursT.toFixed(2) + ' s', 12)}${pad(oursC.toFixed(2) + ' s', 12)}${oursM.toFixed(0)} MB`,
);
console.log(
  `${pad('go tool pprof -top', 30)}${pad(goT.toFixed(2) + ' s', 12)}${pad(goC.toFixed(2) + ' s', 12)}${goM.toFixed(0)} MB`,
);
console.log('');
console.log(
  `ours: read + gunzip ${detail.readInflateMs.toFixed(0)} ms, decode ${detail.decodeMs.toFixed(0)} ms, index + call tree ${detail.treeMs.toFixed(0)} ms ` +
    `(the compressed bytes are dropped once inflated: inflateIfGzip)`,
);
console.log(
  `profile: ${detail.samples} samples, ${detail.frames} stack entries, ${detail.locations} locations, ${detail.functions} functions → ${detail.nodes} call tree nodes`,
);
const tr = oursT / goT;
const mr = oursM / goM;
console.log(`time ratio   ${tr.toFixed(3)}  (target ≤ 0.25) ${tr <= 0.25 ? 'OK' : 'MISSED'}`);
console.log(`memory ratio ${mr.toFixed(3)}  (target ≤ 0.5)  ${mr <= 0.5 ? 'OK' : 'MISSED'}`);
console.log(`cpu ratio    ${(oursC / goC).toFixed(3)}`);
process.exitCode = tr <= 0.25 && mr <= 0.5 ? 0 : 1;
