// The host side of one scheduler dashboard: the stream parser and the bounded model of a live
// run (or a model loaded from a log), and the logic that decides what the webview gets and when.
//
// The webview never receives the history: it says which range it shows and how many pixels
// wide (a `view` request), and gets that range decimated to about a point per pixel. While data
// arrives, updates go out at most every UPDATE_INTERVAL_MS (the first one at once), and carry
// the charts only when the range shown can have changed: a view zoomed into the past gets the
// header numbers but not the same charts again. No vscode here: unit tests drive it with a fake clock.
import { SchedModel, SchedTraceStream, type GcCycle, type GcCycleView, type PMatrix, type ProgramLine, type SchedEvent } from '../../core/schedtrace';
import {
  GC_FIELDS,
  LINE_FIELDS,
  MAX_FORCED_MARKERS,
  MAX_HEATMAP_COLS,
  MAX_SERIES_PIXELS,
  type DownsamplingSummary,
  type LatestSnapshot,
  type SchedDetailMessage,
  type SchedHostMessage,
  type SchedUpdate,
  type ViewRequest,
} from '../../protocol/sched';
import { HeatmapPyramid } from './heatmap-pyramid';
import { formatPercent } from '../../core/format/units';

/**
 * At most one update per this many ms: 4 a second is live to a reader, and with a 100 ms trace
 * interval on a 64-P program each update costs the host a few ms (see scripts/bench/sched-dashboard.mjs).
 */
export const UPDATE_INTERVAL_MS = 250;

/**
 * The share of the extension host's time the live parser (and the model it feeds) may take,
 * averaged over about a second, before the run's output is read lean (whole trace lines only,
 * scheddetail rows dropped; see SchedTraceStream.setLean): a program that writes faster than it
 * can be parsed then costs the host a line split per line instead of stalling every view.
 */
export const LEAN_ABOVE_SHARE = 0.25;
/** …and back to full parsing after this long below LEAN_BELOW_SHARE. */
export const LEAN_CALM_MS = 10_000;
export const LEAN_BELOW_SHARE = 0.05;
/** The time constant of the busy average, ms. */
const BUSY_WINDOW_MS = 1000;

/** The narrowest range shown while following: one second, the default trace interval. */
const MIN_FOLLOW_SPAN_MS = 1000;

/** Timers, injectable so tests control time. */
export interface Scheduler {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realScheduler: Scheduler = {
  now: () => performance.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SchedSessionOptions {
  /** A model loaded from a log (static); a live session starts empty. */
  model?: SchedModel;
  scheduler?: Scheduler;
  /** Minimum time between two updates (default UPDATE_INTERVAL_MS). */
  intervalMs?: number;
  /** The clock that times parsing (default performance.now; tests pass a fake one). */
  parseClock?: () => number;
}

export class SchedSession {
  readonly model: SchedModel;
  private stream = new SchedTraceStream();
  /** Counts of parsers replaced after a failure (see recover), added to the current one's. */
  private carried = { traceLines: 0, detailLinesDropped: 0, leanLines: 0, failures: 0 };
  private readonly scheduler: Scheduler;
  private readonly intervalMs: number;
  private view: ViewRequest | undefined;
  /** The charts must be rebuilt for the next update (the view or the data in it changed). */
  private chartsDirty = true;
  /** Something changed that the header shows (counts, latest values). */
  private headerDirty = true;
  private lastSent = -Infinity;
  private timer: unknown;
  private lastGc: GcCycleView | undefined;
  private readonly pyramid: HeatmapPyramid;
  private disposed = false;
  private readonly parseClock: () => number;
  /** Parse time per BUSY_WINDOW_MS, decaying (ms), and when it was last updated. */
  private busyMs = 0;
  private busyAt = 0;
  /** Lean since (parse clock), and since when the load has been low; lean episodes so far. */
  private leanSince: number | undefined;
  private calmSince: number | undefined;
  private leanEpisodes = 0;
  private peakShare = 0;
  /** How many updates carried charts, and how many were sent at all (for tests and the benchmark). */
  readonly sent = { updates: 0, withCharts: 0 };

