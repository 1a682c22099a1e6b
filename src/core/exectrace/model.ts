// The trace model: what the timeline and the goroutine table are drawn from, built in one pass
// over the parsed events. Everything is columnar (typed arrays indexed by small integers), so a
// trace of millions of events costs arrays, not millions of objects, and slices of it can be
// posted to a webview cheaply.
//
// Times are ns relative to `timeBase` (the trace's first generation), like the reader's.
// Indices: goroutines and threads by dense index (`goroutines.id[gi]` is the Go ID), procs by
// their P ID, strings by index into `strings` (0 = ""), stacks by index into `stacks` (−1 = none).

import { ARGS_PER_EVENT, type EventBlock } from './block';
import type { ClockSnapshot, ExperimentalBatch, GenerationTable } from './generation';
import type { ByteSource } from './generation-scan';
import type { TraceVersion } from './header';
import { IdIndex, NumMap } from './num-map';
import { TraceReader, type ReaderOptions } from './reader';
import { Ev, GoState, WIRE_GO_STATUS_TO_STATE, WIRE_PROC_STATUS_TO_STATE, ProcState } from './spec';
import {
  entriesToMap,
  GoroutineSummarizer,
  type GoroutineExecStats,
  type GoroutineStatsTable,
} from './summarizer';
import {
  rowEnd,
  rowGoroutine,
  rowPrev,
  rowStart,
  SpanColumns,
  type SpanColumnArrays,
} from './span-columns';
import { f64, i32, u8, type Vec } from './vec';

/** Interned stack frames (function, file, line, PC), as columns. */
export interface FrameTable {
  count: number;
  pc: Float64Array;
  /** String indices. */
  func: Int32Array;
  file: Int32Array;
  line: Int32Array;
}

/** Interned stacks: stack s is frames[offsets[s] .. offsets[s + 1]), leaf first. */
export interface StackTable {
  count: number;
  offsets: Int32Array;
  frames: Int32Array;
}

/**
 * Goroutines, by dense index. `startFunc` is the name `go tool trace` groups goroutines by:
 * the root-most frame of the first stack seen for the goroutine (its start function when it
 * was created during the trace).
 */
export interface GoroutineTable {
  count: number;
  /** Go's goroutine ID. */
  id: Float64Array;
  /** String index of the start function ("" if no stack was ever seen). */
  startFunc: Int32Array;
  /** PC of that frame (0 if none). */
  startPc: Float64Array;
  /** Creation time; NaN if it existed when the trace started. */
  createdAt: Float64Array;
  /** Exit time; NaN if it was still alive when the trace ended. */
  endedAt: Float64Array;
  /** Index of the creating goroutine, −1 if unknown or none. */
  creator: Int32Array;
  /** Stack of the `go` statement that created it (−1 if unknown). */
  creationStack: Int32Array;
  /** Its start stack as the runtime recorded it at creation (−1 if unknown). */
  startStack: Int32Array;
  /** Last label applied (e.g. "GC (dedicated)" for GC workers), string index, 0 if none. */
  label: Int32Array;
  /** Its last state span (−1 if none): `goroutineSpans` lists all `spanCount` of them in time order. */
  lastSpan: Int32Array;
  spanCount: Int32Array;
}

/**
 * Goroutine state spans, in the order they ended (so in time order per goroutine, P and
 * thread); `prev` chains each goroutine's spans (see goroutineSpans). A span's start is
 * `spanStart`: where the goroutine's previous span ended, or its own entry in `gapStart`;
 * its end is `spanEnd`. `state` is a
 * `GoState` (Runnable, Running, Waiting, Syscall). `reason` is why the goroutine stopped or
 * blocked (GoStop/GoBlock reason, e.g. "chan receive"), as a code: `reasons[code]` is its string
 * index (`spanReason`), code 0 is "" (the reasons are few: a byte a span, not a string index).
 * `stack` is the stack of the event that began the span (the blocking site for Waiting, the
 * syscall site for Syscall, the waker's site for Runnable after an unblock), −1 if none.
 * `p` is the proc (−1 none) and `m` the thread index (−1 none) it ran or made the syscall on.
 */
export interface SpanTable extends SpanColumnArrays {
  count: number;
  /** String index of each reason code (`reason`); reasons[0] is 0 (""). */
  reasons: Int32Array;
}

/** The string index of span i's reason (0: none). */
export function spanReason(spans: SpanTable, i: number): number {
  return spans.reasons[spans.reason[i]];
}

/** Where span i started. */
export const spanStart: (spans: SpanTable, i: number) => number = rowStart;

/** Where span i ended. */
export const spanEnd: (spans: SpanTable, i: number) => number = rowEnd;

/**
 * The goroutine (index) of span i. Not stored per span: found in a few dozen steps along the
 * goroutine's `prev` chain, for point look-ups (a visible mark, a span's details).
 */
export const spanGoroutine: (spans: SpanTable, i: number) => number = rowGoroutine;

/** Span i's previous span of the same goroutine, −1 if none. */
export const previousSpan: (spans: SpanTable, i: number) => number = rowPrev;

/** The goroutine's spans in time order (derived on demand: only its own lane and details need them). */
export function goroutineSpans(model: TraceModel, gi: number): Int32Array {
  const out = new Int32Array(model.goroutines.spanCount[gi]);
  let s = model.goroutines.lastSpan[gi];
  for (let k = out.length - 1; k >= 0; k--) {
    out[k] = s;
    s = previousSpan(model.spans, s);
  }
  return out;
}

/** A proc's timeline: which goroutines ran on it, and when an M held it. */
export interface ProcTimeline {
  id: number;
  /** Indices into the span table of Running spans on this P, in time order. */
  running: Int32Array;
  /** When a thread held the P (ProcStart/ProcStop): start, end, thread index. */
  heldStart: Float64Array;
  heldEnd: Float64Array;
  heldBy: Int32Array;
}

/** A thread's timeline. */
export interface ThreadTimeline {
  /** OS thread ID as recorded by the runtime. */
  id: number;
}

/**
 * Indices into the span table of the Running and Syscall spans on thread `mi` (an index into
 * `model.threads`), in time order. Derived on demand: only a thread's own view needs them, and
 * kept for every thread they cost 4 bytes per span (24 MB for a 100 MB trace).
 */
export function threadSpans(model: TraceModel, mi: number): Int32Array {
  const { state, m, count } = model.spans;
  let n = 0;
  for (let i = 0; i < count; i++)
    if (m[i] === mi && (state[i] === GoState.Running || state[i] === GoState.Syscall)) n++;
  const out = new Int32Array(n);
  n = 0;
  // Spans are stored in the order they ended; on one thread they do not overlap, so that is time order.
  for (let i = 0; i < count; i++)
    if (m[i] === mi && (state[i] === GoState.Running || state[i] === GoState.Syscall)) out[n++] = i;
  return out;
}

