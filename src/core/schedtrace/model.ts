// The live-dashboard model of a schedtrace/gctrace stream: snapshots over time, scheddetail
// blocks, GC cycles and scavenger records, in typed-array columns so an hour of 100 ms snapshots
// of a 64-P program (36,000 × 64) stays in tens of megabytes, and the whole model can be posted
// to a webview as plain objects and typed arrays (toData / fromData).
//
// Memory is bounded, and whatever is given up is recorded (see `downsampling()`), never dropped
// silently:
//  * Every scheddetail block keeps its counts for good (Ps by status, Ms spinning/blocked, Gs by
//    status and by wait reason: a few hundred bytes). Its P/M/G rows (thousands of lines in a
//    big program) are kept for the newest `recentDetailBlocks` blocks and for every
//    `keepEvery`-th older one; the rest lose their rows ("aged"). If the rows kept still exceed
//    `maxDetailRows`, the oldest kept rows go too ("budget").
//  * Snapshots: when more than `maxSnapshots` (or `maxPerPValues` per-P values) are held, every
//    other snapshot of the older half is dropped (with its detail block), and the time before
//    which the resolution was halved is recorded.
//  * Program output and warnings keep the newest `maxProgramLines` / `maxWarnings`, with totals.
//
// Time axis: snapshots are at `SCHED <t>ms` (from the first schedtrace call, which sysmon makes
// as the runtime starts), GC cycles at `@S s` × 1000 (from runtime init, within about a
// millisecond of the former). Scavenger lines carry no time; they are placed at the latest time
// seen when they arrive. If the log holds a second run (SCHED time goes back, or gc numbering
// restarts), that run's times are shifted to follow the first, and the restart is recorded.
import { detachString } from './stream';
import { Flat, Table, type TableData } from './table';
import type { DetailHeader, GcCycle, GRecord, MRecord, PRecord, ProgramLine, ScavRecord, SchedEvent, SchedSnapshot, SchedWarning } from './types';
import { lowerBound as lowerBoundIn, upperBound as upperBoundIn } from '../binary-search';

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

const DEFAULTS: Required<SchedModelOptions> = {
  recentDetailBlocks: 600,
  keepEvery: 50,
  maxDetailRows: 1_000_000,
  maxSnapshots: 72_000,
  maxPerPValues: 6_000_000,
  maxProgramLines: 10_000,
  maxWarnings: 500,
};

/** Schedule ticks are uint32; this marks a P whose tick is unknown (plain lines before Go 1.25, lost P lines). */
export const NO_TICK = 0xffffffff;
/** Slots of `pByStatus` (P statuses 0..4 are used; higher ones are folded into the last slot). */
export const P_STATUS_SLOTS = 8;
/** Slots of `gByStatus`: `status & 0xfff`, 0..11 are used; higher ones are folded into the last slot. */
export const G_STATUS_SLOTS = 16;

const SUMMARY = {
  timeMs: Float64Array,
  gomaxprocs: Int32Array,
  idleprocs: Int32Array,
  threads: Int32Array,
  spinningthreads: Int32Array,
  /** -1 when the line had no needspinning (before Go 1.20). */
  needspinning: Int8Array,
  idlethreads: Int32Array,
  runqueue: Int32Array,
  /** Offset of this snapshot's per-P values in `perP.runq` / `perP.ticks`. */
  pStart: Uint32Array,
  pCount: Uint16Array,
  hasTicks: Uint8Array,
  /** Row of this snapshot's detail block in the detail table, or -1. */
  detail: Int32Array,
};

const DETAIL = {
  /** Sequence number of the block since the model started (stable across thinning). */
  seq: Float64Array,
  timeMs: Float64Array,
  snapshot: Int32Array,
  gcwaiting: Uint8Array,
  sysmonwait: Uint8Array,
  nmidlelocked: Int32Array,
  stopwait: Int32Array,
  incomplete: Uint8Array,
  /** 0 rows kept, 1 rows dropped by age, 2 rows dropped by the row budget. */
  rowsState: Uint8Array,
  pCount: Uint32Array,
  mCount: Uint32Array,
  gCount: Uint32Array,
  mSpinning: Uint32Array,
  mBlocked: Uint32Array,
  mWithP: Uint32Array,
  mWithCurg: Uint32Array,
  mLockedg: Uint32Array,
  gScanning: Uint32Array,
  /** This block's (wait reason, count) pairs are `wait.key/count[wrStart .. wrStart+wrLen)`. */
  wrStart: Uint32Array,
  wrLen: Uint16Array,
};

const GC = {
  n: Uint32Array,
  startS: Float64Array,
  timeMs: Float64Array,
  cpuPercent: Int32Array,
  /** 1 forced, 2 leak check, 4 stacks/globals present. */
  flags: Uint8Array,
  clockSweepTermMs: Float64Array,
  clockMarkMs: Float64Array,
  clockMarkTermMs: Float64Array,
  cpuSweepTermMs: Float64Array,
  cpuAssistMs: Float64Array,
  cpuBackgroundMs: Float64Array,
  cpuIdleMs: Float64Array,
  cpuMarkTermMs: Float64Array,
  heapStartMB: Float64Array,
  heapEndMB: Float64Array,
  heapLiveMB: Float64Array,
  heapGoalMB: Float64Array,
  stacksMB: Float64Array,
  globalsMB: Float64Array,
  procs: Int32Array,
};

const SCAV = {
  timeMs: Float64Array,
  afterGc: Int32Array,
  bgKiB: Float64Array,
  eagerKiB: Float64Array,
  releasedKiB: Float64Array,
  utilPercent: Int32Array,
  /** 1 forced, 2 controller reset. */
  flags: Uint8Array,
};

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
export type SeriesField = SummaryField | DetailField | `gc:${GcNumericField}` | `scav:${ScavNumericField}`;

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
  snapshotThinning: Array<{ beforeTimeMs: number; droppedSnapshots: number; droppedDetailBlocks: number }>;
  snapshotsReceived: number;
  programLinesDropped: number;
  warningsDropped: number;
}

