// Growable typed arrays: the model's columns are built by appending, then trimmed.

type TypedArray = Float64Array | Int32Array | Uint8Array | Uint16Array;
type Ctor<T extends TypedArray> = { new (n: number): T };

/**
 * An append-only typed column that grows its storage by a quarter (doubling while small). By a
 * quarter rather than doubling, storage is always at least 80% used, so `trim` never copies:
 * a model has dozens of per-goroutine columns (620K goroutines in a 100 MB trace), and copies
 * made at the end of the build, beside the originals, added to the model's peak memory.
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
    if (this.n === this.a.length) {
      const len = this.a.length;
      const b = new this.ctor(len < 1 << 16 ? len * 2 : len + (len >>> 2));
      b.set(this.a as never);
      this.a = b;
    }
    this.a[this.n] = v;
    return this.n++;
  }

  /** The values as an array of exactly `n` elements (copied if much storage would be wasted). */
  trim(): T {
    if (this.n === this.a.length) return this.a;
    if (this.n >= this.a.length * 0.75) return this.a.subarray(0, this.n) as T;
    return this.a.slice(0, this.n) as T;
  }
}

export const f64 = (capacity?: number) => new Vec(Float64Array, capacity);
export const i32 = (capacity?: number) => new Vec(Int32Array, capacity);
export const u8 = (capacity?: number) => new Vec(Uint8Array, capacity);
export const u16 = (capacity?: number) => new Vec(Uint16Array, capacity);

const CHUNK = 1 << 16;

/**
 * An append-only typed column stored in 64K-element chunks: growing never copies, which matters
 * for columns of millions of elements (each doubling of a plain array would copy it, and the
 * garbage of large buffers makes the engine collect often).
 */
export class ChunkedVec<T extends TypedArray> {
  private readonly chunks: T[] = [];
  private cur: T;
  private pos = 0;
  n = 0;
  constructor(private readonly ctor: Ctor<T>) {
    this.cur = new ctor(CHUNK);
    this.chunks.push(this.cur);
  }

  push(v: number): number {
    if (this.pos === CHUNK) {
      this.cur = new this.ctor(CHUNK);
      this.chunks.push(this.cur);
      this.pos = 0;
    }
    this.cur[this.pos++] = v;
    return this.n++;
  }

  /** Element i (random access, for the rare updates of earlier elements). */
  get(i: number): number {
    return this.chunks[Math.floor(i / CHUNK)][i % CHUNK];
  }

  set(i: number, v: number): void {
    this.chunks[Math.floor(i / CHUNK)][i % CHUNK] = v;
  }

  /** The last element (the vector must not be empty). */
  last(): number {
    return this.cur[this.pos - 1];
  }

  setLast(v: number): void {
    this.cur[this.pos - 1] = v;
  }

  /** All elements in one array of exactly `n` elements; the chunks are released. */
  toArray(): T {
    const out = new this.ctor(this.n);
    let o = 0;
    for (const c of this.chunks) {
      const k = Math.min(CHUNK, this.n - o);
      out.set(c.subarray(0, k) as never, o);
      o += k;
    }
    this.chunks.length = 0;
    return out;
  }
}

export const cf64 = () => new ChunkedVec(Float64Array);
export const ci32 = () => new ChunkedVec(Int32Array);
export const cu8 = () => new ChunkedVec(Uint8Array);
