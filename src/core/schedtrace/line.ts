// The grammar of one runtime trace line, as the Go runtime prints it (runtime/proc.go
// `schedtrace`, runtime/mgc.go `gcMarkTermination`, runtime/mgcscavenge.go `printScavTrace`).
// Every pattern is anchored at both ends: a line is a trace line only if all of it matches,
// because the same stream carries the program's own output and a near miss must stay the
// program's.
//
// Version notes (checked against the printing code of go1.20.14, go1.21.13, go1.22.12,
// go1.23.12, go1.24.13, go1.25.14, go1.26.8 and go1.27.4):
//  * SCHED: 1.20+ print `needspinning=`; a go1.19 log has none (optional here for such logs).
//    Up to 1.24 the per-P run queues are `[0 0 0]`; from 1.25 they are `[ 0 0 0 ]` followed by
//    ` schedticks=[ t0 t1 t2 ]` (each tick followed by a space).
//  * scheddetail: the SCHED line ends ` gcwaiting=<bool> nmidlelocked=N stopwait=N sysmonwait=<bool>`
//    and has no per-P list. 1.20+ print bools as `true`/`false` and absent ids as `nil`; the go1.19
//    log has `0`/`1` and `-1` (both accepted). `timerslen=` is printed by all of these releases.
//    nmidlelocked can be negative (seen: -1).
//  * gctrace: 1.20+ print ` N MB stacks, N MB globals,` (optional here for older logs); 1.26
//    added an optional ` (checking for goroutine leaks)` after the percentage.
//  * scav: unchanged from 1.21 to 1.27. (1.20 printed `scav N KiB work, N KiB total, N% util`;
//    not parsed: it stays program output, with a warning.)
//  * The runtime prints each value with its own write, and a line of a P/M/G block with several
//    print calls: see stream.ts for what that means when output interleaves.
import type {
  DetailHeader,
  GcCycle,
  GRecord,
  LegacyTraceLine,
  MRecord,
  PRecord,
  ScavRecord,
  SchedSnapshot,
} from './types';

/** A trace line recognised by {@link parseTraceLine}. */
export type TraceLine =
  | { kind: 'sched'; snapshot: SchedSnapshot; detailHeader?: DetailHeader }
  | { kind: 'p'; p: PRecord }
  | { kind: 'm'; m: MRecord }
  | { kind: 'g'; g: GRecord }
  | { kind: 'gc'; gc: GcCycle }
  | { kind: 'scav'; scav: ScavRecord }
  | { kind: 'legacy'; legacy: LegacyTraceLine };

const SCHED_HEAD =
  /^SCHED (\d+)ms: gomaxprocs=(\d+) idleprocs=(-?\d+) threads=(-?\d+) spinningthreads=(-?\d+)(?: needspinning=(\d+))? idlethreads=(-?\d+) runqueue=(-?\d+)/;
const SCHED_DETAIL_TAIL =
  /^ gcwaiting=(true|false|0|1) nmidlelocked=(-?\d+) stopwait=(-?\d+) sysmonwait=(true|false|0|1)$/;
// Up to Go 1.24: ` [q0 q1 …]`.
const SCHED_LIST_OLD = /^ \[(\d+(?: \d+)*)\]$/;
// Go 1.25+: ` [ q0 q1 … ] schedticks=[ t0 t1 … ]` (the ticks part is always printed by those
// releases; optional here so a line from a dev build between the two changes still parses).
const SCHED_LIST_NEW = /^ \[ (\d+(?: \d+)*) \](?: schedticks=\[ ((?:\d+ )*)\])?$/;

const P_LINE =
  /^ {2}P(\d+): status=(\d+) schedtick=(\d+) syscalltick=(\d+) m=(nil|-?\d+) runqsize=(\d+) gfreecnt=(-?\d+)(?: timerslen=(\d+))?$/;
