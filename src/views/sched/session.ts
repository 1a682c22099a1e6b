// The host side of one live scheduler dashboard: the stream parser and the bounded model of the
// run, and the logic that decides what the webview gets and when. (A saved log's model stays in
// the parse worker, see log-session.ts; the answers are built alike, src/protocol/sched-answers.ts.)
//
// The webview never receives the history: it says which range it shows and how many pixels
// wide (a `view` request), and gets that range decimated to about a point per pixel. While data
// arrives, updates go out at most every UPDATE_INTERVAL_MS (the first one at once), and carry
// the charts only when the range shown can have changed: a view zoomed into the past gets the
// header numbers but not the same charts again. No vscode here: unit tests drive it with a fake clock.
import {
  HeatmapPyramid,
  SchedModel,
  SchedTraceStream,
  type GcCycle,
  type GcCycleView,
  type PMatrix,
  type ProgramLine,
  type SchedEvent,
} from '../../core/schedtrace';
import type {
  SchedDetailMessage,
  SchedHostMessage,
  SchedUpdate,
  ViewRequest,
} from '../../protocol/sched';
import {
  runqueueHeatmap,
  schedDetailAt,
  schedUpdate,
  viewRange,
  type SchedAnswerSource,
} from '../../protocol/sched-answers';
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
    this.model = new SchedModel();
    this.scheduler = options.scheduler ?? realScheduler;
    this.intervalMs = options.intervalMs ?? UPDATE_INTERVAL_MS;
    this.parseClock = options.parseClock ?? (() => performance.now());
    this.pyramid = new HeatmapPyramid();
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
    const text =
      old.pendingProgramText() +
      (typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
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
      warning: {
        line: 0,
        message: `the trace parser failed (${err instanceof Error ? err.message : String(err)}) and was restarted, reading whole trace lines only; the text it held went to the terminal as it came. Please report this with the saved log.`,
      },
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
    return viewRange(this.model, view);
  }

  /** One update for `view`; with `withCharts`, the decimated charts of its range. */
  buildUpdate(view: ViewRequest, withCharts: boolean): SchedUpdate {
    return schedUpdate(this.answerSource(), view, withCharts);
  }

  /** The per-P run-queue heatmap of a range (see runqueueHeatmap). */
  heatmap(t0: number, t1: number, cols: number): PMatrix {
    return runqueueHeatmap(this.answerSource(), t0, t1, cols);
  }

  private answerSource(): SchedAnswerSource {
    return {
      model: this.model,
      pyramid: this.pyramid,
      lastGc: this.lastGc,
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
    return schedDetailAt(this.model, timeMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.scheduler.clear(this.timer);
    this.timer = undefined;
  }
}
