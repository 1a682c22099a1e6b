// Shared by the index tests: random profiles and filters, the layout check of a CallTree, and a
// CallTree as nested plain data.
import { expect } from 'vitest';
import type { CallTree } from '../../../src/core/flame/call-tree';
import type { ProfileFilter } from '../../../src/core/pprof/filter';
import { rng, type ProfileSpec } from './encode';
import type { Nested } from './reference';

export function nest(tree: CallTree, i = 0): Nested {
  const children: Nested[] = [];
  for (let c = i + 1; c < i + tree.subtreeSize[i]; c += tree.subtreeSize[c])
    children.push(nest(tree, c));
  const f = tree.func[i];
  return {
    name: f < 0 ? '' : tree.funcName[f],
    file: f < 0 ? '' : tree.funcFile[f],
    line: tree.line[i],
    total: tree.total[i],
    self: tree.self[i],
    children,
  };
}

/** The layout rules CallTree documents (see call-tree.test.ts); problems collected into one expect. */
export function checkLayout(tree: CallTree): void {
  const problems: string[] = [];
  const fail = (m: string) => problems.length < 10 && problems.push(m);
  const n = tree.nodeCount;
  for (const a of [
    tree.parent,
    tree.depth,
    tree.subtreeSize,
    tree.func,
    tree.line,
    tree.total,
    tree.self,
  ])
    if (a.length !== n) fail('column length');
  if (
    tree.parent[0] !== -1 ||
    tree.func[0] !== -1 ||
    tree.depth[0] !== 0 ||
    tree.subtreeSize[0] !== n
  )
    fail('root');
  let maxDepth = 0;
  for (let i = 1; i < n; i++) {
    const p = tree.parent[i];
    if (!(p >= 0 && p < i)) fail(`parent of ${i} is ${p}`);
    if (tree.depth[i] !== tree.depth[p] + 1) fail(`depth of ${i}`);
    if (i + tree.subtreeSize[i] > p + tree.subtreeSize[p]) fail(`subtree of ${i}`);
    maxDepth = Math.max(maxDepth, tree.depth[i]);
    if (!(tree.func[i] >= 0 && tree.func[i] < tree.funcName.length)) fail(`func of ${i}`);
  }
  if (tree.maxDepth !== maxDepth) fail(`maxDepth ${tree.maxDepth} != ${maxDepth}`);
  for (let i = 0; i < n; i++) {
    let c = i + 1;
    for (let prev = -1; c < i + tree.subtreeSize[i]; c += tree.subtreeSize[c]) {
      if (tree.parent[c] !== i) fail(`child ${c} of ${i}`);
      if (!(tree.func[c] > prev)) fail(`order of children of ${i}`);
      prev = tree.func[c];
    }
    if (c !== i + tree.subtreeSize[i]) fail(`children of ${i} do not tile its subtree`);
  }
  const used = new Set<number>();
  for (let i = 1; i < n; i++) used.add(tree.func[i]);
  if (used.size !== tree.funcName.length) fail('unused functions in funcName');
  for (let f = 1; f < tree.funcName.length; f++) {
    if (
      !(
        tree.funcName[f - 1] + '\0' + tree.funcFile[f - 1] <
        tree.funcName[f] + '\0' + tree.funcFile[f]
      )
    )
      fail('function order');
  }
  expect(problems).toEqual([]);
}

const NAMES = [
  'main.main',
  'main.work',
  'main.(*T).Run',
  'runtime.mallocgc',
  'runtime.gopark',
  'runtime.main',
  'internal/runtime/maps.(*Map).get',
  'sync.(*Mutex).Lock',
  'pkg.f1',
  'pkg.f2',
  'pkg.f3',
  '',
];
const FILES = ['main.go', 'a.go', 'b.go', '/go/src/runtime/malloc.go'];

/** A random profile: shared names across files, inlining, frames without functions, unsymbolized PCs, labels. */
export function randomSpec(seed: number): ProfileSpec {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const nf = 4 + Math.floor(rand() * 14);
  const functions = Array.from({ length: nf }, (_, i) => ({
    id: i + 1,
    name: pick(NAMES),
    file: pick(FILES),
    startLine: 1 + Math.floor(rand() * 3),
  }));
  const nl = 4 + Math.floor(rand() * 24);
  const locations = Array.from({ length: nl }, (_, i) => {
    const k = rand() < 0.08 ? 0 : rand() < 0.7 ? 1 : 2 + Math.floor(rand() * 2);
    return {
      id: i + 1,
      mapping: rand() < 0.8 ? 1 : rand() < 0.5 ? 2 : undefined,
      address: 0x1000 + i * 8,
      lines: Array.from({ length: k }, () => ({
        function: rand() < 0.05 ? 0 : 1 + Math.floor(rand() * nf),
        line: 1 + Math.floor(rand() * 4),
      })),
    };
  });
  const negatives = seed % 5 === 0;
  const samples = Array.from({ length: Math.floor(rand() * 70) }, () => {
    const depth = Math.floor(rand() * 9);
    const v = Math.floor(rand() * 10) - (negatives ? 3 : 0);
    const labels = [];
    if (rand() < 0.7) labels.push({ key: 'worker', str: pick(['alpha', 'beta', 'gamma']) });
    if (rand() < 0.5) labels.push({ key: 'kind', str: pick(['deep', 'shallow']) });
    if (rand() < 0.3) labels.push({ key: 'bytes', num: pick([64, 512, 4096]) });
    return {
      locations: Array.from({ length: depth }, () => 1 + Math.floor(rand() * nl)),
      values: [v, rand() < 0.3 ? 0 : v * 1000],
      labels,
    };
  });
  return {
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    samples,
    locations,
    functions,
    mappings: [
      { id: 1, start: 0x1000, limit: 0x100000, file: '/bin/prog', hasFunctions: true },
      { id: 2, start: 0x200000, limit: 0x300000, file: '/lib/libc.so.6' },
    ],
  };
}

export const FILTERS: ProfileFilter[] = [
  {},
  { focus: 'main' },
  { focus: 'work|Run' },
  { ignore: 'runtime' },
  { focus: 'f1', ignore: 'f2' },
  { hide: 'runtime\\.' },
  { show: 'main\\.|pkg' },
  { hide: 'a\\.go' },
  { focus: 'libc' },
  { show: 'prog' },
  { hide: 'f1', show: 'f' },
  { showFrom: 'main\\.work' },
  { showFrom: 'pkg' },
  { pruneFrom: 'pkg\\.f[12]' },
  { pruneFrom: 'main' },
  { pruneRuntime: true },
  { tagFocus: ['worker=alpha'] },
  { tagIgnore: ['worker=beta'] },
  { tagFocus: ['kind:deep'] },
  { tagFocus: ['worker=alpha,gamma', 'kind=deep'] },
  { focus: 'main', hide: 'runtime', pruneRuntime: true, tagFocus: ['worker=a'] },
  { showFrom: 'main', pruneFrom: 'f3', ignore: 'Lock' },
  { pruneRuntime: true, show: 'main|runtime' },
  { focus: '^$' },
];