// preemptoff is a Go string printed verbatim (it may hold spaces); the fields after it pin it down.
const M_LINE =
  /^ {2}M(\d+): p=(nil|-?\d+) curg=(nil|-?\d+) mallocing=(-?\d+) throwing=(-?\d+) preemptoff=(.*?) locks=(-?\d+) dying=(-?\d+) spinning=(true|false) blocked=(true|false) lockedg=(nil|-?\d+)$/;
// Wait reasons contain parentheses ("GC worker (idle)"); the greedy group backs off to the last
// `) m=`, which the runtime prints right after the reason.
const G_LINE = /^ {2}G(\d+): status=(\d+)\((.*)\) m=(nil|-?\d+) lockedm=(nil|-?\d+)$/;

// fmtNSAsMS prints whole milliseconds from 10 ms up, else two significant digits with at most
// three decimals (0, 0.011, 0.15, 1.2): digits with an optional fraction.
const MS = '(\\d+(?:\\.\\d+)?)';
const GC_LINE = new RegExp(
  `^gc (\\d+) @(\\d+\\.\\d+)s (\\d+)%( \\(checking for goroutine leaks\\))?: ${MS}\\+${MS}\\+${MS} ms clock, ` +
    `${MS}\\+${MS}/${MS}/${MS}\\+${MS} ms cpu, (\\d+)->(\\d+)->(\\d+) MB, (\\d+) MB goal, ` +
    `(?:(\\d+) MB stacks, (\\d+) MB globals, )?(\\d+) P( \\(forced\\))?$`,
);
// Go 1.5–1.6 (runtime/mgc.go gcMarkTermination): five clock phases and seven CPU figures.
const GC_LINE_15 = new RegExp(
  `^gc (\\d+) @(\\d+\\.\\d+)s (\\d+)%: ${MS}\\+${MS}\\+${MS}\\+${MS}\\+${MS} ms clock, ` +
    `${MS}\\+${MS}\\+${MS}\\+${MS}/${MS}/${MS}\\+${MS} ms cpu, (\\d+)->(\\d+)->(\\d+) MB, (\\d+) MB goal, (\\d+) P( \\(forced\\))?$`,
);
// Go 1.4 (runtime/mgc0.c gc): `gc%d(%d): %D+%D+%D+%D us, %D -> %D MB, %D (%D-%D) objects,
// %d goroutines, %d/%d/%d sweeps, %D(%D) handoff, %D(%D) steal, %D/%D/%D yields`; Go 1.3 has no
// goroutines field.
const GC_LINE_14 =
  /^gc(\d+)\((\d+)\): (\d+)\+(\d+)\+(\d+)\+(\d+) us, (\d+) -> (\d+) MB, (\d+) \((\d+)-(\d+)\) objects,(?: (\d+) goroutines,)? (\d+)\/(\d+)\/(\d+) sweeps, (\d+)\((\d+)\) handoff, (\d+)\((\d+)\) steal, (\d+)\/(\d+)\/(\d+) yields$/;
const GC_LINE_14_NAMES = [
  'numgc',
  'nproc',
  'phase1Us',
  'phase2Us',
  'phase3Us',
  'phase4Us',
  'heap0MB',
  'heap1MB',
  'objects',
  'nmalloc',
  'nfree',
  'goroutines',
  'nspan',
  'nbgsweep',
  'npausesweep',
  'nhandoff',
  'nhandoffcnt',
  'nsteal',
  'nstealcnt',
  'nprocyield',
  'nosyield',
  'nsleep',
];
// Go 1.4–1.11 scavenger (GODEBUG=gctrace=1): `scvg#: # MB released` and
// `scvg#: inuse: #, idle: #, sys: #, released: #, consumed: # (MB)`.
const SCVG_RELEASED = /^scvg(\d+): (\d+) MB released$/;
const SCVG_STATS =
  /^scvg(\d+): inuse: (\d+), idle: (\d+), sys: (\d+), released: (\d+), consumed: (\d+) \(MB\)$/;