  constructor(
    private readonly post: (m: SchedHostMessage) => void,
    options: SchedSessionOptions = {},
  ) {
    this.model = options.model ?? new SchedModel();
    this.scheduler = options.scheduler ?? realScheduler;
    this.intervalMs = options.intervalMs ?? UPDATE_INTERVAL_MS;
    this.parseClock = options.parseClock ?? (() => performance.now());
    if (options.model) {
      const all = this.model.gcCycles();
      this.lastGc = all[all.length - 1];
      this.pyramid = HeatmapPyramid.fromModel(this.model);
    } else {
      this.pyramid = new HeatmapPyramid();
    }
  }

  /** Runtime trace lines seen so far in the live stream. */
  get traceLines(): number {
    return this.carried.traceLines + this.stream.stats.traceLines;
  }

  /** Feeds a chunk of the program's stderr; returns the program's own lines in it (trace lines cut out). */
  pushStderr(chunk: Uint8Array | string): ProgramLine[] {
    const started = this.parseClock();
    let program: ProgramLine[];
    try {
      program = this.ingest(this.stream.push(chunk));
    } catch (err) {
      program = this.recover(err, chunk);
    }
    this.account(started, this.parseClock());
    return program;
  }

  /**
   * The parser threw (a bug: its own input never makes it throw). The run must not suffer: the
   * text it held and this chunk go to the terminal as they came, a fresh parser in lean mode
   * takes over from the next chunk, and the dashboard says what happened.
   */
  private recover(err: unknown, chunk: Uint8Array | string): ProgramLine[] {
    const old = this.stream;
    const text = old.pendingProgramText() + (typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    this.carried.traceLines += old.stats.traceLines;
    this.carried.detailLinesDropped += old.stats.detailLinesDropped;
    this.carried.leanLines += old.stats.leanLines;
    this.carried.failures++;
    this.stream = new SchedTraceStream();
    this.stream.setLean(true);
    this.leanSince ??= this.parseClock();
    this.leanEpisodes++;
    this.model.add({
      kind: 'warning',
      warning: { line: 0, message: `the trace parser failed (${err instanceof Error ? err.message : String(err)}) and was restarted, reading whole trace lines only; the text it held went to the terminal as it came. Please report this with the saved log.` },
    });
    this.headerDirty = true;
    return text === '' ? [] : [{ text, line: 0, noNewline: true }];
  }

  /**
   * Keeps the parser's share of the host's time in check: above LEAN_ABOVE_SHARE the stream goes
   * lean (and the dashboard says so), after LEAN_CALM_MS below LEAN_BELOW_SHARE it parses fully again.
   */
  private account(started: number, ended: number): void {
    const spent = Math.max(0, ended - started);
    const elapsed = Math.max(0, ended - this.busyAt);
    this.busyMs = this.busyMs * Math.exp(-elapsed / BUSY_WINDOW_MS) + spent;
    this.busyAt = ended;
    const share = this.busyMs / BUSY_WINDOW_MS;
    if (this.leanSince === undefined) {
      if (share <= LEAN_ABOVE_SHARE) return;
      this.leanSince = ended;
      this.calmSince = undefined;
      this.leanEpisodes++;
      this.peakShare = share;
      this.stream.setLean(true);
      this.model.add({
        kind: 'warning',
        warning: {
          line: this.stream.stats.lines,
          message: `the program writes faster than Go Lens can parse (parsing took ${formatPercent(share, 1)} of the editor's extension host): until it calms down, only whole trace lines are read and scheddetail P/M/G rows are dropped`,
        },
      });
      this.headerDirty = true;
      return;
    }
    this.peakShare = Math.max(this.peakShare, share);
    if (share >= LEAN_BELOW_SHARE) {
      this.calmSince = undefined;
    } else if (this.calmSince === undefined) {
      this.calmSince = ended;
    } else if (ended - this.calmSince >= LEAN_CALM_MS) {
      this.leanSince = undefined;
      this.calmSince = undefined;
      this.stream.setLean(false);
      this.headerDirty = true;
    }
  }

  /** The program exited: flushes what the parser held back. */
  endStderr(): ProgramLine[] {
    try {
      return this.ingest(this.stream.end());
    } catch (err) {
      return this.recover(err, '');
    }
  }

  /** Adds parsed events (the live path goes through pushStderr; tests and the benchmark may add events directly). */
  ingest(events: readonly SchedEvent[]): ProgramLine[] {
    const program: ProgramLine[] = [];
    let data = false;
    let snapshots = 0;
    for (const e of events) {
      if (e.kind === 'program') program.push(e.program);
      else data = true;
      if (e.kind === 'gc') this.lastGcEvent(e.gc);
      if (e.kind === 'snapshot') snapshots++;
    }
    if (events.length === 0) return program;
    const endBefore = this.model.timeRange()?.endMs;
    this.model.add(events);
    // The new snapshots are the model's newest (thinning only ever drops from the older half),
    // read back to get them on the model's time axis.
    const n = this.model.snapshotCount;
    for (let i = Math.max(0, n - snapshots); i < n; i++) {
      const s = this.model.snapshot(i);
      this.pyramid.add(s.timeMs, s.runqueues);
    }
    if (data) {
      this.headerDirty = true;
      // New data lands at or after the previous end: it shows only if the view reaches there.
      const v = this.view;
      if (!v || v.follow || endBefore === undefined || v.t1 >= endBefore) this.chartsDirty = true;
      this.schedule();
    }
    return program;
  }

  private lastGcEvent(gc: GcCycle): void {
    const { line: _line, ...rest } = gc;
    // The model's own time for it is known once it is added; the newest cycle is at the end.
    this.lastGc = { ...rest, timeMs: gc.startS * 1000 };
  }

  /** The webview shows this range now. */
  setView(view: ViewRequest): void {
    this.view = view;
    this.chartsDirty = true;
    this.headerDirty = true;
    this.schedule();
  }

  /** Sends an update as soon as the throttle allows (e.g. a webview that came back after hiding). */
  refresh(): void {
    this.chartsDirty = true;
    this.headerDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.disposed || !this.view || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastSent + this.intervalMs - this.scheduler.now());
    this.timer = this.scheduler.set(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Sends the pending update now (the timer calls this). */
  flush(): void {
    const view = this.view;
    if (this.disposed || !view || (!this.chartsDirty && !this.headerDirty)) return;
    const withCharts = this.chartsDirty;
    this.chartsDirty = false;
    this.headerDirty = false;
    const update = this.buildUpdate(view, withCharts);
    this.lastSent = this.scheduler.now();
    this.sent.updates++;
    if (withCharts) this.sent.withCharts++;
    this.post(update);
  }

  /** The range a view shows: in follow mode the newest `windowMs` (or everything). */
  rangeOf(view: ViewRequest): { t0: number; t1: number } {
    if (!view.follow) return { t0: view.t0, t1: Math.max(view.t1, view.t0 + 1) };
    const r = this.model.timeRange();
    if (!r) return { t0: 0, t1: Math.max(MIN_FOLLOW_SPAN_MS, view.windowMs) };
    const t1 = r.endMs;
    const t0 = view.windowMs > 0 ? t1 - view.windowMs : r.startMs;
    // The first second of a run (or a program that exited at once) still gets a readable axis.
    return { t0, t1: Math.max(t1, t0 + MIN_FOLLOW_SPAN_MS) };
  }

  /** One update for `view`; with `withCharts`, the decimated charts of its range. */
  buildUpdate(view: ViewRequest, withCharts: boolean): SchedUpdate {
    const started = performance.now();
    const m = this.model;
    const { t0, t1 } = this.rangeOf(view);
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
      downsampling: this.downsamplingSummary(),
      warnings: (() => {
        const w = m.warnings();
        return { total: w.total, recent: w.list.slice(-5) };
      })(),
      hostMs: 0,
    };
    const latest = this.latestSnapshot();
    if (latest) update.latest = latest;
    if (this.lastGc) update.latestGc = this.lastGc;
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
        heatmap: this.heatmap(t0, t1, Math.max(1, Math.min(MAX_HEATMAP_COLS, Math.ceil(width / 2)))),
        gc: { series: GC_FIELDS.map((f) => m.series(f, t0, t1, gcPixels)), forcedTimes, cyclesInRange },
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
  heatmap(t0: number, t1: number, cols: number): PMatrix {
    const m = this.model;
    const inRange = Math.max(0, m.snapshotIndexAt(t1) - m.snapshotIndexAt(t0) + 1);
    if (inRange > 4 * cols) {
      const fast = this.pyramid.matrix(t0, t1, cols);
      if (fast) return fast;
    }
    return m.perPMatrix('runqueue', t0, t1, cols);
  }

  private latestSnapshot(): LatestSnapshot | undefined {
    const n = this.model.snapshotCount;
    if (n === 0) return undefined;
    const s = this.model.snapshot(n - 1);
    return { timeMs: s.timeMs, gomaxprocs: s.gomaxprocs, idleprocs: s.idleprocs, threads: s.threads, spinningthreads: s.spinningthreads, idlethreads: s.idlethreads, runqueue: s.runqueue };
  }

  private downsamplingSummary(): DownsamplingSummary {
    const d = this.model.downsampling();
    const thinned = d.snapshotThinning;
    return {
      snapshotsReceived: d.snapshotsReceived,
      thinnedBeforeMs: thinned.length ? thinned.reduce((m, t) => Math.max(m, t.beforeTimeMs), -Infinity) : null,
      droppedSnapshots: thinned.reduce((a, t) => a + t.droppedSnapshots, 0),
      detailBlocks: d.detailBlocks,
      detailBlocksWithRows: d.detailBlocksWithRows,
      recentDetailBlocks: d.policy.recentDetailBlocks,
      keepEvery: d.policy.keepEvery,
      rowsDroppedBudget: d.rowsDroppedBudget,
      programLinesDropped: d.programLinesDropped,
      parser: {
        lean: this.leanSince !== undefined,
        episodes: this.leanEpisodes,
        peakPercent: Math.round(this.peakShare * 100),
        detailLinesDropped: this.carried.detailLinesDropped + this.stream.stats.detailLinesDropped,
        leanLines: this.carried.leanLines + this.stream.stats.leanLines,
        failures: this.carried.failures,
      },
    };
  }

  /** The P/M/G tables nearest to `timeMs`. */
  detailAt(timeMs: number): SchedDetailMessage {
    const m = this.model;
    const msg: SchedDetailMessage = { type: 'detail', requestedMs: timeMs };
    const i = m.snapshotIndexAt(timeMs);
    if (i < 0) {
      msg.note = 'No SCHED line has arrived yet.';
      return msg;
    }
    const s = m.snapshot(i);
    msg.snapshot = { timeMs: s.timeMs, gomaxprocs: s.gomaxprocs, idleprocs: s.idleprocs, threads: s.threads, spinningthreads: s.spinningthreads, idlethreads: s.idlethreads, runqueue: s.runqueue, runqueues: s.runqueues };
    if (m.detailCount === 0) {
      msg.note = 'No P, M and G tables: this trace has no scheddetail blocks. Turn on goLens.schedTrace.detail (GODEBUG=scheddetail=1) and run again.';
      return msg;
    }
    const detail = m.detailAt(timeMs, { withRows: true }) ?? m.detailAt(timeMs);
    if (!detail) return msg;
    msg.detail = detail;
    if (!detail.rows) {
      msg.note = 'The P, M and G rows of this block were dropped to bound memory; only its counts are kept.';
    } else if (Math.abs(detail.timeMs - s.timeMs) > 0) {
      const d = m.downsampling().policy;
      msg.note = `Rows of older blocks are kept for the newest ${d.recentDetailBlocks} blocks and every ${d.keepEvery}th before them: showing the nearest block with rows, at ${Math.round(detail.timeMs)} ms.`;
    }
    return msg;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.scheduler.clear(this.timer);
    this.timer = undefined;
  }
}
