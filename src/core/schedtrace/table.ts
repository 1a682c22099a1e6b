// A growable set of same-length typed-array columns: the storage of the schedtrace model.
// Typed arrays keep an hour of 100 ms snapshots of a 64-P program in tens of megabytes without a
// per-record object.

/** Typed arrays the model stores. */
export type Column =
  Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array | Int8Array;
type ColumnCtor = new (length: number) => Column;

/** Column name → typed-array constructor. */
export type Schema = Record<string, ColumnCtor>;

/** The columns of a {@link Table}, typed by its schema. */
export type Columns<S extends Schema> = { [K in keyof S]: InstanceType<S[K]> };

/** Same-length columns that grow by doubling. */
export class Table<S extends Schema> {
  count = 0;
  cols: Columns<S>;

  constructor(
    private readonly schema: S,
    capacity = 64,
  ) {
    const cols: Record<string, Column> = {};
    for (const [name, ctor] of Object.entries(schema)) cols[name] = new ctor(capacity);
    this.cols = cols as Columns<S>;
  }

  /** Makes room for one more row and returns its index (the caller fills the columns). */
  add(): number {
    const i = this.count;
    this.reserve(i + 1);
    this.count = i + 1;
    return i;
  }

  /** Grows every column to at least `n` rows. */
  reserve(n: number): void {
    const first = Object.values(this.cols)[0] as Column;
    if (n <= first.length) return;
    const cap = Math.max(n, first.length * 2, 16);
    const cols = this.cols as Record<string, Column>;
    for (const [name, ctor] of Object.entries(this.schema)) {
      const next = new ctor(cap);
      next.set(cols[name] as never);
      cols[name] = next;
    }
  }

  /** Keeps only the rows for which `keep(i)` is true, in order; returns old index → new index (-1 when dropped). */
  compact(keep: (i: number) => boolean): Int32Array {
    const map = new Int32Array(this.count);
    let j = 0;
    const cols = Object.values(this.cols) as Column[];
    for (let i = 0; i < this.count; i++) {
      if (!keep(i)) {
        map[i] = -1;
        continue;
      }
      if (i !== j) for (const c of cols) c[j] = c[i];
      map[i] = j++;
    }
    this.count = j;
    return map;
  }
}

/** A growable single typed array (for variable-length per-row data such as per-P values). */
export class Flat<C extends Column> {
  /** Values in use (the array's capacity is `data.length`). */
  length = 0;
  constructor(public data: C) {}

  /** Grows the array to hold at least `n` values. */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new (this.data.constructor as new (n: number) => C)(
      Math.max(n, this.data.length * 2, 64),
    );
    next.set(this.data as never);
    this.data = next;
  }

  /** Appends one value. */
  push(v: number): void {
    if (this.length >= this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
}
