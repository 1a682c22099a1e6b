// The parse worker's scheduler-log methods (merged into WorkerMethods in ./protocol). A saved
// stderr log with GODEBUG schedtrace/gctrace lines is read from disk in the worker, and its
// bounded model stays there under a handle: the dashboard asks for each view's decimated
// charts and for one instant's P/M/G tables, as the timeline asks for lanes. (A live run's
// model is the host's: its stderr is read there, see src/views/sched/session.ts.)
import type { SchedTraceStats } from '../core/schedtrace';
import type { SchedDetailMessage, SchedUpdate, ViewRequest } from '../protocol/sched';

export interface SchedWorkerMethods {
  /**
   * Parses a saved stderr log (file path read in the worker in pieces, or bytes) into the
   * dashboard's bounded model, kept under `handle`. Fails with `SchedTraceError` when the text
   * holds no trace line.
   */
  loadSchedTrace: {
    params: { path?: string; bytes?: Uint8Array };
    result: { handle: number; stats: SchedTraceStats };
  };
  /** The dashboard update (header numbers and the decimated charts) of one view of a loaded log. */
  schedTraceUpdate: { params: { handle: number; view: ViewRequest }; result: SchedUpdate };
  /** The snapshot and the P/M/G tables nearest to `timeMs`. */
  schedTraceDetail: { params: { handle: number; timeMs: number }; result: SchedDetailMessage };
  /** Forgets a loaded log. */
  releaseSchedTrace: { params: { handle: number }; result: void };
}
