// Reading one generation: the batches between two generation boundaries, and the tables they
// carry (strings, stacks, CPU samples, frequency and clock snapshot, experimental data).
// Mirrors Go's internal/trace generation.go and batch.go, including their error cases, so the
// same files fail at the same point with the same meaning.

import { decodeTraceString, readUvarint, readUvarintBig, type VarintCursor } from './bytes';
import { TraceError } from './errors';
import { goSortFunc } from './gosort';
import { Ev, MAX_BATCH_SIZE, MAX_FRAMES_PER_STACK, MAX_STRING_SIZE } from './spec';

/** One batch header and where its payload lies in the file. */
export interface Batch {
  /** Experiment ID (0 for ordinary batches). */
  exp: number;
  gen: number;
  /** Thread (M) ID; −1 when written with no M. */
  m: number;
  /** Raw trace-clock time of the batch start. */
  time: number;
  /** Payload [start, end) in the input read (the file, or the window of it being read). */
  start: number;
  end: number;
  /** Offset of the batch header in the file, for error messages. */
  offset: number;
  endOfGeneration: boolean;
}

/** An experimental batch, handed to consumers as opaque bytes (Go's `ExperimentalBatch`). */
export interface ExperimentalBatch {
  /** Experiment name ("AllocFree" for ID 1, otherwise "experiment N"). */
  experiment: string;
  /** Thread that wrote it. */
  thread: number;
  /** The payload; a view into the input, not a copy. */
  data: Uint8Array;
}

/** The clock snapshot of a Go 1.25+ generation. */
export interface ClockSnapshot {
  /** Trace-clock time of the snapshot in ns (absolute, as Go computes it). */
  traceNs: number;
  /** Monotonic clock in ns. */
  mono: bigint;
  /** Wall clock: seconds and nanoseconds since the Unix epoch. */
  wallSec: bigint;
  wallNsec: bigint;
}

/** A resolved stack frame. */
export interface StackFrame {
  pc: number;
  func: string;
  file: string;
  line: number;
}

/**
 * The per-generation tables events refer to (Go's `evTable`): strings, stacks and frames,
 * the clock data, experimental batches, and the strings the ordering synthesizes.
 * IDs are local to the generation.
 */
export class GenerationTable {
  /** Generation number from the batch headers. */
  gen = 0;
  /** Nanoseconds per trace-clock unit. */
  nsPerUnit = 0;
  clock: ClockSnapshot | null = null;
  readonly experimentalBatches: ExperimentalBatch[] = [];
  /** @internal */ readonly strings = new Map<number, string>();
  /** @internal */ readonly stackIndex = new Map<number, number>();
  /** @internal stack i's frames are frameOf[stackStart[i] .. stackStart[i+1]) */
  readonly stackStart: number[] = [0];
  /** @internal */ readonly frameOf: number[] = [];
  /** @internal */ readonly pcToFrame = new Map<number, number>();
  /** @internal */ readonly framePc: number[] = [];
  /** @internal */ readonly frameFunc: number[] = [];
  /** @internal */ readonly frameFile: number[] = [];
  /** @internal */ readonly frameLine: number[] = [];
  /** @internal strings made by the ordering (task names carried to TaskEnd across generations) */
  readonly extraStrings: string[] = [''];
  private readonly extraIds = new Map<string, number>();

  /** Presence bitmaps by ID, when IDs are dense enough (they are, as the runtime writes them). */
  /** @internal */ stringDense: Uint8Array | null = null;
  /** @internal */ stackDense: Uint8Array | null = null;

  /** The string with this ID ("" for ID 0 and for unknown IDs). */
  string(id: number): string {
    return id === 0 ? '' : (this.strings.get(id) ?? '');
  }

  /** True when the ID names a string of this generation (0 always does). */
  hasString(id: number): boolean {
    if (id === 0) return true;
    const d = this.stringDense;
    if (d !== null) return id > 0 && id < d.length && d[id] === 1;
    return this.strings.has(id);
  }

  /** True when the ID names a stack of this generation (0, "no stack", always does). */
  hasStack(id: number): boolean {
    if (id === 0) return true;
    const d = this.stackDense;
    if (d !== null) return id > 0 && id < d.length && d[id] === 1;
    return this.stackIndex.has(id);
  }

  /** @internal Builds the presence bitmaps once the tables are complete. */
  compact(): void {
    this.stringDense = dense(this.strings);
    this.stackDense = dense(this.stackIndex);
  }

