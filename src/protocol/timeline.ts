// Messages between the extension host and the execution-trace timeline webview (the scheduler
// timeline and the goroutine analysis table): its method map on the channel of
// src/protocol/rpc.ts. Imported by both sides; the host validates every request with
// `timelineValidators` before acting on it.
//
// The model of a trace stays in the parse worker (GBs for a big trace). The webview says what it
// shows — a time window at a resolution and the lanes in view — and gets back those lanes'
// marks (sub-pixel runs merged in the worker) as typed arrays, metric series decimated to its
// width, and one span's details or a page of the analysis table when asked. It caches what it
// got and draws from the cache, so panning within what it has needs no round trip.
import type { AnalysisColumn, AnalysisNumbers } from '../core/layout/timeline-groups';
import { ANALYSIS_COLUMNS } from '../core/layout/timeline-groups';
import type { DecimatedSteps } from '../core/layout/timeline-series';
import type { WallClockInfo } from '../core/exectrace/wall-clock';
import { isSourceLocation, type SourceLocation } from './source';
import { noParams, type NoParams, type Validators } from './rpc';
import { hasOnlyKeys, isFiniteNumber, isIndex, isRecord } from './validate';

/** A lane group as the lanes and the table show it. */
export interface LaneGroupInfo {
  /** Start function ("" when the trace never showed a stack for these goroutines). */
  name: string;
  count: number;
  execTime: number;
}

/** What the view shows about a trace once it is parsed. Times are ns since the trace start. */
/** What the worker's model of a trace holds, in the worker's answer and in the view's summary. */
export interface TraceContents {
  /** ns since the trace start. */
  start: number;
  end: number;
  eventCount: number;
  spanCount: number;
  goroutineCount: number;
  /** P IDs, one lane each, in lane order. */
  procs: number[];
  groups: LaneGroupInfo[];
  cpuSamples: number;
  /** The CPU profiler's period when the samples show it (flame graphs then show CPU time). */
  cpuPeriodNanos?: number;
  gcCycles: number;
  stwCount: number;
  /** Clock snapshots for wall-clock time (Go 1.25+), or why there are none; absent from older hosts. */
  wallClock?: WallClockInfo;
}

export interface TraceSummaryView extends TraceContents {
  title: string;
  /** e.g. "Go 1.26 trace format". */
  version: string;
  /** The trace was cut short or is damaged: what parsed is shown, and this says what is missing. */
  warning?: string;
  /** ms from the start of parsing to the model being ready (for the benchmark and the curious). */
  loadMs: number;
  /**
   * Set while the view shows a preview of the trace's first generations (a big trace opens
   * progressively); a `summary` push of the complete trace follows, or one saying why not.
   */
  partial?: TracePartialView;
  /** Set when only a time range of a trace too big for memory is loaded, e.g. "0.042 s – 0.157 s". */
  range?: string;
}

/** How a preview stands: the rest on its way (progress pushes say how far), or not coming. */
export interface TracePartialView {
  /** Generations the preview holds. */
  generations: number;
  state: 'loading' | 'cancelled' | 'failed';
  /** What is shown and, when the rest is not coming, why and what to do. */
  message: string;
}

/** A lane to fetch: a P (by lane index), a goroutine (by group and position in it), GC cycles, STW pauses. */
export type LaneRef =
  | { kind: 'p'; index: number }
  | { kind: 'g'; group: number; member: number }
  | { kind: 'gc' }
  | { kind: 'stw' };

/** The cache key of a lane. */
export function laneKey(ref: LaneRef): string {
  switch (ref.kind) {
    case 'p':
      return `p${ref.index}`;
    case 'g':
      return `g${ref.group}.${ref.member}`;
    default:
      return ref.kind;
  }
}

/**
 * The marks of one lane in a window (see LaneIndex.query): mark i covers [start[i], end[i]) and
 * stands for n[i] intervals (1: one span, GC cycle or pause; more: a merged run of sub-pixel
 * ones). `cls` is the span class (SPAN_CLASSES) of a single span, or the mix class with the
 * most time for a merged run. `ref` is the interval's index (span, GC cycle or pause) for a
 * single mark, −1 for a merged one. On P lanes `group` and `gid` name the goroutine that ran
 * (−1 and NaN for merged marks). `mix` holds `classCount` time shares per mark (MIX_CLASSES on
 * goroutine lanes; on P, GC and STW lanes one share: how busy the run was).
 */
