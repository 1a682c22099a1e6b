// The measured half of the interactive pprof benchmark (pprof-interactive.mjs runs it in its own
// node process, with --expose-gc): loads the profile given as argv[2], builds the index, then times
// each interactive operation cold (the worker's query cache cleared first), `runs` times each, through
// the parse worker's per-profile cache (src/worker/profile-cache.ts) as the views ask.
// Prints one JSON line.
import { readFileSync } from 'node:fs';
import { sandwichOf } from '../../src/core/flame/sandwich';
import { decodeProfile } from '../../src/core/pprof/decode';
import type { ProfileFilter } from '../../src/core/pprof/filter';
import { indexMemoryBytes, indexProfile } from '../../src/core/pprof/profile-index';
import { fileCostsOf, sourceCostsOf } from '../../src/core/pprof/source-costs';
import { topTableOf } from '../../src/core/pprof/top';
import { gunzip, inflateIfGzip } from '../../src/node/inflate';
import { ProfileQueryCache } from '../../src/worker/profile-cache';

const file = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

interface Timing {
  wallMs: number[];
  cpuMs: number[];
}

function measure<T>(f: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const wallMs = performance.now() - t;
  const cu = process.cpuUsage(c);
  return { value, wallMs, cpuMs: (cu.user + cu.system) / 1000 };
}

const t0 = performance.now();
const profile = decodeProfile(inflateIfGzip(readFileSync(file)), gunzip);
const loadMs = performance.now() - t0;
gc();
const before = process.memoryUsage();
const built = measure(() => indexProfile(profile));
const index = built.value;
gc();
const after = process.memoryUsage();

const cache = new ProfileQueryCache(index);
const q = (sampleType: number, filter: ProfileFilter = {}) => cache.query({ sampleType, filter });
const tree = (sampleType: number, filter: ProfileFilter = {}) =>
  cache.tree(q(sampleType, filter), false);
const ev = (sampleType: number) => cache.evaluation(q(sampleType));
const defaultType = profile.defaultSampleType;
const otherType = defaultType === 0 ? 1 : 0;
// The view a user opens first (not timed as an operation).
const first = measure(() => tree(defaultType));

// The functions to use: the hottest by flat, and a mid-frequency one (cum between 0.5% and 2% of
// the total, the median of those), found from an unfiltered top table.
const top = topTableOf(ev(defaultType));
const hot = top.rows[0].name;
const byCum = top.rows
  .filter((r) => r.cum >= top.total * 0.005 && r.cum <= top.total * 0.02)
  .sort((a, b) => a.cum - b.cum);
const mid = byCum[Math.floor(byCum.length / 2)] ?? top.rows[Math.floor(top.rows.length / 2)];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hotFile = index.funcFile[index.funcName.indexOf(hot)];

const ops: Record<string, () => unknown> = {
  'switch sample type (call tree of another type)': () => tree(otherType),
  'focus on a mid-frequency function, call tree': () =>
    tree(defaultType, { focus: `^${escape(mid.name)}$` }),
  'sandwich of the hottest function': () => sandwichOf(ev(defaultType), { name: hot }),
  'top table': () => topTableOf(ev(defaultType)),
  'per-line costs of one file': () => fileCostsOf(ev(defaultType), hotFile),
};
const timings: Record<string, Timing> = {};
for (const name of Object.keys(ops)) timings[name] = { wallMs: [], cpuMs: [] };
for (let r = 0; r < runs; r++) {
  for (const [name, op] of Object.entries(ops)) {
    cache.clear();
    gc();
    const m = measure(op);
    timings[name].wallMs.push(m.wallMs);
    timings[name].cpuMs.push(m.cpuMs);
  }
}

// Warm: a sample type's unfiltered tree is kept once built, so switching back is free; after the
// tree of a query, the top table and line costs of the same query reuse its evaluation.
cache.clear();
tree(otherType);
const switchBack = measure(() => tree(otherType));
const warmTop = measure(() => topTableOf(ev(otherType)));
const warmLines = measure(() => fileCostsOf(ev(otherType), hotFile));
cache.clear();
const allFiles = measure(() => sourceCostsOf(ev(otherType)));
const focused = tree(defaultType, { focus: `^${escape(mid.name)}$` });

process.stdout.write(
  JSON.stringify({
    loadMs,
    indexMs: built.wallMs,
    indexCpuMs: built.cpuMs,
    indexArraysMB: indexMemoryBytes(index) / 1e6,
    arrayBuffersDeltaMB: (after.arrayBuffers - before.arrayBuffers) / 1e6,
    heapDeltaMB: (after.heapUsed - before.heapUsed) / 1e6,
    firstTreeMs: first.wallMs,
    samples: profile.samples.count,
    stacks: index.stackCount,
    trieNodes: index.nodeCount,
    treeNodes: index.treeCount,
    hot,
    mid: mid.name,
    midCumPercent: (mid.cum / top.total) * 100,
    focusedNodes: focused.nodeCount,
    hotFile,
    timings,
    warmTopMs: warmTop.wallMs,
    switchBackMs: switchBack.wallMs,
    warmLinesMs: warmLines.wallMs,
    allFilesMs: allFiles.wallMs,
    files: allFiles.value.files.size,
  }) + '\n',
);
