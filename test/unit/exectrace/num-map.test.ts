// The ordering's ID map must behave exactly like a Map under any mix of operations.
import { expect, test } from 'vitest';
import { NumMap } from '../../../src/core/exectrace/num-map';
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
