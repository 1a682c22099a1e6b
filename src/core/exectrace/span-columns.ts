// The model builder's span table while it grows: the eight span columns in 64K-row chunks that
// share one write position. A big trace has tens of millions of spans; eight separate growable
// columns cost eight chunk checks and counters per span (a third of the model build's own time).

const CHUNK = 1 << 16;

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

type Chunk = { [K in keyof SpanColumnArrays]: SpanColumnArrays[K] | null };

const COLUMNS: readonly (keyof SpanColumnArrays)[] = ['g', 'start', 'end', 'state', 'reason', 'stack', 'p', 'm'];

function newChunk(): Chunk {
  return {
    g: new Int32Array(CHUNK),
    start: new Float64Array(CHUNK),
    end: new Float64Array(CHUNK),
    state: new Uint8Array(CHUNK),
    reason: new Int32Array(CHUNK),
    stack: new Int32Array(CHUNK),
    p: new Int32Array(CHUNK),
    m: new Int32Array(CHUNK),
  };
}

/** Append-only span rows in chunks; `toArrays` turns them into flat columns once. */
export class SpanColumns {
  n = 0;
  private readonly chunks: Chunk[] = [];
  private cur: SpanColumnArrays = newChunk() as SpanColumnArrays;
  private pos = 0;

  constructor() {
    this.chunks.push(this.cur);
  }

  push(g: number, start: number, end: number, state: number, reason: number, stack: number, p: number, m: number): void {
    if (this.pos === CHUNK) {
      this.cur = newChunk() as SpanColumnArrays;
      this.chunks.push(this.cur);
      this.pos = 0;
    }
    const c = this.cur;
    const i = this.pos++;
    c.g[i] = g;
    c.start[i] = start;
    c.end[i] = end;
    c.state[i] = state;
    c.reason[i] = reason;
    c.stack[i] = stack;
    c.p[i] = p;
    c.m[i] = m;
    this.n++;
  }

  /**
   * The rows as flat columns of exactly `n` elements; each chunk column is dropped once copied.
   * (The chunks' memory still peaks beside the flat columns: freed 64K-element buffers go back
   * to the allocator's arena, not to the system, and the large flat arrays are mapped anew.)
   * The builder is spent.
   */
  toArrays(): SpanColumnArrays {
    const out = {} as Record<keyof SpanColumnArrays, SpanColumnArrays[keyof SpanColumnArrays]>;
    for (const col of COLUMNS) {
      const proto = this.chunks[0][col]!;
      const arr = new (proto.constructor as new (n: number) => typeof proto)(this.n);
      let o = 0;
      for (const chunk of this.chunks) {
        const src = chunk[col]!;
        const k = Math.min(CHUNK, this.n - o);
        arr.set(src.subarray(0, k) as never, o);
        o += k;
        chunk[col] = null;
      }
      out[col] = arr;
    }
    this.chunks.length = 0;
    return out as unknown as SpanColumnArrays;
  }
}
