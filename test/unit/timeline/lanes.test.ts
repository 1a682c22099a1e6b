// The visible-span query of a timeline lane (binary search to the first visible interval, runs
// of sub-pixel intervals merged through the tree of maxima) against a brute-force reference
// that walks every interval, on lanes small and large (several tree levels), with and without
// an index indirection, with gaps and without.
import { describe, expect, test } from 'vitest';
import { LaneIndex, spanClasses, type LaneMarks } from '../../../src/core/layout/timeline-lanes';
import { GoState } from '../../../src/core/exectrace';
import { rng } from '../../support/random';

interface Lane {
  start: Float64Array;
  end: Float64Array;
  cls: Uint8Array;
  idx: Int32Array | null;
}

/** A lane of n intervals: mostly tiny ones with occasional long ones, gaps when `gaps`. */
function makeLane(n: number, seed: number, { gaps = true, indirect = false } = {}): Lane {
  const r = rng(seed);
  const len = indirect ? n * 2 : n;
  const start = new Float64Array(len).fill(NaN);
  const end = new Float64Array(len).fill(NaN);
  const cls = new Uint8Array(len);
  const idx = indirect ? new Int32Array(n) : null;
  let t = 1000 * r();
  for (let k = 0; k < n; k++) {
    const i = indirect ? 2 * k + 1 : k;
    if (idx) idx[k] = i;
    const u = r();
    const d =
      u < 0.9
        ? Math.floor(r() * 50)
        : u < 0.98
          ? Math.floor(r() * 5000)
          : Math.floor(r() * 500_000);
    start[i] = t;
    end[i] = t + d;
    cls[i] = Math.floor(r() * 10);
    t = end[i];
    if (gaps && r() < 0.3) t += r() < 0.9 ? Math.floor(r() * 40) : Math.floor(r() * 100_000);
  }
  return { start, end, cls, idx };
}

const mixClass = Uint8Array.from([0, 1, 2, 3, 3, 3, 3, 3, 3, 3]);

/** The rule of LaneIndex.query, interval by interval. */
function bruteForce(l: Lane, t0: number, t1: number, w: number, C: number) {
  const n = l.idx ? l.idx.length : l.start.length;
  const at = (k: number) => (l.idx ? l.idx[k] : k);
  const S = (k: number) => l.start[at(k)];
  const E = (k: number) => l.end[at(k)];
  const clsOf = (k: number) => (C === 1 ? 0 : mixClass[l.cls[at(k)]]);
  const out: { start: number; end: number; first: number; n: number; mix: number[] }[] = [];
  let k = 0;
  while (k < n && E(k) <= t0) k++;
  while (k < n && S(k) < t1) {
    const mix = new Array(C).fill(0);
    if (E(k) - S(k) >= w) {
      mix[clsOf(k)] = 1;
      out.push({ start: S(k), end: E(k), first: k, n: 1, mix });
      k++;
      continue;
    }
    const first = k;
    k++;
    while (k < n && S(k) < t1 && E(k) - S(k) < w && S(k) - E(k - 1) < w) k++;
    if (k - first === 1) {
      mix[clsOf(first)] = 1;
      out.push({ start: S(first), end: E(first), first, n: 1, mix });
      continue;
    }
    const total = E(k - 1) - S(first);
    if (total > 0) for (let j = first; j < k; j++) mix[clsOf(j)] += (E(j) - S(j)) / total;
    out.push({ start: S(first), end: E(k - 1), first, n: k - first, mix });
  }
  return out;
}

function asObjects(m: LaneMarks) {
  return Array.from({ length: m.count }, (_, i) => ({
    start: m.start[i],
    end: m.end[i],
    first: m.first[i],
    n: m.n[i],
    mix: Array.from(m.mix.subarray(i * m.classCount, (i + 1) * m.classCount)),
  }));
}

