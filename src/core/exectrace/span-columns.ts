// The model builder's span table while it grows: the seven span columns, sharing one write
// position. A span's start is not stored: a goroutine's spans follow each other, so a span
// starts where the goroutine's previous one (`prev`) ended; only the spans that do not (a
// goroutine's first, or after it did not exist for a while: a flag in `prev`) keep their start,
// in two small side lists (`gapRow`, `gapStart`). `prev` also chains each goroutine's spans,
// which spares a by-goroutine index. It is 2 bytes, not a row number: how many rows back the
// previous span is (under 32767: all but 0.06% of the 100 MB trace's 18M spans), or 0 and the
// row in a side list (`farRow`, `farPrev`). 2 bytes a span instead of 12 for start and index.
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
//  - Resizable columns grow by a fixed 256K rows (12 bytes each while the index columns are
//    narrow): V8 zero-fills what a resize commits, so spare rows are resident memory, and
//    growing in place costs no copy whatever the step (1M rows left up to 17 MB spare). A step
//    proportional to the rows (an eighth) left up to 65 MB spare at 18M rows, 650 MB for a 1 GB
//    trace. Plain arrays (the fallback) copy on growth: an eighth there.
//  - The index columns start narrow and widen (one copy each time) the first time a value does
//    not fit: stack 16 bits, then 32; reason (a code, see SpanTable.reasons), P and thread 8
//    bits, then 16, then 32. Reasons, stacks, P IDs and threads are few in practice: 5 of the
//    12 bytes of a row, not 16 bytes (52 MB less for 18M spans).
// Where resizable buffers are missing (older engines), plain arrays grow by copying.
import { TraceError } from './errors';
import { Vec } from './vec';

/** A column of indices (string, stack, P, thread): 8 or 16 bits wide while every value fits. */
export type IndexColumn = Int32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** The flat span columns (see SpanTable in model.ts). */
export interface SpanColumnArrays {
  /** Checkpoint rows (ascending; see rowGoroutine), their goroutines, and a bitmap of them by row. */
  checkRow: Int32Array;
  checkG: Int32Array;
  checkBits: Uint32Array;
  /**
   * The goroutine's previous span (read it with rowPrev): how many rows back (1..PREV_NONE − 1),
   * PREV_NONE if none, 0 if in the far lists; plus PREV_GAP if the row does not start where its
   * previous one ended (its start is in the gap lists).
   */
  prev: Uint16Array;
  /** Rows whose previous span is too far back for `prev` (ascending), and those spans. */
  farRow: Int32Array;
  farPrev: Int32Array;
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
  'gapRow' | 'gapStart' | 'endBase' | 'checkRow' | 'checkG' | 'checkBits' | 'farRow' | 'farPrev'
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
  prev: Uint16Array,
  end: Uint32Array,
  state: Uint8Array,
  reason: Uint8Array,
  stack: Int16Array,
  p: Int8Array,
  m: Int8Array,
};
const COLUMNS = Object.keys(COLUMN_TYPES) as Col[];
const NONE = -1;
/** log2 of the rows sharing one end base. */
const END_BLOCK = 10;
/** `prev` flag: the row's start is in the gap lists. */
const PREV_GAP = 0x8000;
/** `prev` (without the flag): no previous span. 0: in the far lists. */
const PREV_NONE = 0x7fff;
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

