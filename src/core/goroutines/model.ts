// The parsed goroutine dump, held column-wise so a dump of 100k goroutines costs a few
// megabytes: goroutines are rows of typed arrays, and their stacks and frames are interned
// (thousands of goroutines usually share a handful of stacks). Every reference is a 0-based
// index into the table named in its comment.

/**
 * Which kind of input the snapshot came from.
 * - `traceback`: the runtime's traceback text: `goroutine?debug=2`, `runtime.Stack(all)`, an
 *   unrecovered panic, `fatal error:`, a fatal signal or SIGQUIT, a `go test` timeout.
 * - `debug1`: the grouped legacy text of `goroutine?debug=1` (`goroutine profile: total N`).
 * - `debug0`: the gzipped pprof protobuf of `goroutine?debug=0`.
 */
export type DumpFormat = 'traceback' | 'debug1' | 'debug0';

/** Bits of `GoroutineTable.flags`. */
export const GoroutineFlag = {
  /** `, locked to thread` in the header: the goroutine called runtime.LockOSThread. */
  LockedToThread: 1,
  /** ` (scan)`: the GC was scanning its stack when the dump was taken. */
  Scan: 2,
  /** `goroutine running on other thread; stack unavailable`: no frames were printed. */
  StackUnavailable: 4,
  /** ` (leaked)` (Go 1.26+ goroutine leak detection). */
  Leaked: 8,
  /** ` (durable)`: durably blocked inside a synctest bubble. */
  Durable: 16,
  /** The goroutine the panic, fatal error or signal happened on (printed first after the header). */
  Current: 32,
  /** The block was cut short (end of input, or a line that does not belong to a traceback). */
  Truncated: 64,
} as const;

/** One row per goroutine (tracebacks) or per record of identical goroutines (debug=1, debug=0). */
export interface GoroutineTable {
  count: number;
  /** Goroutine id; -1 where the format has none (debug=1 and debug=0 records). */
  id: Float64Array;
  /** How many goroutines the row stands for: 1 in tracebacks, the record's count otherwise. */
  weight: Uint32Array;
  /** Index into `GoroutineSnapshot.states`. The state of debug=1/debug=0 rows is `''` (not recorded). */
  state: Uint32Array;
  /** Whole minutes blocked (`, N minutes`); 0 when not printed, i.e. less than a minute or running. */
  waitMinutes: Uint32Array;
  /** `GoroutineFlag` bits. */
  flags: Uint8Array;
  /** Index into `stacks`. */
  stack: Uint32Array;
  /** The `created by` frame (index into `frames`), or -1 (goroutine 1, system goroutines, debug=1/0). */
  createdBy: Int32Array;
  /** The creating goroutine's id from `created by … in goroutine N`, or -1. */
  parentId: Float64Array;
  /** Index into `labelSets`, or -1 when the goroutine has no pprof labels (or the format does not show them). */
  labels: Int32Array;
  /**
   * The per-goroutine data of each frame (arguments, fp/sp) lives in `instances` at
   * `argStart[g] .. argStart[g+1]`, aligned one-to-one with the row's stack frames; the range is
   * empty when the format prints no arguments. Length `count + 1`.
   */
  argStart: Uint32Array;
  /** 1-based line of the goroutine's header in the input text; 0 for debug=0. */
  line: Uint32Array;
}

/** Interned stacks: frame sequences, innermost first, as printed (without `created by`). */
export interface StackTable {
  count: number;
  /** Stack `s` is `frameIndex[frameStart[s] .. frameStart[s+1])`. Length `count + 1`. */
  frameStart: Uint32Array;
  /** Indexes into `frames`. */
  frameIndex: Uint32Array;
  /**
   * Frames the runtime left out of the middle of the stack: N from `...N frames elided...`,
   * -1 for `...additional frames elided...` (count not printed), 0 when nothing was elided.
   */
  elided: Int32Array;
  /** Where the elision sits: the number of frames printed before it. */
  elidedAt: Uint32Array;
}

/** Interned frames (function + location); `created by` lines are frames too. */
export interface FrameTable {
  count: number;
  /**
   * Function as the runtime prints it: `main.worker`, `pkg.(*T).Method`, `main.main.func1`,
   * `pkg.F[...]` (generic), `panic` (the runtime's name for runtime.gopanic).
   */
  func: string[];
  /** Source file as recorded in the binary (absolute, or module-relative with -trimpath). */
  file: string[];
  /** Line number; 0 when unknown. */
  line: Uint32Array;
  /** PC offset from the function entry (`+0x45`); -1 when not printed (inlined frames, debug=0). */
  offset: Int32Array;
  /** PC as printed (`0x4a1f20`) by debug=1, debug=0 and GOTRACEBACK=system dumps; '' otherwise. */
  pc: string[];
  /** 1 for frames printed with `(...)` arguments: inlined calls (and ancestor tracebacks). */
  inlined: Uint8Array;
}

