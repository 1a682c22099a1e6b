// Benchmark: open the core of a process with 100,000 goroutines the way the extension does —
// the parse worker (dist/parse-worker.js) runs `dlv core` and reads every goroutine and stack
// over Delve's JSON-RPC API, builds the snapshot and the first page of the Goroutines view —
// while the main thread (standing in for the extension host) measures its own event-loop lag.
// Budget: in the view in ≤ 15 s on a 2-core machine, the host never blocked.
//
//   node scripts/bench/core.mjs [--goroutines N]
//
// The core is written once by Delve's dump of test/go/core-crash (-mode wait) and cached under
// the OS temp dir. Prints wall time per phase, Delve's and Node's CPU time (steadier than wall
// time on a shared machine), the peak memory of both, and the machine's load.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { benchCacheDir, numberArg, repoRoot } from './common.mjs';

const goroutines = numberArg('goroutines', 100_000);
const cache = join(benchCacheDir, 'core');
execFileSync('mkdir', ['-p', cache]);
const lib = join(cache, 'delve-lib.mjs');
await esbuild.build({
  stdin: {
    contents:
      "export { snapshotProcess } from './src/collect/delve/snapshot-process'; export { findDelveOnDisk } from './src/collect/delve/find';",
    resolveDir: repoRoot,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: lib,
  logLevel: 'warning',
});
const { snapshotProcess, findDelveOnDisk } = await import(lib);
const dlv = findDelveOnDisk();
if (!dlv) throw new Error('dlv not found: run scripts/install-e2e.sh');

// 1. The core: a real program parks N goroutines; Delve dumps it (cached).
const exe = join(cache, 'core-crash');
const core = join(cache, `core-${goroutines}`);
if (!existsSync(core) || !existsSync(exe)) {
  execFileSync('go', ['build', '-o', exe, './core-crash'], {
    cwd: join(repoRoot, 'test/go'),
    env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    stdio: 'inherit',
  });
  const child = spawn(exe, ['-mode', 'wait', '-n', String(goroutines)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) =>
    child.stdout.on('data', (d) => /ready/.test(String(d)) && resolve()),
  );
  const r = await snapshotProcess(dlv, child.pid, core);
  child.kill('SIGKILL');
  console.log(
    `made ${core}: ${(r.bytes / 2 ** 20).toFixed(0)} MB; the process was stopped for ${(r.stoppedMs / 1000).toFixed(1)} s`,
  );
}

// 2. The worker as the extension runs it, and the main thread's event-loop lag meanwhile.
const worker = new Worker(join(repoRoot, 'dist/parse-worker.js'), {
  resourceLimits: { maxOldGenerationSizeMb: 8192 },
});
let nextId = 1;
const phases = [];
const t0 = performance.now();
const request = (method, params) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    const onMessage = (m) => {
      if (m.id !== id) return;
      if (m.kind === 'progress') {
        const phase = m.message.replace(/[\d,]+/g, 'N');
        if (phases.at(-1)?.phase !== phase) phases.push({ phase, at: performance.now() - t0 });
        return;
      }
      worker.off('message', onMessage);
      if (m.kind === 'result') resolve(m.result);
      else reject(new Error(`${m.name}: ${m.message}`));
    };
    worker.on('message', onMessage);
    worker.postMessage({ id, method, params });
  });
let maxLag = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  maxLag = Math.max(maxLag, now - last - 20);
  last = now;
}, 20);

/**
 * CPU seconds and peak RSS of the Delves the worker started (children of this process),
 * sampled every second: the helper Delves that read in parallel end before the read does.
 */
const delves = new Map();
function sampleDelves() {
  // Delve runs under a /bin/sh watchdog (src/collect/delve/process.ts), so it is a grandchild:
  // walk every descendant of this process, not just its children.
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((r) => r.length >= 3)
    .map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm }));
  const descendants = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) {
      if (descendants.has(r.ppid) && !descendants.has(r.pid)) {
        descendants.add(r.pid);
        grew = true;
      }
    }
  }
  const pids = rows.filter((r) => descendants.has(r.pid) && /dlv/.test(r.comm)).map((r) => r.pid);
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      delves.set(pid, {
        cpu: (Number(stat[11]) + Number(stat[12])) / 100,
        peakMb: hwm ? Number(hwm[1]) / 1024 : 0,
      });
    } catch {
      // Ended between ps and the read.
    }
  }
}
const sampler = setInterval(sampleDelves, 1000);
function delveUsage() {
  sampleDelves();
  if (delves.size === 0) return undefined;
  const all = [...delves.entries()];
  return {
    pid: Math.min(...all.map(([p]) => p)),
    count: all.length,
    cpu: all.reduce((n, [, u]) => n + u.cpu, 0),
    peakMb: all.reduce((n, [, u]) => n + u.peakMb, 0),
  };
}

const loaded = await request('loadCoreDump', { dlv, executable: exe, core });
const tLoaded = performance.now() - t0;
const options = { similarity: 'exact', hideSystem: true, filter: '' };
const page = await request('goroutineGroups', {
  handle: loaded.handle,
  options,
  offset: 0,
  limit: 200,
});
const tView = performance.now() - t0;
clearInterval(ticker);
const d = delveUsage();
clearInterval(sampler);
const workerCpu = process.cpuUsage();
await request('releaseGoroutines', { handle: loaded.handle });
await new Promise((r) => setTimeout(r, 3000));
const delveGone = d
  ? !existsSync(`/proc/${d.pid}`) ||
    /\bZ\b/.test(readFileSync(`/proc/${d.pid}/stat`, 'utf8').split(') ')[1].slice(0, 2))
  : true;
await worker.terminate();

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `core: ${core} (${(readFileSync(core).length / 2 ** 20).toFixed(0)} MB), ${loaded.summary.totalGoroutines.toLocaleString('en-US')} goroutines, ${page.groupCount} groups in the view`,
);
for (let i = 0; i < phases.length; i++)
  console.log(`  ${phases[i].phase.padEnd(34)} from ${s(phases[i].at)}`);
console.log(
  `in the view (first page of groups): ${s(tView)} wall (read ${s(tLoaded)}); budget 15 s: ${tView <= 15_000 ? 'met' : 'NOT met'}`,
);
console.log(
  `CPU: Delve ${d ? d.cpu.toFixed(1) : '?'} s (${d?.count ?? 0} process(es), at least), Go Lens (worker + main) ${((workerCpu.user + workerCpu.system) / 1e6).toFixed(1)} s`,
);
console.log(
  `memory: Delve peak RSS ${d ? d.peakMb.toFixed(0) : '?'} MB (all of them); Go Lens peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
console.log(
  `main thread (the extension host's stand-in): longest event-loop stall ${maxLag.toFixed(0)} ms`,
);
console.log(`Delve ended when the snapshot was released: ${delveGone ? 'yes' : 'NO'}`);
console.log(
  `machine load average: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores (wall time stretches with it)`,
);