const SCAV_LINE =
  /^scav (\d+) KiB work \(bg\), (\d+) KiB work \(eager\), (\d+) KiB now, (\d+)% util( \(forced\)| \[controller reset\])?$/;

// Wait reasons (runtime2.go waitReasonStrings) and preemptoff reasons ("gcing", "GC worker init",
// stop-the-world reasons such as "GOMAXPROCS" or "CountPagesInUse (test)") are words, spaces, dots
// and parentheses; no release so far uses digits or other punctuation. Holding the free-text
// fields to that keeps program text that was written into the middle of a runtime line from
// passing as a wait reason ("(stderr line 5select)"); new reasons in later releases still parse.
const REASON = /^(?:[A-Za-z][A-Za-z .()_-]{0,79})?$/;

function id(s: string): number | null {
  return s === 'nil' || s === '-1' ? null : Number(s);
}

function bool(s: string): boolean {
  return s === 'true' || s === '1';
}

function intList(s: string): number[] {
  const parts = s.trim();
  if (parts === '') return [];
  return parts.split(' ').map(Number);
}

/** Parses a SCHED line (plain or scheddetail variant), or returns undefined. */
export function parseSchedLine(text: string, line = 0): TraceLine | undefined {
  const h = SCHED_HEAD.exec(text);
  if (!h) return undefined;
  const rest = text.slice(h[0].length);
  const snapshot: SchedSnapshot = {
    timeMs: Number(h[1]),
    gomaxprocs: Number(h[2]),
    idleprocs: Number(h[3]),
    threads: Number(h[4]),
    spinningthreads: Number(h[5]),
    idlethreads: Number(h[7]),
    runqueue: Number(h[8]),
    runqueues: [],
    line,
  };
  if (h[6] !== undefined) snapshot.needspinning = Number(h[6]);
  const d = SCHED_DETAIL_TAIL.exec(rest);
  if (d) {
    const detailHeader: DetailHeader = {
      gcwaiting: bool(d[1]),
      nmidlelocked: Number(d[2]),
      stopwait: Number(d[3]),
      sysmonwait: bool(d[4]),
    };
    return { kind: 'sched', snapshot, detailHeader };
  }
  const o = SCHED_LIST_OLD.exec(rest);
  if (o) {
    snapshot.runqueues = intList(o[1]);
    return { kind: 'sched', snapshot };
  }
  const n = SCHED_LIST_NEW.exec(rest);
  if (n) {
    snapshot.runqueues = intList(n[1]);
    if (n[2] !== undefined) snapshot.schedticks = intList(n[2]);
    return { kind: 'sched', snapshot };
  }
  return undefined;
}

/** Parses a `  P<i>: …` line, or returns undefined. */
export function parsePLine(text: string, line = 0): PRecord | undefined {
  const m = P_LINE.exec(text);
  if (!m) return undefined;
  // Keys in the runtime's order (they show in --json), optional ones only when printed.
  return {
    id: Number(m[1]),
    status: Number(m[2]),
    schedtick: Number(m[3]),
    syscalltick: Number(m[4]),
    m: id(m[5]),
    runqsize: Number(m[6]),
    gfreecnt: Number(m[7]),
    ...(m[8] !== undefined ? { timerslen: Number(m[8]) } : {}),
    line,
  };
}

/** Parses a `  M<id>: …` line, or returns undefined. */
export function parseMLine(text: string, line = 0): MRecord | undefined {
  const m = M_LINE.exec(text);
  if (!m || !REASON.test(m[6])) return undefined;
  return {
    id: Number(m[1]),
    p: id(m[2]),
    curg: id(m[3]),
    mallocing: Number(m[4]),
    throwing: Number(m[5]),
    preemptoff: m[6],
    locks: Number(m[7]),
    dying: Number(m[8]),
    spinning: m[9] === 'true',
    blocked: m[10] === 'true',
    lockedg: id(m[11]),
    line,
  };
}

