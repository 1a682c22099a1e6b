// Ordering millions of rows by numeric columns: a stable least-significant-digit radix sort. A
// comparator sort calls back into JavaScript for each of its n·log n comparisons, seconds for
// the 6.3 million goroutines of a 1 GB trace's biggest group; this costs a few linear passes
// over typed arrays.
//
// The analysis tab's columns are whole nanoseconds and goroutine IDs: integers spanning far
// fewer than 64 bits (a 71 s trace's durations fit in 37, a 6.3M-goroutine trace's IDs in 23).
// Such a key is sorted by its offset from the smallest value, in as few digits of up to 12 bits
// as its range needs (4 passes, 2 for IDs); any other key (fractions,
// NaN, infinities, a range past 2^53) by its IEEE-754 bits, 8 passes of 8 bits. The former took
// the first sort of that group by a new column from 1.9 s to about a third of a second.

/**
 * Positions 0..n−1 ordered by `keys` ascending, ties in position order (as `radixOrder`), for
 * keys already nearly in order: goroutine IDs by goroutine index, which the runtime hands out
 * in batches per P, so a goroutine is at most a few hundred places from its place. Sorted by
 * insertion while that stays cheap (moves within 8 per key), by `radixOrder` otherwise.
 */
export function nearlySortedOrder(keys: Float64Array): Int32Array {
  const n = keys.length;
  const order = new Int32Array(n);
  const sorted = new Float64Array(n);
  let budget = 8 * n + 1024;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    if (v !== v) return radixOrder([keys], [false]); // NaN: its rules are radixOrder's
    let j = i;
    // −0 and 0 are equal here, as in radixOrder: neither moves past the other.
    while (j > 0 && sorted[j - 1] > v) {
      sorted[j] = sorted[j - 1];
      order[j] = order[j - 1];
      j--;
    }
    budget -= i - j;
    if (budget < 0) return radixOrder([keys], [false]);
    sorted[j] = v;
    order[j] = i;
  }
  return order;
}

/** Widest digit of the integer path: 4096 counters (16 KB) stay in the first-level cache. */
const MAX_DIGIT_BITS = 12;

/**
 * Positions 0..n−1 ordered by `keys[0]`, ties by `keys[1]`, and so on; each key ascending, or
 * descending where `descending[k]` is true. Rows equal on every key keep their position order.
 * −0 equals 0; NaN comes after every number ascending (before them descending).
 */
export function radixOrder(
  keys: readonly Float64Array[],
  descending: readonly boolean[],
): Int32Array {
  const n = keys[0]?.length ?? 0;
  const s = new Scratch(n);
  for (let i = 0; i < n; i++) s.order[i] = i;
  // The least significant key first: each later (stable) pass keeps its order among ties.
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k];
    if (key.length !== n) throw new Error('radixOrder: keys of different lengths');
    if (!integerPasses(s, key, descending[k])) ieeePasses(s, key, descending[k]);
  }
  return s.order;
}

/**
 * The order so far and the keys' images travelling with it (each pass then reads its input in
 * sequence: a gather through `order` per pass would miss the cache on every row), with spares.
 */
class Scratch {
  order: Int32Array;
  lo: Uint32Array;
  /** The high halves, only for keys that need them (`wide`): 8 bytes a row less otherwise. */
  hi = new Uint32Array(0);
  private spareOrder: Int32Array;
  private spareLo: Uint32Array;
  private spareHi = new Uint32Array(0);
  constructor(readonly n: number) {
    this.order = new Int32Array(n);
    this.lo = new Uint32Array(n);
    this.spareOrder = new Int32Array(n);
    this.spareLo = new Uint32Array(n);
  }

  /** Makes room for the high halves. */
  wide(): void {
    if (this.hi.length === this.n) return;
    this.hi = new Uint32Array(this.n);
    this.spareHi = new Uint32Array(this.n);
  }

