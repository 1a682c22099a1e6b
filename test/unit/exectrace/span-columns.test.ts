// The model builder's span columns: rows survive the columns growing in place, and the
// finished columns are exactly the rows (no spare capacity a consumer could read as spans).
import { expect, test } from 'vitest';
import {
  rowEnd,
  rowGoroutine,
  rowPrev,
  rowStart,
  SpanColumns,
} from '../../../src/core/exectrace/span-columns';

test('2.5M rows across several in-place growths come back exactly, trimmed to the row count', () => {
  const c = new SpanColumns();
  const n = 2_500_000;
  for (let i = 0; i < n; i++)
    c.push(i % 1000, i * 64, i * 64 + 1e12, i & 3, i % 7, -1 - (i % 5), i % 16, (i % 9) - 1);
  const a = c.toArrays();
  for (const col of [a.prev, a.end, a.state, a.reason, a.stack, a.p, a.m])
    expect(col.length).toBe(n);
  for (const i of [0, 1, 65_535, 65_536, 1_048_575, 1_048_576, 1_179_648, 2_000_000, n - 1]) {
    expect([
      rowGoroutine(a, i),
      rowStart(a, i),
      rowEnd(a, i),
      a.state[i],
      a.reason[i],
      a.stack[i],
      a.p[i],
      a.m[i],
    ]).toEqual([i % 1000, i * 64, i * 64 + 1e12, i & 3, i % 7, -1 - (i % 5), i % 16, (i % 9) - 1]);
  }
  // Copies and views behave as ordinary typed arrays.
  expect(Array.from(a.state.slice(n - 2))).toEqual([(n - 2) & 3, (n - 1) & 3]);
  expect(a.reason.subarray(1000, 1003)).toEqual(Uint8Array.from([6, 0, 1]));
});

test("a span's start is where its goroutine's previous span ended, or kept beside the columns when not", () => {
  const c = new SpanColumns();
  c.push(0, 5, 10, 1, 0, -1, -1, -1); // G0's first span: its start is kept
  c.push(1, 7, 12, 1, 0, -1, -1, -1); // G1's first span
  c.push(0, 10, 15, 2, 0, -1, -1, -1); // G0 goes on where it stopped
  c.push(0, 20, 30, 2, 0, -1, -1, -1); // G0 after it did not exist for a while: a gap
  c.push(1, 12, 12, 3, 0, -1, -1, -1); // zero-length
  const a = c.toArrays();
  expect([0, 1, 2, 3, 4].map((i) => [rowStart(a, i), rowEnd(a, i)])).toEqual([
    [5, 10],
    [7, 12],
    [10, 15],
    [20, 30],
    [12, 12],
  ]);
  expect([0, 1, 2, 3, 4].map((i) => rowPrev(a, i))).toEqual([-1, -1, 0, 2, 1]);
  expect(Array.from(a.gapRow)).toEqual([0, 1, 3]);
  expect(c.lastRowOf(0)).toBe(3);
  expect(c.lastRowOf(1)).toBe(4);
  expect(c.lastRowOf(2)).toBe(-1);
});

test('ends are 32-bit offsets while they fit, and become the times themselves (every row kept) when one does not', () => {
  const fits = new SpanColumns();
  for (let i = 0; i < 5000; i++) fits.push(0, i * 1e6, (i + 1) * 1e6 + 1e15, 1, 0, -1, -1, -1);
  const a = fits.toArrays();
  expect(a.end).toBeInstanceOf(Uint32Array);
  expect(a.endBase).not.toBeNull();
  for (const i of [0, 1023, 1024, 4999]) expect(rowEnd(a, i)).toBe((i + 1) * 1e6 + 1e15);
  const cases: [string, (i: number) => number][] = [
    ['a fractional time', (i) => (i === 3000 ? i * 10 + 0.5 : i * 10)],
    ['a block longer than 2^32 ns', (i) => (i === 3000 ? i * 10 + 2 ** 33 : i * 10)],
    ['an end before the block began', (i) => (i === 3073 ? 3000 : i * 10)],
  ];
  for (const [, end] of cases) {
    const c = new SpanColumns();
    for (let i = 0; i < 5000; i++) c.push(i, 0, end(i), 1, 0, -1, -1, -1);
    const w = c.toArrays();
    expect(w.end).toBeInstanceOf(Float64Array);
    expect(w.endBase).toBeNull();
    for (let i = 0; i < 5000; i++)
      if (rowEnd(w, i) !== end(i)) expect([i, rowEnd(w, i)]).toEqual([i, end(i)]);
  }
});

test('an empty table has empty columns', () => {
  const a = new SpanColumns().toArrays();
  expect(a.end.length).toBe(0);
  expect(a.gapRow.length).toBe(0);
  expect(a.checkRow.length).toBe(0);
});

