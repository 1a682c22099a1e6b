// A growable trie of (parent, key) nodes in flat typed arrays with an open-addressing child index,
// the building block of the profile index's tries and of the call trees built from them. No object
// per node: a tree of millions of nodes is a few typed arrays.
//
// Speed here is memory latency: a trie of millions of nodes does not fit in cache, so every
// random read is a cache miss. Each node's parent, key and most recent child therefore sit side
// by side in one record, and a lookup first tries the most recent child (a deep call chain has
// one child per node most of the time), which costs one miss instead of a hash probe.

/** Mixes two 32-bit integers into a well-spread 32-bit hash (murmur3's finalizer constants). */
export function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0xcc9e2d51) ^ Math.imul(b + 0x7f4a7c15, 0x1b873593);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/** Record stride: parent, key, most recently used child. */
const R = 3;

/**
 * A trie whose nodes are numbered 0 (the root) upwards in creation order, each labelled by an
 * integer key under its parent, with two Float64 value columns for the caller.
 */
export class Trie {
  /** Per node: parent (-1 for the root, node 0), key of the edge from the parent, last child used (0 = none). */
  private rec: Int32Array;
  /** Two value columns for the caller's use. */
  self: Float64Array;
  total: Float64Array;
  count = 1;
  private table: Int32Array;
  private mask: number;

  /** `capacity`: expected node count; the arrays grow past it by doubling. */
  constructor(capacity: number) {
    const cap = Math.max(16, capacity);
    this.rec = new Int32Array(cap * R);
    this.self = new Float64Array(cap);
    this.total = new Float64Array(cap);
    this.rec[0] = -1;
    this.rec[1] = -1;
    let size = 16;
    while (size < cap * 2) size *= 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** Room for this many nodes without growing; value columns are at least this long. */
  get capacity(): number {
    return this.self.length;
  }

  /** The child of `p` labelled `k`, created if missing. */
  child(p: number, k: number): number {
    const rec = this.rec;
    const last = rec[p * R + 2];
    if (last !== 0 && rec[last * R + 1] === k) return last;
    const table = this.table;
    const mask = this.mask;
    let i = hashPair(p, k) & mask;
    for (;;) {
      const n = table[i];
      if (n < 0) break;
      if (rec[n * R + 1] === k && rec[n * R] === p) {
        rec[p * R + 2] = n;
        return n;
      }
      i = (i + 1) & mask;
    }
    const n = this.count;
    if (n === this.self.length) {
      this.grow();
      return this.child(p, k);
    }
    this.count = n + 1;
    rec[n * R] = p;
    rec[n * R + 1] = k;
    rec[p * R + 2] = n;
    table[i] = n;
    if (n * 2 > mask) this.rehash();
    return n;
  }

  private grow(): void {
    const cap = this.self.length * 2;
    const rec = new Int32Array(cap * R);
    rec.set(this.rec);
    this.rec = rec;
    const s = new Float64Array(cap);
    s.set(this.self);
    this.self = s;
    const t = new Float64Array(cap);
    t.set(this.total);
    this.total = t;
  }

  /** Keeps the table at most half full, so probes stay short. */
  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    const rec = this.rec;
    for (let n = 1; n < this.count; n++) {
      let i = hashPair(rec[n * R], rec[n * R + 1]) & mask;
      while (table[i] >= 0) i = (i + 1) & mask;
      table[i] = n;
    }
    this.table = table;
    this.mask = mask;
  }

  /**
   * Ends building: returns the parent and key columns (parents precede children, since a node
   * is created after its parent) and releases the index. No node may be added afterwards.
   */
  finish(): { parent: Int32Array; key: Int32Array } {
    const n = this.count;
    const parent = new Int32Array(n);
    const key = new Int32Array(n);
    const rec = this.rec;
    for (let i = 0; i < n; i++) {
      parent[i] = rec[i * R];
      key[i] = rec[i * R + 1];
    }
    this.rec = new Int32Array(0);
    this.table = new Int32Array(0);
    this.mask = 0;
    return { parent, key };
  }
}
