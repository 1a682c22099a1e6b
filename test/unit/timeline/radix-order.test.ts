// The analysis tab's sort of millions of goroutines: radixOrder against a comparator sort, and
// AnalysisReader.columnValues against the row objects it replaces, and the worker's sorted pages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildModel } from '../../../src/core/exectrace';
import { nearlySortedOrder, radixOrder } from '../../../src/core/layout/radix-order';
import {
  ANALYSIS_COLUMNS,
  AnalysisReader,
  columnValue,
  laneGroups,
  type AnalysisColumn,
} from '../../../src/core/layout/timeline-groups';
import { traceHandlers as h } from '../../../src/worker/trace-handlers';

/** The order a comparator sort gives (ties by position). */
function bySort(keys: Float64Array[], descending: boolean[]): number[] {
  const cmp = (a: number, b: number, d: boolean) => {
    const [x, y] = d ? [b, a] : [a, b];
    if (Number.isNaN(x) || Number.isNaN(y))
      return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return [...keys[0].keys()].sort((i, j) => {
    for (let k = 0; k < keys.length; k++) {
      const c = cmp(keys[k][i], keys[k][j], descending[k]);
      if (c !== 0) return c;
    }
    return i - j;
  });
}

/** Deterministic pseudo-random numbers. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('radixOrder', () => {
  test('orders like a comparator sort: durations, ties, negatives, fractions, −0 and NaN', () => {
    const r = random(17);
    const n = 5000;
    const special = [0, -0, NaN, -1.5, 1e-9, 2 ** 52, Number.MAX_VALUE, -Infinity, Infinity];
    const values = Float64Array.from({ length: n }, (_, i) =>
      i % 7 === 0
        ? special[i % special.length]
        : i % 3 === 0
          ? Math.floor(r() * 20) * 1000 // many ties
          : r() * 1e11 - (i % 11 === 0 ? 5e10 : 0),
    );
    const ids = Float64Array.from({ length: n }, () => Math.floor(r() * 1e6));
    for (const d of [false, true]) {
      expect(Array.from(radixOrder([values], [d]))).toEqual(bySort([values], [d]));
      expect(Array.from(radixOrder([values, ids], [d, false]))).toEqual(
        bySort([values, ids], [d, false]),
      );
    }
  });

  test('whole numbers (the analysis columns) in few digits: wide ranges, negatives, ties, 2^53', () => {
    const r = random(5);
    const n = 20_000;
    const cases: Record<string, Float64Array> = {
      // Durations of a long trace: mostly short, some past 2^32 ns.
      durations: Float64Array.from({ length: n }, (_, i) =>
        i % 50 === 0 ? Math.floor(r() * 7e10) : Math.floor(r() * 3e5),
      ),
      ties: Float64Array.from({ length: n }, () => Math.floor(r() * 5) * 2 ** 33),
      negatives: Float64Array.from({ length: n }, () => Math.floor(r() * 2e9) - 1e9),
      // Just below the largest range the integer path takes, and past it.
      extremes: Float64Array.from({ length: n }, (_, i) =>
        i % 3 === 0 ? 2 ** 53 - 1 : i % 3 === 1 ? 0 : Math.floor(r() * 2 ** 53),
      ),
      pastRange: Float64Array.from({ length: n }, (_, i) =>
        i % 2 === 0 ? -(2 ** 53) : Math.floor(r() * 2 ** 40),
      ),
      withNegZero: Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? -0 : i % 7)),
    };
    const ids = Float64Array.from({ length: n }, () => Math.floor(r() * 8e6));
    for (const [name, values] of Object.entries(cases))
      for (const d of [false, true]) {
        expect(Array.from(radixOrder([values], [d])), `${name} ${d}`).toEqual(
          bySort([values], [d]),
        );
        expect(Array.from(radixOrder([values, ids], [d, false])), `${name}, ids ${d}`).toEqual(
          bySort([values, ids], [d, false]),
        );
      }
  });

  test('equal keys keep their positions; empty input', () => {
    expect(Array.from(radixOrder([new Float64Array(4).fill(3)], [true]))).toEqual([0, 1, 2, 3]);
    expect(radixOrder([new Float64Array(0)], [false]).length).toBe(0);
  });
});

describe('nearlySortedOrder', () => {
  test('orders like a comparator sort, by insertion when nearly sorted, by radix otherwise', () => {
    const r = random(9);
    const n = 30_000;
    // Goroutine IDs by goroutine index: handed out in batches of 16 per P, 8 Ps interleaved.
    const batches = Float64Array.from({ length: n }, (_, i) => {
      const batch = Math.floor(i / 16);
      return (batch % 8) * 16 + Math.floor(batch / 8) * 128 + (i % 16) + (i % 5 === 0 ? 3 : 0);
    });
    const shuffled = Float64Array.from({ length: n }, () => Math.floor(r() * 1e6));
    const withNaN = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : i - (i % 3)));
    const ties = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? -0 : Math.floor(i / 7)));
    for (const [name, keys] of Object.entries({ batches, shuffled, withNaN, ties }))
      expect(Array.from(nearlySortedOrder(keys)), name).toEqual(bySort([keys], [false]));
    expect(nearlySortedOrder(new Float64Array(0)).length).toBe(0);
  });
});

describe('AnalysisReader.columnValues', () => {
  const model = buildModel(
    readFileSync(join(__dirname, '../../fixtures/exectrace/workload-go1.25.14.trace')),
  );
  const groups = laneGroups(model);
  const reader = new AnalysisReader(model);

  test('equals the column of each goroutine’s row, for every column', () => {
    const all = groups.members;
    expect(all.length).toBeGreaterThan(10);
    for (const column of ANALYSIS_COLUMNS) {
      const values = reader.columnValues(all, column);
      for (let k = 0; k < all.length; k++)
        expect(values[k], `${column} of goroutine ${all[k]}`).toBe(
          columnValue(reader.row(all[k]), column),
        );
    }
  });
});

describe('traceAnalysisGoroutines sorts a group by any column, then by goroutine ID', () => {
  const fixture = join(__dirname, '../../fixtures/exectrace/workload-go1.26.8.trace');
  const noop = () => {};

  test('every page of every column, both ways, as a comparator sort of the rows', async () => {
    const loaded = await h.loadTrace({ path: fixture, loadId: 71 }, noop);
    try {
      const groups = await h.traceAnalysis({ handle: loaded.handle }, noop);
      const many = groups.reduce((b, g) => (g.count > b.count ? g : b));
      expect(many.count).toBeGreaterThan(1000);
      const page = (sortBy: AnalysisColumn, descending: boolean) =>
        h.traceAnalysisGoroutines(
          {
            handle: loaded.handle,
            group: many.group,
            offset: 0,
            limit: many.count,
            sortBy,
            descending,
          },
          noop,
        );
      for (const column of [
        'execTime',
        'totalTime',
        'schedWaitTime',
        'blocked.chan',
        'count',
      ] as const)
        for (const descending of [true, false]) {
          const { rows, total } = await page(column, descending);
          expect(total).toBe(many.count);
          const expected = [...rows].sort(
            (a, b) =>
              (descending ? -1 : 1) * (columnValue(a, column) - columnValue(b, column)) ||
              a.goroutine!.id - b.goroutine!.id,
          );
          expect(
            rows.map((r) => r.goroutine!.id),
            `${column} ${descending}`,
          ).toEqual(expected.map((r) => r.goroutine!.id));
        }
    } finally {
      await h.releaseTrace({ handle: loaded.handle }, noop);
    }
  });
});