/** Per-goroutine frame data, aligned with the frames of each goroutine's stack. */
export interface FrameInstances {
  count: number;
  /** Index into `args` of the frame's argument text (without parentheses, e.g. `0x0?, {0x1, 0x2}`). */
  args: Uint32Array;
  /** Frame pointer as printed by GOTRACEBACK=system (`0xc000087f10`), '' elsewhere. Absent when no frame had one. */
  fp?: string[];
  /** Stack pointer, like `fp`. */
  sp?: string[];
}

/** A goroutine's creator as recorded by `GODEBUG=tracebackancestors=N`. */
export interface AncestorTrace {
  /** Id from `[originating from goroutine N]:`. */
  id: number;
  /** Index into `stacks`: the creator's stack when it started this goroutine. */
  stack: number;
  /** The creator's own `created by` frame, or -1. */
  createdBy: number;
}

/** `gp=0x… m=N mp=0x…` from the header (GOTRACEBACK=system, or a goroutine the runtime throws on). */
export interface GoroutineThread {
  gp: string;
  /** M id as printed, or 'nil'. */
  m: string;
  /** '' when not printed (`m=nil`). */
  mp: string;
}

/** One panic of a panic chain, as printed in the header. */
export interface PanicInfo {
  /** The value as the runtime printed it, continuation lines joined with '\n'. */
  value: string;
  /** ` [recovered]`: recovered, then a deferred call panicked again. */
  recovered: boolean;
  /** ` [recovered, repanicked]` (Go 1.25+): recovered and re-panicked with the same value. */
  repanicked: boolean;
}

/** The signal that killed or interrupted the program. */
export interface SignalInfo {
  /** `SIGSEGV`, `SIGQUIT`, … or `Signal 35` for signals without a name. */
  name: string;
  /** `segmentation violation`, `quit`, … ('' when not printed). */
  description: string;
  /** Fields after the name: `code`, `addr`, `pc` (from `[signal …]`), `PC`, `m`, `sigcode`, `addr` (from the `PC=` line). */
  fields: Record<string, string>;
}

/** What a `go test` timeout printed: `panic: test timed out after 3s` and the running tests. */
export interface TestTimeout {
  after: string;
  running: { name: string; duration: string }[];
}

/** The text before the goroutines: why the program died (absent for a live dump). */
export interface DumpHeader {
  kind: 'panic' | 'fatal' | 'signal';
  /** Panics in the order printed: the first one is the oldest. */
  panics: PanicInfo[];
  /** The message of `fatal error: …` (e.g. `all goroutines are asleep - deadlock!`), or ''. */
  fatalError: string;
  /** From `[signal SIG…: … code=… addr=… pc=…]` or `SIG…: …` + `PC=… m=… sigcode=…`. */
  signal: SignalInfo | undefined;
  /** The runtime's own diagnostics before the error: `runtime: …`, `unexpected fault address …`. */
  runtimeMessages: string[];
  /** Index into `stacks` of the `runtime stack:` section (the M's system stack), or -1. */
  runtimeStack: number;
  testTimeout: TestTimeout | undefined;
  /** Row of the goroutine it happened on (the first one printed after the header), or -1. */
  currentGoroutine: number;
  /** 1-based line where the header starts. */
  line: number;
}

/** Something the parser skipped or could not complete; what did parse is kept. */
export interface DumpWarning {
  kind: 'garbage' | 'truncated' | 'duplicate' | 'second-dump' | 'bad-header' | 'bad-record';
  /** 1-based line in the input where the problem starts (0 when not line-based). */
  line: number;
  message: string;
}

/** A parsed goroutine dump. Build it with `parseGoroutineDump`; read rows with `goroutineAt`. */
export interface GoroutineSnapshot {
  format: DumpFormat;
  header: DumpHeader | undefined;
  goroutines: GoroutineTable;
  stacks: StackTable;
  frames: FrameTable;
  instances: FrameInstances;
  /** Interned argument texts; index 0 is ''. */
  args: string[];
  /** Interned goroutine states (wait reasons or status words); index 0 is ''. */
  states: string[];
  /** Interned pprof label sets, keys in the order printed. */
  labelSets: Readonly<Record<string, string>>[];
  /** `gp=/m=/mp=` by row, for the rows whose header had them. */
  threads: Map<number, GoroutineThread>;
  /** `[originating from goroutine N]` sections by row (GODEBUG=tracebackancestors), creator first. */
  ancestors: Map<number, AncestorTrace[]>;
  /** Header items the parser does not know (future runtime additions), kept verbatim. */
  extraHeaderItems: Map<number, string[]>;
  /** Total goroutines represented: the sum of `goroutines.weight`. */
  totalGoroutines: number;
  /** The total the input declares: `goroutine profile: total N` (debug=1), the sample sum (debug=0); -1 for tracebacks. */
  declaredTotal: number;
  warnings: DumpWarning[];
}

/**
 * The input is not a goroutine dump (or not one this parser can read). The message says what
 * the input looks like instead and where goroutine dumps come from.
 */
export class GoroutineDumpError extends Error {
  override name = 'GoroutineDumpError';
}
