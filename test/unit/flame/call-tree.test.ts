import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../support/call-tree-oracle';
import { pruneCallTree } from '../../../src/core/flame/call-tree';
import { unnamedFrameName } from '../../../src/core/pprof/folded';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { ProfileError, type Profile } from '../../../src/core/pprof/model';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks, rng, type ProfileSpec } from '../pprof/encode';
import { checkLayout, nest } from '../pprof/random-profiles';
import { treeFromPaths, type Nested, type RefNode } from '../pprof/reference';

const decode = (b: Uint8Array): Profile => decodeProfile(b, gunzip);

/** The obvious implementation, with objects and string keys, to check the fast one against. */
function referenceTree(p: Profile, t: number, inverted: boolean): Nested {
  const n = p.sampleTypes.length;
  const paths: { frames: Pick<RefNode, 'name' | 'file' | 'line'>[]; v: number }[] = [];
  for (let s = 0; s < p.samples.count; s++) {
    const v = p.samples.values[s * n + t];
    if (v === 0) continue;
    const frames: Pick<RefNode, 'name' | 'file' | 'line'>[] = [];
    for (let k = p.samples.stackStart[s]; k < p.samples.stackStart[s + 1]; k++) {
      const loc = p.samples.stackLocations[k];
      const fc = p.locations.frameCount[loc];
      if (fc === 0) frames.push({ name: unnamedFrameName(p, loc), file: '', line: 0 });
      for (let f = p.locations.firstFrame[loc]; f < p.locations.firstFrame[loc] + fc; f++) {
        const fn = p.frames.function[f];
        frames.push({
          name: fn < 0 ? unnamedFrameName(p, loc) : p.functions.name[fn],
          file: fn < 0 ? '' : p.functions.filename[fn],
          line: p.frames.line[f],
        });
      }
    }
    if (!inverted) frames.reverse();
    paths.push({ frames, v });
  }
  return treeFromPaths(paths);
}

