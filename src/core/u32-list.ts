// A growable list of unsigned 32-bit integers: the builders of the profile and goroutine models
// append ids one at a time and keep the final array, without a JS array's per-element cost.

/** Grows by doubling; `data.subarray(0, length)` is the content. */
export class U32List {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  /** Makes room for `n` entries in all, so pushing up to there copies nothing. */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const grown = new Uint32Array(n);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
  /** A copy of the content, exactly as long as the list. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}