/** The serializable state of a {@link SchedModel}: plain objects and typed arrays only. */
export interface SchedModelData {
  format: 'golens-schedtrace-model';
  version: 1;
  options: Required<SchedModelOptions>;
  summary: TableData<typeof SUMMARY>;
  perP: { runq: Int32Array; ticks: Uint32Array };
  detail: TableData<typeof DETAIL>;
  pStatus: Uint32Array;
  gStatus: Uint32Array;
  wait: { key: Uint32Array; count: Uint32Array };
  strings: string[];
  rows: Array<{ seq: number; rows: DetailRows }>;
  incompleteReasons: Array<[number, string]>;
  gc: TableData<typeof GC>;
  scav: TableData<typeof SCAV>;
  program: { lines: ProgramLine[]; total: number };
  warnings: { list: SchedWarning[]; total: number };
  restarts: Array<{ timeMs: number; reason: string }>;
  state: {
    offset: number;
    lastSchedRaw: number;
    lastGcN: number;
    maxTime: number;
    nextSeq: number;
    rowsRetained: number;
    rowsDroppedAged: number;
    rowsDroppedBudget: number;
    detailBlocksReceived: number;
    snapshotsReceived: number;
  };
  snapshotThinning: DownsamplingInfo['snapshotThinning'];
}

/** A ring of the newest `cap` items, with a total. */
class Ring<T> {
  items: T[] = [];
  head = 0;
  total = 0;
  constructor(readonly cap: number) {}
  push(v: T): void {
    this.total++;
    if (this.items.length < this.cap) this.items.push(v);
    else {
      this.items[this.head] = v;
      this.head = (this.head + 1) % this.cap;
    }
  }
  list(): T[] {
    return this.items.slice(this.head).concat(this.items.slice(0, this.head));
  }
}

/** The shared bounds (../binary-search.ts) over the first n entries of a column. */
const lowerBound = (a: Float64Array, n: number, t: number): number => lowerBoundIn(a, t, 0, n);
const upperBound = (a: Float64Array, n: number, t: number): number => upperBoundIn(a, t, 0, n);

/**
 * The model. Feed it the stream parser's events with `add`; query it for charts. Pure
 * TypeScript: it runs in the extension host, a worker or a webview alike.
 */
export class SchedModel {
  private readonly opt: Required<SchedModelOptions>;
  private summary = new Table(SUMMARY);
  private runq: Flat<Int32Array> = new Flat(new Int32Array(1024));
  private ticks: Flat<Uint32Array> = new Flat(new Uint32Array(1024));
  private detail = new Table(DETAIL);
  private pStatus: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  private gStatus: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  private waitKey: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  private waitCount: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  private strings: string[] = [];
  private stringIndex = new Map<string, number>();
  /** Rows by block sequence number; Map order is insertion order, i.e. oldest first. */
  private rows = new Map<number, DetailRows>();
  private incompleteReasons = new Map<number, string>();
  private gc = new Table(GC);
  private scav = new Table(SCAV);
  private program: Ring<ProgramLine>;
  private warningRing: Ring<SchedWarning>;
  private restarts: Array<{ timeMs: number; reason: string }> = [];
  private thinning: DownsamplingInfo['snapshotThinning'] = [];
  private offset = 0;
  private lastSchedRaw = -1;
  private lastGcN = 0;
  private maxTime = 0;
  private nextSeq = 0;
  private rowsRetained = 0;
  private rowsDroppedAged = 0;
  private rowsDroppedBudget = 0;
  private detailBlocksReceived = 0;
  private snapshotsReceived = 0;

  constructor(options: SchedModelOptions = {}) {
    this.opt = { ...DEFAULTS, ...options };
    this.program = new Ring(this.opt.maxProgramLines);
    this.warningRing = new Ring(this.opt.maxWarnings);
  }

  /** Adds events from {@link SchedTraceStream} (one or many, in stream order). */
  add(events: SchedEvent | readonly SchedEvent[]): void {
    const list = Array.isArray(events) ? (events as readonly SchedEvent[]) : [events as SchedEvent];
    for (const e of list) {
      switch (e.kind) {
        case 'snapshot':
          this.addSnapshot(e.snapshot);
          break;
        case 'gc':
          this.addGc(e.gc);
          break;
        case 'scav':
          this.addScav(e.scav);
          break;
        case 'program':
          this.program.push({ ...e.program, text: detachString(e.program.text) });
          break;
        case 'warning':
          this.warningRing.push(e.warning);
          break;
      }
    }
  }

  private restart(newRawMs: number, reason: string): void {
    // Place the new run 1 ms after everything seen so far.
    this.offset = this.maxTime + 1 - newRawMs;
    this.lastSchedRaw = -1;
    this.lastGcN = 0;
    this.restarts.push({ timeMs: this.maxTime + 1, reason });
    this.warningRing.push({ line: 0, message: `the log holds another run of the program (${reason}); its times are shifted to follow the previous run` });
  }

  private seeTime(t: number): void {
    if (t > this.maxTime) this.maxTime = t;
  }

  /** Adds one snapshot (and its detail block). */
  addSnapshot(s: SchedSnapshot): void {
    if (this.lastSchedRaw >= 0 && s.timeMs < this.lastSchedRaw) this.restart(s.timeMs, `SCHED time went back from ${this.lastSchedRaw} ms to ${s.timeMs} ms`);
    this.lastSchedRaw = s.timeMs;
    const sm = this.summary;
    let t = s.timeMs + this.offset;
    // Keep the axis sorted for binary search even if a GC-triggered restart moved the offset.
    if (sm.count > 0 && t < sm.cols.timeMs[sm.count - 1]) t = sm.cols.timeMs[sm.count - 1];
    this.seeTime(t);
    this.snapshotsReceived++;
    const i = sm.add();
    const c = sm.cols;
    c.timeMs[i] = t;
    c.gomaxprocs[i] = s.gomaxprocs;
    c.idleprocs[i] = s.idleprocs;
    c.threads[i] = s.threads;
    c.spinningthreads[i] = s.spinningthreads;
    c.needspinning[i] = s.needspinning ?? -1;
    c.idlethreads[i] = s.idlethreads;
    c.runqueue[i] = s.runqueue;
    c.pStart[i] = this.runq.length;
    const n = Math.min(s.runqueues.length, 0xffff);
    c.pCount[i] = n;
    c.hasTicks[i] = s.schedticks ? 1 : 0;
    this.runq.reserve(this.runq.length + n);
    this.ticks.reserve(this.ticks.length + n);
    for (let p = 0; p < n; p++) {
      this.runq.push(Math.min(s.runqueues[p], 0x7fffffff));
      const tick = s.schedticks?.[p];
      this.ticks.push(tick === undefined || tick < 0 ? NO_TICK : tick);
    }
    c.detail[i] = s.detail ? this.addDetail(s, i, t) : -1;
    if (sm.count > this.opt.maxSnapshots || this.runq.length > this.opt.maxPerPValues) this.thin();
  }

