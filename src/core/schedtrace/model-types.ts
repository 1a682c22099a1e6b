// The types of the scheduler model (model-retention.ts keeps it bounded, model-queries.ts
// answers from it): its limits, the views its queries return, and the slots of its counts.
import type { DetailHeader, GcCycle, ScavRecord } from './types';

/** Limits of the model; defaults suit an hour of 100 ms snapshots of a 64-P program. */
export interface SchedModelOptions {
  /** Newest scheddetail blocks kept with all their P/M/G rows. Default 600 (a minute at 100 ms). */
  recentDetailBlocks?: number;
  /** Older blocks keep their rows when their sequence number is a multiple of this. Default 50. */
  keepEvery?: number;
  /** Cap on P+M+G rows kept over all blocks (~22 bytes a row). Default 1,000,000. */
  maxDetailRows?: number;
  /** Snapshots held before the older half is thinned 2:1. Default 72,000 (2 h at 100 ms). */
  maxSnapshots?: number;
  /** Per-P values (run queue + tick per P per snapshot) held before thinning. Default 6,000,000. */
  maxPerPValues?: number;
  /** Newest program output lines kept. Default 10,000. */
  maxProgramLines?: number;
  /** Newest warnings kept. Default 500. */
  maxWarnings?: number;
}

/** Schedule ticks are uint32; this marks a P whose tick is unknown (plain lines before Go 1.25, lost P lines). */
export const NO_TICK = 0xffffffff;
/** Slots of `pByStatus` (P statuses 0..4 are used; higher ones are folded into the last slot). */
export const P_STATUS_SLOTS = 8;
/** Slots of `gByStatus`: `status & 0xfff`, 0..11 are used; higher ones are folded into the last slot. */
export const G_STATUS_SLOTS = 16;

/** P, M and G rows of one scheddetail block, column-wise. -1 stands for `nil`. */
export interface DetailRows {
  ps: {
    count: number;
    id: Int32Array;
    status: Uint8Array;
    schedtick: Uint32Array;
    syscalltick: Uint32Array;
    m: Int32Array;
    runqsize: Uint32Array;
    gfreecnt: Int32Array;
    /** -1 when not printed. */
    timerslen: Int32Array;
  };
  ms: {
    count: number;
    id: Int32Array;
    p: Int32Array;
    curg: Float64Array;
    mallocing: Int32Array;
    throwing: Int32Array;
    preemptoff: string[];
    locks: Int32Array;
    dying: Int32Array;
    spinning: Uint8Array;
    blocked: Uint8Array;
    lockedg: Float64Array;
  };
  gs: {
    count: number;
    goid: Float64Array;
    status: Uint16Array;
    /** Index into `reasons`. */
    reason: Uint16Array;
    reasons: string[];
    m: Int32Array;
    lockedm: Int32Array;
  };
}

/** Counts of one scheddetail block; kept for every block, even when its rows are not. */
export interface DetailCounts {
  ps: number;
  ms: number;
  gs: number;
  /** Ps by status (index = status; statuses above 6 are counted in the last slot). */
  pByStatus: number[];
  /** Gs by `status & 0xfff` (index = status). */
  gByStatus: number[];
  /** Gs whose stack the GC was scanning (`0x1000` bit). */
  gScanning: number;
  mSpinning: number;
  mBlocked: number;
  mWithP: number;
  mWithCurg: number;
  mLockedg: number;
  /** Waiting Gs (status 4) by wait reason, most first. */
  waitReasons: Array<{ reason: string; count: number }>;
}

/** One scheddetail block as the UI sees it. */
export interface DetailView extends DetailHeader {
  /** Sequence number of the block (0 = first block of the stream). */
  seq: number;
  timeMs: number;
  /** Index of its snapshot in the summary series. */
  snapshotIndex: number;
  incomplete: boolean;
  incompleteReason?: string;
  counts: DetailCounts;
  /** The block's rows, when still kept. */
  rows?: DetailRows;
  /** Why the rows are gone: `aged` (outside the recent window and not a keepEvery block) or `budget` (row cap). */
  rowsDropped?: 'aged' | 'budget';
}