/** Parses a `  G<goid>: …` line, or returns undefined. */
export function parseGLine(text: string, line = 0): GRecord | undefined {
  const m = G_LINE.exec(text);
  if (!m || !REASON.test(m[3])) return undefined;
  return {
    goid: Number(m[1]),
    status: Number(m[2]),
    waitReason: m[3],
    m: id(m[4]),
    lockedm: id(m[5]),
    line,
  };
}

/** Parses a gctrace line, or returns undefined. */
export function parseGcLine(text: string, line = 0): GcCycle | undefined {
  const m = GC_LINE.exec(text);
  if (!m) return undefined;
  const gc: GcCycle = {
    n: Number(m[1]),
    startS: Number(m[2]),
    cpuPercent: Number(m[3]),
    leakCheck: m[4] !== undefined,
    clockSweepTermMs: Number(m[5]),
    clockMarkMs: Number(m[6]),
    clockMarkTermMs: Number(m[7]),
    cpuSweepTermMs: Number(m[8]),
    cpuAssistMs: Number(m[9]),
    cpuBackgroundMs: Number(m[10]),
    cpuIdleMs: Number(m[11]),
    cpuMarkTermMs: Number(m[12]),
    heapStartMB: Number(m[13]),
    heapEndMB: Number(m[14]),
    heapLiveMB: Number(m[15]),
    heapGoalMB: Number(m[16]),
    ...(m[17] !== undefined ? { stacksMB: Number(m[17]), globalsMB: Number(m[18]) } : {}),
    procs: Number(m[19]),
    forced: m[20] !== undefined,
    line,
  };
  return gc;
}

/** Parses a Go 1.5–1.6 gctrace line (five clock phases), or returns undefined. */
export function parseGcLine15(text: string, line = 0): GcCycle | undefined {
  const m = GC_LINE_15.exec(text);
  if (!m) return undefined;
  const v = (i: number) => Number(m[i]);
  const clockMs = [v(4), v(5), v(6), v(7), v(8)];
  const cpuMs = [v(9), v(10), v(11), v(12), v(13), v(14), v(15)];
  return {
    n: v(1),
    startS: v(2),
    cpuPercent: v(3),
    leakCheck: false,
    clockSweepTermMs: clockMs[0],
    clockMarkMs: clockMs[1] + clockMs[2] + clockMs[3],
    clockMarkTermMs: clockMs[4],
    cpuSweepTermMs: cpuMs[0],
    cpuAssistMs: cpuMs[3],
    cpuBackgroundMs: cpuMs[1] + cpuMs[2] + cpuMs[4],
    cpuIdleMs: cpuMs[5],
    cpuMarkTermMs: cpuMs[6],
    heapStartMB: v(16),
    heapEndMB: v(17),
    heapLiveMB: v(18),
    heapGoalMB: v(19),
    procs: v(20),
    forced: m[21] !== undefined,
    go15Phases: { clockMs, cpuMs },
    line,
  };
}

/** Parses a Go 1.3–1.4 `gcN(P): …` line or a `scvgN: …` line of Go 1.4–1.11, or returns undefined. */
export function parseLegacyLine(text: string, line = 0): LegacyTraceLine | undefined {
  let m = GC_LINE_14.exec(text);
  if (m) {
    const values: Record<string, number> = {};
    GC_LINE_14_NAMES.forEach((name, i) => {
      if (m![i + 1] !== undefined) values[name] = Number(m![i + 1]);
    });
    return { format: 'gc-go1.4', values, line };
  }
  m = SCVG_RELEASED.exec(text);
  if (m)
    return { format: 'scvg-released', values: { n: Number(m[1]), releasedMB: Number(m[2]) }, line };
  m = SCVG_STATS.exec(text);
  if (m) {
    const [n, inuseMB, idleMB, sysMB, releasedMB, consumedMB] = m.slice(1).map(Number);
    return {
      format: 'scvg-stats',
      values: { n, inuseMB, idleMB, sysMB, releasedMB, consumedMB },
      line,
    };
  }
  return undefined;
}

