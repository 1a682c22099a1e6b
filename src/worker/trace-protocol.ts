// The parse worker's execution-trace methods (merged into WorkerMethods in ./protocol). The
// worker keeps each trace's model (about 20x the file size for a big trace) with the indexes
// of its lanes under a handle, and answers with what the timeline shows: a window of some lanes
// at a resolution, decimated graphs, one span's details, a page of the analysis table, or the
// CPU samples of a range as a profile of the profile view.
import type { TraceErrorCode } from '../core/exectrace';
import type { TraceScan } from '../core/exectrace/generation-scan';
import type { AnalysisColumn } from '../core/layout/timeline-groups';
import type {
  AnalysisRow,
  DetailRef,
  LaneData,
  LaneRef,
  OverviewData,
  SeriesData,
  SpanDetail,
  TraceContents,
} from '../protocol/timeline';
import type { LoadedProfile } from './profile-protocol';

/** A trace in the worker, as `loadTrace` describes it. Times are ns since the trace start. */
export interface LoadedTrace extends TraceContents {
  handle: number;
  /** Header version: 22, 23, 25 or 26. */
  version: number;
  /** Absolute trace time of relative time 0, as a decimal string (it can exceed 2^53). */
  timeBase: string;
  /** Number of the last generation read, if any. */
  lastGeneration?: number;
  /** Set when the trace failed part-way: the model holds what came before. */
  error?: { code: TraceErrorCode; message: string };
  /** ms spent parsing and building the model, and building the lane indexes. */
  parseMs: number;
  indexMs: number;
  /**
   * Set on the early answer of a progressive load (`progressive` in loadTrace's params): this
   * handle holds a preview model of the trace's first generations only, while the worker goes
   * on parsing the rest; `finishTraceLoad` answers with the complete model under a new handle.
   */
  partial?: TracePreviewExtent;
}

/** How far a preview model of a progressive load goes. */
export interface TracePreviewExtent {
  /** Share of the file's bytes parsed when the preview was made (0–1). */
  fraction: number;
  /** Generations the preview holds (the last may be cut where the preview stopped). */
  generations: number;
  /** ms from the start of the load to the preview's model being ready. */
  readyMs: number;
}

/** Tuning of a progressive load: when the preview is cut (defaults suit a person waiting). */
export interface ProgressiveLoadOptions {
  /** Cut the preview at the first end of a generation after this many ms of parsing (default 300). */
  afterMs?: number;
  /**
   * Cut it anywhere once the first events were modelled for this many ms, even inside a
   * generation (default 400; the reader indexes a whole generation before its first events).
   */
  latestMs?: number;
  /** No preview for files smaller than this (default 8 MiB: they load whole in about a second). */
  minBytes?: number;
  /**
   * After the preview, wait up to this many ms for the view's first lanes to be asked for and
   * answered before parsing on (default 1000): the first frame comes before the rest.
   */
  holdMs?: number;
}

/** The CPU samples of a range, as a profile in the worker, or why there is none. */
export type TraceCpuProfileResult =
  | {
      profile: LoadedProfile;
      title: string;
      subject: string;
      samples: number;
      withoutStack: number;
    }
  | {
      profile: null;
      title: string;
      subject: string;
      samplesInTrace: number;
      samplesInRange: number;
    };

export interface TraceWorkerMethods {
  /**
   * Parses a trace (file path read in the worker, or bytes) and builds its model, with staged
   * progress. `loadId` names the load for `cancelTraceLoad`. Fails with `TraceError` for files
   * that are not Go 1.11+ traces (Go 1.11–1.21 ones are converted); a trace that fails part-way loads with `error` set.
   */
  loadTrace: {
    params: {
      path?: string;
      bytes?: Uint8Array;
      loadId: number;
      /**
       * Only these generations of the file at `path` (numbers from `scanTrace`): a time range of
       * a trace too big to load whole. Times stay those of the whole trace.
       */
      generations?: { first: number; last: number };
      /**
       * Answer early with a preview of the first generations (`partial` set) and go on
       * parsing; a small or single-generation file still answers once, complete.
       */
      progressive?: ProgressiveLoadOptions;
    };
    result: LoadedTrace;
  };
  /**
   * A trace file's generations (bytes and time span of each) from its batch headers alone,
   * without loading it: fast on a 1 GB file. Throws TraceError for a file that is not a trace.
   */
  scanTrace: { params: { path: string }; result: TraceScan };
  /** Stops a load in progress (it then fails with a TraceError of code `cancelled`). */
  cancelTraceLoad: { params: { loadId: number }; result: void };
  /**
   * Ends the wait after a preview (`holdMs`) for the view's first lanes: its page is not up yet
   * (the load started as the view opened), so the rest is parsed now rather than after the wait.
   */
  endPreviewHold: { params: { handle: number }; result: void };
  /**
   * The complete model of a progressive load whose `loadTrace` answered with a preview, with
   * progress of the rest of the parse. Fails with TraceError `cancelled` when cancelled; the
   * preview's handle stays loaded until released.
   */
  finishTraceLoad: { params: { loadId: number }; result: LoadedTrace };
  /**
   * How far a load has got: the share of the file parsed and the trace time reached (ns since
   * the trace start); null when the load is over.
   */
  traceLoadStatus: {
    params: { loadId: number };
    result: { fraction: number; parsedNs: number } | null;
  };
  /** The marks of some lanes in [t0, t1) at `resolution` ns per pixel. */
  traceLanes: {
    params: { handle: number; t0: number; t1: number; resolution: number; lanes: LaneRef[] };
    result: LaneData[];
  };
  /** The metric graphs of [t0, t1) in `buckets` columns. */
  traceSeries: {
    params: { handle: number; t0: number; t1: number; buckets: number };
    result: SeriesData;
  };
  /** The overview strip of the whole trace in `buckets` columns. */
  traceOverview: { params: { handle: number; buckets: number }; result: OverviewData };
  /** One span's, GC cycle's or pause's details. */
  traceDetail: { params: { handle: number; ref: DetailRef }; result: SpanDetail };
  /** The analysis table's group rows, one per lane group, in lane order. */
  traceAnalysis: { params: { handle: number }; result: AnalysisRow[] };
  /** A page of one group's goroutines, sorted by a column. */
  traceAnalysisGoroutines: {
    params: {
      handle: number;
      group: number;
      offset: number;
      limit: number;
      sortBy: AnalysisColumn;
      descending: boolean;
    };
    result: { total: number; rows: AnalysisRow[] };
  };
  /**
   * The CPU samples of [t0, t1] (of one lane group or goroutine) as a loaded profile, titled
   * "CPU <range> [of <goroutine or group>] · <source>"; `subject` is the range and whose it is.
   */
  traceCpuProfile: {
    params: {
      handle: number;
      t0: number;
      t1: number;
      group?: number;
      goroutine?: number;
      source: string;
    };
    result: TraceCpuProfileResult;
  };
  /** Forgets a trace. */
  releaseTrace: { params: { handle: number }; result: void };
}