  /** Index of `s` in the model's string table (wait reasons, preemptoff texts), adding a detached copy. */
  private intern(s: string): number {
    let k = this.stringIndex.get(s);
    if (k === undefined) {
      k = this.strings.length;
      s = detachString(s);
      this.strings.push(s);
      this.stringIndex.set(s, k);
    }
    return k;
  }

  private addDetail(s: SchedSnapshot, snapshotIndex: number, t: number): number {
    const d = s.detail!;
    const seq = this.nextSeq++;
    this.detailBlocksReceived++;
    const dt = this.detail;
    const i = dt.add();
    const c = dt.cols;
    c.seq[i] = seq;
    c.timeMs[i] = t;
    c.snapshot[i] = snapshotIndex;
    c.gcwaiting[i] = d.gcwaiting ? 1 : 0;
    c.sysmonwait[i] = d.sysmonwait ? 1 : 0;
    c.nmidlelocked[i] = d.nmidlelocked;
    c.stopwait[i] = d.stopwait;
    c.incomplete[i] = d.incomplete ? 1 : 0;
    if (d.incompleteReason) this.incompleteReasons.set(seq, d.incompleteReason);
    c.rowsState[i] = 0;
    c.pCount[i] = d.ps.length;
    c.mCount[i] = d.ms.length;
    c.gCount[i] = d.gs.length;
    const pBase = this.pStatus.length;
    this.pStatus.reserve(pBase + P_STATUS_SLOTS);
    this.pStatus.length += P_STATUS_SLOTS;
    this.pStatus.data.fill(0, pBase, pBase + P_STATUS_SLOTS);
    for (const p of d.ps) this.pStatus.data[pBase + Math.min(p.status, P_STATUS_SLOTS - 1)]++;
    let spinning = 0;
    let blocked = 0;
    let withP = 0;
    let withCurg = 0;
    let lockedg = 0;
    for (const m of d.ms) {
      if (m.spinning) spinning++;
      if (m.blocked) blocked++;
      if (m.p !== null) withP++;
      if (m.curg !== null) withCurg++;
      if (m.lockedg !== null) lockedg++;
    }
    c.mSpinning[i] = spinning;
    c.mBlocked[i] = blocked;
    c.mWithP[i] = withP;
    c.mWithCurg[i] = withCurg;
    c.mLockedg[i] = lockedg;
    const gBase = this.gStatus.length;
    this.gStatus.reserve(gBase + G_STATUS_SLOTS);
    this.gStatus.length += G_STATUS_SLOTS;
    this.gStatus.data.fill(0, gBase, gBase + G_STATUS_SLOTS);
    let scanning = 0;
    const waits = new Map<number, number>();
    for (const g of d.gs) {
      const st = g.status & 0xfff;
      if (g.status & 0x1000) scanning++;
      this.gStatus.data[gBase + Math.min(st, G_STATUS_SLOTS - 1)]++;
      // Only waiting Gs: the runtime leaves a woken G's last reason in place.
      if (st === 4) {
        const k = this.intern(g.waitReason);
        waits.set(k, (waits.get(k) ?? 0) + 1);
      }
    }
    c.gScanning[i] = scanning;
    c.wrStart[i] = this.waitKey.length;
    c.wrLen[i] = Math.min(waits.size, 0xffff);
    for (const [k, n] of waits) {
      this.waitKey.push(k);
      this.waitCount.push(n);
    }
    // Rows hold the model's own copies of the strings, not slices of the parsed text (see detachString).
    this.rows.set(seq, toRows(d.ps, d.ms, d.gs, (x) => this.strings[this.intern(x)]));
    this.rowsRetained += d.ps.length + d.ms.length + d.gs.length;
    this.retain();
    return i;
  }

  /** Applies the row-retention policy after a block was added. */
  private retain(): void {
    const dt = this.detail;
    const aged = dt.count - 1 - this.opt.recentDetailBlocks;
    if (aged >= 0 && dt.cols.rowsState[aged] === 0) {
      const seq = dt.cols.seq[aged];
      if (seq % this.opt.keepEvery !== 0) this.dropRows(aged, 1);
    }
    if (this.rowsRetained > this.opt.maxDetailRows) {
      const newest = dt.cols.seq[dt.count - 1];
      for (const seq of this.rows.keys()) {
        if (this.rowsRetained <= this.opt.maxDetailRows || seq === newest) break;
        this.dropRows(this.detailIndexOfSeq(seq), 2);
      }
    }
  }

  private detailIndexOfSeq(seq: number): number {
    const i = lowerBound(this.detail.cols.seq, this.detail.count, seq);
    return i < this.detail.count && this.detail.cols.seq[i] === seq ? i : -1;
  }

  private dropRows(i: number, state: 1 | 2): void {
    if (i < 0) return;
    const seq = this.detail.cols.seq[i];
    const rows = this.rows.get(seq);
    if (!rows) return;
    this.rows.delete(seq);
    this.rowsRetained -= rows.ps.count + rows.ms.count + rows.gs.count;
    this.detail.cols.rowsState[i] = state;
    if (state === 1) this.rowsDroppedAged++;
    else this.rowsDroppedBudget++;
  }