/** A series of (time, value) samples. */
export interface Series {
  time: Float64Array;
  value: Float64Array;
}

/**
 * Goroutines by state over time, one point per change (at most one per 10 µs: points closer
 * than that are merged, keeping the later counts).
 */
export interface GoroutineCountSeries {
  time: Float64Array;
  runnable: Int32Array;
  running: Int32Array;
  waiting: Int32Array;
  syscall: Int32Array;
}

/** GC cycles, stop-the-world pauses, mark assists and sweeps. End NaN: still running at the end. */
export interface GcTables {
  /** Concurrent mark phases: start (NaN if already running when the trace started), end, sequence number. */
  cycles: { start: Float64Array; end: Float64Array; seq: Float64Array };
  /** Stop-the-world pauses: `kind` (string index, e.g. "GC mark termination"), goroutine index. */
  stw: { start: Float64Array; end: Float64Array; kind: Int32Array; g: Int32Array };
  /** Mark assists by goroutine index. */
  assists: { g: Int32Array; start: Float64Array; end: Float64Array };
  /** Incremental sweeps by P, with bytes swept and reclaimed (NaN if the sweep did not end). */
  sweeps: {
    p: Int32Array;
    start: Float64Array;
    end: Float64Array;
    swept: Float64Array;
    reclaimed: Float64Array;
  };
}

/** User tasks (runtime/trace.NewTask). Parent −1: none. Start/end NaN: outside the trace. */
export interface TaskTable {
  count: number;
  id: Float64Array;
  parent: Float64Array;
  name: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /** Goroutine indices that began and ended it (−1 unknown). */
  startG: Int32Array;
  endG: Int32Array;
}

/** User regions (runtime/trace.WithRegion/StartRegion), with their nesting depth on the goroutine. */
export interface RegionTable {
  count: number;
  g: Int32Array;
  task: Float64Array;
  name: Int32Array;
  /** NaN: begun before the trace. */
  start: Float64Array;
  /** NaN: not ended within the trace. */
  end: Float64Array;
  depth: Int32Array;
}

/** User logs (runtime/trace.Log). */
export interface LogTable {
  count: number;
  time: Float64Array;
  g: Int32Array;
  task: Float64Array;
  category: Int32Array;
  message: Int32Array;
}

/** CPU profile samples recorded into the trace (pprof.StartCPUProfile during trace.Start). */
export interface CpuSampleTable {
  count: number;
  time: Float64Array;
  /** Thread index, P ID, goroutine index (−1 for none). */
  m: Int32Array;
  p: Int32Array;
  g: Int32Array;
  stack: Int32Array;
}

/** One generation (a self-contained slice of the trace, about a second long). */
export interface GenerationInfo {
  number: number;
  /** Time of its Sync event. */
  start: number;
  /** Clock snapshot (Go 1.25+), absolute trace time plus monotonic and wall clocks. */
  clock: ClockSnapshot | null;
  /** Experimental batches (e.g. AllocFree data), passed through as opaque bytes. */
  experimental: readonly ExperimentalBatch[];
}

/** Everything the UI shows about a trace. See the file comment for units and indices. */
export interface TraceModel {
  version: TraceVersion;
  /** Absolute trace time (ns) of relative time 0. */
  timeBase: number;
  /** First and last event times. */
  start: number;
  end: number;
  eventCount: number;
  strings: readonly string[];
  frames: FrameTable;
  stacks: StackTable;
  generations: readonly GenerationInfo[];
  goroutines: GoroutineTable;
  spans: SpanTable;
  procs: readonly ProcTimeline[];
  threads: readonly ThreadTimeline[];
  gc: GcTables;
  metrics: {
    heapAlloc: Series;
    heapGoal: Series;
    gomaxprocs: Series;
    goroutines: GoroutineCountSeries;
  };
  tasks: TaskTable;
  regions: RegionTable;
  logs: LogTable;
  cpuSamples: CpuSampleTable;
  /** Goroutine labels over time (GoLabel events). */
  labels: { time: Float64Array; g: Int32Array; label: Int32Array };
  /** Counts of experimental events by name (their meaning is not modelled). */
  experimentalEvents: ReadonlyMap<string, number>;
  /**
   * Per-goroutine execution statistics exactly as `go tool trace` computes them (its
   * goroutine analysis), by goroutine index. `goroutineExecStats(model, gi)` gives one
   * goroutine's as an object; `goroutineAnalysis` a digest of all.
   */
  execStats: GoroutineStatsTable;
  /** Set if the trace was cut short or broken: the model holds what came before. */
  error: import('./errors').TraceError | null;
}

/** Options of `buildModel`. */
export interface BuildModelOptions extends ReaderOptions {
  /**
   * If true (default), a trace that fails part-way (e.g. truncated) yields a model of what
   * came before, with `error` set; if false, the TraceError is thrown.
   */
  keepPartial?: boolean;
}

/**
 * Parses a trace and builds its model. Throws TraceError for files that are not traces or
 * cannot be read at all (and, with `keepPartial: false`, for any failure).
 */
export function buildModel(
  input: Uint8Array | ByteSource,
  opts: BuildModelOptions = {},
): TraceModel {
  const reader = new TraceReader(input, opts);
  const builder = new TraceModelBuilder(reader.version);
  let error: import('./errors').TraceError | null = null;
  for (;;) {
    let block: EventBlock | null;
    try {
      block = reader.next();
    } catch (e) {
      if (
        opts.keepPartial === false ||
        !(e instanceof Error) ||
        e.name !== 'TraceError' ||
        builder.eventCount === 0
      )
        throw e;
      error = e as import('./errors').TraceError;
      break;
    }
    if (!block) break;
    builder.add(block, reader.timeBase);
  }
  const model = builder.finish();
  model.error = error;
  return model;
}

const NONE = -1;
/** P IDs below this are looked up in arrays, not maps (they are below GOMAXPROCS in practice). */
const DENSE_P = 4096;

/**
 * A generation's IDs (stacks or strings) mapped to model indices (≥ 0), read for nearly every
 * event: an array indexed by ID where the generation's IDs are dense (as the runtime writes
 * them, see GenerationTable.compact), a Map otherwise. `get` returns NONE for an unmapped ID.
 */
class LocalIds {
  private readonly dense: Int32Array;
  private readonly sparse = new Map<number, number>();
  /** @param present the generation's presence bitmap of the IDs (null: not dense) */
  constructor(present: Uint8Array | null) {
    this.dense = new Int32Array(present !== null ? present.length : 0);
  }
  get(id: number): number {
    const d = this.dense;
    if (id >= 0 && id < d.length) return d[id] - 1;
    const v = this.sparse.get(id);
    return v === undefined ? NONE : v;
  }
  set(id: number, v: number): void {
    const d = this.dense;
    if (id >= 0 && id < d.length) d[id] = v + 1;
    else this.sparse.set(id, v);
  }
}
/** Points of the goroutine count series closer than this (ns) are merged (a 20 s trace has at
 * most 2M points, and no display needs more). */
