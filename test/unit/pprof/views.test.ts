// The views built on the profile index — sandwich, file costs, line callers/callees, diffs — and
// the two top-down tree builders, against the plain reference (reference.ts) on random profiles
// and filters, plus hand-made cases.
import { describe, expect, it } from 'vitest';
import {
  filteredCallTree,
  filteredTreeForView,
  treeOfEvaluation,
} from '../../../src/core/flame/filtered-tree';
import { sandwich } from '../../../src/core/flame/sandwich';
import { decodeProfile } from '../../../src/core/pprof/decode';
import {
  checkComparable,
  diffScale,
  diffTopOf,
  IncompatibleProfilesError,
  normalizationScale,
} from '../../../src/core/pprof/diff';
import { diffFolded, diffTreeOf } from '../../../src/core/flame/diff-tree';
import { evaluate } from '../../../src/core/pprof/evaluate';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import type { ProfileFilter } from '../../../src/core/pprof/filter';
import { ProfileError, type Profile } from '../../../src/core/pprof/model';
import { indexProfile, type ProfileIndex } from '../../../src/core/pprof/profile-index';
import {
  fileCosts,
  lineCalls,
  matchRecordedFile,
  sourceCosts,
} from '../../../src/core/pprof/source-costs';
import { topTable } from '../../../src/core/pprof/top';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks, rng } from './encode';
import { checkLayout, FILTERS, nest, randomSpec } from './random-profiles';
import {
  refFilter,
  refLineCalls,
  refSandwich,
  refTop,
  refTree,
  toRef,
  type Nested,
  type RefSample,
} from './reference';

const decode = (b: Uint8Array): Profile => decodeProfile(b, gunzip);
const same = (got: Nested, want: Nested, what: string) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, what).toEqual(want);
};

describe('sandwich, file costs and line calls against the reference', () => {
  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))('filter %s', (_, filter) => {
    for (let seed = 1; seed <= 60; seed++) {
      const p = decode(encodeProfile(randomSpec(seed)));
      const index = indexProfile(p);
      const kept = refFilter(toRef(p), filter);
      const rand = rng(seed * 7 + 1);
      for (const t of [0, 1]) {
        const what = `seed ${seed} type ${t}`;
        // Sandwich of a function of the profile, by name and by (name, file).
        const k = Math.floor(rand() * index.funcCount);
        for (const fn of [
          { name: index.funcName[k] },
          { name: index.funcName[k], file: index.funcFile[k] },
        ]) {
          const got = sandwich(index, { sampleType: t, filter }, fn);
          const want = refSandwich(kept, t, fn.name, fn.file);
          checkLayout(got.callers);
          checkLayout(got.callees);
          same(nest(got.callers), want.callers, `${what} callers of ${JSON.stringify(fn)}`);
          same(nest(got.callees), want.callees, `${what} callees of ${JSON.stringify(fn)}`);
          expect([got.flat, got.cum], what).toEqual([want.flat, want.cum]);
        }
        // fileCosts reads the index's per-file tables; sourceCosts walks everything: both agree.
        const all = sourceCosts(index, { sampleType: t, filter });
        for (const file of index.files) {
          const one = fileCosts(index, { sampleType: t, filter }, file);
          expect(one, `${what} ${file}`).toEqual(all.files.get(file));
        }
        // Callers and callees of a line with samples.
        const lines = [...all.files.values()].flatMap((fc) =>
          [...fc.lines].map((l) => [fc.file, l] as const),
        );
        if (lines.length > 0) {
          const [file, line] = lines[Math.floor(rand() * lines.length)];
          const got = lineCalls(index, { sampleType: t, filter }, file, line);
          const want = refLineCalls(kept, t, file, line);
          const asMap = (calls: { name: string; file: string; value: number }[]) =>
            new Map(calls.map((c) => [c.name + '\0' + c.file, c.value]));
          expect(asMap(got.callers), `${what} callers of ${file}:${line}`).toEqual(want.callers);
          expect(asMap(got.callees), `${what} callees of ${file}:${line}`).toEqual(want.callees);
          expect([got.flat, got.cum]).toEqual([want.flat, want.cum]);
        }
      }
    }
  });

  it('the sparse and the dense top-down builders give the same trees', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const index = indexProfile(decode(encodeProfile(randomSpec(seed))));
      for (const filter of [
        {},
        { focus: 'main' },
        { ignore: 'runtime' },
        { tagFocus: ['worker=alpha'] },
      ] as ProfileFilter[]) {
        for (const t of [0, 1]) {
          const ev = evaluate(index, { sampleType: t, filter });
          const dense = treeOfEvaluation(ev, false, 'dense');
          const sparse = treeOfEvaluation(ev, false, 'sparse');
          checkLayout(dense);
          checkLayout(sparse);
          same(nest(sparse), nest(dense), `seed ${seed} ${JSON.stringify(filter)} type ${t}`);
        }
      }
    }
  });
});

