// A hash map from numbers to objects, for the per-event lookups of the ordering (goroutine and
// proc states by ID). IDs arrive as float64 values read from typed arrays; a JS Map would box
// each one into a heap number before hashing it, an allocation per event. This map keeps keys
// in a Float64Array and probes linearly, so a lookup allocates nothing.

const EMPTY = NaN; // never a valid ID (IDs are integers), and NaN !== NaN marks free slots

/** Open-addressing map with number keys (linear probing, backward-shift deletion). */
export class NumMap<V> {
  private keys: Float64Array;
  private vals: (V | undefined)[];
  private mask: number;
  private shift: number;
  private count = 0;

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Fibonacci hashing (multiply, keep the top bits): spreads the nearly consecutive IDs the
   * runtime hands out as well as any pattern a corrupted file could contain (e.g. multiples of
   * a power of two, which would pile up in one probe chain under a plain modulo).
   */
  private hash(k: number): number {
    // Low 32 bits, and the high ones folded in (times 2^-32, exact: a power of two). No branch:
    // a rarely taken one would make the optimized code bail out when first taken.
    const x = (k | 0) ^ Math.imul((k * 2.3283064365386963e-10) | 0, 0x85ebca6b);
    return Math.imul(x, 0x9e3779b1) >>> this.shift;
  }

  private slot(k: number): number {
    const keys = this.keys;
    const mask = this.mask;
    // The step comes first so that it runs on every lookup (see hash() on rare branches).
    let i = (this.hash(k) - 1) & mask;
    for (;;) {
      i = (i + 1) & mask;
      const x = keys[i];
      if (x === k) return i;
      if (x !== x) return -1 - i; // free slot: not found, insertion point encoded
    }
  }

  get(k: number): V | undefined {
    const i = this.slot(k);
    return i >= 0 ? this.vals[i] : undefined;
  }

  has(k: number): boolean {
    return this.slot(k) >= 0;
  }

  set(k: number, v: V): void {
    if (k !== k) throw new RangeError('NumMap key must not be NaN');
    let i = this.slot(k);
    if (i >= 0) {
      this.vals[i] = v;
      return;
    }
    if ((this.count + 1) * 2 > this.keys.length) {
      this.grow();
      i = this.slot(k);
    }
    i = -1 - i;
    this.keys[i] = k;
    this.vals[i] = v;
    this.count++;
  }

  delete(k: number): boolean {
    let i = this.slot(k);
    if (i < 0) return false;
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const x = keys[j];
      if (x !== x) break;
      const home = this.hash(x);
      // Move x back if its home slot is not cyclically within (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        keys[i] = x;
        vals[i] = vals[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    vals[i] = undefined;
    this.count--;
    return true;
  }

  /** Calls fn for every entry (in no particular order). */
  forEach(fn: (v: V, k: number) => void): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === keys[i]) fn(this.vals[i] as V, keys[i]);
  }

  private grow(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    const cap = oldK.length * 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.count = 0;
    for (let i = 0; i < oldK.length; i++) if (oldK[i] === oldK[i]) this.set(oldK[i], oldV[i] as V);
  }
}

/**
 * A map from IDs to dense indices (goroutine IDs to model indices): the runtime hands out
 * goroutine IDs nearly consecutively from 1, so those up to a few times the number of entries
 * are looked up in an array by ID (4 bytes an ID), and only the others (a trace begun late in a
 * long-lived process, a corrupt file) hashed. A NumMap of the 620K goroutines of a 100 MB
 * trace took 32 MB (its keys and its array of values), the array takes 2.5 MB.
 */
export class IdIndex {
  /** Index + 1 by ID (0: none). */
  private dense = new Int32Array(1024);
  private sparse = new NumMap<number>(64);
  private count = 0;

  /** The index of `id`, or −1. */
  get(id: number): number {
    if (id >= 0 && id < this.dense.length) {
      const v = this.dense[id]; // undefined for a fractional ID
      if (v > 0) return v - 1;
    }
    return this.sparse.size === 0 ? -1 : (this.sparse.get(id) ?? -1);
  }

  /** Empties the map, giving its storage back. */
  release(): void {
    this.dense = new Int32Array(0);
    this.sparse = new NumMap<number>(16);
    this.count = 0;
  }

  /** Records a new ID (not already in the map). */
  add(id: number, index: number): void {
    this.count++;
    if (Number.isInteger(id) && id >= 0 && id < 4 * this.count + 65536) {
      if (id >= this.dense.length) {
        let cap = this.dense.length;
        while (cap <= id) cap = cap < 1 << 20 ? cap * 2 : cap + (cap >>> 2);
        const d = new Int32Array(cap);
        d.set(this.dense);
        this.dense = d;
      }
      this.dense[id] = index + 1;
    } else {
      this.sparse.set(id, index);
    }
  }
}
