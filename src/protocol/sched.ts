// Messages between the extension host and the scheduler dashboard webview (live runs under
// GODEBUG=schedtrace/gctrace, and saved logs): its method map on the channel of
// src/protocol/rpc.ts. Imported by both sides; the host validates every request with
// `schedValidators` before acting on it.
//
// The host (a live run) or the parse worker (a saved log) keeps the model (an hour of 100 ms
// snapshots of 64 Ps is tens of MB; see src/protocol/sched-answers.ts); the webview
// says which time range it shows and how wide it is, and gets that range decimated to about a
// point per pixel, at most every ~250 ms. It asks for one snapshot's P/M/G tables when the user
// picks an instant.
import type {
  DecimatedSeries,
  DetailView,
  GcCycleView,
  PMatrix,
  SchedWarning,
} from '../core/schedtrace';
import { noParams, type NoParams, type Validators } from './rpc';
import { hasOnlyKeys, isFiniteNumber, isIndex, isRecord } from './validate';

/** Snapshot fields charted as lines. */
export const LINE_FIELDS = [
  'gomaxprocs',
  'idleprocs',
  'threads',
  'spinningthreads',
  'idlethreads',
  'runqueue',
] as const;
export type LineField = (typeof LINE_FIELDS)[number];

/** gctrace fields charted per cycle (heap in MB, pauses in ms of wall clock, GC CPU in %). */
export const GC_FIELDS = [
  'gc:heapStartMB',
  'gc:heapEndMB',
  'gc:heapGoalMB',
  'gc:clockSweepTermMs',
  'gc:clockMarkTermMs',
  'gc:cpuPercent',
] as const;
export type GcField = (typeof GC_FIELDS)[number];

/** Most heatmap columns sent: the heatmap is drawn as an image, a column per 2+ pixels reads fine. */
export const MAX_HEATMAP_COLS = 800;
/** Most series points per field: a 4K-wide chart. */
export const MAX_SERIES_PIXELS = 4096;
/** Most forced-GC markers sent for one range. */
export const MAX_FORCED_MARKERS = 2000;

export type RunState =
  'loading' | 'building' | 'running' | 'exited' | 'stopped' | 'failed' | 'loaded';

/** What the dashboard shows: a live run or a saved log. */
export interface DashboardInfo {
  title: string;
  kind: 'live' | 'log';
  /** The command line as the user would type it (live), or the file path (log). */
  source: string;
  /** The GODEBUG the program runs with (live). */
  godebug?: string;
  intervalMs?: number;
  detail?: boolean;
}

export interface RunStatus {
  state: RunState;
  /** Process id of the running program (live), for the user and for tests. */
  pid?: number;
  /** One line for the status bar of the view. */
  message: string;
  /** Things the user must know (no trace lines yet, the program failed…). */
  problem?: string;
  /** The last lines the program wrote to stderr (trace lines cut out), when it failed. */
  lastStderr?: string[];
}

/** What the model gave up to stay bounded, for the notice above the charts. */
export interface DownsamplingSummary {
  snapshotsReceived: number;
  /** Snapshots before this time are at reduced resolution (every other one dropped, maybe repeatedly), or null. */
  thinnedBeforeMs: number | null;
  droppedSnapshots: number;
  detailBlocks: number;
  detailBlocksWithRows: number;
  /** How many newest blocks keep their rows, and every how many older blocks keep them. */
  recentDetailBlocks: number;
  keepEvery: number;
  rowsDroppedBudget: number;
  programLinesDropped: number;
  /**
   * The live parser's state: `lean` while the program's output comes faster than it can be
   * parsed (whole trace lines only, scheddetail rows dropped), with how often that happened,
   * the highest share of the host's time parsing took, and what was dropped.
   */
  parser?: {
    lean: boolean;
    episodes: number;
    peakPercent: number;
    detailLinesDropped: number;
    leanLines: number;
    failures: number;
  };
}

/** The newest snapshot's numbers, for the header. */
export interface LatestSnapshot {
  timeMs: number;
  gomaxprocs: number;
  idleprocs: number;
  threads: number;
  spinningthreads: number;
  idlethreads: number;
  runqueue: number;
}

