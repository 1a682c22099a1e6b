// Ordering millions of rows by numeric columns: a stable least-significant-digit radix sort over
// the keys' IEEE-754 bits. A comparator sort calls back into JavaScript for each of its n·log n
// comparisons, seconds for the 6.3 million goroutines of a 1 GB trace's biggest group; this costs
// a few linear passes over typed arrays, and skips the passes where every key has the same byte.

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
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // The keys' bits travel with the positions, so each pass reads its input in sequence (a
  // gather through `order` per pass would miss the cache on every row).
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let spareOrder = new Int32Array(n);
  let spareLo = new Uint32Array(n);
  let spareHi = new Uint32Array(n);
  const counts = new Int32Array(256);
  const value = new Float64Array(1);
  const word = new Uint32Array(value.buffer);
  // Which 32-bit half of a double holds the sign and exponent (little-endian machines: the 2nd).
  value[0] = -1;
  const HI = word[1] === 0xbff00000 ? 1 : 0;
  const LO = 1 - HI;
  // The least significant key first: each later (stable) pass keeps its order among ties.
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k];
    if (key.length !== n) throw new Error('radixOrder: keys of different lengths');
    // Unsigned 64-bit images of the keys, ordered as the numbers are: a positive number's sign
    // bit set, a negative number's bits all flipped; all flipped again for descending order.
    const flip = descending[k] ? 0xffffffff : 0;
    for (let i = 0; i < n; i++) {
      const v = key[order[i]];
      value[0] = v === 0 ? 0 : v;
      let h = word[HI];
      let l = word[LO];
      if (h & 0x80000000) {
        h = ~h;
        l = ~l;
      } else h |= 0x80000000;
      lo[i] = (l ^ flip) >>> 0;
      hi[i] = (h ^ flip) >>> 0;
    }
    for (let pass = 0; pass < 8; pass++) {
      const digits = pass < 4 ? lo : hi;
      const shift = (pass & 3) * 8;
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(digits[i] >>> shift) & 0xff]++;
      // Every key has the same byte here: the pass would not move anything.
      if (counts.includes(n)) continue;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const to = counts[(digits[i] >>> shift) & 0xff]++;
        spareOrder[to] = order[i];
        spareLo[to] = lo[i];
        spareHi[to] = hi[i];
      }
      [order, spareOrder] = [spareOrder, order];
      [lo, spareLo] = [spareLo, lo];
      [hi, spareHi] = [spareHi, hi];
    }
  }
  return order;
}
