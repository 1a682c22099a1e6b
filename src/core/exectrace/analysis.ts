// Digests of a trace model for the UI: the goroutine analysis (per goroutine and per start
// function, as `go tool trace`'s goroutine pages show it, with block reasons grouped into
// categories) and CPU samples as weighted stacks for a flame graph.

import { goroutineExecStats, type TraceModel } from './model';
import { unknownTime, type GoroutineExecStats } from './summarizer';

/** Categories of waiting, from the runtime's block reasons. */
export type BlockCategory = 'chan' | 'select' | 'sync' | 'io' | 'sleep' | 'gc' | 'other';

export const BLOCK_CATEGORIES: readonly BlockCategory[] = [
  'chan',
  'select',
  'sync',
  'io',
  'sleep',
  'gc',
  'other',
];

const CATEGORY_OF_REASON: Readonly<Record<string, BlockCategory>> = {
  'chan send': 'chan',
  'chan receive': 'chan',
  select: 'select',
  sync: 'sync',
  'sync.(*Cond).Wait': 'sync',
  synctest: 'sync',
  network: 'io',
  sleep: 'sleep',
  'GC mark assist wait for work': 'gc',
  'GC background sweeper wait': 'gc',
  'wait until GC ends': 'gc',
  'GC weak to strong wait': 'gc',
};

/**
 * The category of a block reason as the runtime writes it (`runtime/traceruntime.go`):
 * channel operations, select, sync primitives, network I/O, sleep, GC waits; anything else
 * (e.g. "unspecified", "forever", "system goroutine wait", "preempted") is `other`.
 */
export function blockCategory(reason: string): BlockCategory {
  return CATEGORY_OF_REASON[reason] ?? 'other';
}

/** Names of the special ranges the analysis reports separately. */
export const RANGE_GC_ASSIST = 'GC mark assist';
export const RANGE_GC_SWEEP = 'GC incremental sweep';

/** One goroutine's time, in ns. The non-overlapping parts add up to `totalTime`. */
export interface GoroutineRow {
  /** Index in the model's goroutine table, and Go's goroutine ID. */
  index: number;
  id: number;
  /** Start function (the name go tool trace groups by; "" when no stack was seen). */
  name: string;
  creationTime: number;
  /** NaN: never ran / still alive. */
  startTime: number;
  endTime: number;
  totalTime: number;
  execTime: number;
  /** Runnable, waiting for a P (includes Go's "syscall lost its P" tail, as Go counts it). */
  schedWaitTime: number;
  /** In a syscall holding a P / after losing it. */
  syscallTime: number;
  syscallBlockTime: number;
  /** Waiting, by category. */
  blocked: Record<BlockCategory, number>;
  /** Waiting, by the runtime's own reason text. */
  blockTimeByReason: ReadonlyMap<string, number>;
  /** Not accounted for by the above (time before the goroutine was seen in a known state). */
  unknownTime: number;
  /** Overlapping: time in GC mark assist, in GC sweeping, and stopped by stop-the-world. */
  gcAssistTime: number;
  gcSweepTime: number;
  stwTime: number;
}

/** Goroutines grouped by start function, with the sums of their rows. */
export interface GoroutineGroup {
  name: string;
  count: number;
  /** Indices into `GoroutineAnalysis.goroutines`. */
  members: number[];
  totalTime: number;
  execTime: number;
  schedWaitTime: number;
  syscallTime: number;
  syscallBlockTime: number;
  blocked: Record<BlockCategory, number>;
  unknownTime: number;
  gcAssistTime: number;
  gcSweepTime: number;
  stwTime: number;
}

/** Result of `goroutineAnalysis`. */
export interface GoroutineAnalysis {
  /** One row per goroutine, in model index order. */
  goroutines: GoroutineRow[];
  /** Groups by start function, largest total execution time first. */
  groups: GoroutineGroup[];
  /** Execution time of all goroutines together. */
  totalExecTime: number;
}

const zeroBlocked = (): Record<BlockCategory, number> => ({
  chan: 0,
  select: 0,
  sync: 0,
  io: 0,
  sleep: 0,
  gc: 0,
  other: 0,
});

function row(index: number, s: GoroutineExecStats): GoroutineRow {
  const blocked = zeroBlocked();
  for (const [reason, v] of s.blockTimeByReason) blocked[blockCategory(reason)] += v;
  let stw = 0;
  for (const [name, v] of s.rangeTime) if (name.startsWith('stop-the-world')) stw += v;
  return {
    index,
    id: s.id,
    name: s.name,
    creationTime: s.creationTime,
    startTime: s.startTime,
    endTime: s.endTime,
    totalTime: s.totalTime,
    execTime: s.execTime,
    schedWaitTime: s.schedWaitTime,
    syscallTime: s.syscallTime,
    syscallBlockTime: s.syscallBlockTime,
    blocked,
    blockTimeByReason: s.blockTimeByReason,
    unknownTime: unknownTime(s),
    gcAssistTime: s.rangeTime.get(RANGE_GC_ASSIST) ?? 0,
    gcSweepTime: s.rangeTime.get(RANGE_GC_SWEEP) ?? 0,
    stwTime: stw,
  };
}