describe('sandwich', () => {
  const index = indexProfile(
    decode(
      encodeProfile(
        profileFromStacks([
          [['main', 'a', 'f', 'g'], 3],
          [['main', 'b', 'f'], 2],
          [['main', 'f', 'a', 'f', 'h'], 4],
        ]),
      ),
    ),
  );
  const show = (n: Nested): string =>
    `${n.name} ${n.total}/${n.self}` +
    (n.children.length ? ` [${n.children.map(show).join(', ')}]` : '');

  it('merges every occurrence: callees from the root-most one, callers from the leaf-most one', () => {
    const s = sandwich(index, { sampleType: 0 }, { name: 'f' });
    expect(s.cum).toBe(9);
    expect(s.flat).toBe(2);
    expect(show(nest(s.callees))).toBe(' 9/0 [f 9/2 [a 4/0 [f 4/0 [h 4/4]], g 3/3]]');
    expect(show(nest(s.callers))).toBe(
      ' 9/0 [f 9/0 [a 7/0 [f 4/0 [main 4/4], main 3/3], b 2/0 [main 2/2]]]',
    );
  });

  it('gives root-only trees for a function without samples', () => {
    const s = sandwich(index, { sampleType: 0 }, { name: 'nothere' });
    expect([s.callers.nodeCount, s.callees.nodeCount, s.cum, s.flat]).toEqual([1, 1, 0, 0]);
  });
});

describe('file costs', () => {
  it('matches a local path to the recorded file by trailing components', () => {
    const recorded = [
      '/home/ci/go/src/example.com/svc/api/handler.go',
      '/home/ci/go/src/example.com/svc/db/handler.go',
      'example.com/svc/main.go',
    ];
    expect(matchRecordedFile(recorded, '/src/svc/api/handler.go')).toBe(recorded[0]);
    expect(matchRecordedFile(recorded, 'C:\\src\\svc\\db\\handler.go')).toBe(recorded[1]);
    expect(matchRecordedFile(recorded, '/x/main.go')).toBe(recorded[2]);
    expect(matchRecordedFile(recorded, '/x/other.go')).toBeUndefined();
  });

  it('gives per-line flat and cum, and per-function self and total with the start line', () => {
    const spec = profileFromStacks([
      [['main:3', 'f:12', 'f:14'], 5],
      [['main:4', 'f:12'], 2],
    ]);
    const index = indexProfile(decode(encodeProfile(spec)));
    const fc = fileCosts(index, { sampleType: 0 }, 'f.go')!;
    expect([...fc.lines]).toEqual([12, 14]);
    // Line 12 appears twice on the first stack (recursion): counted once.
    expect([...fc.cum]).toEqual([7, 5]);
    expect([...fc.flat]).toEqual([2, 5]);
    expect(fc.functions).toEqual([{ name: 'f', file: 'f.go', startLine: 1, self: 7, total: 7 }]);
    expect(fileCosts(index, { sampleType: 0 }, 'nope.go')).toBeUndefined();
  });
});