export interface LaneData {
  key: string;
  /** Goroutine lanes: which goroutine (model index, Go ID); absent on other lanes. */
  goroutine?: { index: number; id: number };
  start: Float64Array;
  end: Float64Array;
  n: Int32Array;
  cls: Uint8Array;
  ref: Int32Array;
  group: Int32Array;
  gid: Float64Array;
  mix: Float32Array;
  classCount: number;
}

/** Metric graphs of a window, one min/max pair per pixel column. */
export interface SeriesData {
  heapAlloc: DecimatedSteps;
  heapGoal: DecimatedSteps;
  running: DecimatedSteps;
  runnable: DecimatedSteps;
  waiting: DecimatedSteps;
  syscall: DecimatedSteps;
}

/** The overview strip: the whole trace, CPU utilization of all Ps per column, and GC cycles. */
export interface OverviewData {
  utilization: Float64Array;
  gcStart: Float64Array;
  gcEnd: Float64Array;
}

/** What a detail request is about: a span, a GC cycle or a stop-the-world pause (by index). */
export type DetailRef = { kind: 'span' | 'gc' | 'stw'; index: number };

/** A stack frame shown in the details; clicking it opens the source. */
export type StackFrameView = SourceLocation;

/** One span's (or GC cycle's, or pause's) details for the tooltip and the details panel. */
export interface SpanDetail {
  ref: DetailRef;
  title: string;
  /** Label and value rows: state, reason, start, duration, goroutine, P, M. */
  rows: [string, string][];
  stacks: { title: string; frames: StackFrameView[] }[];
  /** The goroutine the span belongs to, to reveal its lane. */
  goroutine?: { index: number; id: number; group: number; member: number };
}

/** A row of the goroutine analysis table: a group of goroutines, or one goroutine of a group. */
export interface AnalysisRow extends AnalysisNumbers {
  name: string;
  group: number;
  goroutine?: { index: number; id: number; member: number };
}

/** A page of one group's goroutines in the analysis table. */
export interface AnalysisPageParams {
  group: number;
  offset: number;
  limit: number;
  sortBy: AnalysisColumn;
  descending: boolean;
}

/** The CPU flame graph of the samples in [t0, t1], of one group or goroutine when given. */
export interface CpuProfileParams {
  t0: number;
  t1: number;
  group?: number;
  goroutine?: number;
}

/**
 * What the timeline asks the host (webview/common/rpc.ts `request`). The `trace*` queries are
 * the parse worker's methods of the same name without the trace's handle, which the host adds.
 */
export interface TimelineMethods {
  /** The page is up: the trace's summary once it is parsed (progress comes as pushes meanwhile). */
  ready: { params: NoParams; result: TraceSummaryView };
  /** Stop parsing (the user clicked Cancel). */
  cancel: { params: NoParams; result: void };
  traceLanes: {
    params: { t0: number; t1: number; resolution: number; lanes: LaneRef[] };
    result: LaneData[];
  };
  traceSeries: { params: { t0: number; t1: number; buckets: number }; result: SeriesData };
  traceOverview: { params: { buckets: number }; result: OverviewData };
  traceDetail: { params: { ref: DetailRef }; result: SpanDetail };
  traceAnalysis: { params: NoParams; result: AnalysisRow[] };
  traceAnalysisGoroutines: {
    params: AnalysisPageParams;
    result: { total: number; rows: AnalysisRow[] };
  };
  /** `ok` false: `message` says why the source did not open. */
  openSource: { params: { location: SourceLocation }; result: { ok: boolean; message: string } };
  /** Opens the flame graph beside the view (`opened`), or says why there is none (`notice`). */
  cpuProfile: {
    params: CpuProfileParams;
    result: { opened: { title: string; samples: number } } | { notice: string };
  };
}

/** What the host pushes to the timeline. */
export interface TimelinePushes {
  progress: { message: string; fraction?: number };
  /**
   * The trace was parsed again (the worker restarted), or the complete trace after a preview,
   * or the preview again saying why the rest will not come: the summary of the model to show.
   */
  summary: TraceSummaryView;
  /**
   * While the rest of a previewed trace loads: the trace time parsed so far (ns since the trace
   * start) and the share of the file, for the overview strip to fill in.
   */
  loading: { parsedNs: number; fraction: number };
}

/** Most lanes one request may name: far more than a screen shows. */
export const MAX_LANES_PER_REQUEST = 512;
/** Most pixel columns of a series or overview request: an 8K screen. */
export const MAX_BUCKETS = 8192;
/** Most rows of one analysis page. */
export const MAX_PAGE = 1000;
/** Times beyond ±10^15 ns (11 days) are not in any trace. */
const MAX_TIME = 1e15;