  /** Halves the resolution of the older half of the snapshots (and their detail blocks). */
  private thin(): void {
    const sm = this.summary;
    const half = sm.count >> 1;
    const before = sm.cols.timeMs[half];
    const oldRunq = this.runq.data;
    const oldTicks = this.ticks.data;
    const oldStart = sm.cols.pStart.slice(0, sm.count);
    const map = sm.compact((i) => i >= half || i % 2 === 0);
    const dropped = map.length - sm.count;
    // Rebuild the per-P values of the kept snapshots.
    const runq = new Flat(new Int32Array(this.runq.data.length));
    const ticks = new Flat(new Uint32Array(this.ticks.data.length));
    for (let i = 0; i < map.length; i++) {
      const j = map[i];
      if (j < 0) continue;
      const n = sm.cols.pCount[j];
      sm.cols.pStart[j] = runq.length;
      for (let p = 0; p < n; p++) {
        runq.push(oldRunq[oldStart[i] + p]);
        ticks.push(oldTicks[oldStart[i] + p]);
      }
    }
    this.runq = runq;
    this.ticks = ticks;
    // Detail blocks go with their snapshots.
    const dt = this.detail;
    const oldCount = dt.count;
    const pOld = this.pStatus.data;
    const gOld = this.gStatus.data;
    const kOld = this.waitKey.data;
    const nOld = this.waitCount.data;
    const dmap = dt.compact((i) => map[dt.cols.snapshot[i]] >= 0);
    const pStatus = new Flat(new Uint32Array(pOld.length));
    const gStatus = new Flat(new Uint32Array(gOld.length));
    const waitKey = new Flat(new Uint32Array(kOld.length));
    const waitCount = new Flat(new Uint32Array(nOld.length));
    let droppedDetails = 0;
    for (let i = 0; i < oldCount; i++) {
      const j = dmap[i];
      if (j < 0) {
        droppedDetails++;
        continue;
      }
      for (let k = 0; k < P_STATUS_SLOTS; k++) pStatus.push(pOld[i * P_STATUS_SLOTS + k]);
      for (let k = 0; k < G_STATUS_SLOTS; k++) gStatus.push(gOld[i * G_STATUS_SLOTS + k]);
      const start = dt.cols.wrStart[j];
      dt.cols.wrStart[j] = waitKey.length;
      for (let k = 0; k < dt.cols.wrLen[j]; k++) {
        waitKey.push(kOld[start + k]);
        waitCount.push(nOld[start + k]);
      }
      dt.cols.snapshot[j] = map[dt.cols.snapshot[j]];
    }
    // Release rows and reasons of the dropped blocks.
    const keptSeqs = new Set<number>();
    for (let j = 0; j < dt.count; j++) keptSeqs.add(dt.cols.seq[j]);
    for (const [seq, rows] of this.rows) {
      if (keptSeqs.has(seq)) continue;
      this.rows.delete(seq);
      this.rowsRetained -= rows.ps.count + rows.ms.count + rows.gs.count;
    }
    for (const seq of this.incompleteReasons.keys()) if (!keptSeqs.has(seq)) this.incompleteReasons.delete(seq);
    this.pStatus = pStatus;
    this.gStatus = gStatus;
    this.waitKey = waitKey;
    this.waitCount = waitCount;
    for (let i = 0; i < sm.count; i++) {
      sm.cols.detail[i] = -1;
    }
    for (let j = 0; j < dt.count; j++) sm.cols.detail[dt.cols.snapshot[j]] = j;
    this.thinning.push({ beforeTimeMs: before, droppedSnapshots: dropped, droppedDetailBlocks: droppedDetails });
  }

  /** Adds one gctrace cycle. */
  addGc(g: GcCycle): void {
    if (g.n <= this.lastGcN) this.restart(g.startS * 1000, `gc numbering restarted at gc ${g.n} after gc ${this.lastGcN}`);
    this.lastGcN = g.n;
    const t = this.gc;
    let time = g.startS * 1000 + this.offset;
    if (t.count > 0 && time < t.cols.timeMs[t.count - 1]) time = t.cols.timeMs[t.count - 1];
    this.seeTime(time);
    const i = t.add();
    const c = t.cols;
    c.n[i] = g.n;
    c.startS[i] = g.startS;
    c.timeMs[i] = time;
    c.cpuPercent[i] = g.cpuPercent;
    c.flags[i] = (g.forced ? 1 : 0) | (g.leakCheck ? 2 : 0) | (g.stacksMB !== undefined ? 4 : 0);
    c.clockSweepTermMs[i] = g.clockSweepTermMs;
    c.clockMarkMs[i] = g.clockMarkMs;
    c.clockMarkTermMs[i] = g.clockMarkTermMs;
    c.cpuSweepTermMs[i] = g.cpuSweepTermMs;
    c.cpuAssistMs[i] = g.cpuAssistMs;
    c.cpuBackgroundMs[i] = g.cpuBackgroundMs;
    c.cpuIdleMs[i] = g.cpuIdleMs;
    c.cpuMarkTermMs[i] = g.cpuMarkTermMs;
    c.heapStartMB[i] = g.heapStartMB;
    c.heapEndMB[i] = g.heapEndMB;
    c.heapLiveMB[i] = g.heapLiveMB;
    c.heapGoalMB[i] = g.heapGoalMB;
    c.stacksMB[i] = g.stacksMB ?? -1;
    c.globalsMB[i] = g.globalsMB ?? -1;
    c.procs[i] = g.procs;
  }

  /** Adds one scavenger record (placed at the latest time seen). */
  addScav(s: ScavRecord): void {
    const i = this.scav.add();
    const c = this.scav.cols;
    c.timeMs[i] = this.maxTime;
    c.afterGc[i] = this.lastGcN;
    c.bgKiB[i] = s.bgKiB;
    c.eagerKiB[i] = s.eagerKiB;
    c.releasedKiB[i] = s.releasedKiB;
    c.utilPercent[i] = s.utilPercent;
    c.flags[i] = (s.forced ? 1 : 0) | (s.controllerReset ? 2 : 0);
  }

  // ---- queries ----

  /** Number of snapshots held. */
  get snapshotCount(): number {
    return this.summary.count;
  }

  /** Number of detail blocks held. */
  get detailCount(): number {
    return this.detail.count;
  }

  /** Number of GC cycles held. */
  get gcCount(): number {
    return this.gc.count;
  }

  /** First and last time of anything held, ms; undefined when empty. */
  timeRange(): { startMs: number; endMs: number } | undefined {
    let start = Infinity;
    let end = -Infinity;
    for (const t of [this.summary, this.gc, this.scav]) {
      if (t.count === 0) continue;
      start = Math.min(start, t.cols.timeMs[0]);
      end = Math.max(end, t.cols.timeMs[t.count - 1]);
    }
    return start === Infinity ? undefined : { startMs: start, endMs: end };
  }

