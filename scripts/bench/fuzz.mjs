#!/usr/bin/env node
// Benchmark of the readers under the coverage-guided fuzzer (scripts/fuzz.mjs): per reader,
// inputs per second (instrumented code: the readers run slower than uninstrumented), the worst
// time and the most memory held by one input, against the budget of issue 11 (1 s for an input
// under 1 MB; 50× the input + 32 MB). Usage: node scripts/bench/fuzz.mjs [--seconds 30]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { numberArg, repoRoot } from './common.mjs';

const seconds = numberArg('seconds', 30);
const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/fuzz.mjs'), '--seconds', String(seconds), '--seed', '1', '--no-save', '--json'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
if (!r.stdout) {
  console.log(r.stderr);
  process.exit(1);
}
const rows = JSON.parse(r.stdout);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
console.log(`${seconds} s per reader, seed 1, inputs up to each target's maxLen`);
console.log('reader       inputs  inputs/s   typed err  other exc  crash  hang   worst ms/input (input)   budget   worst MB held (input)   budget MB');
for (const t of rows) {
  const budgetMs = 1000 * Math.max(1, t.worstMsInputBytes / (1 << 20));
  const budgetMb = (32 * (1 << 20) + 50 * t.worstBytesInputBytes) / (1 << 20);
  console.log(
    `${t.target.padEnd(11)} ${String(t.inputs).padStart(7)} ${String(Math.round(t.inputs / t.seconds)).padStart(9)} ${String(t.typedErrors).padStart(11)} ${String(t.exceptions).padStart(10)} ${String(t.crashes).padStart(6)} ${String(t.hangs).padStart(5)}   ${t.worstMs.toFixed(1).padStart(9)} (${kb(t.worstMsInputBytes).padStart(9)})   ${String(budgetMs).padStart(6)}   ${(t.worstBytes / (1 << 20)).toFixed(1).padStart(9)} (${kb(t.worstBytesInputBytes).padStart(9)})   ${budgetMb.toFixed(0).padStart(8)}`,
  );
}