const isTime = (v: unknown): v is number => isFiniteNumber(v) && Math.abs(v) <= MAX_TIME;
const isWindow = (t0: unknown, t1: unknown): boolean => isTime(t0) && isTime(t1) && t1 > t0;

function isLaneRef(v: unknown): v is LaneRef {
  if (!isRecord(v)) return false;
  switch (v.kind) {
    case 'p':
      return hasOnlyKeys(v, ['kind', 'index']) && isIndex(v.index, 1 << 20);
    case 'g':
      return (
        hasOnlyKeys(v, ['kind', 'group', 'member']) &&
        isIndex(v.group, 1 << 30) &&
        isIndex(v.member, 1 << 30)
      );
    case 'gc':
    case 'stw':
      return hasOnlyKeys(v, ['kind']);
    default:
      return false;
  }
}

const exactly = (v: Record<string, unknown>, keys: string[]) =>
  hasOnlyKeys(v, keys) && keys.every((k) => k in v);

/** The host runs a timeline request only when its params pass these checks. */
export const timelineValidators: Validators<TimelineMethods> = {
  ready: noParams,
  cancel: noParams,
  traceAnalysis: noParams,
  traceLanes: (m) => {
    if (!isRecord(m) || !exactly(m, ['t0', 't1', 'resolution', 'lanes'])) return undefined;
    if (!isWindow(m.t0, m.t1) || !isFiniteNumber(m.resolution) || m.resolution <= 0)
      return undefined;
    if (
      !Array.isArray(m.lanes) ||
      m.lanes.length > MAX_LANES_PER_REQUEST ||
      !m.lanes.every(isLaneRef)
    )
      return undefined;
    return {
      t0: m.t0 as number,
      t1: m.t1 as number,
      resolution: m.resolution,
      lanes: m.lanes.map((l: LaneRef) => ({ ...l })),
    };
  },
  traceSeries: (m) =>
    isRecord(m) &&
    exactly(m, ['t0', 't1', 'buckets']) &&
    isWindow(m.t0, m.t1) &&
    isIndex(m.buckets, MAX_BUCKETS) &&
    m.buckets >= 1
      ? { t0: m.t0 as number, t1: m.t1 as number, buckets: m.buckets }
      : undefined,
  traceOverview: (m) =>
    isRecord(m) && exactly(m, ['buckets']) && isIndex(m.buckets, MAX_BUCKETS) && m.buckets >= 1
      ? { buckets: m.buckets }
      : undefined,
  traceDetail: (m) => {
    if (!isRecord(m) || !exactly(m, ['ref']) || !isRecord(m.ref)) return undefined;
    const r = m.ref;
    if (
      !exactly(r, ['kind', 'index']) ||
      (r.kind !== 'span' && r.kind !== 'gc' && r.kind !== 'stw') ||
      !isIndex(r.index, 2 ** 31 - 1)
    )
      return undefined;
    return { ref: { kind: r.kind, index: r.index } };
  },
  traceAnalysisGoroutines: (m) => {
    if (!isRecord(m) || !exactly(m, ['group', 'offset', 'limit', 'sortBy', 'descending']))
      return undefined;
    if (
      !isIndex(m.group, 1 << 30) ||
      !isIndex(m.offset, 1 << 30) ||
      !isIndex(m.limit, MAX_PAGE) ||
      m.limit < 1
    )
      return undefined;
    if (
      typeof m.sortBy !== 'string' ||
      !(ANALYSIS_COLUMNS as readonly string[]).includes(m.sortBy) ||
      typeof m.descending !== 'boolean'
    )
      return undefined;
    return {
      group: m.group,
      offset: m.offset,
      limit: m.limit,
      sortBy: m.sortBy as AnalysisColumn,
      descending: m.descending,
    };
  },
  openSource: (m) =>
    isRecord(m) && exactly(m, ['location']) && isSourceLocation(m.location)
      ? { location: { ...m.location } }
      : undefined,
  cpuProfile: (m) => {
    if (
      !isRecord(m) ||
      !hasOnlyKeys(m, ['t0', 't1', 'group', 'goroutine']) ||
      !isTime(m.t0) ||
      !isTime(m.t1) ||
      (m.t1 as number) < (m.t0 as number)
    )
      return undefined;
    if (m.group !== undefined && !isIndex(m.group, 1 << 30)) return undefined;
    if (m.goroutine !== undefined && !isIndex(m.goroutine, 1 << 30)) return undefined;
    const out: CpuProfileParams = { t0: m.t0 as number, t1: m.t1 as number };
    if (m.group !== undefined) out.group = m.group as number;
    if (m.goroutine !== undefined) out.goroutine = m.goroutine as number;
    return out;
  },
};