/**
 * The goroutine analysis of a model: per goroutine and per start function, the same numbers
 * as `go tool trace`'s /goroutines and /goroutine pages, with waits also by category.
 * Goroutines the trace never showed changing state are left out (as Go leaves them out).
 */
export function goroutineAnalysis(model: TraceModel): GoroutineAnalysis {
  const goroutines: GoroutineRow[] = [];
  for (let gi = 0; gi < model.goroutines.count; gi++) {
    if (model.execStats.seen[gi] === 0) continue;
    goroutines.push(row(gi, goroutineExecStats(model, gi)));
  }
  const byName = new Map<string, GoroutineGroup>();
  let totalExecTime = 0;
  goroutines.forEach((r, i) => {
    totalExecTime += r.execTime;
    let g = byName.get(r.name);
    if (!g) {
      g = {
        name: r.name,
        count: 0,
        members: [],
        totalTime: 0,
        execTime: 0,
        schedWaitTime: 0,
        syscallTime: 0,
        syscallBlockTime: 0,
        blocked: zeroBlocked(),
        unknownTime: 0,
        gcAssistTime: 0,
        gcSweepTime: 0,
        stwTime: 0,
      };
      byName.set(r.name, g);
    }
    g.count++;
    g.members.push(i);
    g.totalTime += r.totalTime;
    g.execTime += r.execTime;
    g.schedWaitTime += r.schedWaitTime;
    g.syscallTime += r.syscallTime;
    g.syscallBlockTime += r.syscallBlockTime;
    for (const c of BLOCK_CATEGORIES) g.blocked[c] += r.blocked[c];
    g.unknownTime += r.unknownTime;
    g.gcAssistTime += r.gcAssistTime;
    g.gcSweepTime += r.gcSweepTime;
    g.stwTime += r.stwTime;
  });
  const groups = [...byName.values()].sort(
    (a, b) => b.execTime - a.execTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { goroutines, groups, totalExecTime };
}

/** A stack frame for a flame graph. */
export interface FlameFrame {
  func: string;
  file: string;
  line: number;
}

/** A stack (root first) and how many samples had it. */
export interface WeightedStack {
  frames: FlameFrame[];
  weight: number;
}

/** CPU samples aggregated by stack: the input of a flame graph. */
export interface CpuProfile {
  /** Distinct stacks with their sample counts, heaviest first. */
  stacks: WeightedStack[];
  /** Samples selected, including those without a stack. */
  totalSamples: number;
  /** Samples selected that had no stack (not in `stacks`). */
  samplesWithoutStack: number;
}

/** Which CPU samples `cpuProfile` takes. */
export interface CpuProfileFilter {
  /** Time range [start, end] (model time, ns); defaults to the whole trace. */
  start?: number;
  end?: number;
  /** Goroutine indices (model indices); samples of other goroutines, or of none, are skipped. */
  goroutines?: Iterable<number>;
}

/**
 * The trace's CPU samples in a time range and/or for some goroutines, aggregated by stack, as
 * a plain structure a flame graph can draw (one unit of weight = one sample; the runtime takes
 * them at the CPU profiler's rate, 100 Hz unless the program changed it).
 */
export function cpuProfile(model: TraceModel, filter: CpuProfileFilter = {}): CpuProfile {
  const cs = model.cpuSamples;
  const start = filter.start ?? -Infinity;
  const end = filter.end ?? Infinity;
  const only = filter.goroutines ? new Set(filter.goroutines) : null;
  const weights = new Map<number, number>();
  let total = 0;
  let noStack = 0;
  for (let i = 0; i < cs.count; i++) {
    const t = cs.time[i];
    if (t < start || t > end) continue;
    if (only && !only.has(cs.g[i])) continue;
    total++;
    const s = cs.stack[i];
    if (s < 0) {
      noStack++;
      continue;
    }
    weights.set(s, (weights.get(s) ?? 0) + 1);
  }
  const { offsets, frames } = model.stacks;
  const f = model.frames;
  const stacks: WeightedStack[] = [];
  for (const [s, weight] of weights) {
    const fr: FlameFrame[] = [];
    for (let k = offsets[s + 1] - 1; k >= offsets[s]; k--) {
      const id = frames[k];
      fr.push({
        func: model.strings[f.func[id]],
        file: model.strings[f.file[id]],
        line: f.line[id],
      });
    }
    stacks.push({ frames: fr, weight });
  }
  stacks.sort((a, b) => b.weight - a.weight);
  return { stacks, totalSamples: total, samplesWithoutStack: noStack };
}