  /**
   * One stable pass by the digit `(image >>> shift) & mask` of the 64-bit images (hi:lo), whose
   * bucket starts are `starts[from .. from + mask]` (counts turned into prefix sums here). Moves
   * `hi` only if `withHi`.
   */
  pass(starts: Int32Array, from: number, shift: number, mask: number, withHi: boolean): void {
    const n = this.n;
    let sum = 0;
    for (let b = from; b <= from + mask; b++) {
      const c = starts[b];
      // Every key has the same digit here: the pass would not move anything.
      if (c === n) return;
      starts[b] = sum;
      sum += c;
    }
    const { order, lo, hi, spareOrder, spareLo, spareHi } = this;
    if (shift >= 32) {
      // Passes go from the low digits up: no later pass reads the low halves.
      const sh = shift - 32;
      for (let i = 0; i < n; i++) {
        const to = starts[from + ((hi[i] >>> sh) & mask)]++;
        spareOrder[to] = order[i];
        spareHi[to] = hi[i];
      }
      this.order = spareOrder;
      this.spareOrder = order;
      this.hi = spareHi;
      this.spareHi = hi;
      return;
    } else if (shift + 32 - Math.clz32(mask) <= 32) {
      if (withHi)
        for (let i = 0; i < n; i++) {
          const to = starts[from + ((lo[i] >>> shift) & mask)]++;
          spareOrder[to] = order[i];
          spareLo[to] = lo[i];
          spareHi[to] = hi[i];
        }
      else
        for (let i = 0; i < n; i++) {
          const to = starts[from + ((lo[i] >>> shift) & mask)]++;
          spareOrder[to] = order[i];
          spareLo[to] = lo[i];
        }
    } else {
      // A digit across the two halves (shift < 32 < shift + width).
      const up = 32 - shift;
      for (let i = 0; i < n; i++) {
        const to = starts[from + (((lo[i] >>> shift) | (hi[i] << up)) & mask)]++;
        spareOrder[to] = order[i];
        spareLo[to] = lo[i];
        spareHi[to] = hi[i];
      }
    }
    this.order = spareOrder;
    this.spareOrder = order;
    this.lo = spareLo;
    this.spareLo = lo;
    if (withHi) {
      this.hi = spareHi;
      this.spareHi = hi;
    }
  }
}

/**
 * Sorts by `key` (in the current order) if it holds only integers whose range is below 2^53:
 * by the offset from the smallest (from the largest, descending). False, having done nothing,
 * for any other key.
 */
function integerPasses(s: Scratch, key: Float64Array, descending: boolean): boolean {
  const { n, order } = s;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = key[i];
    // Not an integer (NaN, ±Infinity, a fraction): the IEEE path.
    if (v - Math.floor(v) !== 0) return false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  if (!(range < 2 ** 53)) return false;
  if (range === 0) return true; // all equal (or no rows): nothing moves
  let bits = 1;
  while (bits < 53 && 2 ** bits <= range) bits++;
  const passes = Math.ceil(bits / MAX_DIGIT_BITS);
  const width = Math.ceil(bits / passes);
  const mask = (1 << width) - 1;
  const wide = bits > 32;
  if (wide) s.wide();
  const { lo, hi } = s;
  for (let i = 0; i < n; i++) {
    const v = key[order[i]];
    const d = descending ? max - v : v - min; // exact: integers below 2^53
    const l = d >>> 0; // the low 32 bits (ToUint32 is modulo 2^32)
    lo[i] = l;
    if (wide) hi[i] = (d - l) / 4294967296;
  }
  // Each pass's counts: a plain read of one half per pass.
  const counts = new Int32Array(passes << width);
  for (let p = 0, sh = 0; p < passes; p++, sh += width) {
    const base = p << width;
    if (sh >= 32) for (let i = 0; i < n; i++) counts[base + ((hi[i] >>> (sh - 32)) & mask)]++;
    else if (sh + width <= 32) for (let i = 0; i < n; i++) counts[base + ((lo[i] >>> sh) & mask)]++;
    else
      for (let i = 0; i < n; i++) counts[base + (((lo[i] >>> sh) | (hi[i] << (32 - sh))) & mask)]++;
  }
  for (let p = 0; p < passes; p++) s.pass(counts, p << width, p * width, mask, wide);
  return true;
}

/**
 * Sorts by `key` (in the current order) through unsigned 64-bit images ordered as the numbers
 * are: a positive number's sign bit set, a negative number's bits all flipped; all flipped again
 * for descending order. 8 passes of a byte (those where every key has the same byte skipped).
 */
function ieeePasses(s: Scratch, key: Float64Array, descending: boolean): void {
  s.wide();
  const { n, order, lo, hi } = s;
  const value = new Float64Array(1);
  const word = new Uint32Array(value.buffer);
  // Which 32-bit half of a double holds the sign and exponent (little-endian machines: the 2nd).
  value[0] = -1;
  const HI = word[1] === 0xbff00000 ? 1 : 0;
  const LO = 1 - HI;
  const flip = descending ? 0xffffffff : 0;
  const counts = new Int32Array(8 << 8);
  for (let i = 0; i < n; i++) {
    const v = key[order[i]];
    value[0] = v === 0 ? 0 : v;
    let h = word[HI];
    let l = word[LO];
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    l = (l ^ flip) >>> 0;
    h = (h ^ flip) >>> 0;
    lo[i] = l;
    hi[i] = h;
    for (let p = 0; p < 4; p++) {
      counts[(p << 8) + ((l >>> (p * 8)) & 0xff)]++;
      counts[((p + 4) << 8) + ((h >>> (p * 8)) & 0xff)]++;
    }
  }
  for (let p = 0; p < 8; p++) s.pass(counts, p << 8, p * 8, 0xff, true);
}
