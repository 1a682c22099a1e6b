// The model builder's span table while it grows: the seven span columns, sharing one write
// position. A span's start is not stored: a goroutine's spans follow each other, so a span
// starts where the goroutine's previous one (`prev`, 4 bytes) ended; only the spans that do
// not (a goroutine's first, or after it did not exist for a while) keep their start, in two
// small side lists (`gapRow`, `gapStart`). That is 4 bytes a span instead of 8, and `prev`
// also chains each goroutine's spans, which spares a by-goroutine index (4 bytes more).
// Nor is a span's goroutine stored (4 bytes, 69 MB for a 100 MB trace): it is found by following
// `prev` back to a checkpoint, a row whose goroutine is kept, in a side list: every goroutine's
// 1st, 65th, 129th… span (one row in CHECK_EVERY of its own), marked in a bitmap. That is at most
// CHECK_EVERY − 1 steps whatever the order of the rows, for a tenth of a byte a span; only
// point look-ups need it (a P lane's visible marks, a span's details).
// Ends are whole nanoseconds that only grow from row to row (rows are added as spans end), so
// they are stored as 32-bit offsets from a base per block of 1024 rows; the column becomes
// Float64 (one copy) the first time an end does not fit (a fractional time, a block longer
// than 4.29 s). A big trace has tens of millions of spans (18M for a 100 MB trace), so how the
// columns grow decides the model's peak memory:
//  - Each column is a resizable ArrayBuffer (reserved address space, committed as it grows)
//    grown in place by steps, so growing never copies and the finished table is the storage
//    itself: no second copy at the end. 64K-row chunks copied into flat columns at the end
//    peaked at twice the table (the freed chunks stay in the allocator's arena, not returned to
//    the system): 650 MB more for that 100 MB trace.
//  - Resizable columns grow by a fixed 256K rows (15 bytes each while the index columns are
//    narrow): V8 zero-fills what a resize commits, so spare rows are resident memory, and
//    growing in place costs no copy whatever the step (1M rows left up to 17 MB spare). A step proportional to the rows (an eighth) left up to 65 MB spare at 18M rows,
//    650 MB for a 1 GB trace. Plain arrays (the fallback) copy on growth: an eighth there.
//  - The index columns start narrow and widen (one copy each time) the first time a value does
//    not fit: reason and stack 16 bits, then 32; P and thread 8 bits, then 16, then 32. String
//    and stack tables, P IDs and threads are small in practice: 6 of the 15 bytes of a row, not
//    16 bytes (35 MB less for 18M spans with the P and thread columns 8 bits wide).
// Where resizable buffers are missing (older engines), plain arrays grow by copying.
import { TraceError } from './errors';
import { Vec } from './vec';

/** A column of indices (string, stack, P, thread): 8 or 16 bits wide while every value fits. */
export type IndexColumn = Int32Array | Int16Array | Uint16Array | Int8Array;

/** The flat span columns (see SpanTable in model.ts). */
export interface SpanColumnArrays {
  /** Checkpoint rows (ascending; see rowGoroutine), their goroutines, and a bitmap of them by row. */
  checkRow: Int32Array;
  checkG: Int32Array;
  checkBits: Uint32Array;
  /** The goroutine's previous span, −1 if none; a span not starting where it ended is stored as −2 − prev (see spanStart). */
  prev: Int32Array;
  /** Ends: offsets from `endBase[row >>> 10]` while every end fits (`endBase` null: the times themselves); see rowEnd. */
  end: Float64Array | Uint32Array;
  endBase: Float64Array | null;
  state: Uint8Array;
  reason: IndexColumn;
  stack: IndexColumn;
  p: IndexColumn;
  m: IndexColumn;
  /** Rows whose start is not their `prev`'s end, ascending, and those starts. */
  gapRow: Int32Array;
  gapStart: Float64Array;
}

type Col = Exclude<
  keyof SpanColumnArrays,
  'gapRow' | 'gapStart' | 'endBase' | 'checkRow' | 'checkG' | 'checkBits'
>;
type Narrow = 'reason' | 'stack' | 'p' | 'm';
type AnyCtor =
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float64ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int8ArrayConstructor;

