// `golens schedtrace FILE [--json]`: parses a captured stderr log with GODEBUG schedtrace,
// scheddetail, gctrace and scavtrace lines in it (program output may be mixed in).
import { readFileSync } from 'node:fs';
import { parseSchedTraceLog, type SchedSnapshot, type SchedTraceLog } from '../core/schedtrace';
import { CliError, parseArgs, writeLines, type CliCommand } from './command';
import { formatBytes, formatMs, formatPercent } from '../core/format/units';

const USAGE = 'usage: golens schedtrace FILE [--json]   (FILE "-" reads stdin)';

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code ?? (err as Error).message}`);
  }
}

/** The JSON form of one snapshot: the fields the runtime prints, in its order. */
function snapshotJson(s: SchedSnapshot): unknown {
  const out: Record<string, unknown> = {
    timeMs: s.timeMs,
    gomaxprocs: s.gomaxprocs,
    idleprocs: s.idleprocs,
    threads: s.threads,
    spinningthreads: s.spinningthreads,
  };
  if (s.needspinning !== undefined) out.needspinning = s.needspinning;
  out.idlethreads = s.idlethreads;
  out.runqueue = s.runqueue;
  out.runqueues = s.runqueues;
  if (s.schedticks) out.schedticks = s.schedticks;
  if (s.detail) out.detail = s.detail;
  out.line = s.line;
  return out;
}

function* jsonLines(log: SchedTraceLog): Generator<string> {
  // One record per output line, so a big log is written in pieces and stays greppable.
  yield '{';
  yield '"snapshots": [';
  for (let i = 0; i < log.snapshots.length; i++)
    yield (
      JSON.stringify(snapshotJson(log.snapshots[i])) + (i + 1 < log.snapshots.length ? ',' : '')
    );
  yield '],';
  yield '"gcCycles": [';
  for (let i = 0; i < log.gcCycles.length; i++)
    yield JSON.stringify(log.gcCycles[i]) + (i + 1 < log.gcCycles.length ? ',' : '');
  yield '],';
  yield '"scavenger": [';
  for (let i = 0; i < log.scavenger.length; i++)
    yield JSON.stringify(log.scavenger[i]) + (i + 1 < log.scavenger.length ? ',' : '');
  yield '],';
  if (log.legacy.length > 0) {
    yield '"legacy": [';
    for (let i = 0; i < log.legacy.length; i++)
      yield JSON.stringify(log.legacy[i]) + (i + 1 < log.legacy.length ? ',' : '');
    yield '],';
  }
  yield `"programOutputLines": ${log.programOutput.length},`;
  yield `"warnings": ${JSON.stringify(log.warnings)}`;
  yield '}';
}

/** The largest f(x) (or `empty` for none), by a loop: spreading a log's worth of values into Math.max overflows the call stack. */
function maxOf<T>(xs: Iterable<T>, f: (x: T) => number, empty = -Infinity): number {
  let m = empty;
  for (const x of xs) {
    const v = f(x);
    if (v > m) m = v;
  }
  return m;
}

/** The runtime prints heap sizes in MB (MiB, rounded down): shown by the one byte rule. */
const mb = (n: number | undefined): string => (n === undefined ? '?' : formatBytes(n * 2 ** 20));

function fmt(n: number, digits = 1): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

function summary(file: string, log: SchedTraceLog): string[] {
  const out: string[] = [];
  const s = log.snapshots;
  out.push(
    `${file}: ${log.stats.traceLines} runtime trace lines, ${log.programOutput.length} program output lines`,
  );
  if (s.length > 0) {
    const first = s[0].timeMs;
    const last = s[s.length - 1].timeMs;
    const detail = s.filter((x) => x.detail);
    const incomplete = detail.filter((x) => x.detail!.incomplete).length;
    const procs = [...new Set(s.map((x) => x.gomaxprocs))].join(', ');
    const every = s.length > 1 ? `, every ~${Math.round((last - first) / (s.length - 1))} ms` : '';
    out.push(
      `schedtrace: ${s.length} snapshots from ${first} to ${last} ms${every}; GOMAXPROCS ${procs}` +
        (detail.length
          ? `; ${detail.length} with scheddetail${incomplete ? ` (${incomplete} incomplete)` : ''}`
          : ''),
    );
    const max = (f: (x: SchedSnapshot) => number) => maxOf(s, f);
    const avg = (f: (x: SchedSnapshot) => number) => s.reduce((a, x) => a + f(x), 0) / s.length;
    const localMax = max((x) => maxOf(x.runqueues, (q) => q, 0));
    out.push(
      `  threads max ${max((x) => x.threads)}, idle Ps avg ${fmt(avg((x) => x.idleprocs))}, spinning max ${max((x) => x.spinningthreads)}, ` +
        `global run queue max ${max((x) => x.runqueue)}, local run queue max ${localMax}`,
    );
    if (detail.length) {
      const lastDetail = detail[detail.length - 1].detail!;
      const reasons = new Map<string, number>();
      for (const g of lastDetail.gs)
        if ((g.status & 0xfff) === 4)
          reasons.set(g.waitReason, (reasons.get(g.waitReason) ?? 0) + 1);
      const top = [...reasons]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');
      out.push(
        `  last scheddetail block: ${lastDetail.ps.length} Ps, ${lastDetail.ms.length} Ms, ${lastDetail.gs.length} Gs${top ? `; waiting: ${top}` : ''}`,
      );
    }
  } else {
    out.push('schedtrace: no SCHED lines');
  }
  const gc = log.gcCycles;
  if (gc.length > 0) {
    const forced = gc.filter((g) => g.forced).length;
    const last = gc[gc.length - 1];
    const pause = maxOf(gc, (g) => g.clockSweepTermMs + g.clockMarkTermMs);
    out.push(
      `gctrace: ${gc.length} cycles (${forced} forced), gc ${gc[0].n}..${last.n} from ${gc[0].startS} to ${last.startS} s; ` +
        `live heap last ${mb(last.heapLiveMB)}, max ${mb(maxOf(gc, (g) => g.heapLiveMB))}; goal max ${mb(maxOf(gc, (g) => g.heapGoalMB))}; ` +
        `GC CPU ${formatPercent(last.cpuPercent, 100)} at the end; longest stop-the-world pair ${formatMs(pause)}`,
    );
  } else {
    out.push('gctrace: no gc lines');
  }
  const sc = log.scavenger;
  if (sc.length > 0) {
    const bg = sc.reduce((a, x) => a + x.bgKiB, 0);
    const eager = sc.reduce((a, x) => a + x.eagerKiB, 0);
    out.push(
      `scavtrace: ${sc.length} lines (${sc.filter((x) => x.forced).length} forced); returned ${formatBytes(bg * 1024)} in background, ${formatBytes(eager * 1024)} eagerly; ${formatBytes(sc[sc.length - 1].releasedKiB * 1024)} released at the end`,
    );
  }
  const old = log.legacy;
  if (old.length > 0) {
    const gc14 = old.filter((x) => x.format === 'gc-go1.4');
    const scvg = old.filter((x) => x.format !== 'gc-go1.4');
    if (gc14.length > 0) {
      const pause = maxOf(
        gc14,
        (x) =>
          (x.values.phase1Us ?? 0) +
          (x.values.phase2Us ?? 0) +
          (x.values.phase3Us ?? 0) +
          (x.values.phase4Us ?? 0),
      );
      const last = gc14[gc14.length - 1].values;
      out.push(
        `gctrace (Go 1.3–1.4 format, no time stamps): ${gc14.length} cycles, gc ${gc14[0].values.numgc}..${last.numgc}; heap after last ${mb(last.heap1MB)}; longest stop-the-world ${formatMs(pause / 1000)}`,
      );
    }
    if (scvg.length > 0) {
      const stats = scvg.filter((x) => x.format === 'scvg-stats');
      const last = stats[stats.length - 1]?.values;
      out.push(
        `scvg (Go 1.4–1.11 scavenger): ${scvg.length} lines${last ? `; last: inuse ${mb(last.inuseMB)}, idle ${mb(last.idleMB)}, sys ${mb(last.sysMB)}, released ${mb(last.releasedMB)}` : ''}`,
      );
    }
  }
  if (log.warnings.length > 0) {
    out.push(`warnings: ${log.warnings.length}`);
    for (const w of log.warnings.slice(0, 5)) out.push(`  line ${w.line}: ${w.message}`);
    if (log.warnings.length > 5) out.push(`  … ${log.warnings.length - 5} more (see --json)`);
  }
  return out;
}

export const schedtraceCommand: CliCommand = {
  summary:
    'parse GODEBUG schedtrace/scheddetail/gctrace/scavtrace lines from a captured stderr log',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const parsed = parseArgs(args, [], ['json']);
    if (parsed.positional.length !== 1) throw new CliError(USAGE);
    const file = parsed.positional[0];
    // parseSchedTraceLog throws a SchedTraceError (a one-line, user-facing message) when the log
    // has no trace line at all.
    const log = parseSchedTraceLog(readInput(file));
    await writeLines(parsed.flags.has('json') ? jsonLines(log) : summary(file, log));
    return 0;
  },
};