const COUNT_RESOLUTION_NS = 10_000;

/**
 * Builds a model from event blocks as a TraceReader produces them (call `add` for every block,
 * in order, then `finish`). `buildModel` does all of it.
 */
export class TraceModelBuilder {
  eventCount = 0;
  private timeBase = 0;
  private start = NaN;
  private last = 0;
  private syncTime = 0;
  private readonly strings: string[] = [''];
  private readonly stringIds = new Map<string, number>([['', 0]]);
  /** Span reason codes by string index (−1: none yet), and the string index of each code. */
  private reasonCodes = Int32Array.of(0);
  private readonly reasonStrings: number[] = [0];
  // frames and stacks
  private readonly framePc = f64();
  private readonly frameFunc = i32();
  private readonly frameFile = i32();
  private readonly frameLine = i32();
  private readonly frameIds = new Map<string, number>();
  private readonly stackOffsets = i32();
  private readonly stackFrames = i32();
  private readonly stackIds = new Map<string, number>();
  private curTable: GenerationTable | null = null;
  private localStacks = new LocalIds(null);
  private localStrings = new LocalIds(null);
  // goroutines
  private readonly gIndex = new IdIndex();
  private readonly gId = f64();
  // Per goroutine, grown together (see growGoroutines); gId's length is the number of goroutines.
  private readonly gCreated = f64(0);
  private readonly gEnded = f64(0);
  private readonly gCreator = i32(0);
  private readonly gCreationStack = i32(0);
  private readonly gStartStack = i32(0);
  private readonly gLabel = i32(0);
  // the open span of each goroutine
  private readonly gState = u8(0);
  // The open span's start, reason, stack, P and thread, by slot: a goroutine holds a slot while
  // it exists (only those alive at one time, not the hundreds of thousands of a whole trace).
  private readonly gSlot = i32(0);
  private readonly freeSlots = i32();
  private readonly gSince = f64();
  private readonly gReason = i32();
  private readonly gStack = i32();
  private readonly gP = i32();
  private readonly gM = i32();
  /** Open regions by goroutine (innermost last), for the goroutines that have any. */
  private readonly gRegions = new Map<number, number[]>();
  // spans (millions of them in big traces: chunked columns)
  private readonly spanRows = new SpanColumns();
  // threads and procs
  private readonly mIndex = new NumMap<number>(64);
  private readonly mId: number[] = [];
  private readonly procOpen = new Map<number, { start: number; m: number }>();
  private readonly procHeld = new Map<
    number,
    { start: Vec<Float64Array>; end: Vec<Float64Array>; m: Vec<Int32Array> }
  >();
  // gc
  private readonly gcStart = f64();
  private readonly gcEnd = f64();
  private readonly gcSeq = f64();
  private gcOpen = NONE;
  private readonly stwStart = f64();
  private readonly stwEnd = f64();
  private readonly stwKind = i32();
  private readonly stwG = i32();
  // The open ranges' rows, by goroutine or P: NumMaps, as a JS Map allocates a new table each
  // time it is emptied (it shrinks on delete), and these are emptied at nearly every range's
  // end (106K sweeps and assists in a 100 MB trace; the Maps allocated 15 MB there).
  private readonly stwOpen = new NumMap<number>(16);
  private readonly assistG = i32();
  private readonly assistStart = f64();
  private readonly assistEnd = f64();
  private readonly assistOpen = new NumMap<number>(16);
  private readonly sweepP = i32();
  private readonly sweepStart = f64();
  private readonly sweepEnd = f64();
  private readonly sweepSwept = f64();
  private readonly sweepReclaimed = f64();
  private readonly sweepOpen = new NumMap<number>(16);
  // metrics
  private readonly heapAllocT = f64();
  private readonly heapAllocV = f64();
  private readonly heapGoalT = f64();
  private readonly heapGoalV = f64();
  private readonly procsT = f64();
  private readonly procsV = f64();
  // Grown in place, trimmed without a copy at the end (see Vec).
  private readonly cT = f64();
  private readonly cRunnable = i32();
  private readonly cRunning = i32();
  private readonly cWaiting = i32();
  private readonly cSyscall = i32();
  private readonly counts = [0, 0, 0, 0, 0, 0];
  /**
   * The newest point's time, read for every transition: from this array rather than through
   * `cT.last()`, whose one read site serves every kind of typed array (V8's slowest kind).
   */
  private readonly lastPoint = new Float64Array(1);
  // annotations
  private readonly taskIndex = new NumMap<number>(64);
  private readonly tId = f64();
  private readonly tParent = f64();
  private readonly tName = i32();
  private readonly tStart = f64();
  private readonly tEnd = f64();
  private readonly tStartG = i32();
  private readonly tEndG = i32();
  private readonly rG = i32();
  private readonly rTask = f64();
  private readonly rName = i32();
  private readonly rStart = f64();
  private readonly rEnd = f64();
  private readonly rDepth = i32();
  private readonly lTime = f64();
  private readonly lG = i32();
  private readonly lTask = f64();
  private readonly lCat = i32();
  private readonly lMsg = i32();
  private readonly csTime = f64();
  private readonly csM = i32();
  private readonly csP = i32();
  private readonly csG = i32();
  private readonly csStack = i32();
  private readonly labT = f64();
  private readonly labG = i32();
  private readonly labL = i32();
  private readonly experimental = new Map<string, number>();
  private readonly generations: GenerationInfo[] = [];
  private readonly summarizer = new GoroutineSummarizer(
    this.str('forever'),
    (stack) => this.rootFrame(stack),
    { func: this.frameFunc, pc: this.framePc },
  );
  /** Model string index of each STW kind's range name, by kind string index. */
  private readonly stwNames = new Map<number, number>();
  private readonly assistName = this.str('GC mark assist');
  private readonly sweepName = this.str('GC incremental sweep');

  constructor(private readonly version: TraceVersion) {}

