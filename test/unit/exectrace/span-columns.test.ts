// The model builder's span columns: rows survive the columns growing in place, and the
// finished columns are exactly the rows (no spare capacity a consumer could read as spans).
import { expect, test } from 'vitest';
import { SpanColumns } from '../../../src/core/exectrace/span-columns';

test('2.5M rows across several in-place growths come back exactly, trimmed to the row count', () => {
  const c = new SpanColumns();
  const n = 2_500_000;
  for (let i = 0; i < n; i++) c.push(i % 1000, i * 64, i * 64 + 1e12, i & 3, i % 7, -1 - (i % 5), i % 16, (i % 9) - 1);
  const a = c.toArrays();
  for (const col of Object.values(a)) expect(col.length).toBe(n);
  for (const i of [0, 1, 65_535, 65_536, 1_048_575, 1_048_576, 1_179_648, 2_000_000, n - 1]) {
    expect([a.g[i], a.start[i], a.end[i], a.state[i], a.reason[i], a.stack[i], a.p[i], a.m[i]]).toEqual([i % 1000, i * 64, i * 64 + 1e12, i & 3, i % 7, -1 - (i % 5), i % 16, (i % 9) - 1]);
  }
  // Copies and views behave as ordinary typed arrays.
  expect(Array.from(a.start.slice(n - 2))).toEqual([(n - 2) * 64, (n - 1) * 64]);
  expect(a.g.subarray(1000, 1003)).toEqual(Int32Array.from([0, 1, 2]));
});

test('an empty table has empty columns', () => {
  const a = new SpanColumns().toArrays();
  expect(a.start.length).toBe(0);
  expect(a.g.length).toBe(0);
});
