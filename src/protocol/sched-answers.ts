// The scheduler dashboard's answers, built from a model where the model lives: the host's
// SchedSession for a live run (its stderr is read on the host), the parse worker for a saved log
// (read from disk there). The model never crosses the boundary; only these answers do, sized
// by the view (about a point per pixel), never by the run's length.
import type { GcCycleView, HeatmapPyramid, PMatrix, SchedModel } from '../core/schedtrace';
import {
  GC_FIELDS,
  LINE_FIELDS,
  MAX_FORCED_MARKERS,
  MAX_HEATMAP_COLS,
  MAX_SERIES_PIXELS,
  type DownsamplingSummary,
  type LatestSnapshot,
  type SchedDetailMessage,
  type SchedUpdate,
  type ViewRequest,
} from './sched';

/** The narrowest range shown while following: one second, the default trace interval. */
const MIN_FOLLOW_SPAN_MS = 1000;

/** A model with what the dashboard's answers need beside it. */
export interface SchedAnswerSource {
  model: SchedModel;
  /** Bucket maxima of the per-P run queues, for the heatmap of long ranges. */
  pyramid: HeatmapPyramid;
  /** The newest GC cycle, for the header. */
  lastGc?: GcCycleView;
  /** The live parser's state (live runs only). */
  parser?: DownsamplingSummary['parser'];
}

/** The range a view shows: in follow mode the newest `windowMs` (or everything). */
export function viewRange(model: SchedModel, view: ViewRequest): { t0: number; t1: number } {
  if (!view.follow) return { t0: view.t0, t1: Math.max(view.t1, view.t0 + 1) };
  const r = model.timeRange();
  if (!r) return { t0: 0, t1: Math.max(MIN_FOLLOW_SPAN_MS, view.windowMs) };
  const t1 = r.endMs;
  const t0 = view.windowMs > 0 ? t1 - view.windowMs : r.startMs;
  // The first second of a run (or a program that exited at once) still gets a readable axis.
  return { t0, t1: Math.max(t1, t0 + MIN_FOLLOW_SPAN_MS) };
}

/** One update for `view`; with `withCharts`, the decimated charts of its range. */
export function schedUpdate(
  source: SchedAnswerSource,
  view: ViewRequest,
  withCharts: boolean,
): SchedUpdate {
  const started = performance.now();
  const m = source.model;
  const { t0, t1 } = viewRange(m, view);
  const range = m.timeRange();
  const width = Math.max(1, Math.min(MAX_SERIES_PIXELS, Math.floor(view.width)));
  const update: SchedUpdate = {
    type: 'update',
    viewSeq: view.seq,
    t0,
    t1,
    dataStartMs: range?.startMs ?? null,
    dataEndMs: range?.endMs ?? null,
    snapshotCount: m.snapshotCount,
    detailCount: m.detailCount,
    gcCount: m.gcCount,
    downsampling: downsamplingSummary(source),
    warnings: (() => {
      const w = m.warnings();
      return { total: w.total, recent: w.list.slice(-5) };
    })(),
    hostMs: 0,
  };
  const latest = latestSnapshot(m);
  if (latest) update.latest = latest;
  if (source.lastGc) update.latestGc = source.lastGc;
  if (withCharts) {
    // GC cycles are seconds apart at most: a point per 3 pixels keeps them apart on the chart.
    const gcPixels = Math.max(1, Math.floor(width / 3));
    const forcedTimes: number[] = [];
    let cyclesInRange = 0;
    for (const c of m.gcCycles(t0, t1)) {
      cyclesInRange++;
      if (c.forced && forcedTimes.length < MAX_FORCED_MARKERS) forcedTimes.push(c.timeMs);
    }
    update.charts = {
      series: LINE_FIELDS.map((f) => m.series(f, t0, t1, width)),
      heatmap: runqueueHeatmap(
        source,
        t0,
        t1,
        Math.max(1, Math.min(MAX_HEATMAP_COLS, Math.ceil(width / 2))),
      ),
      gc: {
        series: GC_FIELDS.map((f) => m.series(f, t0, t1, gcPixels)),
        forcedTimes,
        cyclesInRange,
      },
    };
  }
  update.hostMs = performance.now() - started;
  return update;
}