  /** Snapshot `i` as an object (per-P lists included; the detail block via {@link detailAt}). */
  snapshot(i: number): Omit<SchedSnapshot, 'line' | 'detail'> & { hasDetail: boolean } {
    const c = this.summary.cols;
    const start = c.pStart[i];
    const n = c.pCount[i];
    const out: Omit<SchedSnapshot, 'line' | 'detail'> & { hasDetail: boolean } = {
      timeMs: c.timeMs[i],
      gomaxprocs: c.gomaxprocs[i],
      idleprocs: c.idleprocs[i],
      threads: c.threads[i],
      spinningthreads: c.spinningthreads[i],
      idlethreads: c.idlethreads[i],
      runqueue: c.runqueue[i],
      runqueues: Array.from(this.runq.data.subarray(start, start + n)),
      hasDetail: c.detail[i] >= 0,
    };
    if (c.needspinning[i] >= 0) out.needspinning = c.needspinning[i];
    if (c.hasTicks[i]) out.schedticks = Array.from(this.ticks.data.subarray(start, start + n), (v) => (v === NO_TICK ? -1 : v));
    return out;
  }

  /** Index of the snapshot nearest to `timeMs` (the earlier one on a tie), or -1 when empty. */
  snapshotIndexAt(timeMs: number): number {
    return nearest(this.summary.cols.timeMs, this.summary.count, timeMs);
  }

  /**
   * A field over `[t0, t1]` reduced to at most `pixels` min/max buckets (see {@link DecimatedSeries}).
   */
  series(field: SeriesField, t0: number, t1: number, pixels: number): DecimatedSeries {
    const src = this.source(field);
    const i0 = lowerBound(src.time, src.count, t0);
    const i1 = upperBound(src.time, src.count, t1);
    const px = Math.max(1, Math.floor(pixels));
    const n = Math.max(0, i1 - i0);
    if (n <= px) {
      const time = new Float64Array(n);
      const v = new Float64Array(n);
      let k = 0;
      for (let i = i0; i < i1; i++) {
        const x = src.value(i);
        if (Number.isNaN(x)) continue;
        time[k] = src.time[i];
        v[k++] = x;
      }
      return { field, time: time.slice(0, k), min: v.slice(0, k), max: v.slice(0, k), raw: true };
    }
    const lo = new Float64Array(px).fill(Infinity);
    const hi = new Float64Array(px).fill(-Infinity);
    const width = t1 > t0 ? (t1 - t0) / px : 1;
    for (let i = i0; i < i1; i++) {
      const x = src.value(i);
      if (Number.isNaN(x)) continue;
      const b = Math.min(px - 1, Math.floor((src.time[i] - t0) / width));
      if (x < lo[b]) lo[b] = x;
      if (x > hi[b]) hi[b] = x;
    }
    let k = 0;
    for (let b = 0; b < px; b++) if (lo[b] !== Infinity) k++;
    const time = new Float64Array(k);
    const min = new Float64Array(k);
    const max = new Float64Array(k);
    k = 0;
    for (let b = 0; b < px; b++) {
      if (lo[b] === Infinity) continue;
      time[k] = t0 + (b + 0.5) * width;
      min[k] = lo[b];
      max[k++] = hi[b];
    }
    return { field, time, min, max, raw: false };
  }

  private source(field: SeriesField): { time: Float64Array; count: number; value: (i: number) => number } {
    const sm = this.summary.cols;
    const summary = (col: Int32Array | Int8Array, missing?: number) => ({
      time: sm.timeMs,
      count: this.summary.count,
      value: (i: number) => (col[i] === missing ? NaN : col[i]),
    });
    switch (field) {
      case 'gomaxprocs':
      case 'idleprocs':
      case 'threads':
      case 'spinningthreads':
      case 'idlethreads':
      case 'runqueue':
        return summary(sm[field]);
      case 'needspinning':
        return summary(sm.needspinning, -1);
      case 'localRunqueueTotal':
      case 'localRunqueueMax': {
        const total = field === 'localRunqueueTotal';
        return {
          time: sm.timeMs,
          count: this.summary.count,
          value: (i) => {
            const start = sm.pStart[i];
            let acc = 0;
            let seen = false;
            for (let p = 0; p < sm.pCount[i]; p++) {
              const q = this.runq.data[start + p];
              if (q < 0) continue;
              seen = true;
              acc = total ? acc + q : Math.max(acc, q);
            }
            return seen ? acc : NaN;
          },
        };
      }
    }
    const dc = this.detail.cols;
    const detail = (value: (i: number) => number) => ({ time: dc.timeMs, count: this.detail.count, value });
    switch (field) {
      case 'goroutines':
        return detail((i) => dc.gCount[i]);
      case 'mCount':
        return detail((i) => dc.mCount[i]);
      case 'mSpinning':
        return detail((i) => dc.mSpinning[i]);
      case 'mBlocked':
        return detail((i) => dc.mBlocked[i]);
      case 'mWithP':
        return detail((i) => dc.mWithP[i]);
      case 'gScanning':
        return detail((i) => dc.gScanning[i]);
    }
    const colon = field.indexOf(':');
    const kind = field.slice(0, colon);
    const arg = field.slice(colon + 1);
    switch (kind) {
      case 'gStatus': {
        const st = Math.min(Number(arg), G_STATUS_SLOTS - 1);
        return detail((i) => this.gStatus.data[i * G_STATUS_SLOTS + st]);
      }
      case 'pStatus': {
        const st = Math.min(Number(arg), P_STATUS_SLOTS - 1);
        return detail((i) => this.pStatus.data[i * P_STATUS_SLOTS + st]);
      }
      case 'gWait': {
        const k = this.stringIndex.get(arg);
        return detail((i) => {
          if (k === undefined) return 0;
          const start = dc.wrStart[i];
          for (let j = 0; j < dc.wrLen[i]; j++) if (this.waitKey.data[start + j] === k) return this.waitCount.data[start + j];
          return 0;
        });
      }
      case 'gc': {
        const col = (this.gc.cols as unknown as Record<string, Float64Array | Int32Array | Uint32Array>)[arg];
        if (!col || arg === 'timeMs' || arg === 'flags' || arg === 'startS') break;
        const optional = arg === 'stacksMB' || arg === 'globalsMB';
        return { time: this.gc.cols.timeMs, count: this.gc.count, value: (i) => (optional && col[i] < 0 ? NaN : col[i]) };
      }
      case 'scav': {
        const col = (this.scav.cols as unknown as Record<string, Float64Array | Int32Array>)[arg];
        if (!col || arg === 'timeMs' || arg === 'flags' || arg === 'afterGc') break;
        return { time: this.scav.cols.timeMs, count: this.scav.count, value: (i) => col[i] };
      }
    }
    throw new RangeError(`unknown schedtrace series field "${field}"`);
  }

