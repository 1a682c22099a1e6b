// The profile index and its views against the plain reference (reference.ts) on random profiles
// and filters: trees (top-down and inverted), the top table, line costs. Plus table-driven cases
// that pin each filter's semantics on small hand-made profiles.
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../support/call-tree-oracle';
import { filteredCallTree } from '../../../src/core/flame/filtered-tree';
import { decodeProfile } from '../../../src/core/pprof/decode';
import type { ProfileFilter } from '../../../src/core/pprof/filter';
import type { Profile } from '../../../src/core/pprof/model';
import {
  indexMemoryBytes,
  indexProfile,
  type ProfileIndex,
} from '../../../src/core/pprof/profile-index';
import { sourceCosts } from '../../../src/core/pprof/source-costs';
import { topTable } from '../../../src/core/pprof/top';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks } from './encode';
import { checkLayout, FILTERS, nest, randomSpec } from './random-profiles';
import { refFilter, refLines, refTop, refTree, toRef } from './reference';

const decode = (b: Uint8Array): Profile => decodeProfile(b, gunzip);

function sortedRows(m: Map<string, { flat: number; cum: number }>): string[] {
  return [...m].map(([k, v]) => `${k} ${v.flat} ${v.cum}`).sort();
}

describe('the index against the pprof reference on random profiles', () => {
  const SEEDS = 120;
  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))(
    'filter %s: trees, top table and line costs',
    (_, filter) => {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const p = decode(encodeProfile(randomSpec(seed)));
        const index = indexProfile(p);
        const ref = toRef(p);
        const kept = refFilter(ref, filter);
        const empty = Object.keys(filter).length === 0;
        for (const t of [0, 1]) {
          const what = `seed ${seed} type ${t}`;
          for (const inverted of [false, true]) {
            const tree = filteredCallTree(index, { sampleType: t, filter }, { inverted });
            checkLayout(tree);
            const got = nest(tree);
            const want = refTree(kept, t, inverted, empty);
            if (JSON.stringify(got) !== JSON.stringify(want))
              expect(got, `${what} inverted ${inverted}`).toEqual(want);
          }
          const top = topTable(index, { sampleType: t, filter });
          expect(sortedRows(new Map(top.rows.map((r) => [r.name, r])))).toEqual(
            sortedRows(refTop(kept, t)),
          );
          const costs = sourceCosts(index, { sampleType: t, filter });
          const lines = new Map<string, { flat: number; cum: number }>();
          for (const fc of costs.files.values())
            fc.lines.forEach((l, i) =>
              lines.set(`${fc.file}:${l}`, { flat: fc.flat[i], cum: fc.cum[i] }),
            );
          expect(sortedRows(lines), what).toEqual(sortedRows(refLines(kept, t)));
        }
      }
    },
  );

  it('an unfiltered tree equals buildCallTree, top-down and inverted', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const p = decode(encodeProfile(randomSpec(seed)));
      const index = indexProfile(p);
      for (const t of [0, 1]) {
        for (const inverted of [false, true]) {
          const got = filteredCallTree(index, { sampleType: t }, { inverted });
          const want = buildCallTree(p, { sampleType: t, inverted });
          expect(JSON.stringify(nest(got)), `seed ${seed}`).toBe(JSON.stringify(nest(want)));
        }
      }
    }
  });
});

describe('indexProfile', () => {
  it('indexes a profile without samples', () => {
    const index = indexProfile(decode(encodeProfile(profileFromStacks([]))));
    expect(index.stackCount).toBe(0);
    expect(index.nodeCount).toBe(1);
    expect(filteredCallTree(index, { sampleType: 0 }).nodeCount).toBe(1);
    expect(topTable(index, { sampleType: 0 }).rows).toEqual([]);
  });

  it('deduplicates stacks and keeps every sample type', () => {
    const index = indexProfile(
      decode(
        encodeProfile(
          profileFromStacks(
            [
              [['main', 'a'], 2],
              [['main', 'a'], 3],
              [['main', 'b'], 1],
            ],
            [
              ['samples', 'count'],
              ['cpu', 'nanoseconds'],
            ],
          ),
        ),
      ),
    );
    expect(index.stackCount).toBe(2);
    const byStack = [...Array(index.stackCount).keys()].map((d) => [
      index.stackValues[d],
      index.stackValues[index.stackCount + d],
    ]);
    expect(byStack.sort()).toEqual([
      [1, 2],
      [5, 10],
    ]);
    expect(indexMemoryBytes(index)).toBeGreaterThan(0);
  });

  it('rejects a sample type the profile lacks', () => {
    const index = indexProfile(decode(encodeProfile(profileFromStacks([[['main'], 1]]))));
    expect(() => filteredCallTree(index, { sampleType: 3 })).toThrow(RangeError);
  });
});

