// Samples in an order where each shares most of its stack with the one before (a folded file's
// sorted lines) are indexed by another path than the general one (stacks known by the trie node
// they end at, a trie built front to back, no reordering when it came in pre-order): its arrays
// must be those of the general path, on samples in any order.
import { describe, expect, it } from 'vitest';
import { readFolded } from '../../../src/core/folded/folded-reader';
import { decodeProfile } from '../../../src/core/pprof/decode';
import type { Profile } from '../../../src/core/pprof/model';
import { indexProfile, type ProfileIndex } from '../../../src/core/pprof/profile-index';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, rng } from './encode';
import { randomSpec } from './random-profiles';

/** The profile with its samples in the order `order` (sample i is the old sample order[i]). */
function permuteSamples(p: Profile, order: number[]): Profile {
  const s = p.samples;
  const nTypes = p.sampleTypes.length;
  const stackStart = new Uint32Array(s.count + 1);
  const stack: number[] = [];
  const values = new Float64Array(s.values.length);
  const labelStart = new Uint32Array(s.count + 1);
  const labels: number[] = [];
  order.forEach((o, i) => {
    stack.push(...s.stackLocations.subarray(s.stackStart[o], s.stackStart[o + 1]));
    stackStart[i + 1] = stack.length;
    for (let t = 0; t < nTypes; t++) values[i * nTypes + t] = s.values[o * nTypes + t];
    for (let k = s.labelStart[o]; k < s.labelStart[o + 1]; k++) labels.push(k);
    labelStart[i + 1] = labels.length;
  });
  return {
    ...p,
    samples: {
      count: s.count,
      stackStart,
      stackLocations: Uint32Array.from(stack),
      values,
      labelStart,
      labelKey: Uint32Array.from(labels, (k) => s.labelKey[k]),
      labelStr: Uint32Array.from(labels, (k) => s.labelStr[k]),
      labelNum: Float64Array.from(labels, (k) => s.labelNum[k]),
      labelNumUnit: Uint32Array.from(labels, (k) => s.labelNumUnit[k]),
    },
  };
}

/** Sample indexes ordered by stack, root first (as a collapsed file lists them). */
function rootFirstOrder(p: Profile): number[] {
  const s = p.samples;
  const stack = (i: number) => [...s.stackLocations.subarray(s.stackStart[i], s.stackStart[i + 1])];
  const keys = Array.from({ length: s.count }, (_, i) => stack(i).reverse());
  return keys
    .map((_, i) => i)
    .sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] - y[k];
      return x.length - y.length;
    });
}

function shuffled(n: number, seed: number): number[] {
  const rand = rng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Every array of the index of `p`, by the sample-order path and by the general path. */
function expectSamePaths(p: Profile, what: string): void {
  const a = indexProfile(p, { sampleOrder: false });
  const b = indexProfile(p, { sampleOrder: true });
  const plain = (v: unknown) =>
    ArrayBuffer.isView(v) ? [v.constructor.name, ...(v as Int32Array)] : v;
  for (const key of Object.keys(a) as (keyof ProfileIndex)[]) {
    if (key === 'profile' || key === 'chainIdColumns') continue;
    if (JSON.stringify(plain(a[key])) !== JSON.stringify(plain(b[key])))
      expect(plain(b[key]), `${what}: ${key}`).toEqual(plain(a[key]));
  }
  // And the default picks one of them.
  const c = indexProfile(p);
  expect(JSON.stringify(plain(c.nodeParent))).toBe(JSON.stringify(plain(a.nodeParent)));
}

/** The two paths on `p` as it is, shuffled, sorted root first and reversed, and with each sample twice. */
function checkOrders(p: Profile, what: string): void {
  const n = p.samples.count;
  const all = Array.from({ length: n }, (_, i) => i);
  const sorted = rootFirstOrder(p);
  for (const [name, order] of [
    ['as given', all],
    ['shuffled', shuffled(n, 7)],
    ['sorted', sorted],
    ['sorted, reversed', [...sorted].reverse()],
    ['sorted, each sample twice', sorted.flatMap((i) => [i, i])],
    ['each sample twice', [...all, ...all]],
  ] as const)
    expectSamePaths(permuteSamples(p, [...order]), `${what}, ${name}`);
}

describe('the profile index by the sample-order path and by the general path', () => {
  it('random profiles (locations of several frames, one function in several locations, ties)', () => {
    for (let seed = 1; seed <= 150; seed++)
      checkOrders(decodeProfile(encodeProfile(randomSpec(seed)), gunzip), `seed ${seed}`);
  });

  it('folded files: sorted by name, by bytes (a caller before its closures), wide nodes', () => {
    const rand = rng(3);
    const names = [
      'main.main',
      'main.foo',
      'main.foo.func1',
      'main.foo.func10',
      'main.foo.func2',
      'runtime.goexit',
      'main.(*T).m',
      'syscall_[k]',
      'syscall',
      'inl_[i]',
      'inl',
      ...Array.from({ length: 30 }, (_, i) => `pkg.F${i}`),
    ];
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const depth = 1 + Math.floor(rand() * 6);
      const frames = Array.from({ length: depth }, () => names[Math.floor(rand() * names.length)]);
      lines.push(`${frames.join(';')} ${1 + Math.floor(rand() * 9)}`);
    }
    // A wide node: one caller of all 30 pkg functions, listed out of name order.
    for (let i = 29; i >= 0; i--) lines.push(`runtime.goexit;main.main;pkg.F${(i * 7) % 30} 1`);
    const byBytes = [...lines].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const byName = [...lines].sort((a, b) => {
      const x = a.split(' ')[0].split(';');
      const y = b.split(' ')[0].split(';');
      for (let k = 0; k < Math.min(x.length, y.length); k++)
        if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
      return x.length - y.length;
    });
    for (const [what, text] of [
      ['sorted by bytes', byBytes],
      ['sorted by name', byName],
      ['as written', lines],
    ] as const)
      checkOrders(readFolded(text.join('\n') + '\n').profile, what);
  });
});