/** Each column's type until it widens (reason is never negative; the others use −1 for none). */
const COLUMN_TYPES: Readonly<Record<Col, AnyCtor>> = {
  prev: Int32Array,
  end: Uint32Array,
  state: Uint8Array,
  reason: Uint16Array,
  stack: Int16Array,
  p: Int8Array,
  m: Int8Array,
};
const COLUMNS = Object.keys(COLUMN_TYPES) as Col[];
const NONE = -1;
/** log2 of the rows sharing one end base. */
const END_BLOCK = 10;
/** One span in this many of each goroutine's is a checkpoint (a power of two). */
const CHECK_EVERY = 64;

const MIN_STEP = 1 << 20;
/** Rows a resizable column grows by. */
const IN_PLACE_STEP = 1 << 18;
/** The most rows a column can hold (a Float64 column of 2^32 bytes, the largest buffer V8 reserves). */
export const MAX_SPANS = 2 ** 29;

type ResizableBuffer = ArrayBuffer & { resize(n: number): void };

function resizableBuffer(bytes: number, max: number): ResizableBuffer | null {
  try {
    const b = new (
      ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ResizableBuffer
    )(bytes, { maxByteLength: max });
    return typeof b.resize === 'function' ? b : null;
  } catch {
    return null;
  }
}

/** Where row i ended. */
export function rowEnd(a: Pick<SpanColumnArrays, 'end' | 'endBase'>, i: number): number {
  return a.endBase ? a.endBase[i >>> END_BLOCK] + a.end[i] : a.end[i];
}

/** Where row i started: its `prev`'s end, or its own entry in the gap lists. */
export function rowStart(
  a: Pick<SpanColumnArrays, 'prev' | 'end' | 'endBase' | 'gapRow' | 'gapStart'>,
  i: number,
): number {
  const v = a.prev[i];
  if (v >= 0) return rowEnd(a, v);
  const rows = a.gapRow;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return a.gapStart[lo];
}

/** The goroutine of row i: its `prev` chain followed back to a checkpoint row. */
export function rowGoroutine(
  a: Pick<SpanColumnArrays, 'prev' | 'checkRow' | 'checkG' | 'checkBits'>,
  i: number,
): number {
  const bits = a.checkBits;
  const prev = a.prev;
  let r = i;
  while ((bits[r >>> 5] & (1 << (r & 31))) === 0) {
    const v = prev[r];
    r = v >= -1 ? v : -2 - v;
  }
  const rows = a.checkRow;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return a.checkG[lo];
}

/** Append-only span rows; `toArrays` hands the columns over, trimmed to `n` rows. */
export class SpanColumns {
  n = 0;
  private capacity = 0;
  private readonly buffers: Partial<Record<Col, ResizableBuffer>> = {};
  private prev = new Int32Array(0);
  private end: Float64Array | Uint32Array = new Uint32Array(0);
  private state = new Uint8Array(0);
  private reason: IndexColumn = new Uint16Array(0);
  private stack: IndexColumn = new Int16Array(0);
  private p: IndexColumn = new Int8Array(0);
  private m: IndexColumn = new Int8Array(0);
  private readonly types: Record<Col, AnyCtor> = { ...COLUMN_TYPES };
  private reasonWide = false;
  private stackWide = false;
  /** Widths of the P and thread columns: 8 bits, then 16, then 32. */
  private pBits = 8;
  private mBits = 8;
  private readonly resizable: boolean;
  private readonly gapRow = new Vec(Int32Array);
  private readonly gapStart = new Vec(Float64Array);
  /** Per goroutine, its last row (−1: none yet) and its number of rows. */
  private readonly lastRow = new Vec(Int32Array);
  private readonly rowCount = new Vec(Int32Array);
  private readonly checkRow = new Vec(Int32Array);
  private readonly checkG = new Vec(Int32Array);
  private readonly checkBits = new Vec(Uint32Array);
  private readonly endBase = new Vec(Float64Array);
  private endWide = false;