  /** Number of frames of a stack (0 for ID 0 or an unknown ID). */
  stackDepth(id: number): number {
    const i = this.stackIndex.get(id);
    return i === undefined ? 0 : this.stackStart[i + 1] - this.stackStart[i];
  }

  /** Frame indices (into the frame columns) of a stack, leaf first. */
  stackFrameIndices(id: number): number[] {
    const i = this.stackIndex.get(id);
    return i === undefined ? [] : this.frameOf.slice(this.stackStart[i], this.stackStart[i + 1]);
  }

  /** The frames of a stack, leaf first (empty for ID 0 or an unknown ID). */
  stackFrames(id: number): StackFrame[] {
    const out: StackFrame[] = [];
    for (const f of this.stackFrameIndices(id)) out.push(this.frame(f));
    return out;
  }

  /** A frame by index into the frame columns. */
  frame(f: number): StackFrame {
    return {
      pc: this.framePc[f],
      func: this.string(this.frameFunc[f]),
      file: this.string(this.frameFile[f]),
      line: this.frameLine[f],
    };
  }

  /** Number of distinct stacks. */
  get stackCount(): number {
    return this.stackIndex.size;
  }

  /** Calls fn for every stack of the generation. */
  forEachStack(fn: (id: number, frames: readonly number[]) => void): void {
    for (const [id, i] of this.stackIndex)
      fn(id, this.frameOf.slice(this.stackStart[i], this.stackStart[i + 1]));
  }

  /** @internal */
  addExtraString(s: string): number {
    if (s === '') return 0;
    let id = this.extraIds.get(s);
    if (id === undefined) {
      id = this.extraStrings.length;
      this.extraStrings.push(s);
      this.extraIds.set(s, id);
    }
    return id;
  }
}

/** A presence bitmap for IDs, or null when they are too sparse to be worth one (Go's rule). */
function dense(table: Map<number, unknown>): Uint8Array | null {
  const count = table.size;
  let max = 0;
  for (const id of table.keys()) {
    if (!(id >= 0) || !Number.isSafeInteger(id)) return null;
    if (id > max) max = id;
  }
  // Waste at most about twice the entries (plus a little), as Go's dataTable.compactify does.
  if (max > 2 * count + 1024) return null;
  const d = new Uint8Array(max + 1);
  for (const id of table.keys()) d[id] = 1;
  return d;
}

/** CPU samples of one generation, as columns, sorted by time as Go sorts them. */
export interface CpuSamples {
  count: number;
  /** ns, relative to the reader's time base. */
  time: Float64Array;
  m: Float64Array;
  p: Float64Array;
  g: Float64Array;
  stack: Float64Array;
}

/** Everything the ordering needs from one generation. */
export interface Generation {
  gen: number;
  table: GenerationTable;
  /** Per-M event batches, grouped per thread in file order; threads in order of first appearance. */
  threads: number[];
  batchesByThread: Map<number, Batch[]>;
  /** Raw minimum batch time (with Go's "0 means unset" quirk). */
  minTs: number;
  cpu: CpuSamples;
}

/** Outcome of reading a batch header: a batch, the clean end of the file, or an error. */
export type BatchRead =
  { kind: 'batch'; batch: Batch } | { kind: 'eof' } | { kind: 'error'; error: TraceError };

function truncated(what: string, offset: number): TraceError {
  return new TraceError(
    'truncated',
    `trace is truncated: ${what}; the file ends inside a batch (was the program stopped before trace.Stop, or the copy cut short?)`,
    offset,
  );
}

/**
 * Reads the batch header at `pos` (Go's readBatch). `next` receives the position after it.
 * `data` may be a window of the file that starts at file offset `base`: positions are the
 * window's, and the offsets errors and `Batch.offset` name are the file's.
 */
