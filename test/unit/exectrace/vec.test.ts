// The model's growable columns: values survive growing past the doubling threshold, trimming
// gives exactly the values, and a released column is empty.
import { expect, test } from 'vitest';
import { f64, i32 } from '../../../src/core/exectrace/vec';

test('a column keeps every value across growth by doubling and then by half, and trims exactly', () => {
  const v = f64();
  const n = 1_000_003;
  for (let i = 0; i < n; i++) v.push(i * 1.5);
  expect(v.n).toBe(n);
  expect(v.last()).toBe((n - 1) * 1.5);
  v.setLast(-1);
  const a = v.trim();
  expect(a).toBeInstanceOf(Float64Array);
  expect(a.length).toBe(n);
  for (const i of [0, 1, 16_383, 16_384, 16_385, 500_000, n - 2]) expect(a[i]).toBe(i * 1.5);
  expect(a[n - 1]).toBe(-1);
  // A copy of the trimmed column is an ordinary array with the same values.
  expect(Array.from(a.slice(10, 13))).toEqual([15, 16.5, 18]);
});

test('a released column is empty and can grow again', () => {
  const v = i32();
  for (let i = 0; i < 100_000; i++) v.push(i);
  v.release();
  expect(v.n).toBe(0);
  for (let i = 0; i < 20_000; i++) v.push(-i);
  expect(Array.from(v.trim().subarray(19_998))).toEqual([-19_998, -19_999]);
});

test('columns grown together by reserve keep their values; new rows are zero', () => {
  const a = f64(0);
  const b = i32(0);
  let rows = 0;
  for (let g = 0; g < 700_000; g++) {
    if (g >= a.a.length) {
      a.reserve(g + 1);
      b.reserve(g + 1);
    }
    rows = g + 1;
    if (g % 3 === 0) {
      a.a[g] = g;
      b.a[g] = g;
    } else if (g % 3 === 1) a.a[g] = NaN;
  }
  // Capacity grows by half at least, not by one row per call.
  expect(a.a.length).toBeLessThan(rows * 1.6);
  a.n = b.n = rows;
  const fa = a.trim();
  const fb = b.trim();
  expect(fa.length).toBe(rows);
  for (const g of [0, 1, 2, 3, 16_383, 16_384, 16_385, 699_999]) {
    expect(fa[g]).toBe(g % 3 === 0 ? g : g % 3 === 1 ? NaN : 0);
    expect(fb[g]).toBe(g % 3 === 0 ? g : 0);
  }
  // Reserving no more than the capacity changes nothing.
  const before = b.a;
  b.reserve(10);
  expect(b.a).toBe(before);
});
