// The ordering's ID map must behave exactly like a Map under any mix of operations.
import { expect, test } from 'vitest';
import { IdIndex, NumMap } from '../../../src/core/exectrace/num-map';
import { rng } from './support/helpers';

test('NumMap agrees with Map over random operations (dense, patterned, negative and huge keys)', () => {
  const r = rng(7);
  const m = new NumMap<number>(4);
  const ref = new Map<number, number>();
  const key = () => {
    const x = r();
    if (x < 0.6) return Math.floor(r() * 300); // dense goroutine IDs
    if (x < 0.8) return Math.floor(r() * 1e6) * 1024; // colliding low bits
    if (x < 0.9) return -1 - Math.floor(r() * 3);
    return 2 ** 40 + Math.floor(r() * 100);
  };
  for (let i = 0; i < 20000; i++) {
    const k = key();
    const op = r();
    if (op < 0.45) {
      m.set(k, i);
      ref.set(k, i);
    } else if (op < 0.75) {
      expect(m.delete(k)).toBe(ref.delete(k));
    } else {
      expect(m.get(k)).toBe(ref.get(k));
      expect(m.has(k)).toBe(ref.has(k));
    }
    if (i % 100 === 0) expect(m.size).toBe(ref.size);
  }
  expect(m.size).toBe(ref.size);
  const seen = new Map<number, number>();
  m.forEach((v, k) => seen.set(k, v));
  expect(seen).toEqual(ref);
});

test('IdIndex: nearly consecutive IDs by array, the rest hashed, every one found again', () => {
  const m = new IdIndex();
  const ids: number[] = [];
  // Runtime-like IDs (consecutive, with gaps of per-P batches), and far-off and odd ones early
  // on: 9M is hashed then, and found still once the array has grown past it (9.5M).
  for (let i = 0; i < 3_000_000; i++) {
    ids.push(1 + i + 16 * Math.floor(i / 100));
    if (i === 10) ids.push(9_000_000, 2 ** 40, 2 ** 53 - 1, -5, 0.5);
  }
  ids.push(9_500_000);
  ids.forEach((id, i) => {
    if (m.get(id) !== -1) expect([id, m.get(id)]).toEqual([id, -1]);
    m.add(id, i);
  });
  ids.forEach((id, i) => {
    if (m.get(id) !== i) expect([id, m.get(id)]).toEqual([id, i]);
  });
  expect([m.get(1), m.get(2), m.get(9_000_001), m.get(-1), m.get(2 ** 41)]).toEqual([
    0, 1, -1, -1, -1,
  ]);
});