/** A GC cycle on the model's time axis. */
export type GcCycleView = Omit<GcCycle, 'line'> & { timeMs: number };
/** A scavenger record on the model's time axis (approximate: the latest time seen when it arrived). */
export type ScavView = Omit<ScavRecord, 'line'> & { timeMs: number; afterGc: number };

/** Fields of the snapshot series. `localRunqueueTotal`/`Max`: sum/max of the per-P run queues. */
export type SummaryField =
  | 'gomaxprocs'
  | 'idleprocs'
  | 'threads'
  | 'spinningthreads'
  | 'needspinning'
  | 'idlethreads'
  | 'runqueue'
  | 'localRunqueueTotal'
  | 'localRunqueueMax';
/** Fields of the scheddetail series: counts per block (`gStatus:4` = waiting Gs, `gWait:chan receive`, `pStatus:1` = running Ps). */
export type DetailField =
  | 'goroutines'
  | 'mCount'
  | 'mSpinning'
  | 'mBlocked'
  | 'mWithP'
  | 'gScanning'
  | `gStatus:${number}`
  | `pStatus:${number}`
  | `gWait:${string}`;
/** Numeric gctrace fields, as series over cycles. */
export type GcNumericField =
  | 'n'
  | 'cpuPercent'
  | 'clockSweepTermMs'
  | 'clockMarkMs'
  | 'clockMarkTermMs'
  | 'cpuSweepTermMs'
  | 'cpuAssistMs'
  | 'cpuBackgroundMs'
  | 'cpuIdleMs'
  | 'cpuMarkTermMs'
  | 'heapStartMB'
  | 'heapEndMB'
  | 'heapLiveMB'
  | 'heapGoalMB'
  | 'stacksMB'
  | 'globalsMB'
  | 'procs';
/** Numeric scavenger fields. */
export type ScavNumericField = 'bgKiB' | 'eagerKiB' | 'releasedKiB' | 'utilPercent';
/** Anything {@link SchedModel.series} can chart. */
export type SeriesField =
  SummaryField | DetailField | `gc:${GcNumericField}` | `scav:${ScavNumericField}`;

/**
 * A series reduced to at most `pixels` points: per time bucket, the min and max of the values in
 * it (draw a band or a vertical line per pixel; spikes survive). When the range holds no more
 * points than pixels, every point is its own bucket (`raw`), at its own time.
 */
export interface DecimatedSeries {
  field: SeriesField;
  /** Bucket centre (or the point's own time when `raw`), ms. */
  time: Float64Array;
  min: Float64Array;
  max: Float64Array;
  raw: boolean;
}

/** Per-P values as a time × P grid for a heatmap. */
export interface PMatrix {
  kind: 'runqueue' | 'schedtickRate';
  /** Columns (time buckets) and rows (Ps: the largest P count in range). */
  cols: number;
  rows: number;
  /** Start time of each column, ms (a snapshot's own time when there are fewer snapshots than columns). */
  colTimeMs: Float64Array;
  /**
   * `values[col * rows + p]`: the max over the column's snapshots of P `p`'s local run-queue
   * length, or of its schedule ticks per second; NaN where there is no value.
   */
  values: Float32Array;
}

/** What the model gave up to stay bounded, so the UI can say so. */
export interface DownsamplingInfo {
  policy: Required<SchedModelOptions>;
  /** Detail blocks received (including ones later thinned away with their snapshot). */
  detailBlocksReceived: number;
  /** Detail blocks held (with counts). */
  detailBlocks: number;
  /** Of those, blocks that still have their rows. */
  detailBlocksWithRows: number;
  /** Blocks whose rows were dropped because they aged out of the recent window. */
  rowsDroppedAged: number;
  /** Blocks whose rows were dropped to stay under maxDetailRows. */
  rowsDroppedBudget: number;
  /** P+M+G rows held. */
  rowsRetained: number;
  /** Times the older half of the snapshots was thinned 2:1: snapshots before `beforeTimeMs` were affected. */
  snapshotThinning: Array<{
    beforeTimeMs: number;
    droppedSnapshots: number;
    droppedDetailBlocks: number;
  }>;
  snapshotsReceived: number;
  programLinesDropped: number;
  warningsDropped: number;
}
