// Growable typed arrays: the model's columns are built by appending, then trimmed.

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array;
type Ctor<T extends TypedArray> = { new (n: number): T };

/** Elements up to which a column doubles; past that it grows by half. */
const DOUBLE_UNTIL = 1 << 14;

/**
 * An append-only typed column in an ordinary typed array: doubling while small, then growing
 * by half (one copy each time). A model has dozens of per-goroutine columns (620K goroutines in
 * a 100 MB trace) growing at the same moment; growing them by a quarter copied each about four
 * times over, by half about twice: 7% less model time, and a lower peak (the old arrays are
 * fewer). They are not kept in resizable ArrayBuffers like the span table's few big columns:
 * V8 (11.x) reads and writes arrays over resizable buffers markedly slower (the model took 40%
 * longer with these columns there), and these are read for nearly every event.
 */
export class Vec<T extends TypedArray> {
  a: T;
  n = 0;
  constructor(
    private readonly ctor: Ctor<T>,
    capacity = 64,
  ) {
    this.a = new ctor(capacity);
  }

  push(v: number): number {
    if (this.n === this.a.length) this.grow();
    this.a[this.n] = v;
    return this.n++;
  }

  private grow(): void {
    const len = this.a.length;
    const b = new this.ctor(len < DOUBLE_UNTIL ? Math.max(16, len * 2) : len + (len >>> 1));
    b.set(this.a as never);
    this.a = b;
  }

  /**
   * Grows the storage to at least `capacity` elements (by half or more, as `push` does), the new
   * ones 0, for columns that grow together under an owner that writes their rows and sets `n`
   * itself: one call a column a growth, where pushing was a call a column an element (25 calls
   * for each of a trace's 620K goroutines, each through V8's slowest kind of typed-array store:
   * this method's one store site sees every kind of typed array). The spare elements are not
   * written here: untouched, they take no memory (filling them took 90 MB more at the peak of
   * a 1 GB trace).
   */
  reserve(capacity: number): void {
    const len = this.a.length;
    if (capacity <= len) return;
    const b = new this.ctor(
      Math.max(capacity, len < DOUBLE_UNTIL ? Math.max(16, len * 2) : len + (len >>> 1)),
    );
    b.set(this.a as never);
    this.a = b;
  }

  /** The values as an array of exactly `n` elements: the storage itself when little is spare. */
  trim(): T {
    if (this.n === this.a.length) return this.a;
    if (this.n >= this.a.length * 0.75) return this.a.subarray(0, this.n) as T;
    return this.a.slice(0, this.n) as T;
  }

  /** The last element (the vector must not be empty). */
  last(): number {
    return this.a[this.n - 1];
  }

  setLast(v: number): void {
    this.a[this.n - 1] = v;
  }

  /** Gives the storage back (a column only needed while building); the vector is empty after. */
  release(): void {
    this.a = new this.ctor(16);
    this.n = 0;
  }
}

export const f64 = (capacity?: number) => new Vec(Float64Array, capacity);
export const i32 = (capacity?: number) => new Vec(Int32Array, capacity);
export const u8 = (capacity?: number) => new Vec(Uint8Array, capacity);
export const u16 = (capacity?: number) => new Vec(Uint16Array, capacity);
