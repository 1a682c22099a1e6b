#!/usr/bin/env node
// `npm run fuzz`: coverage-guided fuzzing of every reader (one target per file in
// test/fuzz/targets/), one after another, each for a set time. Findings — an exception that is
// not the reader's own typed error, a run over its time or memory budget, a crash or a hang of
// the process — are saved under test/robustness/fuzz-findings/<target>/, which `npm test`
// replays (test/robustness/fuzz-repro/replay.test.ts).
//
// Engine: each target is bundled with esbuild and instrumented with istanbul-lib-instrument
// (branch and function counters); scripts/fuzz/worker.mjs runs it in a child process that
// mutates inputs reaching new counter buckets. Jazzer.js, the engine the issue names, does not
// load on this platform (its only native part is a prebuilt binary needing glibc 2.38; Debian 12
// has 2.36, and the package ships no sources to build), and V8's own precise coverage costs
// milliseconds per input to collect; counters in the bundle cost microseconds.
//
// Usage: node scripts/fuzz.mjs [--target NAME]… [--seconds 60] [--runs N] [--seed 1]
//          [--max-len 65536] [--no-save] [--json] [--nice]
// Exit status 1 when anything was found.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name) => args.includes(`--${name}`);
const wanted = args.flatMap((a, i) => (args[i - 1] === '--target' ? [a] : []));
const seconds = Number(opt('seconds', 60));
const runs = Number(opt('runs', Infinity));
const seed = Number(opt('seed', Date.now() % 1e9));
const maxLen = Number(opt('max-len', 1 << 16));
const save = !flag('no-save');
const json = flag('json');
/**
 * A child that reports nothing for this long while running inputs is hung (an input may take
 * 1 s; a loaded machine is slow, and a child at nice 19 on a busy one slower still). Loading the
 * instrumented bundle is not counted: the watchdog starts when the child says it is ready.
 */
const HANG_MS = Number(opt('hang-ms', flag('nice') ? 120_000 : 30_000));
const COVERAGE_VARIABLE = '__golensFuzzCoverage';

const targetsDir = join(root, 'test/fuzz/targets');
const names = readdirSync(targetsDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3))
  .filter((n) => wanted.length === 0 || wanted.includes(n));
if (names.length === 0) {
  console.error(`no such target; the targets are the files of test/fuzz/targets/`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'golens-fuzz-'));

