// Records parsed from the Go runtime's GODEBUG trace lines on stderr: schedtrace summaries,
// scheddetail P/M/G blocks, gctrace cycles and scavenger lines. Field names follow the names the
// runtime prints, so a user can match a value in the UI with the text in their terminal.
//
// Absent ids: the runtime prints `nil` (Go 1.20+; `-1` in a go1.19 log) where an M, P or G is
// not set; both become `null` here.

/** Per-snapshot header of the scheddetail variant of the SCHED line. */
export interface DetailHeader {
  /** `gcwaiting=`: the GC is waiting to stop the world. */
  gcwaiting: boolean;
  /** `nmidlelocked=`: idle Ms that are locked to a goroutine. */
  nmidlelocked: number;
  /** `stopwait=`: Ps the world-stopper is still waiting for. */
  stopwait: number;
  /** `sysmonwait=`: sysmon is parked. */
  sysmonwait: boolean;
}

/** One `  P<i>: …` line of a scheddetail block. */
export interface PRecord {
  /** P index (`P<i>`). */
  id: number;
  /** 0 idle, 1 running, 2 syscall (unused from Go 1.26), 3 gcstop, 4 dead. */
  status: number;
  schedtick: number;
  syscalltick: number;
  /** Id of the M holding this P, or null. */
  m: number | null;
  /** Length of the P's local run queue. */
  runqsize: number;
  /** Dead Gs cached on the P for reuse. */
  gfreecnt: number;
  /** Timers on the P's heap. Printed by Go 1.19 and later; optional so older logs still parse. */
  timerslen?: number;
  /** 1-based physical line number in the stream. */
  line: number;
}

/** One `  M<id>: …` line of a scheddetail block. */
export interface MRecord {
  id: number;
  /** P held by this M, or null. */
  p: number | null;
  /** goid of the G this M is running, or null. */
  curg: number | null;
  mallocing: number;
  throwing: number;
  /** Reason preemption is disabled; usually empty. Printed verbatim, may contain spaces. */
  preemptoff: string;
  locks: number;
  dying: number;
  spinning: boolean;
  blocked: boolean;
  /** goid of the G locked to this M (LockOSThread), or null. */
  lockedg: number | null;
  line: number;
}

/** One `  G<goid>: …` line of a scheddetail block (every G in allgs, dead ones included). */
export interface GRecord {
  goid: number;
  /**
   * Raw status as printed: 0 idle, 1 runnable, 2 running, 3 syscall, 4 waiting, 6 dead,
   * 8 copystack, 9 preempted, 10 leaked and 11 deadextra (Go 1.26+); `0x1000` (4096) is OR-ed in
   * while the GC scans the stack (e.g. 4100 = scanning a waiting G).
   */
  status: number;
  /**
   * Wait reason as printed in the parentheses. The runtime does not clear it when a G wakes, so
   * a runnable G can still show its last reason; only trust it when `status & 0xfff` is 4.
   */
  waitReason: string;
  m: number | null;
  lockedm: number | null;
  line: number;
}

/** The P, M and G lines that follow a scheddetail SCHED line. */
export interface SchedDetail extends DetailHeader {
  ps: PRecord[];
  ms: MRecord[];
  gs: GRecord[];
  /**
   * True when the block is provably cut short: fewer P lines than gomaxprocs, no M or no G
   * lines, or the stream ended inside one of its lines. (Fewer M lines than `threads` is normal:
   * mcount() includes Ms not yet linked into the list the runtime prints.) A block whose G lines were
   * cut exactly at a line boundary by the end of the stream cannot be told apart from a complete
   * one (the runtime prints no count of Gs), so it is not marked.
   */
  incomplete: boolean;
  /** Why `incomplete` is set, for the UI. */
  incompleteReason?: string;
}

/** One SCHED line, plus its scheddetail block when `scheddetail=1`. */
export interface SchedSnapshot {
  /** `SCHED <t>ms`: milliseconds since the first schedtrace line of the process. */
  timeMs: number;
  gomaxprocs: number;
  /** Ps on the idle list. */
  idleprocs: number;
  /** Ms in existence (`mcount()`). */
  threads: number;
  spinningthreads: number;
  /** 0/1 flag; printed by Go 1.20 and later, absent in a go1.19 log. */
  needspinning?: number;
  idlethreads: number;
  /** Length of the global run queue. */
  runqueue: number;
  /**
   * Local run-queue length of each P, in P order: the bracketed list of the plain line, or the
   * `runqsize` of the P lines of a scheddetail block (then as many as P lines were received).
   */
  runqueues: number[];
  /** Per-P schedule ticks: `schedticks=[…]` (Go 1.25+), or each P line's `schedtick`. */
  schedticks?: number[];
  /** Present when the line was the scheddetail variant. */
  detail?: SchedDetail;
  line: number;
}

