// Reading the meaning of one event of an EventBlock, as Go's trace.Event accessors define it
// (Kind, StateTransition, Range, Task, Region, Log, Metric, Label, Sync, Stack). These helpers
// allocate a small object per call: fine for printing and for UIs looking at a few events;
// the model builder reads the columns directly.

import { ARGS_PER_EVENT, type EventBlock } from './block';
import {
  Ev,
  EventKind,
  EXPERIMENT_NAMES,
  GoState,
  KIND_OF_TYPE,
  ProcState,
  SPECS,
  WIRE_GO_STATUS_TO_STATE,
  WIRE_PROC_STATUS_TO_STATE,
  WireProcStatus,
} from './spec';

/** Kind of event i. */
export function eventKind(b: EventBlock, i: number): EventKind {
  return KIND_OF_TYPE[b.type[i]] as EventKind;
}

/** Argument k (0–3) of event i. */
export function arg(b: EventBlock, i: number, k: number): number {
  return b.args[i * ARGS_PER_EVENT + k];
}

/** A state change of a goroutine or a proc (Go's `trace.StateTransition`). */
export interface StateTransition {
  resource: 'goroutine' | 'proc';
  /** Goroutine or proc ID. */
  id: number;
  /** Old and new state: `GoState` values for goroutines, `ProcState` values for procs. */
  from: number;
  to: number;
  /** Why (GoStop/GoBlock reasons such as "chan receive"); "" otherwise. */
  reason: string;
  /**
   * Stack ID describing the transition (the new goroutine's start for creations, the
   * blocking/syscall site otherwise); −1 when the transition has no stack at all.
   */
  stack: number;
}

/** The state transition of event i (which must be of kind StateTransition). */
export function stateTransition(b: EventBlock, i: number): StateTransition {
  const k = i * ARGS_PER_EVENT;
  const a = b.args;
  const typ = b.type[i];
  const g = b.g[i];
  const go = (id: number, from: number, to: number, reason = '', stack = -1): StateTransition => ({
    resource: 'goroutine',
    id,
    from,
    to,
    reason,
    stack,
  });
  const proc = (id: number, from: number, to: number): StateTransition => ({
    resource: 'proc',
    id,
    from,
    to,
    reason: '',
    stack: -1,
  });
  const own = () => eventStack(b, i);
  switch (typ) {
    case Ev.ProcStart:
      return proc(a[k], ProcState.Idle, ProcState.Running);
    case Ev.ProcStop:
      return proc(b.p[i], ProcState.Running, ProcState.Idle);
    case Ev.ProcSteal:
      return proc(
        a[k],
        a[k + 3] === WireProcStatus.SyscallAbandoned ? ProcState.Idle : ProcState.Running,
        ProcState.Idle,
      );
    case Ev.ProcStatus:
      return proc(a[k], a[k + 2], procStateOfWire(a[k + 1]));
    case Ev.GoCreate:
    case Ev.GoCreateBlocked:
      // The new goroutine's start stack, shown even when empty (ID 0), as Go does.
      return go(
        a[k],
        GoState.NotExist,
        typ === Ev.GoCreateBlocked ? GoState.Waiting : GoState.Runnable,
        '',
        a[k + 1],
      );
    case Ev.GoCreateSyscall:
      return go(a[k], GoState.NotExist, GoState.Syscall);
    case Ev.GoStart:
      return go(a[k], GoState.Runnable, GoState.Running);
    case Ev.GoDestroy:
      return go(g, GoState.Running, GoState.NotExist);
    case Ev.GoDestroySyscall:
      return go(g, GoState.Syscall, GoState.NotExist);
    case Ev.GoStop:
      return go(g, GoState.Running, GoState.Runnable, b.table?.string(a[k]) ?? '', own());
    case Ev.GoBlock:
      return go(g, GoState.Running, GoState.Waiting, b.table?.string(a[k]) ?? '', own());
    case Ev.GoUnblock:
    case Ev.GoSwitch:
    case Ev.GoSwitchDestroy:
      return go(a[k], GoState.Waiting, GoState.Runnable);
    case Ev.GoSyscallBegin:
      return go(g, GoState.Running, GoState.Syscall, '', own());
    case Ev.GoSyscallEnd:
      return go(g, GoState.Syscall, GoState.Running);
    case Ev.GoSyscallEndBlocked:
      return go(g, GoState.Syscall, GoState.Runnable);
    case Ev.GoStatus:
    case Ev.GoStatusStack: {
      const packed = a[k + 2];
      const from = Math.floor(packed / 4294967296);
      const to = packed - from * 4294967296;
      return go(a[k], from, goStateOfWire(to), '', own());
    }
  }
  return go(-1, GoState.Undetermined, GoState.Undetermined);
}

/** Model state of a wire goroutine status (out-of-range values map to Undetermined). */
export function goStateOfWire(s: number): number {
  return WIRE_GO_STATUS_TO_STATE[s] ?? -1;
}