export function readBatch(
  data: Uint8Array,
  pos: number,
  next: { pos: number },
  base = 0,
): BatchRead {
  const len = data.length;
  if (pos >= len) return { kind: 'eof' };
  const offset = base + pos;
  const typ = data[pos++];
  if (typ === Ev.EndOfGeneration) {
    next.pos = pos;
    return {
      kind: 'batch',
      batch: {
        exp: 0,
        gen: 0,
        m: -1,
        time: 0,
        start: pos,
        end: pos,
        offset,
        endOfGeneration: true,
      },
    };
  }
  if (typ !== Ev.EventBatch && typ !== Ev.ExperimentalBatch) {
    return {
      kind: 'error',
      error: new TraceError(
        'corrupt',
        `corrupt trace: expected a batch header at byte ${offset}, found event type ${typ}`,
        offset,
      ),
    };
  }
  let exp = 0;
  if (typ === Ev.ExperimentalBatch) {
    // Go's reader returns the bare io.EOF of this read, which ends the trace cleanly.
    if (pos >= len) return { kind: 'eof' };
    exp = data[pos++];
  }
  const c: VarintCursor = { pos };
  const fields = ['gen', 'M ID', 'timestamp', 'size'];
  const vals = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const at = base + c.pos;
    const v = readUvarint(data, c, len);
    if (c.pos <= 0) {
      if (c.pos === 0)
        return {
          kind: 'error',
          error: truncated(
            `the header of the batch at byte ${offset} is cut off reading its ${fields[i]}`,
            at,
          ),
        };
      return {
        kind: 'error',
        error: new TraceError(
          'corrupt',
          `corrupt trace: error reading batch ${fields[i]} at byte ${at}: varint overflows a 64-bit integer`,
          at,
        ),
      };
    }
    vals[i] = v;
  }
  const [gen, m, time, size] = vals;
  if (size < 0 || size > MAX_BATCH_SIZE) {
    return {
      kind: 'error',
      error: new TraceError(
        'corrupt',
        `corrupt trace: invalid batch size ${size < 0 ? 'over 2^63' : size} at byte ${offset}, maximum is ${MAX_BATCH_SIZE}`,
        offset,
      ),
    };
  }
  const start = c.pos;
  if (start + size > len) {
    return {
      kind: 'error',
      error: truncated(
        `the batch at byte ${offset} wants ${size} bytes but only ${len - start} remain`,
        offset,
      ),
    };
  }
  next.pos = start + size;
  return {
    kind: 'batch',
    batch: { exp, gen, m, time, start, end: start + size, offset, endOfGeneration: false },
  };
}

/** Generation under construction. */
export class GenerationBuilder {
  readonly table = new GenerationTable();
  readonly threads: number[] = [];
  readonly batchesByThread = new Map<number, Batch[]>();
  gen = 0;
  minTs = 0;
  private freqSeen = false;
  private hasClock = false;
  private cpuTime: number[] = [];
  private cpuM: number[] = [];
  private cpuP: number[] = [];
  private cpuG: number[] = [];
  private cpuStack: number[] = [];

  /** `data` may be a window of the file that starts at file offset `base` (for error offsets). */
  constructor(
    private readonly data: Uint8Array,
    private readonly version: number,
    private readonly base = 0,
  ) {}

  /** A corrupt-trace error at position `at` of the input (the file offset is what it names). */
  private corruptAt(what: string, at: number | undefined): TraceError {
    return corrupt(what, at === undefined ? undefined : this.base + at);
  }

  /** Notes a batch's start time for the generation minimum, with Go's "0 = unset" rule. */
  noteTime(t: number): void {
    if (this.minTs === 0 || t < this.minTs) this.minTs = t;
  }

  /** Adds a batch to the generation (Go's processBatch). */
  process(b: Batch): void {
    const d = this.data;
    const first = b.end > b.start ? d[b.start] : -1;
    if (b.exp === 0 && first === Ev.Strings) this.addStrings(b);
    else if (b.exp === 0 && first === Ev.Stacks) this.addStacks(b);
    else if (b.exp === 0 && first === Ev.CPUSamples) this.addCpuSamples(b);
    else if (
      b.exp === 0 &&
      ((first === Ev.Frequency && this.version < 25) || (first === Ev.Sync && this.version >= 25))
    )
      this.addSync(b);
    else if (b.exp !== 0) {
      this.table.experimentalBatches.push({
        experiment: b.exp === 1 ? 'AllocFree' : `experiment ${b.exp}`,
        thread: b.m,
        data: d.subarray(b.start, b.end),
      });
    } else if (b.endOfGeneration) {
      throw corrupt('unexpected end-of-generation marker', b.offset);
    } else {
      let list = this.batchesByThread.get(b.m);
      if (!list) {
        list = [];
        this.batchesByThread.set(b.m, list);
        this.threads.push(b.m);
      }
      list.push(b);
    }
  }

  private varint(c: VarintCursor, end: number, what: string): number {
    const at = c.pos;
    const v = readUvarint(this.data, c, end);
    if (c.pos <= 0)
      throw this.corruptAt(
        `${what}: ${c.pos === 0 ? 'the batch ends inside a varint' : 'varint overflows a 64-bit integer'}`,
        at,
      );
    return v;
  }