  constructor() {
    let ok = true;
    for (const col of COLUMNS) {
      const b = resizableBuffer(0, MAX_SPANS * COLUMN_TYPES[col].BYTES_PER_ELEMENT);
      if (!b) {
        ok = false;
        break;
      }
      this.buffers[col] = b;
    }
    this.resizable = ok;
    this.setCapacity(MIN_STEP / 16);
  }

  private setCapacity(rows: number): void {
    if (rows > MAX_SPANS)
      throw new TraceError(
        'too-large',
        `the trace has more than ${MAX_SPANS} goroutine state changes, more than Go Lens can model at once; record a shorter trace`,
      );
    const self = this.columns();
    for (const col of COLUMNS) {
      const T = this.types[col];
      if (this.resizable) {
        const b = this.buffers[col]!;
        try {
          b.resize(rows * T.BYTES_PER_ELEMENT);
        } catch {
          throw new TraceError(
            'too-large',
            `not enough memory to model this trace whole (${rows} goroutine state changes so far); record a shorter trace`,
          );
        }
        self[col] = new T(b, 0, rows);
      } else {
        const a = new T(rows);
        a.set(self[col].subarray(0, this.n) as never);
        self[col] = a;
      }
    }
    this.capacity = rows;
  }

  private columns(): Record<
    Col,
    Int32Array | Uint32Array | Float64Array | Uint8Array | Int16Array | Uint16Array | Int8Array
  > {
    return this as unknown as Record<
      Col,
      Int32Array | Uint32Array | Float64Array | Uint8Array | Int16Array | Uint16Array | Int8Array
    >;
  }

  /** Makes a column wider (16 or 32 bits), keeping its rows (one copy, at most twice per column). */
  private widen(col: Narrow, T: Int16ArrayConstructor | Int32ArrayConstructor = Int32Array): void {
    const self = this.columns();
    const old = self[col];
    let wide: Int32Array | Int16Array;
    const size = T.BYTES_PER_ELEMENT;
    if (this.resizable) {
      const b = resizableBuffer(this.capacity * size, MAX_SPANS * size);
      if (!b)
        throw new TraceError(
          'too-large',
          'not enough memory to model this trace whole; record a shorter trace',
        );
      this.buffers[col] = b;
      wide = new T(b, 0, this.capacity);
    } else {
      wide = new T(this.capacity);
    }
    wide.set(old.subarray(0, this.n));
    self[col] = wide;
    this.types[col] = T;
    const bits = 8 * size;
    if (col === 'reason') this.reasonWide = true;
    else if (col === 'stack') this.stackWide = true;
    else if (col === 'p') this.pBits = bits;
    else this.mBits = bits;
  }

  /** Widens the P or thread column as far as `v` needs. */
  private widenFor(col: 'p' | 'm', v: number): void {
    this.widen(col, (v << 16) >> 16 === v ? Int16Array : Int32Array);
  }

  /** Makes the end column Float64, the times themselves (one copy, once at most). */
  private widenEnd(): void {
    const wide = this.resizable
      ? this.resizableColumn(Float64Array, 'end')
      : new Float64Array(this.capacity);
    const off = this.end;
    const base = this.endBase.a;
    for (let i = 0; i < this.n; i++) wide[i] = base[i >>> END_BLOCK] + off[i];
    this.end = wide;
    this.types.end = Float64Array;
    this.endWide = true;
  }

  private resizableColumn(T: Float64ArrayConstructor, col: Col): Float64Array {
    const b = resizableBuffer(this.capacity * T.BYTES_PER_ELEMENT, MAX_SPANS * T.BYTES_PER_ELEMENT);
    if (!b)
      throw new TraceError(
        'too-large',
        'not enough memory to model this trace whole; record a shorter trace',
      );
    this.buffers[col] = b;
    return new T(b, 0, this.capacity);
  }

  private endAt(row: number): number {
    return this.endWide ? this.end[row] : this.endBase.a[row >>> END_BLOCK] + this.end[row];
  }