test('index columns start 8 or 16 bits wide and widen, keeping their rows, when a value does not fit', () => {
  const c = new SpanColumns();
  const n = 1_200_000;
  const row = (i: number) => [
    i,
    i,
    i + 1,
    2,
    i < 700_000 ? 65_535 : 65_536 + i,
    i < 1_100_000 ? -32_768 : 40_000,
    i < 5 ? 7 : 1_000_001,
    i === n - 1 ? -40_000 : -1,
  ];
  for (let i = 0; i < n; i++)
    c.push(...(row(i) as [number, number, number, number, number, number, number, number]));
  const a = c.toArrays();
  expect(a.reason).toBeInstanceOf(Int32Array);
  expect(a.stack).toBeInstanceOf(Int32Array);
  expect(a.p).toBeInstanceOf(Int32Array);
  expect(a.m).toBeInstanceOf(Int32Array);
  for (const i of [0, 4, 5, 699_999, 700_000, 1_099_999, 1_100_000, n - 2, n - 1]) {
    expect([
      rowGoroutine(a, i),
      rowStart(a, i),
      rowEnd(a, i),
      a.state[i],
      a.reason[i],
      a.stack[i],
      a.p[i],
      a.m[i],
    ]).toEqual(row(i));
  }
  // A trace whose indices all fit keeps 16-bit columns.
  const small = new SpanColumns();
  small.push(1, 0, 1, 2, 300, -1, 3, -1);
  const s = small.toArrays();
  expect(s.reason).toBeInstanceOf(Uint16Array);
  expect(s.p).toBeInstanceOf(Int8Array);
  expect(s.m).toBeInstanceOf(Int8Array);
  expect([s.reason[0], s.stack[0], s.p[0], s.m[0]]).toEqual([300, -1, 3, -1]);
});

test("a row's goroutine is found along its chain in fewer than 64 steps, whatever the order of the rows", () => {
  // 64 goroutines taking turns: each one's rows are 64 apart, so no row-based sampling would
  // ever land on most of them; every goroutine's own 1st, 65th… row is kept instead.
  const c = new SpanColumns();
  const n = 64 * 300 + 17;
  for (let i = 0; i < n; i++) c.push(i % 64, i, i + 1, 2, 0, -1, -1, -1);
  // One goroutine with a gap (its chain goes on through it) and one with a single row.
  c.push(200, 5, 6, 2, 0, -1, -1, -1);
  c.push(200, 9, 12, 2, 0, -1, -1, -1);
  c.push(7, 1e6, 2e6, 2, 0, -1, -1, -1);
  const a = c.toArrays();
  for (let i = 0; i < n; i++) if (rowGoroutine(a, i) !== i % 64) expect(i).toBe(-1);
  expect([n, n + 1, n + 2].map((i) => rowGoroutine(a, i))).toEqual([200, 200, 7]);
  expect(c.rowCountOf(7)).toBe(Math.ceil((n - 7) / 64) + 1);
  expect(c.rowCountOf(200)).toBe(2);
  expect(a.checkRow.length).toBeLessThan(n / 32);
});

test('P and thread columns go from 8 to 16 to 32 bits as their values need, keeping every row', () => {
  const c = new SpanColumns();
  const n = 300_000;
  // P: 8 bits until row 1000, then 16 bits (200); thread: 8, then 16 (-300), then 32 (70000).
  const p = (i: number) => (i < 1000 ? (i % 100) - 1 : 200 + (i % 3));
  const m = (i: number) => (i < 5000 ? (i % 120) - 1 : i < 200_000 ? -300 : 70_000 + i);
  for (let i = 0; i < n; i++) c.push(i % 50, i, i + 1, 2, 0, -1, p(i), m(i));
  const a = c.toArrays();
  expect(a.p).toBeInstanceOf(Int16Array);
  expect(a.m).toBeInstanceOf(Int32Array);
  for (let i = 0; i < n; i++)
    if (a.p[i] !== p(i) || a.m[i] !== m(i)) expect([i, a.p[i], a.m[i]]).toEqual([i, p(i), m(i)]);
});

test("a goroutine's previous span far back (over 32766 rows) is kept beside the 2-byte column", () => {
  const c = new SpanColumns();
  // G0 every 40,000 rows (far), G1 every 3 rows (near), G2 filling the rest.
  const n = 200_000;
  const g = (i: number) => (i % 40_000 === 0 ? 0 : i % 3 === 1 ? 1 : 2);
  const last = [-1, -1, -1];
  const prevOf: number[] = [];
  for (let i = 0; i < n; i++) {
    const prev = last[g(i)];
    prevOf.push(prev);
    last[g(i)] = i;
    // Each goroutine goes on where it stopped (row r ends at r + 1): no gaps but the first rows.
    c.push(g(i), prev === -1 ? 0 : prev + 1, i + 1, 2, 0, -1, -1, -1);
  }
  const a = c.toArrays();
  for (let i = 0; i < n; i++)
    if (rowPrev(a, i) !== prevOf[i]) expect([i, rowPrev(a, i)]).toEqual([i, prevOf[i]]);
  expect(Array.from(a.farRow)).toEqual([40_000, 80_000, 120_000, 160_000]);
  expect([40_000, 80_000].map((i) => [rowStart(a, i), rowGoroutine(a, i)])).toEqual([
    [1, 0],
    [40_001, 0],
  ]);
  expect(Array.from(a.gapRow)).toEqual([0, 1, 2]);
});
