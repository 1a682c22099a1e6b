import { describe, expect, it } from 'vitest';
import { lowerBound, searchFirst, upperBound } from '../../../src/core/binary-search';

const a = Float64Array.from([1, 3, 3, 3, 7, 9]);

describe('binary search', () => {
  it.each([
    // x, lowerBound, upperBound
    [0, 0, 0],
    [1, 0, 1],
    [2, 1, 1],
    [3, 1, 4],
    [5, 4, 4],
    [9, 5, 6],
    [10, 6, 6],
  ])('bounds of %d in [1 3 3 3 7 9]: lower %d, upper %d', (x, lower, upper) => {
    expect(lowerBound(a, x)).toBe(lower);
    expect(upperBound(a, x)).toBe(upper);
    expect(searchFirst(0, a.length, (i) => a[i] >= x)).toBe(lower);
    expect(searchFirst(0, a.length, (i) => a[i] > x)).toBe(upper);
  });

  it.each([
    // lo, hi, x, lowerBound, upperBound: searches stay inside [lo, hi)
    [1, 4, 0, 1, 1],
    [1, 4, 3, 1, 4],
    [1, 4, 8, 4, 4],
    [2, 2, 3, 2, 2],
    [0, 0, 5, 0, 0],
  ])('within [%d, %d): bounds of %d are %d and %d', (lo, hi, x, lower, upper) => {
    expect(lowerBound(a, x, lo, hi)).toBe(lower);
    expect(upperBound(a, x, lo, hi)).toBe(upper);
  });

  it('agrees with a linear scan on random sorted arrays', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) % 50;
    for (let round = 0; round < 200; round++) {
      const xs = Array.from({ length: rnd() }, rnd).sort((p, q) => p - q);
      const x = rnd();
      const lin = (pred: (v: number) => boolean) => {
        const i = xs.findIndex(pred);
        return i < 0 ? xs.length : i;
      };
      expect(lowerBound(xs, x)).toBe(lin((v) => v >= x));
      expect(upperBound(xs, x)).toBe(lin((v) => v > x));
    }
  });
});
