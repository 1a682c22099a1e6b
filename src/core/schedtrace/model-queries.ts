// The scheduler model's queries: decimated series, per-P heatmaps, the scheddetail block of an
// instant, GC and scavenger records, and what was given up to stay bounded (the columns they
// read, and how they are kept bounded, are in model-retention.ts).
import { lowerBound, SchedModelStore, upperBound } from './model-retention';
import {
  G_STATUS_SLOTS,
  NO_TICK,
  P_STATUS_SLOTS,
  type DecimatedSeries,
  type DetailCounts,
  type DetailRows,
  type DetailView,
  type DownsamplingInfo,
  type GcCycleView,
  type PMatrix,
  type ScavView,
  type SeriesField,
} from './model-types';
import type { GRecord, MRecord, PRecord, ProgramLine, SchedSnapshot, SchedWarning } from './types';

/**
 * The model. Feed it the stream parser's events with `add`; query it for charts. Pure
 * TypeScript: it runs in the extension host, a worker or a webview alike.
 */
export class SchedModel extends SchedModelStore {
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
    if (c.hasTicks[i])
      out.schedticks = Array.from(this.ticks.data.subarray(start, start + n), (v) =>
        v === NO_TICK ? -1 : v,
      );
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

  private source(field: SeriesField): {
    time: Float64Array;
    count: number;
    value: (i: number) => number;
  } {
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
    const detail = (value: (i: number) => number) => ({
      time: dc.timeMs,
      count: this.detail.count,
      value,
    });
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
          for (let j = 0; j < dc.wrLen[i]; j++)
            if (this.waitKey.data[start + j] === k) return this.waitCount.data[start + j];
          return 0;
        });
      }
      case 'gc': {
        const col = (
          this.gc.cols as unknown as Record<string, Float64Array | Int32Array | Uint32Array>
        )[arg];
        if (!col || arg === 'timeMs' || arg === 'flags' || arg === 'startS') break;
        const optional = arg === 'stacksMB' || arg === 'globalsMB';
        return {
          time: this.gc.cols.timeMs,
          count: this.gc.count,
          value: (i) => (optional && col[i] < 0 ? NaN : col[i]),
        };
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
      waitReasons.push({
        reason: this.strings[this.waitKey.data[k]],
        count: this.waitCount.data[k],
      });
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
        pByStatus: Array.from(
          this.pStatus.data.subarray(i * P_STATUS_SLOTS, (i + 1) * P_STATUS_SLOTS),
        ),
        gByStatus: Array.from(
          this.gStatus.data.subarray(i * G_STATUS_SLOTS, (i + 1) * G_STATUS_SLOTS),
        ),
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
    for (
      let i = lowerBound(c.timeMs, this.gc.count, t0),
        end = upperBound(c.timeMs, this.gc.count, t1);
      i < end;
      i++
    ) {
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
    return {
      lines: this.program.list(),
      total: this.program.total,
      dropped: this.program.total - this.program.items.length,
    };
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
}

function nearest(a: Float64Array, n: number, t: number): number {
  if (n === 0) return -1;
  const i = lowerBound(a, n, t);
  if (i === 0) return 0;
  if (i >= n) return n - 1;
  return t - a[i - 1] <= a[i] - t ? i - 1 : i;
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
    gs.push({
      goid: r.goid[i],
      status: r.status[i],
      waitReason: r.reasons[r.reason[i]],
      m: nil(r.m[i]),
      lockedm: nil(r.lockedm[i]),
      line: 0,
    });
  }
  return { ps, ms, gs };
}
