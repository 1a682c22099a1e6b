#!/usr/bin/env node
// Benchmark of the readers under the coverage-guided fuzzer (scripts/fuzz.mjs): per reader,
// inputs per second (instrumented code: the readers run slower than uninstrumented), the worst
// time and the most memory held by one input, against the budget of issue 11 (1 s for an input
// under 1 MB; 50× the input + 32 MB). Usage: node scripts/bench/fuzz.mjs [--seconds 30]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { benchCacheDir, numberArg, repoRoot } from './common.mjs';

// ---- schedtrace: the cost per line of the inputs that once took seconds (issue 11, issue 16) ----
// Uninstrumented, CPU time, after one warm-up run: the per-line cost the live dashboard pays.
{
  const out = join(benchCacheDir, 'fuzz-schedtrace-core.cjs');
  await esbuild.build({
    stdin: {
      contents:
        "export { parseSchedTraceLog } from '../../src/core/schedtrace';\nexport { sharedRootOf } from '../support/shared';",
      resolveDir: join(repoRoot, 'test/fuzz'),
      loader: 'ts',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    outfile: out,
    logLevel: 'warning',
  });
  const { parseSchedTraceLog, sharedRootOf } = createRequire(import.meta.url)(out);
  const shared = sharedRootOf(repoRoot);
  const torn =
    '  M8: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=cked=false lockedg=nil';
  const detail =
    'SCHED 0ms: gomaxprocs=4 idleprocs=0 threads=3 spinningthreads=0 needspinning=1 idlethreads=0 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false';
  const inputs = [
    ['10,000 gc lookalike lines', Array(10_000).fill('gc 7 is not a GC line @ all').join('\n')],
    [
      '1,000 torn M lines in a block',
      [
        detail,
        '  P0: status=1 schedtick=1 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0',
        ...Array(1000).fill(torn),
      ].join('\n'),
    ],
    ['a 1 MB P line of digits', [detail, '  P' + '0'.repeat(1 << 20)].join('\n')],
    [
      '10,000 lines starting "  G" in a block',
      [
        detail,
        ...Array(10_000).fill('  G1: status=4(stderr line 5select) m=nil lockedm=nil garbage'),
      ].join('\n'),
    ],
  ];
  const repro = shared && [join(shared, 'fuzz-repro/schedtrace')].find(existsSync);
  for (const f of repro ? readdirSync(repro).sort() : [])
    inputs.push([`fuzz-repro/${f}`, readFileSync(join(repro, f))]);
  const gcvis = shared && join(shared, 'corpus/schedtrace/gcvis-go15_stderr.log');
  if (gcvis && existsSync(gcvis))
    inputs.push(['corpus gcvis-go15_stderr.log (Go 1.5)', readFileSync(gcvis)]);
  console.log('schedtrace, adversarial inputs (CPU time, uninstrumented)');
  console.log('input                                          lines     total ms   µs per line');
  for (const [name, input] of inputs) {
    parseSchedTraceLog(input, { allowEmpty: true });
    const c0 = process.cpuUsage();
    const log = parseSchedTraceLog(input, { allowEmpty: true });
    const c = process.cpuUsage(c0);
    const ms = (c.user + c.system) / 1000;
    console.log(
      `${name.padEnd(44)} ${String(log.stats.lines).padStart(8)} ${ms.toFixed(1).padStart(11)} ${((1000 * ms) / Math.max(1, log.stats.lines)).toFixed(1).padStart(12)}`,
    );
  }
  console.log('');
}

const seconds = numberArg('seconds', 30);
if (seconds <= 0) process.exit(0);
const r = spawnSync(
  process.execPath,
  [
    join(repoRoot, 'scripts/fuzz.mjs'),
    '--seconds',
    String(seconds),
    '--seed',
    '1',
    '--no-save',
    '--json',
  ],
  { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 },
);
if (!r.stdout) {
  console.log(r.stderr);
  process.exit(1);
}
const rows = JSON.parse(r.stdout);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
console.log(`${seconds} s per reader, seed 1, inputs up to each target's maxLen`);
console.log(
  'reader       inputs  inputs/s   typed err  other exc  crash  hang   worst ms/input (input)   budget   worst MB held (input)   budget MB',
);
for (const t of rows) {
  const budgetMs = 1000 * Math.max(1, t.worstMsInputBytes / (1 << 20));
  const budgetMb = (32 * (1 << 20) + 50 * t.worstBytesInputBytes) / (1 << 20);
  console.log(
    `${t.target.padEnd(11)} ${String(t.inputs).padStart(7)} ${String(Math.round(t.inputs / t.seconds)).padStart(9)} ${String(t.typedErrors).padStart(11)} ${String(t.exceptions).padStart(10)} ${String(t.crashes).padStart(6)} ${String(t.hangs).padStart(5)}   ${t.worstMs.toFixed(1).padStart(9)} (${kb(t.worstMsInputBytes).padStart(9)})   ${String(budgetMs).padStart(6)}   ${(t.worstBytes / (1 << 20)).toFixed(1).padStart(9)} (${kb(t.worstBytesInputBytes).padStart(9)})   ${budgetMb.toFixed(0).padStart(8)}`,
  );
}