  private addStrings(b: Batch): void {
    const d = this.data;
    const c: VarintCursor = { pos: b.start + 1 };
    const strings = this.table.strings;
    while (c.pos < b.end) {
      const at = c.pos;
      const ev = d[c.pos++];
      if (ev !== Ev.String)
        throw this.corruptAt(`expected a string-table entry, got event type ${ev}`, at);
      const id = this.varint(c, b.end, 'reading a string ID');
      const len = this.varint(c, b.end, 'reading a string length');
      if (len < 0 || len > MAX_STRING_SIZE)
        throw this.corruptAt(
          `invalid string size ${len} for string ${id}, maximum is ${MAX_STRING_SIZE}`,
          at,
        );
      if (c.pos + len > b.end)
        throw this.corruptAt(
          `string ${id} wants ${len} bytes but its batch has ${b.end - c.pos} left`,
          at,
        );
      const s = decodeTraceString(d, c.pos, c.pos + len);
      c.pos += len;
      // ID 0 is implicitly "", so an entry for it is a duplicate too (as in Go's reader).
      if (id === 0 || strings.has(id))
        throw this.corruptAt(`two strings with the same ID ${id} in generation ${this.gen}`, at);
      strings.set(id, s);
    }
  }

  private addStacks(b: Batch): void {
    const d = this.data;
    const t = this.table;
    const c: VarintCursor = { pos: b.start + 1 };
    while (c.pos < b.end) {
      const at = c.pos;
      const ev = d[c.pos++];
      if (ev !== Ev.Stack)
        throw this.corruptAt(`expected a stack-table entry, got event type ${ev}`, at);
      const id = this.varint(c, b.end, 'reading a stack ID');
      const n = this.varint(c, b.end, 'reading a stack size');
      if (n < 0 || n > MAX_FRAMES_PER_STACK)
        throw this.corruptAt(
          `invalid stack size ${n} for stack ${id}, maximum is ${MAX_FRAMES_PER_STACK}`,
          at,
        );
      const frames: number[] = [];
      for (let i = 0; i < n; i++) {
        const pc = this.varint(c, b.end, `reading frame ${i + 1} of stack ${id}`);
        const fn = this.varint(c, b.end, `reading frame ${i + 1} of stack ${id}`);
        const file = this.varint(c, b.end, `reading frame ${i + 1} of stack ${id}`);
        const line = this.varint(c, b.end, `reading frame ${i + 1} of stack ${id}`);
        let f = t.pcToFrame.get(pc);
        if (f === undefined) {
          // The first frame seen for a PC defines it, as in Go's reader.
          f = t.framePc.length;
          t.pcToFrame.set(pc, f);
          t.framePc.push(pc);
          t.frameFunc.push(fn);
          t.frameFile.push(file);
          t.frameLine.push(line);
        }
        frames.push(f);
      }
      // ID 0 means "no stack", so an entry for it is a duplicate too (as in Go's reader).
      if (id === 0 || t.stackIndex.has(id))
        throw this.corruptAt(`two stacks with the same ID ${id} in generation ${this.gen}`, at);
      t.stackIndex.set(id, t.stackStart.length - 1);
      for (const f of frames) t.frameOf.push(f);
      t.stackStart.push(t.frameOf.length);
    }
  }

  private addCpuSamples(b: Batch): void {
    const d = this.data;
    const c: VarintCursor = { pos: b.start + 1 };
    while (c.pos < b.end) {
      const at = c.pos;
      const ev = d[c.pos++];
      if (ev !== Ev.CPUSample)
        throw this.corruptAt(`expected a CPU sample, got event type ${ev}`, at);
      const ts = this.varint(c, b.end, 'reading a CPU sample');
      const m = this.varint(c, b.end, 'reading a CPU sample');
      const p = this.varint(c, b.end, 'reading a CPU sample');
      const g = this.varint(c, b.end, 'reading a CPU sample');
      const stk = this.varint(c, b.end, 'reading a CPU sample');
      this.cpuTime.push(ts);
      this.cpuM.push(m);
      this.cpuP.push(p);
      this.cpuG.push(g === 0 ? -1 : g);
      this.cpuStack.push(stk);
    }
  }

