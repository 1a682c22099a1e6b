// One fuzzing process for one target (started by scripts/fuzz.mjs): loads the target's bundle,
// instrumented with branch and function counters, runs its seeds, then mutates inputs that
// reached new coverage (counter buckets as AFL and libFuzzer count them) for a set time,
// checking each run against the invariant: a result or the reader's own typed error, within
// the time and memory budget for the input's size. Before each run the input is written to a
// file, so the parent can keep it when this process dies (abort, out of memory) or hangs.
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  ftruncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { Mutator } from './mutate.mjs';

const [bundlePath, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
config.runs ??= Infinity; // JSON has no Infinity
const require = createRequire(import.meta.url);
const mod = require(bundlePath);
const { target, timeBudgetMs, memoryBudgetBytes, rng } = mod;
const cov = globalThis[config.coverageVariable];

// ---- coverage: every branch outcome and function counter of the bundle ----
const slots = [];
for (const file of Object.values(cov ?? {})) {
  for (const k of Object.keys(file.f)) slots.push([file.f, k]);
  for (const k of Object.keys(file.b))
    for (let i = 0; i < file.b[k].length; i++) slots.push([file.b[k], i]);
}
const seen = new Uint8Array(slots.length);
let features = 0;
const bucket = (n) => (n >= 128 ? 7 : n >= 32 ? 6 : n >= 16 ? 5 : n >= 8 ? 4 : n >= 4 ? 3 : n - 1);
/** Reads and clears the counters; true when this run reached a counter bucket never seen. */
function newCoverage() {
  let fresh = false;
  for (let i = 0; i < slots.length; i++) {
    const [o, k] = slots[i];
    const n = o[k];
    if (n === 0) continue;
    o[k] = 0;
    const bit = 1 << bucket(n);
    if ((seen[i] & bit) === 0) {
      seen[i] |= bit;
      features++;
      fresh = true;
    }
  }
  return fresh;
}

// ---- the invariant ----
const heldBytes = () => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};
const stats = {
  target: target.name,
  inputs: 0,
  results: 0,
  typedErrors: 0,
  exceptions: 0,
  slow: 0,
  memory: 0,
  worstMs: 0,
  worstMsInputBytes: 0,
  worstBytes: 0,
  worstBytesInputBytes: 0,
  maxInputBytes: 0,
  corpus: 0,
  features: 0,
  findings: [],
};
const signatures = new Set();
const currentFd = openSync(config.currentPath, 'w');
process.send?.({ type: 'ready' });

const savedPerKind = new Map();
function save(kind, input, detail) {
  // A few of each kind per process: one bug tends to show up thousands of times.
  const n = savedPerKind.get(kind) ?? 0;
  if (n >= 5) return;
  savedPerKind.set(kind, n + 1);
  const hash = createHash('sha1').update(input).digest('hex').slice(0, 12);
  const name = `${kind}-${hash}`;
  stats.findings.push({ kind, name, bytes: input.length, detail: String(detail).slice(0, 300) });
  if (!config.save) return;
  mkdirSync(config.findingsDir, { recursive: true });
  writeFileSync(join(config.findingsDir, name), input);
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs one input; returns true when it reached new coverage. */
function runOne(input) {
  writeSync(currentFd, input, 0, input.length, 0);
  ftruncateSync(currentFd, input.length);
  stats.inputs++;
  if (input.length > stats.maxInputBytes) stats.maxInputBytes = input.length;
  const h0 = heldBytes();
  const t0 = performance.now();
  let result;
  let error;
  let threw = false;
  try {
    result = target.run(input);
  } catch (e) {
    threw = true;
    error = e;
  }
  let ms = performance.now() - t0;
  let held = heldBytes() - h0;
  const fresh = newCoverage();
  if (!threw) stats.results++;
  else if (target.isTypedError(error)) stats.typedErrors++;
  else {
    stats.exceptions++;
    const sig = `${error?.name}: ${String(error?.message).slice(0, 80)} @ ${String(
      error?.stack ?? '',
    )
      .split('\n')[1]
      ?.trim()}`;
    if (!signatures.has(sig)) {
      signatures.add(sig);
      save('exception', input, `${error?.name}: ${error?.message}\n${error?.stack ?? ''}`);
    }
  }
  // Time: over the budget for this size, measured again in CPU time (the machine may be shared,
  // and a GC may have landed in the first run).
  if (ms > timeBudgetMs(input.length) / 4) {
    const c0 = cpuMs();
    try {
      target.run(input);
    } catch {
      // Already counted.
    }
    ms = Math.min(ms, cpuMs() - c0);
    newCoverage();
  }
  if (ms > stats.worstMs) {
    stats.worstMs = ms;
    stats.worstMsInputBytes = input.length;
  }
  if (ms > timeBudgetMs(input.length)) {
    stats.slow++;
    save('slow', input, `${ms.toFixed(0)} ms CPU for ${input.length} bytes`);
  }
  // Memory: heap growth during the run with its result still held (garbage included); over the
  // budget it is measured again after a full GC, which leaves only what the run really holds.
  if (held > memoryBudgetBytes(input.length) && globalThis.gc) {
    result = undefined;
    globalThis.gc();
    const h1 = heldBytes();
    try {
      result = target.run(input);
    } catch {
      // Already counted.
    }
    newCoverage();
    held = heldBytes() - h1;
    if (held > memoryBudgetBytes(input.length)) {
      stats.memory++;
      save('memory', input, `${held} bytes held for ${input.length} bytes of input`);
    }
  }
  if (held > stats.worstBytes) {
    stats.worstBytes = held;
    stats.worstBytesInputBytes = input.length;
  }
  void result;
  return fresh;
}

// ---- the loop ----
const rand = rng(config.seed);
const mutator = new Mutator(rand, target.dictionary ?? [], config.maxLen);
const corpus = [];
const deadline = performance.now() + config.seconds * 1000;
const tick = () => new Promise((r) => setImmediate(r));
let lastReport = 0;
const report = (done) => {
  stats.corpus = corpus.length;
  stats.features = features;
  process.send?.({ type: done ? 'done' : 'progress', stats });
};

// Seeds are cut to the mutation length (whole files are replayed by the tests), smallest first.
const seedInputs = config.seeds
  .map((f) => new Uint8Array(readFileSync(f)))
  .map((b) => (b.length > config.maxLen ? b.subarray(0, config.maxLen) : b));
seedInputs.sort((a, b) => a.length - b.length);
for (const input of seedInputs) {
  if (performance.now() > deadline) break;
  if (runOne(input) || corpus.length === 0) corpus.push(input);
  if (performance.now() - lastReport > 200) {
    lastReport = performance.now();
    report(false);
    await tick();
  }
}
if (corpus.length === 0) corpus.push(new Uint8Array(0));
while (stats.inputs < config.runs && performance.now() < deadline) {
  for (let i = 0; i < 64; i++) {
    // Newer corpus entries (they reached new code) are picked a little more often.
    const pick =
      rand() < 0.5
        ? corpus.length - 1 - Math.floor(rand() * Math.min(corpus.length, 16))
        : Math.floor(rand() * corpus.length);
    const input = mutator.mutate(corpus[pick], corpus[Math.floor(rand() * corpus.length)]);
    if (runOne(input)) corpus.push(input);
  }
  if (performance.now() - lastReport > 200) {
    lastReport = performance.now();
    report(false);
    await tick();
  }
}
closeSync(currentFd);
report(true);
await tick();
process.exit(0);