  /**
   * Per-P values over `[t0, t1]` as a heatmap grid of at most `cols` columns: local run-queue
   * length (`runqueue`) or schedule ticks per second (`schedtickRate`, from consecutive
   * snapshots' ticks; needs Go 1.25+ plain lines or scheddetail), max-reduced per column.
   */
  perPMatrix(kind: PMatrix['kind'], t0: number, t1: number, cols: number): PMatrix {
    const sm = this.summary.cols;
    const i0 = lowerBound(sm.timeMs, this.summary.count, t0);
    const i1 = upperBound(sm.timeMs, this.summary.count, t1);
    const n = Math.max(0, i1 - i0);
    let rows = 0;
    for (let i = i0; i < i1; i++) rows = Math.max(rows, sm.pCount[i]);
    const raw = n <= cols;
    const ncols = raw ? n : Math.max(1, Math.floor(cols));
    const width = t1 > t0 ? (t1 - t0) / ncols : 1;
    const colTimeMs = new Float64Array(ncols);
    if (raw) for (let c = 0; c < ncols; c++) colTimeMs[c] = sm.timeMs[i0 + c];
    else for (let c = 0; c < ncols; c++) colTimeMs[c] = t0 + c * width;
    const values = new Float32Array(ncols * rows).fill(NaN);
    for (let i = i0; i < i1; i++) {
      const col = raw ? i - i0 : Math.min(ncols - 1, Math.floor((sm.timeMs[i] - t0) / width));
      const start = sm.pStart[i];
      const np = sm.pCount[i];
      for (let p = 0; p < np; p++) {
        let v: number;
        if (kind === 'runqueue') {
          v = this.runq.data[start + p];
          if (v < 0) continue;
        } else {
          if (i === 0 || sm.pCount[i - 1] <= p) continue;
          const a = this.ticks.data[start + p];
          const b = this.ticks.data[sm.pStart[i - 1] + p];
          const dt = sm.timeMs[i] - sm.timeMs[i - 1];
          if (a === NO_TICK || b === NO_TICK || dt <= 0) continue;
          // Ticks are uint32 and wrap.
          v = (((a - b) >>> 0) * 1000) / dt;
        }
        const k = col * rows + p;
        const cur = values[k];
        if (Number.isNaN(cur) || v > cur) values[k] = v;
      }
    }
    return { kind, cols: ncols, rows, colTimeMs, values };
  }

  /**
   * The scheddetail block nearest to `timeMs`, with its counts and, when kept, its rows. With
   * `withRows`, the nearest block that still has rows (undefined when none has).
   */
  detailAt(timeMs: number, options: { withRows?: boolean } = {}): DetailView | undefined {
    const dc = this.detail.cols;
    const n = this.detail.count;
    let i = nearest(dc.timeMs, n, timeMs);
    if (i < 0) return undefined;
    if (options.withRows && !this.rows.has(dc.seq[i])) {
      let best = -1;
      for (let a = i - 1, b = i + 1; a >= 0 || b < n; a--, b++) {
        const ca = a >= 0 && this.rows.has(dc.seq[a]) ? a : -1;
        const cb = b < n && this.rows.has(dc.seq[b]) ? b : -1;
        if (ca >= 0 && cb >= 0) best = timeMs - dc.timeMs[ca] <= dc.timeMs[cb] - timeMs ? ca : cb;
        else best = ca >= 0 ? ca : cb;
        if (best >= 0) break;
      }
      if (best < 0) return undefined;
      i = best;
    }
    return this.detailView(i);
  }

  /** Detail block `i` (0 = oldest held). */
  detailView(i: number): DetailView {
    const dc = this.detail.cols;
    const seq = dc.seq[i];
    const waitReasons: DetailCounts['waitReasons'] = [];
    for (let j = 0; j < dc.wrLen[i]; j++) {
      const k = dc.wrStart[i] + j;
      waitReasons.push({ reason: this.strings[this.waitKey.data[k]], count: this.waitCount.data[k] });
    }
    waitReasons.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    const view: DetailView = {
      seq,
      timeMs: dc.timeMs[i],
      snapshotIndex: dc.snapshot[i],
      gcwaiting: dc.gcwaiting[i] === 1,
      nmidlelocked: dc.nmidlelocked[i],
      stopwait: dc.stopwait[i],
      sysmonwait: dc.sysmonwait[i] === 1,
      incomplete: dc.incomplete[i] === 1,
      counts: {
        ps: dc.pCount[i],
        ms: dc.mCount[i],
        gs: dc.gCount[i],
        pByStatus: Array.from(this.pStatus.data.subarray(i * P_STATUS_SLOTS, (i + 1) * P_STATUS_SLOTS)),
        gByStatus: Array.from(this.gStatus.data.subarray(i * G_STATUS_SLOTS, (i + 1) * G_STATUS_SLOTS)),
        gScanning: dc.gScanning[i],
        mSpinning: dc.mSpinning[i],
        mBlocked: dc.mBlocked[i],
        mWithP: dc.mWithP[i],
        mWithCurg: dc.mWithCurg[i],
        mLockedg: dc.mLockedg[i],
        waitReasons,
      },
    };
    const reason = this.incompleteReasons.get(seq);
    if (reason) view.incompleteReason = reason;
    const rows = this.rows.get(seq);
    if (rows) view.rows = rows;
    else view.rowsDropped = dc.rowsState[i] === 2 ? 'budget' : 'aged';
    return view;
  }