async function instrumentedBundle(name) {
  const built = await esbuild.build({
    stdin: {
      contents: [
        `export { default as target } from './targets/${name}';`,
        `export { findingsDir, seedFiles } from './inputs';`,
        `export { timeBudgetMs, memoryBudgetBytes } from './target';`,
        `export { sharedRootOf } from '../support/shared';`,
        `export { rng } from '../support/random';`,
      ].join('\n'),
      resolveDir: join(root, 'test/fuzz'),
      sourcefile: `fuzz-${name}.ts`,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const { createInstrumenter } = require('istanbul-lib-instrument');
  const instrumenter = createInstrumenter({
    coverageVariable: COVERAGE_VARIABLE,
    compact: true,
    esModules: false,
    preserveComments: false,
    produceSourceMap: false,
  });
  const code = instrumenter.instrumentSync(built.outputFiles[0].text, `fuzz-${name}.js`);
  const file = join(work, `fuzz-${name}.cjs`);
  writeFileSync(file, code);
  return file;
}

function runChild(bundle, config) {
  return new Promise((resolve) => {
    const nice = flag('nice') ? ['-n', '19'] : null;
    const nodeArgs = [
      ...(process.env.FUZZ_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.FUZZ_PROF] : []),
      '--expose-gc',
      '--max-old-space-size=4096',
      join(root, 'scripts/fuzz/worker.mjs'),
      bundle,
      JSON.stringify(config),
    ];
    const child = nice
      ? spawn('nice', [...nice, process.execPath, ...nodeArgs], {
          stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
        })
      : spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let last;
    let beat = Date.now();
    let ready = false;
    let stderr = '';
    let hung = false;
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.on('message', (m) => {
      beat = Date.now();
      if (m.type === 'ready') {
        ready = true;
        return;
      }
      last = m.stats;
      if (!json && m.type === 'progress' && process.stderr.isTTY)
        process.stderr.write(
          `\r  ${m.stats.inputs.toLocaleString()} inputs, ${m.stats.corpus} in corpus, ${m.stats.features} features, ${m.stats.exceptions} exceptions   `,
        );
    });
    const watch = setInterval(() => {
      if (ready && Date.now() - beat > HANG_MS) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 1000);
    child.on('exit', (code, signal) => {
      clearInterval(watch);
      resolve({ stats: last, code, signal, hung, stderr });
    });
  });
}

function keep(kind, name, detail, findings, findingsDirPath) {
  const current = join(work, `current-${name}`);
  const input = existsSync(current) ? readFileSync(current) : Buffer.alloc(0);
  const file = `${kind}-${Date.now().toString(36)}`;
  if (save) {
    mkdirSync(findingsDirPath, { recursive: true });
    writeFileSync(join(findingsDirPath, file), input);
  }
  findings.push({ kind, name: file, bytes: input.length, detail });
}

const summary = [];
for (const name of names) {
  const bundle = await instrumentedBundle(name);
  const mod = require(bundle);
  const findingsDirPath = mod.findingsDir(root, mod.target.name);
  const seeds = [
    ...mod.seedFiles(root, mod.target, mod.sharedRootOf(root)),
    ...(existsSync(findingsDirPath)
      ? readdirSync(findingsDirPath).map((f) => join(findingsDirPath, f))
      : []),
  ];
  if (!json) console.error(`${name}: ${seeds.length} seed files`);
  const total = {
    target: name,
    inputs: 0,
    results: 0,
    typedErrors: 0,
    exceptions: 0,
    slow: 0,
    memory: 0,
    crashes: 0,
    hangs: 0,
    worstMs: 0,
    worstMsInputBytes: 0,
    worstBytes: 0,
    worstBytesInputBytes: 0,
    maxInputBytes: 0,
    corpus: 0,
    features: 0,
    seconds: 0,
    findings: [],
  };
  const started = Date.now();
  let attempt = 0;
  // A child that dies or hangs is restarted with the time left (its input is kept as a finding).
  while ((Date.now() - started) / 1000 < seconds - 1 && total.inputs < runs) {
    const left = seconds - (Date.now() - started) / 1000;
    const config = {
      seconds: left,
      runs: runs - total.inputs,
      seed: seed + attempt++,
      maxLen: opt('max-len') ? maxLen : (mod.target.maxLen ?? maxLen),
      save,
      findingsDir: findingsDirPath,
      currentPath: join(work, `current-${name}`),
      coverageVariable: COVERAGE_VARIABLE,
      seeds,
    };
    const r = await runChild(bundle, config);
    const s = r.stats;
    if (s) {
      for (const k of ['inputs', 'results', 'typedErrors', 'exceptions', 'slow', 'memory'])
        total[k] += s[k];
      for (const [k, b] of [
        ['worstMs', 'worstMsInputBytes'],
        ['worstBytes', 'worstBytesInputBytes'],
      ])
        if (s[k] > total[k]) [total[k], total[b]] = [s[k], s[b]];
      total.maxInputBytes = Math.max(total.maxInputBytes, s.maxInputBytes);
      total.corpus = Math.max(total.corpus, s.corpus);
      total.features = Math.max(total.features, s.features);
      total.findings.push(...s.findings);
    }
    if (r.hung) {
      total.hangs++;
      keep('hang', name, `no progress for ${HANG_MS / 1000} s`, total.findings, findingsDirPath);
    } else if (r.code !== 0) {
      total.crashes++;
      keep(
        'crash',
        name,
        `exit ${r.code ?? r.signal}: ${r.stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`,
        total.findings,
        findingsDirPath,
      );
    } else {
      break;
    }
  }
  total.seconds = (Date.now() - started) / 1000;
  if (!json) process.stderr.write('\n');
  summary.push(total);
}

const found = summary.reduce(
  (a, t) => a + t.exceptions + t.slow + t.memory + t.crashes + t.hangs,
  0,
);
if (json) {
  console.log(JSON.stringify(summary, null, 1));
} else {
  const mb = (b) => (b / (1 << 20)).toFixed(1);
  console.log(
    'target      inputs     inputs/s  typed err  exceptions  slow  memory  crash  hang  worst ms (input KB)  worst MB held (input KB)',
  );
  for (const t of summary) {
    console.log(
      `${t.target.padEnd(10)} ${String(t.inputs).padStart(8)} ${String(Math.round(t.inputs / t.seconds)).padStart(10)} ${String(t.typedErrors).padStart(10)} ${String(t.exceptions).padStart(11)} ${String(t.slow).padStart(5)} ${String(t.memory).padStart(7)} ${String(t.crashes).padStart(6)} ${String(t.hangs).padStart(5)}  ${t.worstMs.toFixed(1).padStart(8)} (${(t.worstMsInputBytes / 1024).toFixed(0)})        ${mb(t.worstBytes).padStart(8)} (${(t.worstBytesInputBytes / 1024).toFixed(0)})`,
    );
    for (const f of t.findings)
      console.log(`  ${f.kind} ${f.name} (${f.bytes} bytes): ${f.detail.split('\n')[0]}`);
  }
  if (found && save)
    console.log(`findings saved under test/robustness/fuzz-findings/ (replayed by npm test)`);
}
process.exit(found ? 1 : 0);