  push(
    g: number,
    start: number,
    end: number,
    state: number,
    reason: number,
    stack: number,
    p: number,
    m: number,
  ): void {
    const i = this.n;
    while (this.lastRow.n <= g) {
      this.lastRow.push(NONE);
      this.rowCount.push(0);
    }
    const before = this.lastRow.a[g];
    this.lastRow.a[g] = i;
    if ((this.rowCount.a[g]++ & (CHECK_EVERY - 1)) === 0) {
      this.checkRow.push(i);
      this.checkG.push(g);
      while (this.checkBits.n <= i >>> 5) this.checkBits.push(0);
      this.checkBits.a[i >>> 5] |= 1 << (i & 31);
    }
    if (i === this.capacity)
      this.setCapacity(
        Math.min(MAX_SPANS, i + (this.resizable ? IN_PLACE_STEP : Math.max(MIN_STEP, i >>> 3))),
      );
    if (!this.reasonWide && (reason & 0xffff) !== reason) this.widen('reason');
    if (!this.stackWide && (stack << 16) >> 16 !== stack) this.widen('stack');
    const pb = this.pBits;
    if (pb !== 32 && (pb === 8 ? (p << 24) >> 24 : (p << 16) >> 16) !== p) this.widenFor('p', p);
    const mb = this.mBits;
    if (mb !== 32 && (mb === 8 ? (m << 24) >> 24 : (m << 16) >> 16) !== m) this.widenFor('m', m);
    if (before !== NONE && this.endAt(before) === start) this.prev[i] = before;
    else {
      this.prev[i] = -2 - before;
      this.gapRow.push(i);
      this.gapStart.push(start);
    }
    if (!this.endWide) {
      const block = i >>> END_BLOCK;
      if (block === this.endBase.n) this.endBase.push(end);
      const off = end - this.endBase.a[block];
      if (off === off >>> 0) this.end[i] = off;
      else this.widenEnd();
    }
    if (this.endWide) this.end[i] = end;
    this.state[i] = state;
    this.reason[i] = reason;
    this.stack[i] = stack;
    this.p[i] = p;
    this.m[i] = m;
    this.n = i + 1;
  }

  /** The goroutine's last row, −1 if none. */
  lastRowOf(g: number): number {
    return g < this.lastRow.n ? this.lastRow.a[g] : NONE;
  }

  /**
   * Each of goroutines 0..count−1's last row (−1: none) and number of rows: the columns the
   * builder kept (no copy) when every goroutine has rows, as is usual.
   */
  goroutineRows(count: number): { lastSpan: Int32Array; spanCount: Int32Array } {
    while (this.lastRow.n < count) {
      this.lastRow.push(NONE);
      this.rowCount.push(0);
    }
    return { lastSpan: this.lastRow.trim(), spanCount: this.rowCount.trim() };
  }

  /** The goroutine's number of rows. */
  rowCountOf(g: number): number {
    return g < this.rowCount.n ? this.rowCount.a[g] : 0;
  }

  private checkpoints(): Pick<SpanColumnArrays, 'checkRow' | 'checkG' | 'checkBits'> {
    return {
      checkRow: this.checkRow.trim(),
      checkG: this.checkG.trim(),
      checkBits: this.checkBits.trim(),
    };
  }

  /** The rows as columns of exactly `n` elements (the storage itself, no copy). The builder is spent. */
  toArrays(): SpanColumnArrays {
    if (this.resizable) {
      this.setCapacity(this.n);
      return {
        ...this.checkpoints(),
        prev: this.prev,
        end: this.end,
        state: this.state,
        reason: this.reason,
        stack: this.stack,
        p: this.p,
        m: this.m,
        gapRow: this.gapRow.trim(),
        gapStart: this.gapStart.trim(),
        endBase: this.endWide ? null : this.endBase.trim(),
      };
    }
    const n = this.n;
    return {
      gapRow: this.gapRow.trim(),
      gapStart: this.gapStart.trim(),
      endBase: this.endWide ? null : this.endBase.trim(),
      ...this.checkpoints(),
      prev: this.prev.slice(0, n),
      end: this.end.slice(0, n),
      state: this.state.slice(0, n),
      reason: this.reason.slice(0, n),
      stack: this.stack.slice(0, n),
      p: this.p.slice(0, n),
      m: this.m.slice(0, n),
    };
  }
}