  /** GC cycles whose time is in `[t0, t1]`, oldest first. */
  gcCycles(t0 = -Infinity, t1 = Infinity): GcCycleView[] {
    const c = this.gc.cols;
    const out: GcCycleView[] = [];
    for (let i = lowerBound(c.timeMs, this.gc.count, t0), end = upperBound(c.timeMs, this.gc.count, t1); i < end; i++) {
      const v: GcCycleView = {
        n: c.n[i],
        startS: c.startS[i],
        timeMs: c.timeMs[i],
        cpuPercent: c.cpuPercent[i],
        leakCheck: (c.flags[i] & 2) !== 0,
        clockSweepTermMs: c.clockSweepTermMs[i],
        clockMarkMs: c.clockMarkMs[i],
        clockMarkTermMs: c.clockMarkTermMs[i],
        cpuSweepTermMs: c.cpuSweepTermMs[i],
        cpuAssistMs: c.cpuAssistMs[i],
        cpuBackgroundMs: c.cpuBackgroundMs[i],
        cpuIdleMs: c.cpuIdleMs[i],
        cpuMarkTermMs: c.cpuMarkTermMs[i],
        heapStartMB: c.heapStartMB[i],
        heapEndMB: c.heapEndMB[i],
        heapLiveMB: c.heapLiveMB[i],
        heapGoalMB: c.heapGoalMB[i],
        procs: c.procs[i],
        forced: (c.flags[i] & 1) !== 0,
      };
      if (c.flags[i] & 4) {
        v.stacksMB = c.stacksMB[i];
        v.globalsMB = c.globalsMB[i];
      }
      out.push(v);
    }
    return out;
  }

  /** Scavenger records, oldest first. */
  scavenger(): ScavView[] {
    const c = this.scav.cols;
    const out: ScavView[] = [];
    for (let i = 0; i < this.scav.count; i++) {
      out.push({
        timeMs: c.timeMs[i],
        afterGc: c.afterGc[i],
        bgKiB: c.bgKiB[i],
        eagerKiB: c.eagerKiB[i],
        releasedKiB: c.releasedKiB[i],
        utilPercent: c.utilPercent[i],
        forced: (c.flags[i] & 1) !== 0,
        controllerReset: (c.flags[i] & 2) !== 0,
      });
    }
    return out;
  }

  /** Wait reasons seen on waiting Gs so far, in order of first appearance (for a legend or a picker). */
  waitReasons(): string[] {
    const seen = new Set<number>();
    for (let i = 0; i < this.waitKey.length; i++) seen.add(this.waitKey.data[i]);
    return [...seen].sort((a, b) => a - b).map((k) => this.strings[k]);
  }

  /** The newest program output lines kept, oldest first, and how many there were in all. */
  programOutput(): { lines: ProgramLine[]; total: number; dropped: number } {
    return { lines: this.program.list(), total: this.program.total, dropped: this.program.total - this.program.items.length };
  }

  /** The newest warnings kept, oldest first, and the total. */
  warnings(): { list: SchedWarning[]; total: number } {
    return { list: this.warningRing.list(), total: this.warningRing.total };
  }

  /** Runs after the first in the same log, where their times were shifted. */
  restartsSeen(): Array<{ timeMs: number; reason: string }> {
    return this.restarts.slice();
  }

  /** What was given up to stay bounded. */
  downsampling(): DownsamplingInfo {
    return {
      policy: { ...this.opt },
      detailBlocksReceived: this.detailBlocksReceived,
      detailBlocks: this.detail.count,
      detailBlocksWithRows: this.rows.size,
      rowsDroppedAged: this.rowsDroppedAged,
      rowsDroppedBudget: this.rowsDroppedBudget,
      rowsRetained: this.rowsRetained,
      snapshotThinning: this.thinning.map((t) => ({ ...t })),
      snapshotsReceived: this.snapshotsReceived,
      programLinesDropped: this.program.total - this.program.items.length,
      warningsDropped: this.warningRing.total - this.warningRing.items.length,
    };
  }

  /** The model as plain objects and typed arrays (copies), for postMessage or storage. */
  toData(): SchedModelData {
    return {
      format: 'golens-schedtrace-model',
      version: 1,
      options: { ...this.opt },
      summary: this.summary.toData(),
      perP: { runq: this.runq.toData(), ticks: this.ticks.toData() },
      detail: this.detail.toData(),
      pStatus: this.pStatus.toData(),
      gStatus: this.gStatus.toData(),
      wait: { key: this.waitKey.toData(), count: this.waitCount.toData() },
      strings: this.strings.slice(),
      rows: [...this.rows].map(([seq, rows]) => ({ seq, rows })),
      incompleteReasons: [...this.incompleteReasons],
      gc: this.gc.toData(),
      scav: this.scav.toData(),
      program: { lines: this.program.list(), total: this.program.total },
      warnings: { list: this.warningRing.list(), total: this.warningRing.total },
      restarts: this.restarts.slice(),
      state: {
        offset: this.offset,
        lastSchedRaw: this.lastSchedRaw,
        lastGcN: this.lastGcN,
        maxTime: this.maxTime,
        nextSeq: this.nextSeq,
        rowsRetained: this.rowsRetained,
        rowsDroppedAged: this.rowsDroppedAged,
        rowsDroppedBudget: this.rowsDroppedBudget,
        detailBlocksReceived: this.detailBlocksReceived,
        snapshotsReceived: this.snapshotsReceived,
      },
      snapshotThinning: this.thinning.map((t) => ({ ...t })),
    };
  }