/** A random profile: duplicate names across files, shared functions, inlining, unsymbolized PCs. */
function randomSpec(seed: number, withNegatives: boolean): ProfileSpec {
  const rand = rng(seed);
  const nf = 3 + Math.floor(rand() * 12);
  const functions = Array.from({ length: nf }, (_, i) => ({
    id: i + 1,
    // Few names, so siblings collide by name; file decides identity.
    name: `pkg.f${Math.floor(rand() * (nf / 2 + 1))}`,
    file: rand() < 0.7 ? 'a.go' : 'b.go',
  }));
  const nl = 3 + Math.floor(rand() * 20);
  const locations = Array.from({ length: nl }, (_, i) => {
    const k = rand() < 0.1 ? 0 : rand() < 0.7 ? 1 : 2 + Math.floor(rand() * 2);
    return {
      id: i + 1,
      address: 0x1000 + i * 8,
      lines: Array.from({ length: k }, () => ({
        function: 1 + Math.floor(rand() * nf),
        line: 1 + Math.floor(rand() * 5),
      })),
    };
  });
  const samples = Array.from({ length: Math.floor(rand() * 60) }, () => {
    const depth = Math.floor(rand() * 8);
    const v = Math.floor(rand() * 10) - (withNegatives ? 3 : 0);
    return {
      locations: Array.from({ length: depth }, () => 1 + Math.floor(rand() * nl)),
      values: [v, rand() < 0.3 ? 0 : v * 1000],
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
  };
}

describe('buildCallTree', () => {
  it('builds the expected tree for a small profile', () => {
    const p = decode(
      encodeProfile(
        profileFromStacks([
          [['main:5', 'b:3', 'c:8'], 3],
          [['main:5', 'a:2'], 2],
          [['main:6', 'b:4', 'c:9'], 4],
          [['main:5'], 1],
          [['main:6', 'leaf:1+b:4'], 5],
        ]),
      ),
    );
    const tree = buildCallTree(p, { sampleType: 0 });
    checkLayout(tree);
    const show = (n: Nested): string =>
      `${n.name}:${n.line} ${n.total}/${n.self}` +
      (n.children.length ? ` [${n.children.map(show).join(', ')}]` : '');
    // main: line 6 carries 9, line 5 carries 6. b: line 4 carries 9 (4 + 5 inlined), line 3 carries 3.
    expect(show(nest(tree))).toBe(
      ':0 15/0 [main:6 15/1 [a:2 2/2, b:4 12/0 [c:9 7/7, leaf:1 5/5]]]',
    );
    expect(tree.sampleType).toEqual({ type: 'samples', unit: 'count' });
    expect(tree.maxDepth).toBe(3);
    expect(tree.funcName).toEqual(['a', 'b', 'c', 'leaf', 'main']);
    expect(tree.funcFile).toEqual(['a.go', 'b.go', 'c.go', 'leaf.go', 'main.go']);
  });

  it('builds the bottom-up tree', () => {
    const p = decode(
      encodeProfile(
        profileFromStacks([
          [['main', 'b', 'c'], 3],
          [['main', 'c'], 2],
          [['main', 'leaf+b'], 1],
        ]),
      ),
    );
    const tree = buildCallTree(p, { sampleType: 0, inverted: true });
    checkLayout(tree);
    const show = (n: Nested): string =>
      `${n.name} ${n.total}/${n.self}` +
      (n.children.length ? ` [${n.children.map(show).join(', ')}]` : '');
    expect(show(nest(tree))).toBe(
      ' 6/0 [c 5/0 [b 3/0 [main 3/3], main 2/2], leaf 1/0 [b 1/0 [main 1/1]]]',
    );
  });

  it('matches the reference implementation on random profiles', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const p = decode(encodeProfile(randomSpec(seed, seed % 3 === 0)));
      for (const t of [0, 1]) {
        for (const inverted of [false, true]) {
          const tree = buildCallTree(p, { sampleType: t, inverted });
          checkLayout(tree);
          const got = nest(tree);
          const want = referenceTree(p, t, inverted);
          // Strings compare fast; the deep comparison only runs to show a difference.
          if (JSON.stringify(got) !== JSON.stringify(want))
            expect(got, `seed ${seed} type ${t} inverted ${inverted}`).toEqual(want);
        }
      }
    }
  });

  it('gives a root-only tree for a profile without samples', () => {
    const p = decode(encodeProfile(profileFromStacks([])));
    const tree = buildCallTree(p, { sampleType: 0 });
    expect(tree.nodeCount).toBe(1);
    expect(tree.total[0]).toBe(0);
    expect(tree.maxDepth).toBe(0);
    expect(tree.funcName).toEqual([]);
  });

  it('puts samples with an empty stack in the root self value', () => {
    const spec = profileFromStacks([[['main'], 2]]);
    spec.samples.push({ locations: [], values: [3] });
    const tree = buildCallTree(decode(encodeProfile(spec)), { sampleType: 0 });
    expect([tree.total[0], tree.self[0]]).toEqual([5, 3]);
  });

  it('rejects a sample type that does not exist', () => {
    const p = decode(encodeProfile(profileFromStacks([[['main'], 1]])));
    expect(() => buildCallTree(p, { sampleType: 1 })).toThrow(RangeError);
  });

  it('handles stacks deeper than the Uint16 depth with a ProfileError, and deep ones below it', () => {
    const deep = (n: number) =>
      profileFromStacks([[Array.from({ length: n }, (_, i) => `f${i % 7}:${i % 5}`), 1]]);
    const ok = buildCallTree(decode(encodeProfile(deep(5000))), { sampleType: 0 });
    expect(ok.maxDepth).toBe(5000);
    expect(ok.nodeCount).toBe(5001);
    expect(() => buildCallTree(decode(encodeProfile(deep(70_000))), { sampleType: 0 })).toThrow(
      ProfileError,
    );
  });
});

describe('pruneCallTree', () => {
  it('keeps the nodes at or above the fraction, with the same layout rules', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const p = decode(encodeProfile(randomSpec(seed, false)));
      const tree = buildCallTree(p, { sampleType: 0 });
      for (const fraction of [0, 0.01, 0.1, 0.5, 1.1]) {
        const pruned = pruneCallTree(tree, fraction);
        checkLayout(pruned);
        // The expected tree: the full one with small subtrees cut off.
        const cut = (n: Nested): Nested => ({
          ...n,
          children: n.children
            .filter((c) => Math.abs(c.total) >= Math.abs(tree.total[0]) * fraction)
            .map(cut),
        });
        const want = cut(nest(tree));
        if (JSON.stringify(nest(pruned)) !== JSON.stringify(want))
          expect(nest(pruned), `seed ${seed} fraction ${fraction}`).toEqual(want);
        if (fraction === 0) expect(pruned.nodeCount).toBe(tree.nodeCount);
      }
    }
  });

  it('drops function names no kept node uses', () => {
    const p = decode(
      encodeProfile(
        profileFromStacks([
          [['main', 'big'], 99],
          [['main', 'tiny'], 1],
        ]),
      ),
    );
    const pruned = pruneCallTree(buildCallTree(p, { sampleType: 0 }), 0.05);
    expect(pruned.funcName).toEqual(['big', 'main']);
    expect(pruned.nodeCount).toBe(3);
  });
});
