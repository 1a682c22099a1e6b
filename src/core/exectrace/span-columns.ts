// The model builder's span table while it grows: the eight span columns, sharing one write
// position. A big trace has tens of millions of spans (18M for a 100 MB trace), so how the
// columns grow decides the model's peak memory:
//  - Each column is a resizable ArrayBuffer (reserved address space, committed as it grows)
//    grown in place by steps, so growing never copies and the finished table is the storage
//    itself: no second copy at the end. 64K-row chunks copied into flat columns at the end
//    peaked at twice the table (the freed chunks stay in the allocator's arena, not returned to
//    the system): 650 MB more for that 100 MB trace.
//  - Steps are an eighth of the rows so far (at least 1M rows): V8 zero-fills what a resize
//    commits, so doubling would touch up to twice the memory the rows need.
// Where resizable buffers are missing (older engines), plain arrays grow by copying.
import { TraceError } from './errors';

/** The flat span columns (see SpanTable in model.ts). */
export interface SpanColumnArrays {
  g: Int32Array;
  start: Float64Array;
  end: Float64Array;
  state: Uint8Array;
  reason: Int32Array;
  stack: Int32Array;
  p: Int32Array;
  m: Int32Array;
}

type Col = keyof SpanColumnArrays;
type AnyCtor = Int32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor;

const COLUMN_TYPES: Readonly<Record<Col, AnyCtor>> = {
  g: Int32Array,
  start: Float64Array,
  end: Float64Array,
  state: Uint8Array,
  reason: Int32Array,
  stack: Int32Array,
  p: Int32Array,
  m: Int32Array,
};
const COLUMNS = Object.keys(COLUMN_TYPES) as Col[];

const MIN_STEP = 1 << 20;
/** The most rows a column can hold (a Float64 column of 2^32 bytes, the largest buffer V8 reserves). */
export const MAX_SPANS = 2 ** 29;

type ResizableBuffer = ArrayBuffer & { resize(n: number): void };

function resizableBuffer(bytes: number, max: number): ResizableBuffer | null {
  try {
    const b = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ResizableBuffer)(bytes, { maxByteLength: max });
    return typeof b.resize === 'function' ? b : null;
  } catch {
    return null;
  }
}

/** Append-only span rows; `toArrays` hands the columns over, trimmed to `n` rows. */
export class SpanColumns {
  n = 0;
  private capacity = 0;
  private readonly buffers: Partial<Record<Col, ResizableBuffer>> = {};
  private g = new Int32Array(0);
  private start = new Float64Array(0);
  private end = new Float64Array(0);
  private state = new Uint8Array(0);
  private reason = new Int32Array(0);
  private stack = new Int32Array(0);
  private p = new Int32Array(0);
  private m = new Int32Array(0);
  private readonly resizable: boolean;

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
    if (rows > MAX_SPANS) throw new TraceError('too-large', `the trace has more than ${MAX_SPANS} goroutine state changes, more than Go Lens can model at once; record a shorter trace`);
    const self = this as unknown as Record<Col, Int32Array | Float64Array | Uint8Array>;
    for (const col of COLUMNS) {
      const T = COLUMN_TYPES[col];
      if (this.resizable) {
        const b = this.buffers[col]!;
        b.resize(rows * T.BYTES_PER_ELEMENT);
        self[col] = new T(b, 0, rows);
      } else {
        const a = new T(rows);
        a.set(self[col].subarray(0, this.n) as never);
        self[col] = a;
      }
    }
    this.capacity = rows;
  }

  push(g: number, start: number, end: number, state: number, reason: number, stack: number, p: number, m: number): void {
    const i = this.n;
    if (i === this.capacity) this.setCapacity(Math.min(MAX_SPANS, i + Math.max(MIN_STEP, i >>> 3)));
    this.g[i] = g;
    this.start[i] = start;
    this.end[i] = end;
    this.state[i] = state;
    this.reason[i] = reason;
    this.stack[i] = stack;
    this.p[i] = p;
    this.m[i] = m;
    this.n = i + 1;
  }

  /** The rows as columns of exactly `n` elements (the storage itself, no copy). The builder is spent. */
  toArrays(): SpanColumnArrays {
    if (this.resizable) {
      this.setCapacity(this.n);
      return { g: this.g, start: this.start, end: this.end, state: this.state, reason: this.reason, stack: this.stack, p: this.p, m: this.m };
    }
    const n = this.n;
    return {
      g: this.g.slice(0, n),
      start: this.start.slice(0, n),
      end: this.end.slice(0, n),
      state: this.state.slice(0, n),
      reason: this.reason.slice(0, n),
      stack: this.stack.slice(0, n),
      p: this.p.slice(0, n),
      m: this.m.slice(0, n),
    };
  }
}