/** Parses a scavenger line, or returns undefined. */
export function parseScavLine(text: string, line = 0): ScavRecord | undefined {
  const m = SCAV_LINE.exec(text);
  if (!m) return undefined;
  return {
    bgKiB: Number(m[1]),
    eagerKiB: Number(m[2]),
    releasedKiB: Number(m[3]),
    utilPercent: Number(m[4]),
    forced: m[5] === ' (forced)',
    controllerReset: m[5] === ' [controller reset]',
    line,
  };
}

/**
 * Parses one line (without its newline) if all of it is a runtime trace line. P, M and G lines
 * are recognised here on their own; whether they belong to a scheddetail block is the stream
 * parser's call.
 */
export function parseTraceLine(text: string, line = 0): TraceLine | undefined {
  switch (text.charCodeAt(0)) {
    case 0x53 /* S */: {
      return parseSchedLine(text, line);
    }
    case 0x67 /* g */: {
      const gc =
        parseGcLine(text, line) ??
        (text.charCodeAt(2) === 0x20 ? parseGcLine15(text, line) : undefined);
      if (gc) return { kind: 'gc', gc };
      const legacy = parseLegacyLine(text, line);
      return legacy && { kind: 'legacy', legacy };
    }
    case 0x73 /* s */: {
      const scav = parseScavLine(text, line);
      if (scav) return { kind: 'scav', scav };
      const legacy = parseLegacyLine(text, line);
      return legacy && { kind: 'legacy', legacy };
    }
    case 0x20 /* space */: {
      switch (text.charCodeAt(2)) {
        case 0x47 /* G */: {
          const g = parseGLine(text, line);
          return g && { kind: 'g', g };
        }
        case 0x50 /* P */: {
          const p = parsePLine(text, line);
          return p && { kind: 'p', p };
        }
        case 0x4d /* M */: {
          const m = parseMLine(text, line);
          return m && { kind: 'm', m };
        }
      }
      return undefined;
    }
  }
  return undefined;
}

// ---- prefixes, for putting torn lines back together ----
//
// Each grammar (the 1.20+ form) as a list of atoms no coarser than the runtime's print pieces:
// a head of a torn line ends between two pieces, so it matches the atoms up to some point.
// Lists and free text are kept loose: this only prunes a search, the full grammar decides.
const ID_ = '(?:nil|-?\\d+)';
const INT_ = '-?\\d+';
const BOOL_ = '(?:true|false)';
const MS_ = '\\d+(?:\\.\\d+)?';
const TEXT_ = '[A-Za-z .()_-]*';
const SCHED_ATOMS = [
  'SCHED ',
  '\\d+',
  'ms: gomaxprocs=',
  '\\d+',
  ' idleprocs=',
  INT_,
  ' threads=',
  INT_,
  ' spinningthreads=',
  INT_,
  ' needspinning=',
  '\\d+',
  ' idlethreads=',
  INT_,
  ' runqueue=',
  INT_,
];
const SCHED_TAILS = [
  [' gcwaiting=', BOOL_, ' nmidlelocked=', INT_, ' stopwait=', INT_, ' sysmonwait=', BOOL_],
  [' ', '\\[', '[\\d ]*', '\\]'],
  [' \\[ ', '[\\d ]*', '\\]', ' schedticks=\\[ ', '[\\d ]*', '\\]'],
];
const P_ATOMS = [
  '  P',
  '\\d+',
  ': status=',
  '\\d+',
  ' schedtick=',
  '\\d+',
  ' syscalltick=',
  '\\d+',
  ' m=',
  ID_,
  ' runqsize=',
  '\\d+',
  ' gfreecnt=',
  INT_,
  ' timerslen=',
  '\\d+',
];
const M_ATOMS = [
  '  M',
  '\\d+',
  ': p=',
  ID_,
  ' curg=',
  ID_,
  ' mallocing=',
  INT_,
  ' throwing=',
  INT_,
  ' preemptoff=',
  TEXT_,
  ' locks=',
  INT_,
  ' dying=',
  INT_,
  ' spinning=',
  BOOL_,
  ' blocked=',
  BOOL_,
  ' lockedg=',
  ID_,
];
const G_ATOMS = ['  G', '\\d+', ': status=', '\\d+', '\\(', TEXT_, '\\) m=', ID_, ' lockedm=', ID_];
const GC_ATOMS = [
  'gc ',
  '\\d+',
  ' @',
  '\\d+\\.\\d+',
  's ',
  '\\d+',
  '%',
  '(?: \\(checking for goroutine leaks\\))?',
  ': ',
  MS_,
  '\\+',
  MS_,
  '\\+',
  MS_,
  ' ms clock, ',
  MS_,
  '\\+',
  MS_,
  '/',
  MS_,
  '/',
  MS_,
  '\\+',
  MS_,
  ' ms cpu, ',
  '\\d+',
  '->',
  '\\d+',
  '->',
  '\\d+',
  ' MB, ',
  '\\d+',
  ' MB goal, ',
  '\\d+',
  ' MB stacks, ',
  '\\d+',
  ' MB globals, ',
  '\\d+',
  ' P',
  '(?: \\(forced\\))?',
];
const SCAV_ATOMS = [
  'scav ',
  '\\d+',
  ' KiB work \\(bg\\), ',
  '\\d+',
  ' KiB work \\(eager\\), ',
  '\\d+',
  ' KiB now, ',
  '\\d+',
  '% util',
  '(?: \\(forced\\)| \\[controller reset\\])?',
];