/** Compares mark by mark; reports the first difference (expect() per field would be slow on big lanes). */
function expectSame(got: LaneMarks, want: ReturnType<typeof bruteForce>) {
  const g = asObjects(got);
  expect(g.length).toBe(want.length);
  for (let i = 0; i < g.length; i++) {
    const a = g[i];
    const b = want[i];
    const same =
      a.start === b.start &&
      a.end === b.end &&
      a.first === b.first &&
      a.n === b.n &&
      b.mix.every((v, c) => Math.abs(v - a.mix[c]) < 1e-5);
    if (!same) expect({ mark: i, ...a }).toEqual({ mark: i, ...b });
  }
}

describe('LaneIndex.query matches the brute-force rule', () => {
  const cases = [
    { name: 'tiny lane (no index)', n: 50, gaps: true, indirect: false },
    { name: 'small lane, one level', n: 3000, gaps: true, indirect: true },
    { name: 'contiguous goroutine-like lane', n: 20_000, gaps: false, indirect: true },
    { name: 'large lane, three levels', n: 300_000, gaps: true, indirect: false },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const lane = makeLane(c.n, c.n + 7, c);
      const r = rng(99 + c.n);
      const C = c.gaps ? 1 : 4;
      const index = new LaneIndex(
        lane.idx,
        lane.start,
        lane.end,
        C === 1 ? null : lane.cls,
        C,
        C === 1 ? null : mixClass,
      );
      const n = lane.idx ? lane.idx.length : lane.start.length;
      const last = index.endAt(n - 1);
      // Windows from the whole lane to a few intervals; widths from sub-ns to a tenth of the lane.
      const windows: [number, number, number][] = [
        [0, last + 1, last / 1500],
        [-100, last + 100, 1],
        [0, last, 0.5],
        [index.startAt(n >> 1), index.endAt(Math.min(n - 1, (n >> 1) + 5)), 3],
      ];
      for (let q = 0; q < 30; q++) {
        const a = r() * last;
        const b = a + r() * (last - a) + 1;
        const px = 100 + Math.floor(r() * 3000);
        windows.push([a, b, (b - a) / px]);
      }
      for (const [t0, t1, w] of windows)
        expectSame(index.query(t0, t1, w), bruteForce(lane, t0, t1, w, C));
    });
  }

  test('a zoomed-out lane of a million intervals is a few marks, found without walking them', () => {
    const n = 1_000_000;
    const start = new Float64Array(n);
    const end = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      start[k] = k * 10;
      end[k] = k * 10 + 5;
    }
    end[n / 2] = start[n / 2] + 2_000_000; // one long interval in the middle
    for (let k = n / 2 + 1; k < n; k++) {
      start[k] += 2_000_000;
      end[k] += 2_000_000;
    }
    const index = new LaneIndex(null, start, end, null, 1);
    const t = performance.now();
    const m = index.query(0, end[n - 1], end[n - 1] / 1000);
    const ms = performance.now() - t;
    expect(m.count).toBe(3);
    expect(Array.from(m.n)).toEqual([n / 2, 1, n / 2 - 1]);
    expect(m.mix[0]).toBeCloseTo(0.5, 3); // busy half the time
    expect(ms).toBeLessThan(50); // walking every interval would take longer; the tree skips them
  });

  test('edges: an interval ending exactly at t0 is not visible, one starting at t1 is not', () => {
    const index = new LaneIndex(
      null,
      Float64Array.from([0, 10, 20]),
      Float64Array.from([10, 20, 30]),
      null,
      1,
    );
    const m = index.query(10, 20, 1);
    expect(Array.from(m.first)).toEqual([1]);
    expect(index.query(30, 40, 1).count).toBe(0);
    expect(index.query(0, 30, 100).count).toBe(1); // all three narrower than 100 ns: one run
  });
});

describe('spanClasses', () => {
  test('running, runnable, syscall, and waiting by reason category', () => {
    const strings = [
      '',
      'chan receive',
      'select',
      'sync',
      'network',
      'sleep',
      'GC mark assist wait for work',
      'forever',
    ];
    const state = Uint8Array.from([
      GoState.Running,
      GoState.Runnable,
      GoState.Syscall,
      GoState.Waiting,
      GoState.Waiting,
      GoState.Waiting,
      GoState.Waiting,
      GoState.Waiting,
      GoState.Waiting,
      GoState.Waiting,
    ]);
    const reason = Int32Array.from([0, 0, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(spanClasses(state, reason, strings))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