  /** Interns a string. */
  private str(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  /** The span reason code of a string index (see SpanTable.reason). */
  private reasonCode(str: number): number {
    let byString = this.reasonCodes;
    if (str < byString.length && byString[str] !== NONE) return byString[str];
    if (str >= byString.length) {
      const b = new Int32Array(Math.max(str + 1, byString.length * 2)).fill(NONE);
      b.set(byString);
      this.reasonCodes = byString = b;
    }
    byString[str] = this.reasonStrings.length;
    this.reasonStrings.push(str);
    return byString[str];
  }

  /** A generation-local string ID as a model string index. */
  private lstr(id: number): number {
    if (id === 0) return 0;
    let s = this.localStrings.get(id);
    if (s === NONE) {
      s = this.str(this.curTable ? this.curTable.string(id) : '');
      this.localStrings.set(id, s);
    }
    return s;
  }

  /** A generation-local stack ID as a model stack index (−1 for none). */
  private lstack(id: number): number {
    if (id === 0 || this.curTable === null) return NONE;
    let s = this.localStacks.get(id);
    if (s !== NONE) return s;
    const t = this.curTable;
    const ids: number[] = [];
    for (const f of t.stackFrameIndices(id)) {
      const pc = t.framePc[f];
      const fn = this.str(t.string(t.frameFunc[f]));
      const file = this.str(t.string(t.frameFile[f]));
      const line = t.frameLine[f];
      const key = `${pc}|${fn}|${file}|${line}`;
      let fid = this.frameIds.get(key);
      if (fid === undefined) {
        fid = this.framePc.push(pc);
        this.frameFunc.push(fn);
        this.frameFile.push(file);
        this.frameLine.push(line);
        this.frameIds.set(key, fid);
      }
      ids.push(fid);
    }
    const key = ids.join(',');
    let interned = this.stackIds.get(key);
    if (interned === undefined) {
      if (this.stackOffsets.n === 0) this.stackOffsets.push(0);
      for (const f of ids) this.stackFrames.push(f);
      interned = this.stackOffsets.push(this.stackFrames.n) - 1;
      this.stackIds.set(key, interned);
    }
    s = interned;
    this.localStacks.set(id, s);
    return s;
  }

  /**
   * The root-most frame of a stack of the current generation, as a model frame index (−1 if
   * none): through the model's own copy of the stack (interned once per generation, as the
   * events that name goroutines intern their stacks anyway), not a copy of its frames per call.
   */
  private rootFrame(stack: number): number {
    const s = this.lstack(stack);
    if (s === NONE) return NONE;
    const offsets = this.stackOffsets.a;
    return offsets[s + 1] > offsets[s] ? this.stackFrames.a[offsets[s + 1] - 1] : NONE;
  }

  /** Index of a goroutine already known, −1 otherwise (never creates a record). */
  private known(id: number): number {
    return id === -1 ? NONE : this.gIndex.get(id);
  }

  private stwName(kind: number): number {
    let n = this.stwNames.get(kind);
    if (n === undefined) {
      n = this.str(`stop-the-world (${this.strings[kind]})`);
      this.stwNames.set(kind, n);
    }
    return n;
  }

  /** The last thread looked up (ID, index): events come in runs from one thread. */
  private readonly lastThreadId = Float64Array.of(NaN);
  private readonly lastThreadIndex = Int32Array.of(NONE);

  private thread(m: number): number {
    if (m === -1) return NONE;
    if (m === this.lastThreadId[0]) return this.lastThreadIndex[0];
    let i = this.mIndex.get(m);
    if (i === undefined) {
      i = this.mId.length;
      this.mId.push(m);
      this.mIndex.set(m, i);
    }
    this.lastThreadId[0] = m;
    this.lastThreadIndex[0] = i;
    return i;
  }

  /** The goroutine's index, creating its record (as existing before the trace) if new. */
  private gor(id: number): number {
    let gi = this.gIndex.get(id);
    if (gi === NONE) {
      gi = this.gId.push(id);
      if (gi >= this.gState.a.length) this.growGoroutines(gi + 1);
      // New rows are 0 (gLabel's initial value) but for these.
      this.gCreated.a[gi] = NaN;
      this.gEnded.a[gi] = NaN;
      this.gCreator.a[gi] = NONE;
      this.gCreationStack.a[gi] = NONE;
      this.gStartStack.a[gi] = NONE;
      this.gState.a[gi] = GoState.NotExist;
      this.gSlot.a[gi] = NONE;
      this.gIndex.add(id, gi);
    }
    return gi;
  }

  /** Room for `n` goroutines in the per-goroutine columns (gor writes each new row). */
  private growGoroutines(n: number): void {
    this.gCreated.reserve(n);
    this.gEnded.reserve(n);
    this.gCreator.reserve(n);
    this.gCreationStack.reserve(n);
    this.gStartStack.reserve(n);
    this.gLabel.reserve(n);
    this.gState.reserve(n);
    this.gSlot.reserve(n);
  }

  /** Spans running on a P, by P ID: dense below DENSE_P, a map beyond (see countRunning). */
  private readonly runningDense = new Int32Array(DENSE_P);
  private readonly runningSparse = new Map<number, number>();

  /** Counts a span that ran on P `pid` (the size of that P's span list, made by finish). */
  private countRunning(pid: number): void {
    if (pid >= 0 && pid < DENSE_P) this.runningDense[pid]++;
    else this.runningSparse.set(pid, (this.runningSparse.get(pid) ?? 0) + 1);
  }

  /**
   * Time of the next `transition`: the event's, set for every event (or earlier for a state
   * known since the generation's start). Not an argument: a double passed to a call that is not
   * inlined is a heap allocation, and there is a transition for nearly every event.
   */
  private readonly transitionTime = new Float64Array(1);

  /** Closes the goroutine's open span (if any) at transitionTime[0] and opens one in `state` (NotExist: none). */
  private transition(
    gi: number,
    state: number,
    reason: number,
    stack: number,
    p: number,
    m: number,
  ): void {
    const t = this.transitionTime[0];
    const old = this.gState.a[gi];
    let s = this.gSlot.a[gi];
    if (old !== GoState.NotExist && old !== GoState.Undetermined) {
      const rows = this.spanRows;
      rows.times[0] = this.gSince.a[s];
      rows.times[1] = t;
      const sp = this.gP.a[s];
      rows.pushRow(gi, old, this.gReason.a[s], this.gStack.a[s], sp, this.gM.a[s]);
      if (old === GoState.Running && sp !== NONE) this.countRunning(sp);
    }
    // The count series, merged to COUNT_RESOLUTION_NS: a point keeps the counts after the last
    // change in its window, written once when the next point starts (and by finish for the last).
    const c = this.counts;
    const newPoint = this.cT.n === 0 || t - this.lastPoint[0] >= COUNT_RESOLUTION_NS;
    if (newPoint && this.cT.n > 0) this.writeCounts();
    c[old]--;
    c[state]++;
    this.gState.a[gi] = state;
    if (state === GoState.NotExist || state === GoState.Undetermined) {
      if (s !== NONE) {
        this.freeSlots.push(s);
        this.gSlot.a[gi] = NONE;
      }
    } else {
      if (s === NONE) {
        if (this.freeSlots.n > 0) s = this.freeSlots.a[--this.freeSlots.n];
        else {
          s = this.gSince.push(0);
          this.gReason.push(0);
          this.gStack.push(NONE);
          this.gP.push(NONE);
          this.gM.push(NONE);
        }
        this.gSlot.a[gi] = s;
      }
      this.gSince.a[s] = t;
      this.gReason.a[s] = this.reasonCode(reason);
      this.gStack.a[s] = stack;
      this.gP.a[s] = p;
      this.gM.a[s] = m;
    }
    if (newPoint) {
      this.cT.push(t);
      this.lastPoint[0] = t;
      this.cRunnable.push(c[GoState.Runnable]);
      this.cRunning.push(c[GoState.Running]);
      this.cWaiting.push(c[GoState.Waiting]);
      this.cSyscall.push(c[GoState.Syscall]);
    }
  }

  /** Sets the newest point of the count series to the current counts. */
  private writeCounts(): void {
    const c = this.counts;
    this.cRunnable.setLast(c[GoState.Runnable]);
    this.cRunning.setLast(c[GoState.Running]);
    this.cWaiting.setLast(c[GoState.Waiting]);
    this.cSyscall.setLast(c[GoState.Syscall]);
  }

  /** Adds a block of events (in reader order). `timeBase` is the reader's. */
  add(block: EventBlock, timeBase: number): void {
    this.timeBase = timeBase;
    if (block.table !== this.curTable && block.table !== null) {
      this.curTable = block.table;
      this.localStacks = new LocalIds(block.table.stackDense);
      this.localStrings = new LocalIds(block.table.stringDense);
    }
    const n = block.count;
    const type = block.type;
    const time = block.time;
    const M = block.m;
    const P = block.p;
    const G = block.g;
    const A = block.args;
    // The block's own bookkeeping before the loop, not after it: V8 compiles the loop while the
    // first block runs (on-stack replacement), before anything after the loop has ever run, and
    // the compiled code was thrown away at the loop's end, once or twice per trace.
    if (n > 0) {
      if (Number.isNaN(this.start)) this.start = time[0];
      this.last = time[n - 1];
    }
    this.eventCount += n;
    for (let i = 0; i < n; i++) {
      const typ = type[i];
      const t = time[i];
      const k = i * ARGS_PER_EVENT;
      const a0 = A[k];
      const a1 = A[k + 1];
      const a2 = A[k + 2];
      const g = G[i];
      const p = P[i];
      const sum = this.summarizer;
      sum.time(t);
      this.transitionTime[0] = t;
      // The events that are most of a trace (goroutines starting, blocking, unblocking) are
      // handled here, the rest in addOther, which reads its own time: passed to calls that V8
      // does not inline, a double is boxed (a heap allocation) once, where all those calls meet,
      // so in a shared switch every event paid for the `t` that only the rarer cases pass on.
      if (typ === Ev.GoStart) {
        const gi = this.gor(a0);
        sum.runnableToRunning(gi);
        this.transition(gi, GoState.Running, 0, NONE, p, this.thread(M[i]));
        continue;
      }
      if (typ === Ev.GoBlock) {
        const gi = this.gor(g);
        const reason = this.lstr(a0);
        sum.runningToWaiting(gi, reason, a1);
        this.transition(gi, GoState.Waiting, reason, this.lstack(a1), NONE, NONE);
        continue;
      }
      if (typ === Ev.GoUnblock || typ === Ev.GoSwitch || typ === Ev.GoSwitchDestroy) {
        const gi = this.gor(a0);
        sum.waitingToRunnable(gi);
        const stack = typ === Ev.GoUnblock ? this.lstack(a2) : NONE;
        this.transition(gi, GoState.Runnable, 0, stack, NONE, NONE);
        continue;
      }
      this.addOther(block, i);
    }
  }

  /**
   * Every event `add`'s loop does not handle itself (GoStart, GoBlock and GoUnblock are 92% of a
   * trace's events), at its time (already given to `sum.time` and `transitionTime`). Out of
   * `add`'s loop so that a case first taken late (a kind of event V8 had no feedback for when it
   * compiled the loop) throws away this method's code, not the loop's: `add` was compiled 9 times
   * per 100 MB trace (360 ms of compiling), the loop running unoptimized in between (76 MB of
   * boxed times).
   */
  private addOther(block: EventBlock, i: number): void {
    const typ = block.type[i];
    const t = block.time[i];
    const k = i * ARGS_PER_EVENT;
    const A = block.args;
    const a0 = A[k];
    const a1 = A[k + 1];
    const a2 = A[k + 2];
    const a3 = A[k + 3];
    const g = block.g[i];
    const p = block.p[i];
    const M = block.m;
    const sum = this.summarizer;
    // Goroutines created and ending (6% of a trace's events) come before the switch, for the
    // reason given in `add`: the switch's cases pass `t` to calls, and V8 boxes it where they meet.
    if (typ === Ev.GoCreate || typ === Ev.GoCreateBlocked) {
      const gi = this.gor(a0);
      this.gCreated.a[gi] = t;
      this.gEnded.a[gi] = NaN;
      this.gCreator.a[gi] = g === -1 ? NONE : this.gor(g);
      this.gCreationStack.a[gi] = this.lstack(a2);
      this.gStartStack.a[gi] = this.lstack(a1);
      const to = typ === Ev.GoCreate ? GoState.Runnable : GoState.Waiting;
      sum.goTransition(gi, GoState.NotExist, to, 0, a1, p);
      this.transition(gi, to, 0, this.lstack(a2), NONE, NONE);
      return;
    }
    if (typ === Ev.GoDestroy || typ === Ev.GoDestroySyscall) {
      const gi = this.gor(g);
      sum.goTransition(
        gi,
        typ === Ev.GoDestroy ? GoState.Running : GoState.Syscall,
        GoState.NotExist,
        0,
        NONE,
        p,
      );
      this.transition(gi, GoState.NotExist, 0, NONE, NONE, NONE);
      this.gEnded.a[gi] = t;
      return;
    }
    switch (typ) {
      case Ev.GoStop: {
        // Preempted (0.1% of the events): rare enough to leave the loop's code alone.
        const gi = this.gor(g);
        const reason = this.lstr(a0);
        sum.goTransition(gi, GoState.Running, GoState.Runnable, reason, a1, p);
        this.transition(gi, GoState.Runnable, reason, this.lstack(a1), NONE, NONE);
        break;
      }
      case Ev.SyncEvent:
        this.syncTime = t;
        sum.sync(t);
        if (block.table !== null && i === 0) {
          this.generations.push({
            number: block.gen,
            start: t,
            clock: block.table.clock,
            experimental: ownBatches(block.table.experimentalBatches),
          });
        }
        break;
      case Ev.GoCreateSyscall: {
        const gi = this.gor(a0);
        this.gCreated.a[gi] = t;
        this.gEnded.a[gi] = NaN;
        sum.goTransition(gi, GoState.NotExist, GoState.Syscall, 0, NONE, p);
        this.transition(gi, GoState.Syscall, 0, NONE, p, this.thread(M[i]));
        break;
      }
      case Ev.GoSyscallBegin: {
        const gi = this.gor(g);
        sum.goTransition(gi, GoState.Running, GoState.Syscall, 0, a1, p);
        this.transition(gi, GoState.Syscall, 0, this.lstack(a1), p, this.thread(M[i]));
        break;
      }
      case Ev.GoSyscallEnd:
      case Ev.GoSyscallEndBlocked: {
        const gi = this.gor(g);
        const to = typ === Ev.GoSyscallEnd ? GoState.Running : GoState.Runnable;
        sum.goTransition(gi, GoState.Syscall, to, 0, NONE, p);
        if (to === GoState.Running) this.transition(gi, to, 0, NONE, p, this.thread(M[i]));
        else this.transition(gi, to, 0, NONE, NONE, NONE);
        break;
      }
      case Ev.GoStatus:
      case Ev.GoStatusStack: {
        const from = Math.floor(a2 / 4294967296);
        const to = WIRE_GO_STATUS_TO_STATE[a2 - from * 4294967296] ?? GoState.Undetermined;
        if (from === to) break; // re-stated at a generation start: nothing new
        const gi = this.gor(a0);
        sum.goTransition(gi, from, to, 0, typ === Ev.GoStatusStack ? a3 : NONE, p);
        const stack = typ === Ev.GoStatusStack ? this.lstack(a3) : NONE;
        // It was in this state since at least the generation's start.
        const since = from === GoState.Undetermined ? this.syncTime : t;
        const running = to === GoState.Running || to === GoState.Syscall;
        this.transitionTime[0] = since;
        this.transition(gi, to, 0, stack, running ? p : NONE, running ? this.thread(M[i]) : NONE);
        break;
      }
      case Ev.ProcStart:
        this.procStart(a0, t, this.thread(M[i]));
        break;
      case Ev.ProcStop:
        sum.procIdle(p, t);
        this.procStop(p, t);
        break;
      case Ev.ProcSteal:
        // From Running to Idle, unless the P had been abandoned (then Idle to Idle).
        if (a3 !== 4) sum.procIdle(a0, t);
        this.procStop(a0, t);
        break;
      case Ev.ProcStatus: {
        const to = WIRE_PROC_STATUS_TO_STATE[a1];
        if (to === ProcState.Idle && a2 !== ProcState.Idle) sum.procIdle(a0, t);
        if (to === ProcState.Running && !this.procOpen.has(a0))
          this.procStart(a0, a2 === ProcState.Undetermined ? this.syncTime : t, this.thread(M[i]));
        else if (to === ProcState.Idle) this.procStop(a0, t);
        break;
      }
      case Ev.ProcsChange:
        this.procsT.push(t);
        this.procsV.push(a0);
        break;
      case Ev.HeapAlloc:
        this.heapAllocT.push(t);
        this.heapAllocV.push(a0);
        break;
      case Ev.HeapGoal:
        this.heapGoalT.push(t);
        this.heapGoalV.push(a0);
        break;
      case Ev.GCBegin:
      case Ev.GCActive:
        if (this.gcOpen === NONE) {
          this.gcOpen = this.gcStart.push(
            typ === Ev.GCActive && this.generations.length <= 1 ? NaN : t,
          );
          this.gcEnd.push(NaN);
          this.gcSeq.push(a0);
        }
        break;
      case Ev.GCEnd:
        if (this.gcOpen !== NONE) this.gcEnd.a[this.gcOpen] = t;
        else {
          this.gcStart.push(NaN);
          this.gcEnd.push(t);
          this.gcSeq.push(a0);
        }
        this.gcOpen = NONE;
        break;
      case Ev.STWBegin: {
        const gi = g === -1 ? NONE : this.gor(g);
        const kind = this.lstr(a0);
        sum.rangeBegin(gi, this.stwName(kind), false, t, null);
        this.stwOpen.set(gi, this.stwStart.push(t));
        this.stwEnd.push(NaN);
        this.stwKind.push(kind);
        this.stwG.push(gi);
        break;
      }
      case Ev.STWEnd: {
        const gi = g === -1 ? NONE : this.gor(g);
        sum.rangeEnd(gi, this.stwName(this.lstr(a0)), t, null);
        endOpenRange(this.stwOpen, gi, this.stwEnd, t);
        break;
      }
      case Ev.GCMarkAssistBegin:
      case Ev.GCMarkAssistActive: {
        const gi = this.gor(typ === Ev.GCMarkAssistActive ? a0 : g);
        sum.rangeBegin(gi, this.assistName, typ === Ev.GCMarkAssistActive, t, null);
        if (!this.assistOpen.has(gi)) {
          this.assistOpen.set(gi, this.assistG.push(gi));
          this.assistStart.push(typ === Ev.GCMarkAssistActive ? this.syncTime : t);
          this.assistEnd.push(NaN);
        }
        break;
      }
      case Ev.GCMarkAssistEnd: {
        const gi = this.gor(g);
        sum.rangeEnd(gi, this.assistName, t, null);
        endOpenRange(this.assistOpen, gi, this.assistEnd, t);
        break;
      }
      case Ev.GCSweepBegin:
      case Ev.GCSweepActive: {
        const pid = typ === Ev.GCSweepActive ? a0 : p;
        // Bound to the P; counted for the goroutine on it if the sweep ends on that goroutine.
        sum.rangeBegin(this.known(g), this.sweepName, typ === Ev.GCSweepActive, t, pid);
        if (!this.sweepOpen.has(pid)) {
          this.sweepOpen.set(pid, this.sweepP.push(pid));
          this.sweepStart.push(typ === Ev.GCSweepActive ? this.syncTime : t);
          this.sweepEnd.push(NaN);
          this.sweepSwept.push(NaN);
          this.sweepReclaimed.push(NaN);
        }
        break;
      }
      case Ev.GCSweepEnd: {
        sum.rangeEnd(this.known(g), this.sweepName, t, p);
        const s = endOpenRange(this.sweepOpen, p, this.sweepEnd, t);
        if (s !== NONE) {
          this.sweepSwept.a[s] = a0;
          this.sweepReclaimed.a[s] = a1;
        }
        break;
      }
      case Ev.GoLabel: {
        const gi = this.gor(g);
        const l = this.lstr(a0);
        this.gLabel.a[gi] = l;
        this.labT.push(t);
        this.labG.push(gi);
        this.labL.push(l);
        break;
      }
      case Ev.UserTaskBegin: {
        const ti = this.task(a0);
        this.tParent.a[ti] = a1;
        this.tName.a[ti] = this.lstr(a2);
        this.tStart.a[ti] = t;
        this.tStartG.a[ti] = g === -1 ? NONE : this.gor(g);
        break;
      }
      case Ev.UserTaskEnd: {
        const ti = this.task(a0);
        if (Number.isNaN(this.tStart.a[ti])) {
          this.tParent.a[ti] = a2;
          const name = this.curTable?.extraStrings[a3] ?? '';
          if (name !== '') this.tName.a[ti] = this.str(name);
        }
        this.tEnd.a[ti] = t;
        this.tEndG.a[ti] = g === -1 ? NONE : this.gor(g);
        break;
      }
      case Ev.UserRegionBegin: {
        const gi = this.gor(g);
        let stack = this.gRegions.get(gi);
        if (!stack) this.gRegions.set(gi, (stack = []));
        stack.push(this.region(gi, a0, this.lstr(a1), t, NaN, stack.length));
        break;
      }
      case Ev.UserRegionEnd: {
        const gi = this.gor(g);
        const r = this.gRegions.get(gi)?.pop();
        if (r !== undefined) this.rEnd.a[r] = t;
        else this.region(gi, a0, this.lstr(a1), NaN, t, 0);
        break;
      }
      case Ev.UserLog:
        this.lTime.push(t);
        this.lG.push(g === -1 ? NONE : this.gor(g));
        this.lTask.push(a0);
        this.lCat.push(this.lstr(a1));
        this.lMsg.push(this.lstr(a2));
        break;
      case Ev.CPUSample:
        this.csTime.push(t);
        this.csM.push(this.thread(M[i]));
        this.csP.push(p);
        this.csG.push(g === -1 ? NONE : this.gor(g));
        this.csStack.push(a0 === 0 ? NONE : this.lstack(a0));
        break;
      default:
        if (typ >= Ev.Span && typ <= Ev.GoroutineStackFree) {
          const name = [
            'Span',
            'SpanAlloc',
            'SpanFree',
            'HeapObject',
            'HeapObjectAlloc',
            'HeapObjectFree',
            'GoroutineStack',
            'GoroutineStackAlloc',
            'GoroutineStackFree',
          ][typ - Ev.Span];
          this.experimental.set(name, (this.experimental.get(name) ?? 0) + 1);
        }
    }
  }

  private procStart(pid: number, t: number, m: number): void {
    if (this.procOpen.has(pid)) this.procStop(pid, t);
    this.procOpen.set(pid, { start: t, m });
  }

  private procStop(pid: number, t: number): void {
    const o = this.procOpen.get(pid);
    if (!o) return;
    this.procOpen.delete(pid);
    let h = this.procHeld.get(pid);
    if (!h) {
      h = { start: f64(), end: f64(), m: i32() };
      this.procHeld.set(pid, h);
    }
    h.start.push(o.start);
    h.end.push(t);
    h.m.push(o.m);
  }

  private task(id: number): number {
    let ti = this.taskIndex.get(id);
    if (ti === undefined) {
      ti = this.tId.push(id);
      this.tParent.push(NONE);
      this.tName.push(0);
      this.tStart.push(NaN);
      this.tEnd.push(NaN);
      this.tStartG.push(NONE);
      this.tEndG.push(NONE);
      this.taskIndex.set(id, ti);
    }
    return ti;
  }

  private region(
    gi: number,
    task: number,
    name: number,
    start: number,
    end: number,
    depth: number,
  ): number {
    this.rTask.push(task);
    this.rName.push(name);
    this.rStart.push(start);
    this.rEnd.push(end);
    this.rDepth.push(depth);
    return this.rG.push(gi);
  }

  /** Closes what is still open at the end of the trace and returns the model. */
  finish(): TraceModel {
    const end = this.last;
    // The last generation's tables hold views into the file (its experimental batches): let
    // go of them, so that the file's bytes can go before the model's last allocations.
    this.curTable = null;
    this.localStacks = new LocalIds(null);
    this.localStrings = new LocalIds(null);
    // Open spans end with the trace (their goroutines are still alive).
    for (let gi = 0; gi < this.gId.n; gi++) {
      const st = this.gState.a[gi];
      if (st !== GoState.NotExist && st !== GoState.Undetermined) {
        const s = this.gSlot.a[gi];
        this.spanRows.push(
          gi,
          this.gSince.a[s],
          end,
          st,
          this.gReason.a[s],
          this.gStack.a[s],
          this.gP.a[s],
          this.gM.a[s],
        );
        if (st === GoState.Running && this.gP.a[s] !== NONE) this.countRunning(this.gP.a[s]);
      }
    }
    // The open spans are closed: their columns were only needed while building.
    for (const v of [
      this.gState,
      this.gSlot,
      this.freeSlots,
      this.gSince,
      this.gReason,
      this.gStack,
      this.gP,
      this.gM,
    ])
      v.release();
    for (const pid of [...this.procOpen.keys()]) this.procStop(pid, end);
    if (this.cT.n > 0) this.writeCounts();
    const G = this.gId.n;
    for (const v of [this.gCreator, this.gCreationStack, this.gStartStack, this.gLabel]) v.n = G;
    this.gCreated.n = this.gEnded.n = G;
    const S = this.spanRows.n;
    const { lastSpan, spanCount } = this.spanRows.goroutineRows(G);
    this.gIndex.release();
    const spans: SpanTable = {
      count: S,
      ...this.spanRows.toArrays(),
      reasons: Int32Array.from(this.reasonStrings),
    };
    // Per P and per thread, likewise: what ran on one P (or thread) does not overlap, so the
    // order in which spans ended is their time order.
    // P IDs are small in practice (below GOMAXPROCS): a dense table answers those without a
    // hash lookup per span, which mattered with tens of millions of spans; a map takes the rest.
    const pDense = new Int32Array(DENSE_P).fill(NONE);
    const pIndex = new Map<number, number>();
    const pIds: number[] = [];
    const pCount: number[] = [];
    const addP = (pid: number): number => {
      const pi = pIds.length;
      if (pid >= 0 && pid < DENSE_P) pDense[pid] = pi;
      else pIndex.set(pid, pi);
      pIds.push(pid);
      pCount.push(0);
      return pi;
    };
    for (const pid of [...this.procHeld.keys()].sort((a, b) => a - b)) addP(pid);
    const lookupP = (pid: number): number =>
      pid >= 0 && pid < DENSE_P ? pDense[pid] : (pIndex.get(pid) ?? NONE);
    // Each P's number of running spans was counted as they were added (a pass over all spans
    // less). The order of the Ps does not matter: they are sorted by ID below.
    const counted = (pid: number, n: number): void => {
      let pi = lookupP(pid);
      if (pi === NONE) pi = addP(pid);
      pCount[pi] = n;
    };
    for (let pid = 0; pid < DENSE_P; pid++)
      if (this.runningDense[pid] > 0) counted(pid, this.runningDense[pid]);
    for (const [pid, n] of this.runningSparse) counted(pid, n);
    const state = spans.state;
    const sp = spans.p;
    const RUNNING = GoState.Running;
    const pLists = pCount.map((n) => new Int32Array(n));
    const pFill = new Int32Array(pIds.length);
    for (let i = 0; i < S; i++) {
      const st = state[i];
      if (st === RUNNING && sp[i] !== NONE) {
        const pi = lookupP(sp[i]);
        pLists[pi][pFill[pi]++] = i;
      }
    }
    const procs: ProcTimeline[] = pIds
      .map((id, pi) => {
        const h = this.procHeld.get(id);
        return {
          id,
          running: pLists[pi],
          heldStart: h ? h.start.trim() : new Float64Array(0),
          heldEnd: h ? h.end.trim() : new Float64Array(0),
          heldBy: h ? h.m.trim() : new Int32Array(0),
        };
      })
      .sort((a, b) => a.id - b.id);
    const threads: ThreadTimeline[] = this.mId.map((id) => ({ id }));
    // Unfinished regions and annotations keep NaN ends.
    const execStats = this.summarizer.finish(G);
    // Go names goroutines by the root frame of the first stack it saw for them.
    const startFunc = execStats.name;
    const startPc = execStats.pc;
    if (this.stackOffsets.n === 0) this.stackOffsets.push(0);
    return {
      version: this.version,
      timeBase: this.timeBase,
      start: Number.isNaN(this.start) ? 0 : this.start,
      end,
      eventCount: this.eventCount,
      strings: this.strings,
      frames: {
        count: this.framePc.n,
        pc: this.framePc.trim(),
        func: this.frameFunc.trim(),
        file: this.frameFile.trim(),
        line: this.frameLine.trim(),
      },
      stacks: {
        count: this.stackOffsets.n - 1,
        offsets: this.stackOffsets.trim(),
        frames: this.stackFrames.trim(),
      },
      generations: this.generations,
      goroutines: {
        count: G,
        id: this.gId.trim(),
        startFunc,
        startPc,
        createdAt: this.gCreated.trim(),
        endedAt: this.gEnded.trim(),
        creator: this.gCreator.trim(),
        creationStack: this.gCreationStack.trim(),
        startStack: this.gStartStack.trim(),
        label: this.gLabel.trim(),
        lastSpan,
        spanCount,
      },
      spans,
      procs,
      threads,
      gc: {
        cycles: { start: this.gcStart.trim(), end: this.gcEnd.trim(), seq: this.gcSeq.trim() },
        stw: {
          start: this.stwStart.trim(),
          end: this.stwEnd.trim(),
          kind: this.stwKind.trim(),
          g: this.stwG.trim(),
        },
        assists: {
          g: this.assistG.trim(),
          start: this.assistStart.trim(),
          end: this.assistEnd.trim(),
        },
        sweeps: {
          p: this.sweepP.trim(),
          start: this.sweepStart.trim(),
          end: this.sweepEnd.trim(),
          swept: this.sweepSwept.trim(),
          reclaimed: this.sweepReclaimed.trim(),
        },
      },
      metrics: {
        heapAlloc: { time: this.heapAllocT.trim(), value: this.heapAllocV.trim() },
        heapGoal: { time: this.heapGoalT.trim(), value: this.heapGoalV.trim() },
        gomaxprocs: { time: this.procsT.trim(), value: this.procsV.trim() },
        goroutines: {
          time: this.cT.trim(),
          runnable: this.cRunnable.trim(),
          running: this.cRunning.trim(),
          waiting: this.cWaiting.trim(),
          syscall: this.cSyscall.trim(),
        },
      },
      tasks: {
        count: this.tId.n,
        id: this.tId.trim(),
        parent: this.tParent.trim(),
        name: this.tName.trim(),
        start: this.tStart.trim(),
        end: this.tEnd.trim(),
        startG: this.tStartG.trim(),
        endG: this.tEndG.trim(),
      },
      regions: {
        count: this.rG.n,
        g: this.rG.trim(),
        task: this.rTask.trim(),
        name: this.rName.trim(),
        start: this.rStart.trim(),
        end: this.rEnd.trim(),
        depth: this.rDepth.trim(),
      },
      logs: {
        count: this.lTime.n,
        time: this.lTime.trim(),
        g: this.lG.trim(),
        task: this.lTask.trim(),
        category: this.lCat.trim(),
        message: this.lMsg.trim(),
      },
      cpuSamples: {
        count: this.csTime.n,
        time: this.csTime.trim(),
        m: this.csM.trim(),
        p: this.csP.trim(),
        g: this.csG.trim(),
        stack: this.csStack.trim(),
      },
      labels: { time: this.labT.trim(), g: this.labG.trim(), label: this.labL.trim() },
      experimentalEvents: this.experimental,
      execStats,
      error: null,
    };
  }
}

/** One goroutine's execution statistics (as go tool trace computes them), by model index. */
export function goroutineExecStats(model: TraceModel, gi: number): GoroutineExecStats {
  const t = model.execStats;
  return {
    id: model.goroutines.id[gi],
    name: model.strings[t.name[gi]],
    pc: t.pc[gi],
    creationTime: t.creationTime[gi],
    startTime: t.startTime[gi],
    endTime: t.endTime[gi],
    execTime: t.execTime[gi],
    schedWaitTime: t.schedWaitTime[gi],
    blockTimeByReason: entriesToMap(t, t.blockHead[gi], model.strings),
    syscallTime: t.syscallTime[gi],
    syscallBlockTime: t.syscallBlockTime[gi],
    totalTime: t.totalTime[gi],
    rangeTime: entriesToMap(t, t.rangeHead[gi], model.strings),
  };
}

const indexCache = new WeakMap<TraceModel, Map<number, number>>();

/** Index of the goroutine with Go ID `id` in the model, or −1 (a map is built on first use). */
export function goroutineIndex(model: TraceModel, id: number): number {
  let m = indexCache.get(model);
  if (!m) {
    m = new Map();
    const ids = model.goroutines.id;
    for (let i = 0; i < ids.length; i++) m.set(ids[i], i);
    indexCache.set(model, m);
  }
  return m.get(id) ?? -1;
}

/** The frames of a model stack, leaf first, resolved to strings. */
export function stackFrames(
  model: TraceModel,
  stack: number,
): { pc: number; func: string; file: string; line: number }[] {
  if (stack < 0) return [];
  const { offsets, frames } = model.stacks;
  const f = model.frames;
  const out = [];
  for (let k = offsets[stack]; k < offsets[stack + 1]; k++) {
    const id = frames[k];
    out.push({
      pc: f.pc[id],
      func: model.strings[f.func[id]],
      file: model.strings[f.file[id]],
      line: f.line[id],
    });
  }
  return out;
}

/** Ends the range open for `key` (its row in `ends`) at `t`: the row, or NONE if none was open. */
function endOpenRange(
  open: NumMap<number>,
  key: number,
  ends: Vec<Float64Array>,
  t: number,
): number {
  const row = open.get(key);
  if (row === undefined) return NONE;
  ends.a[row] = t;
  open.delete(key);
  return row;
}

/**
 * Experimental batches with their own bytes: the reader hands out views into the file, and one
 * kept view would keep the whole file (as large as the rest of the model) alive for the session.
 */
function ownBatches(batches: readonly ExperimentalBatch[]): ExperimentalBatch[] {
  return batches.map((b) => ({ ...b, data: b.data.slice() }));
}