/** Position of `row` in an ascending list that holds it. */
function find(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Row i's goroutine's previous row, −1 if none. */
export function rowPrev(
  a: Pick<SpanColumnArrays, 'prev' | 'farRow' | 'farPrev'>,
  i: number,
): number {
  const d = a.prev[i] & PREV_NONE;
  if (d === PREV_NONE) return NONE;
  return d !== 0 ? i - d : a.farPrev[find(a.farRow, i)];
}

/** Where row i started: its previous row's end, or its own entry in the gap lists. */
export function rowStart(
  a: Pick<
    SpanColumnArrays,
    'prev' | 'farRow' | 'farPrev' | 'end' | 'endBase' | 'gapRow' | 'gapStart'
  >,
  i: number,
): number {
  if ((a.prev[i] & PREV_GAP) === 0) return rowEnd(a, rowPrev(a, i));
  return a.gapStart[find(a.gapRow, i)];
}

/** The goroutine of row i: its `prev` chain followed back to a checkpoint row. */
export function rowGoroutine(
  a: Pick<SpanColumnArrays, 'prev' | 'farRow' | 'farPrev' | 'checkRow' | 'checkG' | 'checkBits'>,
  i: number,
): number {
  const bits = a.checkBits;
  let r = i;
  while ((bits[r >>> 5] & (1 << (r & 31))) === 0) r = rowPrev(a, r);
  return a.checkG[find(a.checkRow, r)];
}

/** Append-only span rows; `toArrays` hands the columns over, trimmed to `n` rows. */
export class SpanColumns {
  n = 0;
  private capacity = 0;
  private readonly buffers: Partial<Record<Col, ResizableBuffer>> = {};
  private prev = new Uint16Array(0);
  private readonly farRow = new Vec(Int32Array);
  private readonly farPrev = new Vec(Int32Array);
  private end: Float64Array | Uint32Array = new Uint32Array(0);
  private state = new Uint8Array(0);
  private reason: IndexColumn = new Uint8Array(0);
  private stack: IndexColumn = new Int16Array(0);
  private p: IndexColumn = new Int8Array(0);
  private m: IndexColumn = new Int8Array(0);
  private readonly types: Record<Col, AnyCtor> = { ...COLUMN_TYPES };
  private reasonBits = 8;
  private stackWide = false;
  /** Widths of the P and thread columns: 8 bits, then 16, then 32. */
  private pBits = 8;
  private mBits = 8;
  private readonly resizable: boolean;
  private readonly gapRow = new Vec(Int32Array);
  private readonly gapStart = new Vec(Float64Array);
  /** Per goroutine 0..goroutines−1, its last row (−1: none yet) and its number of rows. */
  private goroutines = 0;
  private readonly lastRow = new Vec(Int32Array, 0);
  private readonly rowCount = new Vec(Int32Array, 0);
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
  private widen(
    col: Narrow,
    T: Uint16ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor = Int32Array,
  ): void {
    const self = this.columns();
    const old = self[col];
    let wide: Int32Array | Int16Array | Uint16Array;
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
    if (col === 'reason') this.reasonBits = bits;
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

  /**
   * Start and end of the row `pushRow` adds. Passed through here rather than as arguments: a
   * double passed to a call that is not inlined is boxed (a heap allocation), and the model
   * builder adds tens of millions of rows.
   */
  readonly times = new Float64Array(2);

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
    this.times[0] = start;
    this.times[1] = end;
    this.pushRow(g, state, reason, stack, p, m);
  }

  /** Adds a row that starts at `times[0]` and ends at `times[1]`. */
  pushRow(g: number, state: number, reason: number, stack: number, p: number, m: number): void {
    const start = this.times[0];
    const end = this.times[1];
    const i = this.n;
    if (g >= this.goroutines) this.addGoroutines(g + 1);
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
    const rb = this.reasonBits;
    if (rb !== 32 && (rb === 8 ? reason & 0xff : reason & 0xffff) !== reason)
      this.widen('reason', (reason & 0xffff) === reason ? Uint16Array : Int32Array);
    if (!this.stackWide && (stack << 16) >> 16 !== stack) this.widen('stack');
    const pb = this.pBits;
    if (pb !== 32 && (pb === 8 ? (p << 24) >> 24 : (p << 16) >> 16) !== p) this.widenFor('p', p);
    const mb = this.mBits;
    if (mb !== 32 && (mb === 8 ? (m << 24) >> 24 : (m << 16) >> 16) !== m) this.widenFor('m', m);
    let prev: number;
    if (before === NONE) prev = PREV_NONE;
    else if (i - before < PREV_NONE) prev = i - before;
    else {
      prev = 0;
      this.farRow.push(i);
      this.farPrev.push(before);
    }
    if (before === NONE || this.endAt(before) !== start) {
      prev |= PREV_GAP;
      this.gapRow.push(i);
      this.gapStart.push(start);
    }
    this.prev[i] = prev;
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

  /** Rows for goroutines up to count−1 in the per-goroutine columns. */
  private addGoroutines(count: number): void {
    this.lastRow.reserve(count);
    this.rowCount.reserve(count);
    for (let g = this.goroutines; g < count; g++) this.lastRow.a[g] = NONE;
    this.goroutines = count;
  }

  /** The goroutine's last row, −1 if none. */
  lastRowOf(g: number): number {
    return g < this.goroutines ? this.lastRow.a[g] : NONE;
  }

  /**
   * Each of goroutines 0..count−1's last row (−1: none) and number of rows: the columns the
   * builder kept (no copy) when every goroutine has rows, as is usual.
   */
  goroutineRows(count: number): { lastSpan: Int32Array; spanCount: Int32Array } {
    if (count > this.goroutines) this.addGoroutines(count);
    this.lastRow.n = this.rowCount.n = count;
    return { lastSpan: this.lastRow.trim(), spanCount: this.rowCount.trim() };
  }

  /** The goroutine's number of rows. */
  rowCountOf(g: number): number {
    return g < this.goroutines ? this.rowCount.a[g] : 0;
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
        farRow: this.farRow.trim(),
        farPrev: this.farPrev.trim(),
        endBase: this.endWide ? null : this.endBase.trim(),
      };
    }
    const n = this.n;
    return {
      gapRow: this.gapRow.trim(),
      gapStart: this.gapStart.trim(),
      farRow: this.farRow.trim(),
      farPrev: this.farPrev.trim(),
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