/** Nested tree with values new − base, built by the reference from both sides' samples. */
function refDiffTree(
  base: RefSample[],
  cur: RefSample[],
  t: number,
  scale: number,
  keepEmpty: boolean,
): Nested {
  const neg = base.map((s) => ({ ...s, values: s.values.map((v) => -v) }));
  const scaled = cur.map((s) => ({
    ...s,
    values: s.values.map((v) =>
      scale === 1 ? v : Math.sign(v * scale) * Math.round(Math.abs(v * scale)),
    ),
  }));
  // A node exists when either side has samples through it, even if they cancel: build from
  // both and keep values summed.
  return refTree([...scaled, ...neg], t, false, keepEmpty);
}

describe('diff', () => {
  it('per node, new − base on random profiles, with and without normalization', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const pa = decode(encodeProfile(randomSpec(seed)));
      const pb = decode(encodeProfile(randomSpec(seed + 1000)));
      const a = indexProfile(pa);
      const b = indexProfile(pb);
      for (const filter of [{}, { focus: 'main' }, { hide: 'runtime' }] as ProfileFilter[]) {
        const ka = refFilter(toRef(pa), filter);
        const kb = refFilter(toRef(pb), filter);
        for (const normalize of [false, true]) {
          for (const t of [0, 1]) {
            const scale = normalize ? normalizationScale(a, b, t) : 1;
            // Both sides evaluated once for the tree and the top table, as the worker does.
            const evA = evaluate(a, { sampleType: t, filter });
            const evB = evaluate(
              b,
              { sampleType: t, filter },
              diffScale(a, b, { sampleType: t, filter, normalize }),
            );
            const tree = diffTreeOf(evA, evB, false);
            checkLayout(tree);
            // The reference tree of the merged samples has the same nodes and the summed values;
            // lines may differ (ours: the new side's), so compare without them.
            const strip = (n: Nested): unknown => ({
              name: n.name,
              file: n.file,
              total: n.total,
              self: n.self,
              children: n.children.map(strip),
            });
            expect(
              strip(nest(tree)),
              `seed ${seed} ${JSON.stringify(filter)} ${normalize} ${t}`,
            ).toEqual(strip(refDiffTree(ka, kb, t, scale, Object.keys(filter).length === 0)));
            for (let i = 0; i < tree.nodeCount; i++) {
              expect(tree.total[i]).toBe(tree.newTotal[i] - tree.baseTotal[i]);
              expect(tree.self[i]).toBe(tree.newSelf[i] - tree.baseSelf[i]);
            }
            const top = diffTopOf(evA, evB);
            const want = refTop(
              [
                ...kb.map((s) => ({
                  ...s,
                  values: s.values.map(
                    (v) => Math.sign(v * scale) * Math.round(Math.abs(v * scale)),
                  ),
                })),
                ...ka.map((s) => ({ ...s, values: s.values.map((v) => -v) })),
              ],
              t,
            );
            expect(new Map(top.rows.map((r) => [r.name, { flat: r.flat, cum: r.cum }]))).toEqual(
              new Map([...want].filter(([, r]) => r.flat !== 0 || r.cum !== 0)),
            );
          }
        }
      }
    }
  });

  it('prints folded stacks with signed changes, the difference of the two folded outputs', () => {
    const base = decode(
      encodeProfile(
        profileFromStacks([
          [['main', 'a'], 5],
          [['main', 'b'], 3],
          [['main', 'c'], 1],
        ]),
      ),
    );
    const cur = decode(
      encodeProfile(
        profileFromStacks([
          [['main', 'a'], 2],
          [['main', 'b'], 3],
          [['main', 'd'], 4],
        ]),
      ),
    );
    expect(diffFolded(indexProfile(base), indexProfile(cur), { sampleType: 0 })).toEqual([
      'main;a -3',
      'main;c -1',
      'main;d +4',
    ]);
    expect(foldedStacks(cur, 0)).toEqual(['main;a 2', 'main;b 3', 'main;d 4']);
  });

  it('normalizes the new profile to the base total, rounding per sample as pprof does', () => {
    const base = indexProfile(decode(encodeProfile(profileFromStacks([[['main', 'a'], 10]]))));
    const cur = indexProfile(
      decode(
        encodeProfile(
          profileFromStacks([
            [['main', 'a'], 3],
            [['main', 'b'], 1],
            [['main', 'c'], 1],
            [['main', 'd'], 1],
          ]),
        ),
      ),
    );
    expect(normalizationScale(base, cur, 0)).toBe(10 / 6);
    // 3 × 10/6 = 5; 1 × 10/6 = 1.67 → 2 (three times); so a: 5 − 10, b, c, d: +2.
    expect(diffFolded(base, cur, { sampleType: 0, normalize: true })).toEqual([
      'main;a -5',
      'main;b +2',
      'main;c +2',
      'main;d +2',
    ]);
  });

  it('refuses profiles of different kinds, naming both', () => {
    const cpu = decode(
      encodeProfile(
        profileFromStacks(
          [[['main'], 1]],
          [
            ['samples', 'count'],
            ['cpu', 'nanoseconds'],
          ],
        ),
      ),
    );
    const heap = decode(
      encodeProfile(
        profileFromStacks(
          [[['main'], 1]],
          [
            ['alloc_objects', 'count'],
            ['alloc_space', 'bytes'],
            ['inuse_objects', 'count'],
            ['inuse_space', 'bytes'],
          ],
        ),
      ),
    );
    expect(() => checkComparable(cpu, heap)).toThrow(IncompatibleProfilesError);
    expect(() => checkComparable(cpu, heap)).toThrow(
      'cannot compare these profiles: the base is a CPU profile (samples/count, cpu/nanoseconds) but the new one is a heap/allocs profile (alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes). Compare two profiles of the same kind, e.g. two CPU profiles or two heap profiles.',
    );
    expect(new IncompatibleProfilesError('x')).toBeInstanceOf(ProfileError);
    const other = decode(
      encodeProfile({
        ...profileFromStacks(
          [[['main'], 1]],
          [
            ['samples', 'count'],
            ['cpu', 'nanoseconds'],
          ],
        ),
        periodType: ['wall', 'nanoseconds'],
      }),
    );
    expect(() => checkComparable(cpu, other)).toThrow(
      /period type is cpu\/nanoseconds and the new one's is wall\/nanoseconds/,
    );
  });
});