/** One gctrace line (`gc N @S.sssS P%: …`), every field. Times in ms, heap sizes in MiB. */
export interface GcCycle {
  /** GC cycle number, 1-based. */
  n: number;
  /** `@S.sss s`: seconds since the program started when this cycle's sweep termination began. */
  startS: number;
  /** `P%`: percent of available CPU spent in GC since the program started. */
  cpuPercent: number;
  /** Go 1.26+: ` (checking for goroutine leaks)` after the percentage. */
  leakCheck: boolean;
  /** Wall clock: stop-the-world sweep termination. */
  clockSweepTermMs: number;
  /** Wall clock: concurrent mark and scan. */
  clockMarkMs: number;
  /** Wall clock: stop-the-world mark termination. */
  clockMarkTermMs: number;
  /** CPU time: sweep termination. */
  cpuSweepTermMs: number;
  /** CPU time: mark assists by allocating goroutines. */
  cpuAssistMs: number;
  /** CPU time: background marking (dedicated + fractional workers). */
  cpuBackgroundMs: number;
  /** CPU time: idle-priority marking. */
  cpuIdleMs: number;
  /** CPU time: mark termination. */
  cpuMarkTermMs: number;
  /** Heap at the start of the cycle (MiB, truncated). */
  heapStartMB: number;
  /** Heap at the end of marking. */
  heapEndMB: number;
  /** Live (marked) heap. */
  heapLiveMB: number;
  /** Heap goal of this cycle. */
  heapGoalMB: number;
  /** Scannable stacks (`MB stacks`); printed by Go 1.20 and later, optional for older logs. */
  stacksMB?: number;
  /** Scannable globals (`MB globals`); as stacksMB. */
  globalsMB?: number;
  /** GOMAXPROCS during the cycle (`N P`). */
  procs: number;
  /** ` (forced)`: the cycle was started by runtime.GC or debug.FreeOSMemory. */
  forced: boolean;
  /**
   * Go 1.5–1.6 lines only: the figures as printed. Those releases print five wall-clock phases
   * (sweep termination, scan, install write barrier, mark, mark termination) and seven CPU
   * figures (sweep termination + scan + install write barrier + assist/background/idle + mark
   * termination); the fields above then hold sweep termination, scan + install + mark, and mark
   * termination, and CPU background includes scan and install.
   */
  go15Phases?: { clockMs: number[]; cpuMs: number[] };
  line: number;
}

/**
 * A runtime line of an older format that is recognised (it is not program output) but not put
 * on the dashboard's charts: Go 1.3–1.4's `gcN(P): …` line, which has no time stamp, and the
 * `scvgN: …` scavenger lines of Go 1.4–1.11. `values` holds every number, named as in the
 * runtime's printing code.
 */
export interface LegacyTraceLine {
  format: 'gc-go1.4' | 'scvg-released' | 'scvg-stats';
  values: Record<string, number>;
  line: number;
}

/** One scavenger line (`scav …`). The runtime prints no time on it. */
export interface ScavRecord {
  /** KiB returned to the OS by the background scavenger since the previous line. */
  bgKiB: number;
  /** KiB returned eagerly (allocation-driven or forced) since the previous line. */
  eagerKiB: number;
  /** `KiB now`: heap memory currently released to the OS. */
  releasedKiB: number;
  /** `% util`: in-use heap as a percent of retained heap. */
  utilPercent: number;
  /** ` (forced)`: printed by debug.FreeOSMemory. */
  forced: boolean;
  /** ` [controller reset]`: the scavenger's controller was reset. */
  controllerReset: boolean;
  line: number;
}

/** One line of the program's own output, with the runtime's lines cut out. */
export interface ProgramLine {
  /**
   * The text without its newline. When a runtime line was printed in the middle of a program
   * line, the program's two parts are joined here, as the program wrote them.
   */
  text: string;
  /** Physical line number (1-based) where the program line ended. */
  line: number;
  /** True for text that had no newline: the end of the stream, or a forced flush of an over-long line. */
  noNewline?: boolean;
}

/** Something the parser noticed and wants the user to know. */
export interface SchedWarning {
  line: number;
  message: string;
}

/** What the stream parser hands back, in stream order. */
export type SchedEvent =
  | { kind: 'snapshot'; snapshot: SchedSnapshot }
  | { kind: 'gc'; gc: GcCycle }
  | { kind: 'scav'; scav: ScavRecord }
  | { kind: 'legacy'; legacy: LegacyTraceLine }
  | { kind: 'program'; program: ProgramLine }
  | { kind: 'warning'; warning: SchedWarning };

/** Error meant for the user: names what is wrong and what to do. */
export class SchedTraceError extends Error {
  constructor(
    message: string,
    /** `no-trace-lines`: the input has no GODEBUG trace line at all; `ended`: push after end(). */
    readonly code: 'no-trace-lines' | 'ended',
  ) {
    super(message);
    this.name = 'SchedTraceError';
  }
}