/** Atoms a, b, c → `a(?:b(?:c)?)?`: matches the atoms up to any point. */
function nest(atoms: string[], rest = ''): string {
  let out = rest;
  for (let i = atoms.length - 1; i >= 0; i--) out = atoms[i] + (out ? `(?:${out})?` : '');
  return out;
}

const HEAD_PREFIX: Record<string, RegExp> = {
  'SCHED ': new RegExp(`^${nest(SCHED_ATOMS, SCHED_TAILS.map((t) => nest(t)).join('|'))}$`),
  '  P': new RegExp(`^${nest(P_ATOMS)}$`),
  '  M': new RegExp(`^${nest(M_ATOMS)}$`),
  '  G': new RegExp(`^${nest(G_ATOMS)}$`),
  'gc ': new RegExp(`^${nest(GC_ATOMS)}$`),
  'scav ': new RegExp(`^${nest(SCAV_ATOMS)}$`),
};

/** Atoms a, b, c → `(?:(?:a)?b)?c`: matches the atoms from any point on. */
function nestTail(atoms: string[]): string {
  let out = '';
  for (const a of atoms) out = out ? `(?:${out})?${a}` : a;
  return out;
}

/** Every suffix, cut between atoms, of the lines `head` + one of `tails` (the empty one too). */
function tailPattern(head: string[], tails: string[][] = [[]]): RegExp {
  const alts = tails.flatMap((t) => {
    const whole = t.join('');
    return t.length ? [`(?:${nestTail(head)})?${whole}`, nestTail(t)] : [nestTail(head)];
  });
  return new RegExp(`^(?:${alts.join('|')})?$`);
}

const TAIL_PATTERN: Record<string, RegExp> = {
  'SCHED ': tailPattern(SCHED_ATOMS, SCHED_TAILS),
  '  P': tailPattern(P_ATOMS),
  '  M': tailPattern(M_ATOMS),
  '  G': tailPattern(G_ATOMS),
  'gc ': tailPattern(GC_ATOMS),
  'scav ': tailPattern(SCAV_ATOMS),
};

/**
 * True when `tail` can be the end of a runtime line (1.20+ form) that begins with `start`, cut
 * between two of its print pieces (the empty tail too: the newline is a piece of its own).
 */
export function isLineTail(start: string, tail: string): boolean {
  return TAIL_PATTERN[start]?.test(tail) ?? false;
}

