// The live-dashboard model of a schedtrace/gctrace stream: snapshots over time, scheddetail
// blocks, GC cycles and scavenger records, in typed-array columns so an hour of 100 ms snapshots
// of a 64-P program (36,000 × 64) stays in tens of megabytes. A model never crosses a thread
// boundary: it is queried where it was built (see docs/HACKING.md, "Scheduler logs").
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
import { Flat, Table } from './table';
import {
  G_STATUS_SLOTS,
  NO_TICK,
  P_STATUS_SLOTS,
  type DetailRows,
  type DownsamplingInfo,
  type SchedModelOptions,
} from './model-types';
import type {
  GcCycle,
  GRecord,
  MRecord,
  PRecord,
  ProgramLine,
  ScavRecord,
  SchedEvent,
  SchedSnapshot,
  SchedWarning,
} from './types';
import { lowerBound as lowerBoundIn, upperBound as upperBoundIn } from '../binary-search';

const DEFAULTS: Required<SchedModelOptions> = {
  recentDetailBlocks: 600,
  keepEvery: 50,
  maxDetailRows: 1_000_000,
  maxSnapshots: 72_000,
  maxPerPValues: 6_000_000,
  maxProgramLines: 10_000,
  maxWarnings: 500,
};

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

/** A ring of the newest `cap` items, with a total. */
export class Ring<T> {
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

/** The shared bounds (../binary-search.ts) over the first n entries of a column (shared with the queries). */
export const lowerBound = (a: Float64Array, n: number, t: number): number =>
  lowerBoundIn(a, t, 0, n);
export const upperBound = (a: Float64Array, n: number, t: number): number =>
  upperBoundIn(a, t, 0, n);

/**
 * The model's columns and the rules that keep them bounded: events go in with `add`.
 * {@link SchedModel} (model-queries.ts) adds the queries.
 */
export class SchedModelStore {
  protected readonly opt: Required<SchedModelOptions>;
  protected summary = new Table(SUMMARY);
  protected runq: Flat<Int32Array> = new Flat(new Int32Array(1024));
  protected ticks: Flat<Uint32Array> = new Flat(new Uint32Array(1024));
  protected detail = new Table(DETAIL);
  protected pStatus: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  protected gStatus: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  protected waitKey: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  protected waitCount: Flat<Uint32Array> = new Flat(new Uint32Array(256));
  protected strings: string[] = [];
  protected stringIndex = new Map<string, number>();
  /** Rows by block sequence number; Map order is insertion order, i.e. oldest first. */
  protected rows = new Map<number, DetailRows>();
  protected incompleteReasons = new Map<number, string>();
  protected gc = new Table(GC);
  protected scav = new Table(SCAV);
  protected program: Ring<ProgramLine>;
  protected warningRing: Ring<SchedWarning>;
  protected restarts: Array<{ timeMs: number; reason: string }> = [];
  protected thinning: DownsamplingInfo['snapshotThinning'] = [];
  protected offset = 0;
  protected lastSchedRaw = -1;
  protected lastGcN = 0;
  protected maxTime = 0;
  protected nextSeq = 0;
  protected rowsRetained = 0;
  protected rowsDroppedAged = 0;
  protected rowsDroppedBudget = 0;
  protected detailBlocksReceived = 0;
  protected snapshotsReceived = 0;

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
    this.warningRing.push({
      line: 0,
      message: `the log holds another run of the program (${reason}); its times are shifted to follow the previous run`,
    });
  }

  private seeTime(t: number): void {
    if (t > this.maxTime) this.maxTime = t;
  }

  /** Adds one snapshot (and its detail block). */
  addSnapshot(s: SchedSnapshot): void {
    if (this.lastSchedRaw >= 0 && s.timeMs < this.lastSchedRaw)
      this.restart(s.timeMs, `SCHED time went back from ${this.lastSchedRaw} ms to ${s.timeMs} ms`);
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
    this.rows.set(
      seq,
      toRows(d.ps, d.ms, d.gs, (x) => this.strings[this.intern(x)]),
    );
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
    for (const seq of this.incompleteReasons.keys())
      if (!keptSeqs.has(seq)) this.incompleteReasons.delete(seq);
    this.pStatus = pStatus;
    this.gStatus = gStatus;
    this.waitKey = waitKey;
    this.waitCount = waitCount;
    for (let i = 0; i < sm.count; i++) {
      sm.cols.detail[i] = -1;
    }
    for (let j = 0; j < dt.count; j++) sm.cols.detail[dt.cols.snapshot[j]] = j;
    this.thinning.push({
      beforeTimeMs: before,
      droppedSnapshots: dropped,
      droppedDetailBlocks: droppedDetails,
    });
  }

  /** Adds one gctrace cycle. */
  addGc(g: GcCycle): void {
    if (g.n <= this.lastGcN)
      this.restart(g.startS * 1000, `gc numbering restarted at gc ${g.n} after gc ${this.lastGcN}`);
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
}

/** Column-wise rows of a block (nil → -1). */
function toRows(
  ps: PRecord[],
  ms: MRecord[],
  gs: GRecord[],
  own: (s: string) => string,
): DetailRows {
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