/**
 * The per-P run-queue heatmap of a range: from the model (exact) while a column holds a few
 * snapshots, from the pyramid of bucket maxima once walking every per-P value would cost more
 * than the plot is wide (an hour of 64 Ps: 50 ms → about 1 ms).
 */
export function runqueueHeatmap(
  source: SchedAnswerSource,
  t0: number,
  t1: number,
  cols: number,
): PMatrix {
  const m = source.model;
  const inRange = Math.max(0, m.snapshotIndexAt(t1) - m.snapshotIndexAt(t0) + 1);
  if (inRange > 4 * cols) {
    const fast = source.pyramid.matrix(t0, t1, cols);
    if (fast) return fast;
  }
  return m.perPMatrix('runqueue', t0, t1, cols);
}

function latestSnapshot(m: SchedModel): LatestSnapshot | undefined {
  const n = m.snapshotCount;
  if (n === 0) return undefined;
  const s = m.snapshot(n - 1);
  return {
    timeMs: s.timeMs,
    gomaxprocs: s.gomaxprocs,
    idleprocs: s.idleprocs,
    threads: s.threads,
    spinningthreads: s.spinningthreads,
    idlethreads: s.idlethreads,
    runqueue: s.runqueue,
  };
}

function downsamplingSummary(source: SchedAnswerSource): DownsamplingSummary {
  const d = source.model.downsampling();
  const thinned = d.snapshotThinning;
  const summary: DownsamplingSummary = {
    snapshotsReceived: d.snapshotsReceived,
    thinnedBeforeMs: thinned.length
      ? thinned.reduce((m, t) => Math.max(m, t.beforeTimeMs), -Infinity)
      : null,
    droppedSnapshots: thinned.reduce((a, t) => a + t.droppedSnapshots, 0),
    detailBlocks: d.detailBlocks,
    detailBlocksWithRows: d.detailBlocksWithRows,
    recentDetailBlocks: d.policy.recentDetailBlocks,
    keepEvery: d.policy.keepEvery,
    rowsDroppedBudget: d.rowsDroppedBudget,
    programLinesDropped: d.programLinesDropped,
  };
  if (source.parser) summary.parser = source.parser;
  return summary;
}

/** The P/M/G tables nearest to `timeMs`. */
export function schedDetailAt(m: SchedModel, timeMs: number): SchedDetailMessage {
  const msg: SchedDetailMessage = { type: 'detail', requestedMs: timeMs };
  const i = m.snapshotIndexAt(timeMs);
  if (i < 0) {
    msg.note = 'No SCHED line has arrived yet.';
    return msg;
  }
  const s = m.snapshot(i);
  msg.snapshot = {
    timeMs: s.timeMs,
    gomaxprocs: s.gomaxprocs,
    idleprocs: s.idleprocs,
    threads: s.threads,
    spinningthreads: s.spinningthreads,
    idlethreads: s.idlethreads,
    runqueue: s.runqueue,
    runqueues: s.runqueues,
  };
  if (m.detailCount === 0) {
    msg.note =
      'No P, M and G tables: this trace has no scheddetail blocks. Turn on goLens.schedTrace.detail (GODEBUG=scheddetail=1) and run again.';
    return msg;
  }
  const detail = m.detailAt(timeMs, { withRows: true }) ?? m.detailAt(timeMs);
  if (!detail) return msg;
  msg.detail = detail;
  if (!detail.rows) {
    msg.note =
      'The P, M and G rows of this block were dropped to bound memory; only its counts are kept.';
  } else if (Math.abs(detail.timeMs - s.timeMs) > 0) {
    const d = m.downsampling().policy;
    msg.note = `Rows of older blocks are kept for the newest ${d.recentDetailBlocks} blocks and every ${d.keepEvery}th before them: showing the nearest block with rows, at ${Math.round(detail.timeMs)} ms.`;
  }
  return msg;
}

/** The newest GC cycle held by a model, on its time axis. */
export function newestGcCycle(m: SchedModel): GcCycleView | undefined {
  const all = m.gcCycles();
  return all[all.length - 1];
}
