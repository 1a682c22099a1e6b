// The parsed events of one generation, stored as columns (struct of arrays) so that a trace of
// millions of events costs a few typed arrays rather than millions of objects.

import type { GenerationTable } from './generation';
import type { TraceError } from './errors';

/** Number of argument slots stored per event (the widest timed event has 4 after `dt`). */
export const ARGS_PER_EVENT = 4;

/**
 * A run of events, in the order the reference reader returns them. Event `i` has type code `type[i]`
 * (the wire event type, or `Ev.SyncEvent`), time `time[i]` (ns relative to the reader's
 * `timeBase`; strictly increasing across the whole trace), the scheduling context before the
 * event `m[i]`, `p[i]`, `g[i]` (−1 = none), and arguments `args[4i .. 4i+3]`: the wire arguments
 * after `dt`, with the values the reference reader's ordering rewrites (see `event-view.ts` for
 * their meaning per type). IDs of strings and stacks refer to `table`.
 *
 * The reader reuses one block: its contents are valid until the next call to `next()`
 * (use `clone()` to keep one).
 */
export class EventBlock {
  /** Number of events. */
  count = 0;
  type: Uint8Array;
  time: Float64Array;
  m: Float64Array;
  p: Float64Array;
  g: Float64Array;
  args: Float64Array;
  /** Tables of the generation the events belong to; null only for a lone end-of-trace Sync. */
  table: GenerationTable | null = null;
  /** Generation number (0 for a block holding only a closing Sync). */
  gen = 0;
  /** True when this block ends its generation (the next block starts a new one, or ends the trace). */
  endOfGeneration = false;
  /** True when this block is the last one of a trace that ended cleanly. */
  final = false;
  /**
   * Set when the trace failed inside this generation: the events before the failure are here,
   * and the next call to `next()` throws this error.
   */
  error: TraceError | null = null;

  constructor(capacity = 1024) {
    this.type = new Uint8Array(capacity);
    this.time = new Float64Array(capacity);
    this.m = new Float64Array(capacity);
    this.p = new Float64Array(capacity);
    this.g = new Float64Array(capacity);
    this.args = new Float64Array(capacity * ARGS_PER_EVENT);
  }

  /** @internal Makes room for at least one more event. */
  grow(): void {
    const cap = this.type.length * 2;
    const t = new Uint8Array(cap);
    t.set(this.type);
    this.type = t;
    this.time = growF(this.time, cap);
    this.m = growF(this.m, cap);
    this.p = growF(this.p, cap);
    this.g = growF(this.g, cap);
    this.args = growF(this.args, cap * ARGS_PER_EVENT);
  }

  /** @internal */
  reset(): void {
    this.count = 0;
    this.table = null;
    this.gen = 0;
    this.endOfGeneration = false;
    this.final = false;
    this.error = null;
  }

  /** A copy that owns its arrays (trimmed to `count`), for callers that keep blocks. */
  clone(): EventBlock {
    const b = new EventBlock(Math.max(1, this.count));
    const n = this.count;
    b.count = n;
    b.type.set(this.type.subarray(0, n));
    b.time.set(this.time.subarray(0, n));
    b.m.set(this.m.subarray(0, n));
    b.p.set(this.p.subarray(0, n));
    b.g.set(this.g.subarray(0, n));
    b.args.set(this.args.subarray(0, n * ARGS_PER_EVENT));
    b.table = this.table;
    b.gen = this.gen;
    b.endOfGeneration = this.endOfGeneration;
    b.final = this.final;
    b.error = this.error;
    return b;
  }
}

function growF(a: Float64Array, cap: number): Float64Array {
  const n = new Float64Array(cap);
  n.set(a);
  return n;
}
