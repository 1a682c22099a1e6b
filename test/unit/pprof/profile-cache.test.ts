// The parse worker's per-profile query cache (src/worker/profile-cache.ts): what it returns is
// what the uncached core functions compute, a repeated query is answered from memory (the flame
// view asks again on every zoom; tree, top table and line costs of one query share one
// evaluation), and it holds a bounded number of results.
import { describe, expect, it } from 'vitest';
import { diffCallTree } from '../../../src/core/flame/diff-tree';
import { filteredCallTree } from '../../../src/core/flame/filtered-tree';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { diffTop, diffTopOf } from '../../../src/core/pprof/diff';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { fileCosts, fileCostsOf } from '../../../src/core/pprof/source-costs';
import { topTable, topTableOf } from '../../../src/core/pprof/top';
import { gunzip } from '../../../src/node/inflate';
import { ProfileQueryCache, RECENT_RESULTS } from '../../../src/worker/profile-cache';
import { encodeProfile } from './encode';
import { FILTERS, randomSpec } from './random-profiles';

const load = (seed: number) => indexProfile(decodeProfile(encodeProfile(randomSpec(seed)), gunzip));

describe('ProfileQueryCache', () => {
  it('answers every query as the uncached core functions do', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const index = load(seed);
      const cache = new ProfileQueryCache(index);
      for (const filter of FILTERS) {
        for (const t of [0, 1]) {
          const q = cache.query({ sampleType: t, filter });
          const what = `seed ${seed} type ${t} filter ${JSON.stringify(filter)}`;
          for (const inverted of [false, true]) {
            expect(cache.tree(q, inverted), what).toEqual(
              filteredCallTree(index, { sampleType: t, filter }, { inverted }),
            );
          }
          expect(topTableOf(cache.evaluation(q)), what).toEqual(
            topTable(index, { sampleType: t, filter }),
          );
          const file = index.files.find((f) => f !== '');
          if (file)
            expect(fileCostsOf(cache.evaluation(q), file), what).toEqual(
              fileCosts(index, { sampleType: t, filter }, file),
            );
        }
      }
    }
  });

  it('answers a diff as diffCallTree and diffTop do, normalized or not', () => {
    const base = load(3);
    const current = load(4);
    const baseCache = new ProfileQueryCache(base);
    const cache = new ProfileQueryCache(current);
    for (const normalize of [false, true]) {
      for (const filter of FILTERS.slice(0, 4)) {
        const q = cache.query({ sampleType: 1, filter });
        expect(cache.diffTree(baseCache, q, normalize, false)).toEqual(
          diffCallTree(base, current, { ...q, normalize }),
        );
        expect(diffTopOf(...cache.diffEvaluations(baseCache, q, normalize))).toEqual(
          diffTop(base, current, { ...q, normalize }),
        );
      }
    }
  });

  it('builds a repeated query once, shares one evaluation across views, and keeps a bounded number of results', () => {
    const index = load(7);
    const cache = new ProfileQueryCache(index);
    const whole = cache.query({ sampleType: 0, filter: {} });
    const focused = cache.query({
      sampleType: 0,
      filter: FILTERS.find((f) => f.focus !== undefined) ?? { focus: 'a' },
    });
    const tree = cache.tree(focused, false);
    expect(
      cache.tree(
        cache.query({
          sampleType: 0,
          filter: FILTERS.find((f) => f.focus !== undefined) ?? { focus: 'a' },
        }),
        false,
      ),
    ).toBe(tree);
    expect(cache.evaluation(focused)).toBe(cache.evaluation(focused));
    // The unfiltered tree of a sample type stays however many other queries come after it.
    const wholeTree = cache.tree(whole, false);
    for (let i = 0; i < RECENT_RESULTS * 3; i++)
      cache.tree(cache.query({ sampleType: 1, filter: { focus: `x${i}` } }), false);
    expect(cache.tree(whole, false)).toBe(wholeTree);
    // Other results are evicted, least recently used first, and then computed again.
    expect(cache.tree(focused, false)).not.toBe(tree);
    expect(cache.tree(focused, false)).toEqual(tree);
    cache.clear();
    expect(cache.tree(whole, false)).not.toBe(wholeTree);
  });

  it('refuses a sample type the profile lacks, naming it', () => {
    const cache = new ProfileQueryCache(load(1));
    expect(() => cache.query({ sampleType: 9, filter: {} })).toThrow(
      /sample type 9 is out of range/,
    );
  });
});
