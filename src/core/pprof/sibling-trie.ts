// A trie for stacks that arrive sorted, or nearly (a folded file lists its stacks sorted): each
// stack shares most of its path with the one before, and where it leaves that path it mostly adds
// nodes that did not exist yet. Trie.ts finds every child through a hash table larger than the
// cache, a miss per node created; here a node knows its children as a list (most recent first) and
// the highest rank among them, so a child whose rank is above that is new without any lookup, and
// the nodes are written front to back in creation order. A node whose children come in no order
// and are many gets them indexed in a small hash table, so no input makes lookups quadratic.
import { hashPair } from './trie';

/** Siblings scanned before a node's children get a hash table. */
const SCAN_LIMIT = 8;

export class SiblingTrie {
  /** Per node (0 the root, then in creation order): parent (-1 for the root), key, previous sibling (0: none). */
  parent: Int32Array;
  key: Int32Array;
  private prevSibling: Int32Array;
  /** Per node, side by side: most recently created child (0: none), 1 + the highest rank of a child (0: none). */
  private children: Int32Array;
  /** Per node, for the caller: 0 until set. */
  mark: Int32Array;
  count = 1;
  /** Every child was created with a rank above those of the siblings created before it. */
  ascending = true;
  /** Per node: 1 when a child was created with a rank not above those of its earlier siblings. */
  unordered: Uint8Array;
  private wide: Uint8Array;
  private table = new Int32Array(1024).fill(-1);
  private tableCount = 0;

  constructor(capacity: number) {
    const cap = Math.max(16, capacity);
    this.parent = new Int32Array(cap);
    this.key = new Int32Array(cap);
    this.prevSibling = new Int32Array(cap);
    this.children = new Int32Array(cap * 2);
    this.mark = new Int32Array(cap);
    this.wide = new Uint8Array(cap);
    this.unordered = new Uint8Array(cap);
    this.parent[0] = -1;
    this.key[0] = -1;
  }

  /** The child of `p` keyed `k`, whose rank is `rank`, created if missing. */
  child(p: number, k: number, rank: number): number {
    const children = this.children;
    const last = children[2 * p];
    if (last !== 0) {
      if (this.key[last] === k) return last;
      if (rank < children[2 * p + 1]) {
        const found = this.find(p, k, last);
        if (found !== 0) return found;
        this.ascending = false;
        this.unordered[p] = 1;
      }
    }
    const n = this.count;
    if (n === this.parent.length) this.grow();
    this.count = n + 1;
    this.parent[n] = p;
    this.key[n] = k;
    this.prevSibling[n] = last;
    const c = this.children;
    c[2 * p] = n;
    if (rank >= c[2 * p + 1]) c[2 * p + 1] = rank + 1;
    if (this.wide[p] === 1) this.index(n);
    return n;
  }

  /** The child of `p` keyed `k` (0: none), `last` being its most recent child. */
  private find(p: number, k: number, last: number): number {
    const key = this.key;
    if (this.wide[p] === 1) {
      const table = this.table;
      const mask = table.length - 1;
      for (let i = hashPair(p, k) & mask; ; i = (i + 1) & mask) {
        const n = table[i];
        if (n < 0) return 0;
        if (key[n] === k && this.parent[n] === p) return n;
      }
    }
    let scanned = 0;
    for (let s = this.prevSibling[last]; s !== 0; s = this.prevSibling[s]) {
      if (key[s] === k) return s;
      scanned++;
    }
    if (scanned > SCAN_LIMIT) {
      this.wide[p] = 1;
      for (let s = last; s !== 0; s = this.prevSibling[s]) this.index(s);
    }
    return 0;
  }

  /** Adds node n (the child of a wide node) to the hash table. */
  private index(n: number): void {
    if (2 * (this.tableCount + 1) > this.table.length) {
      const old = this.table;
      this.table = new Int32Array(old.length * 2).fill(-1);
      for (let i = 0; i < old.length; i++) if (old[i] >= 0) this.place(old[i]);
    }
    this.place(n);
    this.tableCount++;
  }

  private place(n: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let i = hashPair(this.parent[n], this.key[n]) & mask;
    while (table[i] >= 0) i = (i + 1) & mask;
    table[i] = n;
  }

  private grow(): void {
    const cap = this.parent.length * 2;
    const more = <T extends Int32Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.parent = more(this.parent, cap);
    this.key = more(this.key, cap);
    this.prevSibling = more(this.prevSibling, cap);
    this.children = more(this.children, cap * 2);
    this.mark = more(this.mark, cap);
    this.wide = more(this.wide, cap);
    this.unordered = more(this.unordered, cap);
  }
}