/** Top rows of a small profile as `name flat cum`. */
function top(index: ProfileIndex, filter: ProfileFilter = {}, t = 0): string[] {
  return topTable(index, { sampleType: t, filter }).rows.map((r) => `${r.name} ${r.flat} ${r.cum}`);
}

describe('topTable', () => {
  const index = indexProfile(
    decode(
      encodeProfile(
        profileFromStacks([
          [['main', 'a', 'b'], 3],
          [['main', 'a', 'a', 'b'], 2],
          [['main', 'c+b'], 4],
          [['main'], 1],
        ]),
      ),
    ),
  );

  it.each<[string, ProfileFilter, string[]]>([
    // Stacks, root first: main;a;b 3, main;a;a;b 2, main;b;c 4 (c inlined into b), main 1.
    [
      'no filter: recursion counted once in cum, inlined frames are rows',
      {},
      ['b 5 9', 'c 4 4', 'main 1 10', 'a 0 5'],
    ],
    ['focus keeps samples through a', { focus: '^a$' }, ['b 5 5', 'a 0 5', 'main 0 5']],
    ['ignore drops samples through a', { ignore: '^a$' }, ['c 4 4', 'main 1 5', 'b 0 4']],
    [
      'hide removes b from the stacks (and from the inlined location)',
      { hide: '^b$' },
      ['a 5 5', 'c 4 4', 'main 1 10'],
    ],
    ['show keeps only main and b', { show: '^(main|b)$' }, ['b 9 9', 'main 1 10']],
    [
      'show_from drops the frames above the first a; stacks without a go',
      { showFrom: '^a$' },
      ['b 5 5', 'a 0 5'],
    ],
    [
      'prune_from drops the frames below the last a',
      { pruneFrom: '^a$' },
      ['a 5 5', 'c 4 4', 'main 1 10', 'b 0 4'],
    ],
  ])('%s', (_, filter, want) => {
    expect(top(index, filter)).toEqual(want);
  });

  it("gives pprof's percentage base: all samples, before the filter", () => {
    const t = topTable(index, { sampleType: 0, filter: { focus: '^a$' } });
    expect(t.total).toBe(10);
    expect(t.shownTotal).toBe(5);
  });

  it('merges functions of the same name in different files, as -top does', () => {
    const spec = profileFromStacks([[['main', 'f'], 2]]);
    spec.functions.push({ id: 99, name: 'f', file: 'other.go' });
    spec.locations.push({ id: 99, lines: [{ function: 99, line: 3 }] });
    spec.samples.push({ locations: [99, 1], values: [5] });
    const idx = indexProfile(decode(encodeProfile(spec)));
    expect(top(idx)).toEqual(['f 7 7', 'main 0 7']);
    // The call tree keeps them apart: its identity is (name, file).
    const tree = filteredCallTree(idx, { sampleType: 0 });
    expect(tree.funcName.filter((n) => n === 'f')).toHaveLength(2);
  });
});

describe('pruneRuntime', () => {
  const spec = profileFromStacks([
    [['runtime.main', 'main.main', 'main.alloc', 'runtime.mallocgc', 'runtime.nextFreeFast'], 5],
    [['runtime.main', 'main.main', 'main.wait', 'runtime.chanrecv1', 'runtime.gopark'], 3],
    [['runtime.gcBgMarkWorker', 'runtime.gcDrain'], 2],
    [
      ['main.worker', 'runtime/pprof.Do', 'main.worker.func1', 'internal/runtime/maps.(*Map).get'],
      1,
    ],
  ]);
  const index = indexProfile(decode(encodeProfile(spec)));

  it('attributes runtime internals to their caller and keeps runtime-only stacks', () => {
    expect(top(index, { pruneRuntime: true })).toEqual([
      'main.alloc 5 5',
      'main.wait 3 3',
      'runtime.gcDrain 2 2',
      'main.worker.func1 1 1',
      'main.main 0 8',
      'main.worker 0 1',
      'runtime.gcBgMarkWorker 0 2',
      'runtime.main 0 8',
      'runtime/pprof.Do 0 1',
    ]);
  });
});
