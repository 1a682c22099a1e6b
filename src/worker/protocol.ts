// Requests the extension host sends to the parse worker, and what comes back. The worker keeps
// parsed data (a decoded profile can be hundreds of MB of typed arrays) so the host's event loop
// never holds or walks it; the host asks for what a view shows.
import type { GoroutineWorkerMethods } from './goroutine-protocol';
import type { ProfileWorkerMethods } from './profile-protocol';
import type { TraceWorkerMethods } from './trace-protocol';
import type { CoreWorkerMethods } from './core-protocol';
import type { RaceWorkerMethods } from './race-protocol';
import type { SchedWorkerMethods } from './sched-protocol';
export type { LoadedProfile } from './profile-protocol';

export interface WorkerMethods
  extends
    GoroutineWorkerMethods,
    ProfileWorkerMethods,
    TraceWorkerMethods,
    CoreWorkerMethods,
    RaceWorkerMethods,
    SchedWorkerMethods {}

export type WorkerMethod = keyof WorkerMethods;

export interface WorkerRequest<M extends WorkerMethod = WorkerMethod> {
  id: number;
  method: M;
  params: WorkerMethods[M]['params'];
}

export type WorkerReply =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; name: string; message: string; code?: string }
  | { id: number; kind: 'progress'; message: string; fraction?: number };