/** Model state of a wire proc status. */
export function procStateOfWire(s: number): number {
  return WIRE_PROC_STATUS_TO_STATE[s] ?? -1;
}

/**
 * Stack ID of the event's own context (Go's `Event.Stack`): −1 when the event has none. CPU
 * samples always have one (possibly ID 0, the empty stack), as in Go.
 */
export function eventStack(b: EventBlock, i: number): number {
  const typ = b.type[i];
  if (typ === Ev.SyncEvent) return -1;
  const k = i * ARGS_PER_EVENT;
  if (typ === Ev.CPUSample) return b.args[k];
  const spec = SPECS[typ];
  if (spec.stackIds.length === 0) return -1;
  const id = b.args[k + spec.stackIds[0] - 1];
  return id === 0 ? -1 : id;
}

/** A special time range (Go's `trace.Range`). */
export interface RangeInfo {
  /** e.g. "GC concurrent mark phase", "GC incremental sweep", "GC mark assist", "stop-the-world (…)" */
  name: string;
  /** What it is scoped to: a goroutine, a proc, or nothing (global). */
  scope: 'goroutine' | 'proc' | 'none';
  scopeId: number;
}

/** The range described by event i (kind RangeBegin, RangeActive or RangeEnd). */
export function rangeInfo(b: EventBlock, i: number): RangeInfo {
  const k = i * ARGS_PER_EVENT;
  switch (b.type[i]) {
    case Ev.STWBegin:
    case Ev.STWEnd:
      return {
        name: 'stop-the-world (' + (b.table?.string(b.args[k]) ?? '') + ')',
        scope: 'goroutine',
        scopeId: b.g[i],
      };
    case Ev.GCBegin:
    case Ev.GCActive:
    case Ev.GCEnd:
      return { name: 'GC concurrent mark phase', scope: 'none', scopeId: 0 };
    case Ev.GCSweepBegin:
    case Ev.GCSweepActive:
    case Ev.GCSweepEnd:
      return {
        name: 'GC incremental sweep',
        scope: 'proc',
        scopeId: b.type[i] === Ev.GCSweepActive ? b.args[k] : b.p[i],
      };
    default:
      return {
        name: 'GC mark assist',
        scope: 'goroutine',
        scopeId: b.type[i] === Ev.GCMarkAssistActive ? b.args[k] : b.g[i],
      };
  }
}

/** A user task event's details (Go's `trace.Task`). Parent −1 = no parent (NoTask). */
export function taskInfo(b: EventBlock, i: number): { id: number; parent: number; type: string } {
  const k = i * ARGS_PER_EVENT;
  const a = b.args;
  if (b.type[i] === Ev.UserTaskBegin)
    return { id: a[k], parent: a[k + 1], type: b.table?.string(a[k + 2]) ?? '' };
  return { id: a[k], parent: a[k + 2], type: b.table?.extraStrings[a[k + 3]] ?? '' };
}

/** A user region event's details (Go's `trace.Region`). */
export function regionInfo(b: EventBlock, i: number): { task: number; type: string } {
  const k = i * ARGS_PER_EVENT;
  return { task: b.args[k], type: b.table?.string(b.args[k + 1]) ?? '' };
}

/** A user log event's details (Go's `trace.Log`). */
export function logInfo(
  b: EventBlock,
  i: number,
): { task: number; category: string; message: string } {
  const k = i * ARGS_PER_EVENT;
  const t = b.table;
  return {
    task: b.args[k],
    category: t?.string(b.args[k + 1]) ?? '',
    message: t?.string(b.args[k + 2]) ?? '',
  };
}

/** Metric names, as Go's reader names the metric events. */
export const METRIC_NAMES: Readonly<Record<number, string>> = {
  [Ev.ProcsChange]: '/sched/gomaxprocs:threads',
  [Ev.HeapAlloc]: '/memory/classes/heap/objects:bytes',
  [Ev.HeapGoal]: '/gc/heap/goal:bytes',
};

/** A metric sample (Go's `trace.Metric`): GOMAXPROCS, heap in use, heap goal. */
export function metricInfo(b: EventBlock, i: number): { name: string; value: number } {
  return { name: METRIC_NAMES[b.type[i]] ?? '', value: b.args[i * ARGS_PER_EVENT] };
}

/** A label applied to the current goroutine (e.g. a GC worker's mode). */
export function labelInfo(b: EventBlock, i: number): { label: string; goroutine: number } {
  return { label: b.table?.string(b.args[i * ARGS_PER_EVENT]) ?? '', goroutine: b.g[i] };
}

/** An experimental event's name, experiment and named raw arguments. */
export function experimentalInfo(
  b: EventBlock,
  i: number,
): { name: string; experiment: string; args: { name: string; value: number }[] } {
  const spec = SPECS[b.type[i]];
  const names = spec.args.slice(1);
  return {
    name: spec.name,
    experiment: EXPERIMENT_NAMES[spec.experiment] ?? '',
    args: names.map((name, k) => ({ name, value: b.args[i * ARGS_PER_EVENT + k] })),
  };
}