describe('caches', () => {
  it('builds a new tree per call: results are kept by the worker (profile-cache.test.ts), not the index', () => {
    const index: ProfileIndex = indexProfile(decode(encodeProfile(randomSpec(3))));
    const a = filteredCallTree(index, { sampleType: 1, filter: { focus: 'main' } });
    const b = filteredCallTree(index, { sampleType: 1, filter: { focus: 'main' } });
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
  });
});

describe('filteredTreeForView', () => {
  it('prunes small nodes until the tree fits, and says how much', () => {
    const index = indexProfile(
      decode(
        encodeProfile(
          profileFromStacks([
            [['main', 'big'], 1_000_000_000],
            [['main', 'tiny1'], 1],
            [['main', 'tiny2'], 1],
          ]),
        ),
      ),
    );
    const whole = filteredTreeForView(index, { sampleType: 0 }, { maxNodes: 10 });
    expect([whole.tree.nodeCount, whole.prunedBelow]).toEqual([5, 0]);
    const small = filteredTreeForView(index, { sampleType: 0 }, { maxNodes: 3 });
    expect(small.tree.nodeCount).toBe(3);
    expect(small.prunedBelow).toBeGreaterThan(0);
  });
});

describe("the profile's own drop_frames", () => {
  it('prunes as pprof does for every report', () => {
    const spec = profileFromStacks([
      [['main', 'alloc', 'malloc', 'sbrk'], 3],
      [['malloc', 'sbrk'], 1],
    ]);
    spec.dropFrames = 'malloc|sbrk';
    const index = indexProfile(decode(encodeProfile(spec)));
    expect(
      topTable(index, { sampleType: 0 }).rows.map((r) => `${r.name} ${r.flat} ${r.cum}`),
    ).toEqual(['alloc 3 3', 'sbrk 1 1', 'main 0 3', 'malloc 0 1']);
  });
});