export interface SchedUpdate {
  type: 'update';
  /** The `seq` of the view request this answers. */
  viewSeq: number;
  /** The range the series cover (follow mode: the newest `windowMs`). */
  t0: number;
  t1: number;
  /** First and last time of anything received, or null before the first trace line. */
  dataStartMs: number | null;
  dataEndMs: number | null;
  snapshotCount: number;
  detailCount: number;
  gcCount: number;
  latest?: LatestSnapshot;
  /**
   * Charts of the range; absent when nothing in the range changed since the last update (the
   * view is zoomed into the past while new data arrives), so the webview keeps what it has.
   */
  charts?: {
    series: DecimatedSeries[];
    heatmap: PMatrix;
    gc: { series: DecimatedSeries[]; forcedTimes: number[]; cyclesInRange: number };
  };
  latestGc?: GcCycleView;
  downsampling: DownsamplingSummary;
  warnings: { total: number; recent: SchedWarning[] };
  /** Time the host spent building this update, ms. */
  hostMs: number;
}

export interface SchedDetailMessage {
  type: 'detail';
  /** The instant the user picked. */
  requestedMs: number;
  /** The snapshot nearest to it. */
  snapshot?: LatestSnapshot & { runqueues: number[] };
  /** The nearest scheddetail block that still has its rows (or the nearest one, with counts only). */
  detail?: DetailView;
  /** Why there are no tables (no scheddetail in this run, rows dropped…). */
  note?: string;
}

export type SchedHostMessage =
  | { type: 'init'; info: DashboardInfo }
  | { type: 'status'; status: RunStatus }
  | SchedUpdate
  | SchedDetailMessage
  | { type: 'error'; message: string };

/** The range the webview shows. */
export interface ViewRequest {
  seq: number;
  /** Follow the newest data (auto-scroll). */
  follow: boolean;
  /** When following: how much of the newest data to show, ms (0 = all). */
  windowMs: number;
  /** When not following: the range shown, ms on the model's time axis. */
  t0: number;
  t1: number;
  /** Chart width in CSS pixels: the series are decimated to about this many points. */
  width: number;
}

/** What the host pushes to the dashboard (each push carries its message, `type` included). */
export type SchedPushes = {
  [T in Exclude<SchedHostMessage['type'], 'detail'>]: Extract<SchedHostMessage, { type: T }>;
};

/** What the dashboard asks the host (webview/common/rpc.ts `request`). */
export interface SchedMethods {
  /** The page is up (first show, or shown again after hiding): `init`, `status` and an `update` come as pushes. */
  ready: { params: NoParams; result: void };
  /** The range shown; the host pushes `update`s of it (`viewSeq` names the request they answer). */
  view: { params: ViewRequest; result: void };
  /** The P/M/G tables nearest to an instant; null before anything is loaded. */
  selectTime: { params: { timeMs: number }; result: SchedDetailMessage | null };
  stop: { params: NoParams; result: void };
  restart: { params: NoParams; result: void };
  saveLog: { params: NoParams; result: void };
  showTerminal: { params: NoParams; result: void };
}

/** A week: no run shown in the dashboard is longer than that, and no view range wider. */
const MAX_TIME_MS = 7 * 24 * 3600 * 1000;

const isTime = (v: unknown): v is number =>
  isFiniteNumber(v) && v >= -MAX_TIME_MS && v <= MAX_TIME_MS;

/** The host runs a dashboard request only when its params pass these checks. */
export const schedValidators: Validators<SchedMethods> = {
  ready: noParams,
  stop: noParams,
  restart: noParams,
  saveLog: noParams,
  showTerminal: noParams,
  selectTime: (p) =>
    isRecord(p) && hasOnlyKeys(p, ['timeMs']) && isTime(p.timeMs)
      ? { timeMs: p.timeMs }
      : undefined,
  view: (raw) => {
    const keys = ['seq', 'follow', 'windowMs', 't0', 't1', 'width'];
    if (!isRecord(raw) || !hasOnlyKeys(raw, keys) || Object.keys(raw).length !== keys.length)
      return undefined;
    const { seq, follow, windowMs, t0, t1, width } = raw;
    if (
      !isIndex(seq) ||
      typeof follow !== 'boolean' ||
      !isTime(windowMs) ||
      windowMs < 0 ||
      !isTime(t0) ||
      !isTime(t1) ||
      t1 < t0
    )
      return undefined;
    if (!isIndex(width, 100_000) || width < 1) return undefined;
    return { seq, follow, windowMs, t0, t1, width };
  },
};