/**
 * True when `head` can be the start of a runtime line (1.20+ form) that begins with `start` (one
 * of {@link TRACE_LINE_STARTS}), cut between two of its print pieces.
 */
export function isLineHead(start: string, head: string): boolean {
  return HEAD_PREFIX[start]?.test(head) ?? false;
}

/**
 * Wait reasons printed by Go 1.21–1.27 (runtime2.go waitReasonStrings of each, and the
 * fallback for an unknown index).
 */
export const KNOWN_WAIT_REASONS: ReadonlySet<string> = new Set([
  '',
  'GC assist marking',
  'GC assist wait',
  'GC mark termination',
  'GC scavenge wait',
  'GC sweep wait',
  'GC weak to strong wait',
  'GC worker (active)',
  'GC worker (idle)',
  'GOMAXPROCS updater (idle)',
  'IO wait',
  'chan receive',
  'chan receive (durable)',
  'chan receive (nil chan)',
  'chan receive (synctest)',
  'chan send',
  'chan send (durable)',
  'chan send (nil chan)',
  'chan send (synctest)',
  'cleanup wait',
  'coroutine',
  'debug call',
  'dumping heap',
  'finalizer wait',
  'flushing proc caches',
  'force gc (idle)',
  'garbage collection',
  'garbage collection scan',
  'page trace flush',
  'panicwait',
  'preempted',
  'select',
  'select (durable)',
  'select (no cases)',
  'select (synctest)',
  'semacquire',
  'sleep',
  'stopping the world',
  'sync.Cond.Wait',
  'sync.Mutex.Lock',
  'sync.RWMutex.Lock',
  'sync.RWMutex.RLock',
  'sync.WaitGroup.Wait',
  'sync.WaitGroup.Wait (durable)',
  'synctest.Run',
  'synctest.Wait',
  'trace goroutine status',
  'trace proc status',
  'trace reader (blocked)',
  'unknown wait reason',
  'wait for GC cycle',
]);

/** preemptoff texts of Go 1.21–1.27: "gcing", "GC worker init" and the stop-the-world reasons. */
export const KNOWN_PREEMPTOFF: ReadonlySet<string> = new Set([
  '',
  'gcing',
  'GC worker init',
  'unknown',
  'GC mark termination',
  'GC sweep termination',
  'write heap dump',
  'goroutine profile',
  'goroutine profile cleanup',
  'all goroutines stack trace',
  'read mem stats',
  'AllThreadsSyscall',
  'GOMAXPROCS',
  'start trace',
  'stop trace',
  'CountPagesInUse (test)',
  'ReadMetricsSlow (test)',
  'ReadMemStatsSlow (test)',
  'PageCachePagesLeaked (test)',
  'ResetDebugLog (test)',
]);

/**
 * True unless the line's free text (a G's wait reason, an M's preemptoff) is one no release
 * prints. Parsing a whole line accepts any reason-like text, so a newer release's reasons still
 * parse; putting a torn line back together requires known ones, because there the program's
 * text could otherwise pass for a wait reason.
 */
export function hasKnownFreeText(rec: TraceLine): boolean {
  if (rec.kind === 'g') return KNOWN_WAIT_REASONS.has(rec.g.waitReason);
  if (rec.kind === 'm') return KNOWN_PREEMPTOFF.has(rec.m.preemptoff);
  return true;
}

/**
 * The texts a runtime trace line starts with. A trace line can begin in the middle of a
 * physical line, after program text that had no newline yet; these are where to look for it.
 */
export const TRACE_LINE_STARTS: readonly string[] = ['SCHED ', 'gc ', 'scav ', '  P', '  M', '  G'];

const LOOKS_LIKE = /^(?:SCHED \d|gc \d+ @|scav \d| {2}[PMG]\d+: )/;

/**
 * True when a line starts the way a runtime trace line does (used to warn about a trace line
 * that program output was written into the middle of, which then stays program output).
 */
export function looksLikeTraceLine(text: string): boolean {
  return LOOKS_LIKE.test(text);
}
