// Growable typed arrays: the model's columns are built by appending, then trimmed.

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array;
type Ctor<T extends TypedArray> = { new (n: number): T };

type ResizableBuffer = ArrayBuffer & { resize(n: number): void };

/** Elements past which a column moves to a resizable buffer, and the step it then grows by. */
const IN_PLACE_FROM = 1 << 14;
/** Address space reserved per resizable column (not memory: pages are committed as it grows). */
const MAX_BYTES = 2 ** 28;

function resizable(bytes: number): ResizableBuffer | null {
  try {
    const b = new (
      ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ResizableBuffer
    )(bytes, { maxByteLength: MAX_BYTES });
    return typeof b.resize === 'function' ? b : null;
  } catch {
    return null;
  }
}

/**
 * An append-only typed column. Small, it doubles like an ordinary array; past 16K elements it
 * moves (one copy) to a resizable ArrayBuffer and grows in place by 16K elements: no copy, no
 * old array left to collect, and at most 16K spare elements. A model has dozens of
 * per-goroutine columns (620K goroutines in a 100 MB trace) growing at the same moment: grown
 * by copying, each growth briefly held the old and the new arrays of all of them, and up to a
 * quarter of each stayed spare. `trim` shrinks the buffer to the elements (no copy); where
 * resizable buffers are missing, columns grow by a quarter and `trim` copies when much is spare.
 */
export class Vec<T extends TypedArray> {
  a: T;
  n = 0;
  private buffer: ResizableBuffer | null = null;
  private fixed = false;
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
    const size = (this.ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const cap = len < IN_PLACE_FROM ? Math.max(16, len * 2) : len + IN_PLACE_FROM;
    if (cap >= IN_PLACE_FROM && !this.fixed && cap * size <= MAX_BYTES) {
      if (this.buffer) {
        this.buffer.resize(cap * size);
        this.a = this.view(cap);
        return;
      }
      this.buffer = resizable(cap * size);
      if (this.buffer) {
        const b = this.view(cap);
        b.set(this.a as never);
        this.a = b;
        return;
      }
      this.fixed = true;
    }
    // No resizable buffers, or past what one was reserved for: grow by copying.
    const b = new this.ctor(len < IN_PLACE_FROM ? Math.max(16, len * 2) : len + (len >>> 2));
    b.set(this.a as never);
    this.a = b;
    this.buffer = null;
    this.fixed = true;
  }

  private view(n: number): T {
    return new (this.ctor as unknown as new (b: ArrayBuffer, o: number, n: number) => T)(
      this.buffer!,
      0,
      n,
    );
  }

  /** The values as an array of exactly `n` elements: the storage itself, shrunk in place where it can. */
  trim(): T {
    if (this.n === this.a.length) return this.a;
    if (this.buffer) {
      const size = (this.ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      this.buffer.resize(this.n * size);
      this.a = this.view(this.n);
      return this.a;
    }
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
    this.buffer?.resize(0);
    this.buffer = null;
    this.a = new this.ctor(16);
    this.n = 0;
  }
}

export const f64 = (capacity?: number) => new Vec(Float64Array, capacity);
export const i32 = (capacity?: number) => new Vec(Int32Array, capacity);
export const u8 = (capacity?: number) => new Vec(Uint8Array, capacity);
export const u16 = (capacity?: number) => new Vec(Uint16Array, capacity);