  /** Rebuilds a model from {@link toData} output; it can keep receiving events. */
  static fromData(data: SchedModelData): SchedModel {
    if (data.format !== 'golens-schedtrace-model' || data.version !== 1) throw new RangeError('not a schedtrace model (format/version mismatch)');
    const m = new SchedModel(data.options);
    m.summary = Table.fromData(SUMMARY, data.summary);
    m.runq = flatOf(data.perP.runq);
    m.ticks = flatOf(data.perP.ticks);
    m.detail = Table.fromData(DETAIL, data.detail);
    m.pStatus = flatOf(data.pStatus);
    m.gStatus = flatOf(data.gStatus);
    m.waitKey = flatOf(data.wait.key);
    m.waitCount = flatOf(data.wait.count);
    m.strings = data.strings.slice();
    m.stringIndex = new Map(m.strings.map((s, i) => [s, i]));
    m.rows = new Map(data.rows.map((r) => [r.seq, r.rows]));
    m.incompleteReasons = new Map(data.incompleteReasons);
    m.gc = Table.fromData(GC, data.gc);
    m.scav = Table.fromData(SCAV, data.scav);
    for (const l of data.program.lines) m.program.push(l);
    m.program.total = data.program.total;
    for (const w of data.warnings.list) m.warningRing.push(w);
    m.warningRing.total = data.warnings.total;
    m.restarts = data.restarts.slice();
    m.thinning = data.snapshotThinning.map((t) => ({ ...t }));
    Object.assign(m, data.state);
    return m;
  }
}

function flatOf<C extends Int32Array | Uint32Array>(a: C): Flat<C> {
  const f = new Flat(new (a.constructor as new (n: number) => C)(Math.max(64, a.length)));
  f.data.set(a as never);
  f.length = a.length;
  return f;
}

function nearest(a: Float64Array, n: number, t: number): number {
  if (n === 0) return -1;
  const i = lowerBound(a, n, t);
  if (i === 0) return 0;
  if (i >= n) return n - 1;
  return t - a[i - 1] <= a[i] - t ? i - 1 : i;
}

/** Column-wise rows of a block (nil → -1). */
function toRows(ps: PRecord[], ms: MRecord[], gs: GRecord[], own: (s: string) => string): DetailRows {
  const rows: DetailRows = {
    ps: {
      count: ps.length,
      id: new Int32Array(ps.length),
      status: new Uint8Array(ps.length),
      schedtick: new Uint32Array(ps.length),
      syscalltick: new Uint32Array(ps.length),
      m: new Int32Array(ps.length),
      runqsize: new Uint32Array(ps.length),
      gfreecnt: new Int32Array(ps.length),
      timerslen: new Int32Array(ps.length),
    },
    ms: {
      count: ms.length,
      id: new Int32Array(ms.length),
      p: new Int32Array(ms.length),
      curg: new Float64Array(ms.length),
      mallocing: new Int32Array(ms.length),
      throwing: new Int32Array(ms.length),
      preemptoff: [],
      locks: new Int32Array(ms.length),
      dying: new Int32Array(ms.length),
      spinning: new Uint8Array(ms.length),
      blocked: new Uint8Array(ms.length),
      lockedg: new Float64Array(ms.length),
    },
    gs: {
      count: gs.length,
      goid: new Float64Array(gs.length),
      status: new Uint16Array(gs.length),
      reason: new Uint16Array(gs.length),
      reasons: [],
      m: new Int32Array(gs.length),
      lockedm: new Int32Array(gs.length),
    },
  };
  ps.forEach((p, i) => {
    const r = rows.ps;
    r.id[i] = p.id;
    r.status[i] = p.status;
    r.schedtick[i] = p.schedtick;
    r.syscalltick[i] = p.syscalltick;
    r.m[i] = p.m ?? -1;
    r.runqsize[i] = p.runqsize;
    r.gfreecnt[i] = p.gfreecnt;
    r.timerslen[i] = p.timerslen ?? -1;
  });
  ms.forEach((m, i) => {
    const r = rows.ms;
    r.id[i] = m.id;
    r.p[i] = m.p ?? -1;
    r.curg[i] = m.curg ?? -1;
    r.mallocing[i] = m.mallocing;
    r.throwing[i] = m.throwing;
    r.preemptoff.push(own(m.preemptoff));
    r.locks[i] = m.locks;
    r.dying[i] = m.dying;
    r.spinning[i] = m.spinning ? 1 : 0;
    r.blocked[i] = m.blocked ? 1 : 0;
    r.lockedg[i] = m.lockedg ?? -1;
  });
  const local = new Map<string, number>();
  gs.forEach((g, i) => {
    const r = rows.gs;
    let k = local.get(g.waitReason);
    if (k === undefined) {
      k = r.reasons.length;
      r.reasons.push(own(g.waitReason));
      local.set(g.waitReason, k);
    }
    r.goid[i] = g.goid;
    r.status[i] = g.status;
    r.reason[i] = k;
    r.m[i] = g.m ?? -1;
    r.lockedm[i] = g.lockedm ?? -1;
  });
  return rows;
}

/** Expands column-wise rows back into records (for tables; `line` is 0: the model keeps no line numbers). */
export function detailRecords(rows: DetailRows): { ps: PRecord[]; ms: MRecord[]; gs: GRecord[] } {
  const nil = (v: number) => (v < 0 ? null : v);
  const ps: PRecord[] = [];
  for (let i = 0; i < rows.ps.count; i++) {
    const r = rows.ps;
    const p: PRecord = {
      id: r.id[i],
      status: r.status[i],
      schedtick: r.schedtick[i],
      syscalltick: r.syscalltick[i],
      m: nil(r.m[i]),
      runqsize: r.runqsize[i],
      gfreecnt: r.gfreecnt[i],
      line: 0,
    };
    if (r.timerslen[i] >= 0) p.timerslen = r.timerslen[i];
    ps.push(p);
  }
  const ms: MRecord[] = [];
  for (let i = 0; i < rows.ms.count; i++) {
    const r = rows.ms;
    ms.push({
      id: r.id[i],
      p: nil(r.p[i]),
      curg: nil(r.curg[i]),
      mallocing: r.mallocing[i],
      throwing: r.throwing[i],
      preemptoff: r.preemptoff[i],
      locks: r.locks[i],
      dying: r.dying[i],
      spinning: r.spinning[i] === 1,
      blocked: r.blocked[i] === 1,
      lockedg: nil(r.lockedg[i]),
      line: 0,
    });
  }
  const gs: GRecord[] = [];
  for (let i = 0; i < rows.gs.count; i++) {
    const r = rows.gs;
    gs.push({ goid: r.goid[i], status: r.status[i], waitReason: r.reasons[r.reason[i]], m: nil(r.m[i]), lockedm: nil(r.lockedm[i]), line: 0 });
  }
  return { ps, ms, gs };
}