  private addSync(b: Batch): void {
    const d = this.data;
    const c: VarintCursor = { pos: b.start };
    if (this.version >= 25) c.pos++; // the EvSync byte
    let lastTs = BigInt.asUintN(64, BigInt(b.time));
    while (c.pos < b.end) {
      const at = c.pos;
      const ev = d[c.pos++];
      if (ev === Ev.Frequency) {
        if (this.freqSeen)
          throw this.corruptAt('found multiple frequency events in one generation', at);
        this.freqSeen = true;
        const f = this.varint(c, b.end, 'reading the trace frequency');
        const nsPerUnit = 1.0 / (f / 1e9);
        // Go accepts any value here; a zero or absurd frequency would make every time
        // infinite, so we refuse it (only a corrupted file can have one).
        if (!(nsPerUnit > 0) || !Number.isFinite(nsPerUnit) || f < 0)
          throw this.corruptAt(`invalid trace frequency ${f}`, at);
        this.table.nsPerUnit = nsPerUnit;
      } else if (ev === Ev.ClockSnapshot && this.version >= 25) {
        if (this.hasClock)
          throw this.corruptAt('found multiple clock snapshot events in one generation', at);
        this.hasClock = true;
        const vals: bigint[] = [];
        for (let i = 0; i < 4; i++) {
          const v = readUvarintBig(d, c, b.end);
          if (v === null) throw this.corruptAt('reading the clock snapshot: bad varint', at);
          vals.push(v);
        }
        lastTs = BigInt.asUintN(64, lastTs + vals[0]);
        this.table.clock = { traceNs: 0, mono: vals[1], wallSec: vals[2], wallNsec: vals[3] };
        this.snapTime = lastTs;
      } else {
        throw this.corruptAt(
          `expected a frequency or clock snapshot event, got event type ${ev}`,
          at,
        );
      }
    }
  }
  private snapTime = 0n;

  /**
   * Checks the generation is complete and finishes its tables. `base` is the reader's time base
   * (ns); when null, this is the first generation and the base is chosen here.
   */
  finish(base: number | null): { gen: Generation; base: number } {
    const t = this.table;
    t.gen = this.gen;
    if (!this.freqSeen)
      throw this.corruptAt('no frequency event found in generation ' + this.gen, undefined);
    if (this.version >= 25 && !this.hasClock)
      throw this.corruptAt('no clock snapshot event found in generation ' + this.gen, undefined);
    const f = t.nsPerUnit;
    if (t.clock) t.clock.traceNs = Math.trunc(Number(this.snapTime) * f);
    // Every frame must name strings of this generation.
    for (const [id, i] of t.stackIndex) {
      for (let k = t.stackStart[i]; k < t.stackStart[i + 1]; k++) {
        const fr = t.frameOf[k];
        if (!t.hasString(t.frameFunc[fr]))
          throw this.corruptAt(
            `found invalid func string ID ${t.frameFunc[fr]} for stack ${id}`,
            undefined,
          );
        if (!t.hasString(t.frameFile[fr]))
          throw this.corruptAt(
            `found invalid file string ID ${t.frameFile[fr]} for stack ${id}`,
            undefined,
          );
      }
    }
    t.compact();
    const b = base ?? Math.trunc(this.minTs * f);
    // CPU samples: absolute times converted, then sorted exactly as Go sorts them.
    const n = this.cpuTime.length;
    const abs = new Float64Array(n);
    for (let i = 0; i < n; i++) abs[i] = Math.trunc(this.cpuTime[i] * f);
    const order: number[] = new Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    goSortFunc(order, (x, y) => (abs[x] < abs[y] ? -1 : abs[x] > abs[y] ? 1 : 0));
    const cpu: CpuSamples = {
      count: n,
      time: new Float64Array(n),
      m: new Float64Array(n),
      p: new Float64Array(n),
      g: new Float64Array(n),
      stack: new Float64Array(n),
    };
    for (let k = 0; k < n; k++) {
      const i = order[k];
      cpu.time[k] = abs[i] - b;
      cpu.m[k] = this.cpuM[i];
      cpu.p[k] = this.cpuP[i];
      cpu.g[k] = this.cpuG[i];
      cpu.stack[k] = this.cpuStack[i];
    }
    return {
      gen: {
        gen: this.gen,
        table: t,
        threads: this.threads,
        batchesByThread: this.batchesByThread,
        minTs: this.minTs,
        cpu,
      },
      base: b,
    };
  }
}

function corrupt(what: string, offset: number | undefined): TraceError {
  return new TraceError(
    'corrupt',
    `corrupt trace: ${what}${offset !== undefined ? ` (at byte ${offset})` : ''}`,
    offset,
  );
}
