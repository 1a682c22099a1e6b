// Requests the extension host sends to the parse worker, and what comes back. The worker keeps
// parsed data (a decoded profile can be hundreds of MB of typed arrays) so the host's event loop
// never holds or walks it; the host asks for what a view shows.
import type { CallTree } from '../core/flame/call-tree';
import type { ValueType } from '../core/pprof/model';
import type { GoroutineWorkerMethods } from './goroutine-protocol';
import type { SchedModelData, SchedTraceStats } from '../core/schedtrace';

export interface LoadedProfile {
  handle: number;
  sampleTypes: ValueType[];
  defaultSampleType: number;
  totals: number[];
  sampleCount: number;
  durationNanos: number;
  timeNanos: number;
  comments: string[];
}

export interface WorkerMethods extends GoroutineWorkerMethods {
  /** Decodes a profile from a file path (read in the worker) or bytes; keeps it under a handle. */
  loadProfile: { params: { path?: string; bytes?: Uint8Array }; result: LoadedProfile };
  /** The call tree of a loaded profile, pruned to at most `maxNodes` nodes for a webview. */
  callTree: {
    params: { handle: number; sampleType: number; inverted?: boolean; maxNodes: number };
    result: { tree: CallTree; prunedBelow: number };
  };
  /** Forgets a loaded profile. */
  release: { params: { handle: number }; result: void };
  /**
   * Parses a saved stderr log with GODEBUG schedtrace/gctrace lines (file path read in the
   * worker in pieces, or bytes) into the dashboard's bounded model. Fails with `SchedTraceError`
   * when the text holds no trace line.
   */
  loadSchedTrace: { params: { path?: string; bytes?: Uint8Array }; result: { data: SchedModelData; stats: SchedTraceStats } };
}

export type WorkerMethod = keyof WorkerMethods;

export interface WorkerRequest<M extends WorkerMethod = WorkerMethod> {
  id: number;
  method: M;
  params: WorkerMethods[M]['params'];
}

export type WorkerReply =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; name: string; message: string }
  | { id: number; kind: 'progress'; message: string; fraction?: number };
