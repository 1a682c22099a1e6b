// The wire-level event table of the Go execution trace format v2 (Go 1.22+), as written by the
// runtime and described by Go's internal/trace/tracev2. IDs never change between releases; new
// events are appended, so one table serves every version (the reference reader does the same:
// its ordering code uses the newest table whatever the header says).

/** Wire event type numbers (the first byte of every event). */
export const Ev = {
  None: 0,
  EventBatch: 1,
  Stacks: 2,
  Stack: 3,
  Strings: 4,
  String: 5,
  CPUSamples: 6,
  CPUSample: 7,
  Frequency: 8,
  ProcsChange: 9,
  ProcStart: 10,
  ProcStop: 11,
  ProcSteal: 12,
  ProcStatus: 13,
  GoCreate: 14,
  GoCreateSyscall: 15,
  GoStart: 16,
  GoDestroy: 17,
  GoDestroySyscall: 18,
  GoStop: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoSyscallBegin: 22,
  GoSyscallEnd: 23,
  GoSyscallEndBlocked: 24,
  GoStatus: 25,
  STWBegin: 26,
  STWEnd: 27,
  GCActive: 28,
  GCBegin: 29,
  GCEnd: 30,
  GCSweepActive: 31,
  GCSweepBegin: 32,
  GCSweepEnd: 33,
  GCMarkAssistActive: 34,
  GCMarkAssistBegin: 35,
  GCMarkAssistEnd: 36,
  HeapAlloc: 37,
  HeapGoal: 38,
  GoLabel: 39,
  UserTaskBegin: 40,
  UserTaskEnd: 41,
  UserRegionBegin: 42,
  UserRegionEnd: 43,
  UserLog: 44,
  GoSwitch: 45,
  GoSwitchDestroy: 46,
  GoCreateBlocked: 47,
  GoStatusStack: 48,
  ExperimentalBatch: 49,
  Sync: 50,
  ClockSnapshot: 51,
  EndOfGeneration: 52,
  // Experimental events (AllocFree experiment, Go 1.23+).
  Span: 128,
  SpanAlloc: 129,
  SpanFree: 130,
  HeapObject: 131,
  HeapObjectAlloc: 132,
  HeapObjectFree: 133,
  GoroutineStack: 134,
  GoroutineStackAlloc: 135,
  GoroutineStackFree: 136,
  /**
   * Not a wire type: the type code our event blocks use for the Sync events the reader
   * synthesizes (one at the start of every generation and one at the end of the trace).
   */
  SyncEvent: 255,
} as const;

/** One entry of the event table. Argument positions count the timestamp delta as 0. */
export interface EventSpec {
  readonly name: string;
  /** Argument names as `go tool trace -d=wire` prints them (timed events start with `dt`). */
  readonly args: readonly string[];
  /** Positions (counting `dt` as 0) of string-table IDs. */
  readonly stringIds: readonly number[];
  /** Positions of stack-table IDs; the first one is the stack of the event's own context. */
  readonly stackIds: readonly number[];
  /** For the end of a range: the type of the event that begins it (0 if none). */
  readonly startEv: number;
  readonly timed: boolean;
  /** Experiment the event belongs to (0 = none, 1 = AllocFree). */
  readonly experiment: number;
}

/**
 * Length of the reference table: the reader rejects types at or beyond it ("invalid event type")
 * and types inside it that are not timed ("event without a timestamp").
 */
export const SPEC_COUNT = 137;

/** Name of the only experiment defined so far, by experiment ID. */
export const EXPERIMENT_NAMES: readonly string[] = ['None', 'AllocFree'];

function spec(
  name: string,
  args: string[],
  o: Partial<Pick<EventSpec, 'stringIds' | 'stackIds' | 'startEv' | 'experiment'>> & {
    timed?: boolean;
  } = {},
): EventSpec {
  return {
    name,
    args,
    stringIds: o.stringIds ?? [],
    stackIds: o.stackIds ?? [],
    startEv: o.startEv ?? 0,
    timed: o.timed ?? true,
    experiment: o.experiment ?? 0,
  };
}

const EMPTY: EventSpec = spec('', [], { timed: false });

/** The event table, indexed by wire type; entries that the format does not define are empty. */
export const SPECS: readonly EventSpec[] = (() => {
  const s: EventSpec[] = new Array(SPEC_COUNT).fill(EMPTY);
  s[Ev.EventBatch] = spec('EventBatch', ['gen', 'm', 'time', 'size'], { timed: false });
  s[Ev.Stacks] = spec('Stacks', [], { timed: false });
  s[Ev.Stack] = spec('Stack', ['id', 'nframes'], { timed: false });
  s[Ev.Strings] = spec('Strings', [], { timed: false });
  s[Ev.String] = spec('String', ['id'], { timed: false });
  s[Ev.CPUSamples] = spec('CPUSamples', [], { timed: false });
  s[Ev.CPUSample] = spec('CPUSample', ['time', 'm', 'p', 'g', 'stack'], {
    timed: false,
    stackIds: [4],
  });
  s[Ev.Frequency] = spec('Frequency', ['freq'], { timed: false });
  s[Ev.ExperimentalBatch] = spec('ExperimentalBatch', ['exp', 'gen', 'm', 'time'], {
    timed: false,
  });
  s[Ev.Sync] = spec('Sync', [], { timed: false });
  s[Ev.EndOfGeneration] = spec('EndOfGeneration', [], { timed: false });
  s[Ev.ProcsChange] = spec('ProcsChange', ['dt', 'procs_value', 'stack'], { stackIds: [2] });
  s[Ev.ProcStart] = spec('ProcStart', ['dt', 'p', 'p_seq']);
  s[Ev.ProcStop] = spec('ProcStop', ['dt']);
  s[Ev.ProcSteal] = spec('ProcSteal', ['dt', 'p', 'p_seq', 'm']);
  s[Ev.ProcStatus] = spec('ProcStatus', ['dt', 'p', 'pstatus']);
  s[Ev.GoCreate] = spec('GoCreate', ['dt', 'new_g', 'new_stack', 'stack'], { stackIds: [3, 2] });
  s[Ev.GoCreateSyscall] = spec('GoCreateSyscall', ['dt', 'new_g']);
  s[Ev.GoStart] = spec('GoStart', ['dt', 'g', 'g_seq']);
  s[Ev.GoDestroy] = spec('GoDestroy', ['dt']);
  s[Ev.GoDestroySyscall] = spec('GoDestroySyscall', ['dt']);
  s[Ev.GoStop] = spec('GoStop', ['dt', 'reason_string', 'stack'], {
    stackIds: [2],
    stringIds: [1],
  });
  s[Ev.GoBlock] = spec('GoBlock', ['dt', 'reason_string', 'stack'], {
    stackIds: [2],
    stringIds: [1],
  });
  s[Ev.GoUnblock] = spec('GoUnblock', ['dt', 'g', 'g_seq', 'stack'], { stackIds: [3] });
  s[Ev.GoSyscallBegin] = spec('GoSyscallBegin', ['dt', 'p_seq', 'stack'], { stackIds: [2] });
  s[Ev.GoSyscallEnd] = spec('GoSyscallEnd', ['dt'], { startEv: Ev.GoSyscallBegin });
  s[Ev.GoSyscallEndBlocked] = spec('GoSyscallEndBlocked', ['dt'], { startEv: Ev.GoSyscallBegin });
  s[Ev.GoStatus] = spec('GoStatus', ['dt', 'g', 'm', 'gstatus']);
  s[Ev.STWBegin] = spec('STWBegin', ['dt', 'kind_string', 'stack'], {
    stackIds: [2],
    stringIds: [1],
  });
  s[Ev.STWEnd] = spec('STWEnd', ['dt'], { startEv: Ev.STWBegin });
  s[Ev.GCActive] = spec('GCActive', ['dt', 'gc_seq'], { startEv: Ev.GCBegin });
  s[Ev.GCBegin] = spec('GCBegin', ['dt', 'gc_seq', 'stack'], { stackIds: [2] });
  s[Ev.GCEnd] = spec('GCEnd', ['dt', 'gc_seq'], { startEv: Ev.GCBegin });
  s[Ev.GCSweepActive] = spec('GCSweepActive', ['dt', 'p'], { startEv: Ev.GCSweepBegin });
  s[Ev.GCSweepBegin] = spec('GCSweepBegin', ['dt', 'stack'], { stackIds: [1] });
  s[Ev.GCSweepEnd] = spec('GCSweepEnd', ['dt', 'swept_value', 'reclaimed_value'], {
    startEv: Ev.GCSweepBegin,
  });
  s[Ev.GCMarkAssistActive] = spec('GCMarkAssistActive', ['dt', 'g'], {
    startEv: Ev.GCMarkAssistBegin,
  });
  s[Ev.GCMarkAssistBegin] = spec('GCMarkAssistBegin', ['dt', 'stack'], { stackIds: [1] });
  s[Ev.GCMarkAssistEnd] = spec('GCMarkAssistEnd', ['dt'], { startEv: Ev.GCMarkAssistBegin });
  s[Ev.HeapAlloc] = spec('HeapAlloc', ['dt', 'heapalloc_value']);
  s[Ev.HeapGoal] = spec('HeapGoal', ['dt', 'heapgoal_value']);
  s[Ev.GoLabel] = spec('GoLabel', ['dt', 'label_string'], { stringIds: [1] });
  s[Ev.UserTaskBegin] = spec(
    'UserTaskBegin',
    ['dt', 'task', 'parent_task', 'name_string', 'stack'],
    { stackIds: [4], stringIds: [3] },
  );
  s[Ev.UserTaskEnd] = spec('UserTaskEnd', ['dt', 'task', 'stack'], { stackIds: [2] });
  s[Ev.UserRegionBegin] = spec('UserRegionBegin', ['dt', 'task', 'name_string', 'stack'], {
    stackIds: [3],
    stringIds: [2],
  });
  s[Ev.UserRegionEnd] = spec('UserRegionEnd', ['dt', 'task', 'name_string', 'stack'], {
    startEv: Ev.UserRegionBegin,
    stackIds: [3],
    stringIds: [2],
  });
  s[Ev.UserLog] = spec('UserLog', ['dt', 'task', 'key_string', 'value_string', 'stack'], {
    stackIds: [4],
    stringIds: [2, 3],
  });
  s[Ev.GoSwitch] = spec('GoSwitch', ['dt', 'g', 'g_seq']);
  s[Ev.GoSwitchDestroy] = spec('GoSwitchDestroy', ['dt', 'g', 'g_seq']);
  s[Ev.GoCreateBlocked] = spec('GoCreateBlocked', ['dt', 'new_g', 'new_stack', 'stack'], {
    stackIds: [3, 2],
  });
  s[Ev.GoStatusStack] = spec('GoStatusStack', ['dt', 'g', 'm', 'gstatus', 'stack'], {
    stackIds: [4],
  });
  // Timed in the table although it only ever appears inside sync batches: a per-M batch holding
  // one is decoded and then refused by the ordering ("bad event type"), as Go does.
  s[Ev.ClockSnapshot] = spec('ClockSnapshot', ['dt', 'mono', 'sec', 'nsec']);
  const af = { experiment: 1 };
  s[Ev.Span] = spec('Span', ['dt', 'id', 'npages_value', 'kindclass'], af);
  s[Ev.SpanAlloc] = spec('SpanAlloc', ['dt', 'id', 'npages_value', 'kindclass'], af);
  s[Ev.SpanFree] = spec('SpanFree', ['dt', 'id'], af);
  s[Ev.HeapObject] = spec('HeapObject', ['dt', 'id', 'type'], af);
  s[Ev.HeapObjectAlloc] = spec('HeapObjectAlloc', ['dt', 'id', 'type'], af);
  s[Ev.HeapObjectFree] = spec('HeapObjectFree', ['dt', 'id'], af);
  s[Ev.GoroutineStack] = spec('GoroutineStack', ['dt', 'id', 'order'], af);
  s[Ev.GoroutineStackAlloc] = spec('GoroutineStackAlloc', ['dt', 'id', 'order'], af);
  s[Ev.GoroutineStackFree] = spec('GoroutineStackFree', ['dt', 'id'], af);
  return s;
})();

/** Number of varint arguments after `dt` for each timed type (-1: not a timed event). */
export const TIMED_ARG_COUNT: Int8Array = (() => {
  const a = new Int8Array(256).fill(-1);
  for (let t = 0; t < SPEC_COUNT; t++)
    if (SPECS[t].timed && SPECS[t].args.length > 0) a[t] = SPECS[t].args.length - 1;
  return a;
})();

/** The event kinds consumers see, as Go's `trace.EventKind` names them. */
export const EventKind = {
  Bad: 0,
  Sync: 1,
  Metric: 2,
  Label: 3,
  StackSample: 4,
  RangeBegin: 5,
  RangeActive: 6,
  RangeEnd: 7,
  TaskBegin: 8,
  TaskEnd: 9,
  RegionBegin: 10,
  RegionEnd: 11,
  Log: 12,
  StateTransition: 13,
  Experimental: 14,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** Names of the kinds, indexed by `EventKind`. */
export const EVENT_KIND_NAMES: readonly string[] = [
  'Bad',
  'Sync',
  'Metric',
  'Label',
  'StackSample',
  'RangeBegin',
  'RangeActive',
  'RangeEnd',
  'TaskBegin',
  'TaskEnd',
  'RegionBegin',
  'RegionEnd',
  'Log',
  'StateTransition',
  'Experimental',
];

/** Kind of each type code in an event block (wire type, or `Ev.SyncEvent`). */
export const KIND_OF_TYPE: Uint8Array = (() => {
  const k = new Uint8Array(256);
  const K = EventKind;
  k[Ev.CPUSample] = K.StackSample;
  for (const t of [Ev.ProcsChange, Ev.HeapAlloc, Ev.HeapGoal]) k[t] = K.Metric;
  for (const t of [
    Ev.ProcStart,
    Ev.ProcStop,
    Ev.ProcSteal,
    Ev.ProcStatus,
    Ev.GoCreate,
    Ev.GoCreateSyscall,
    Ev.GoStart,
    Ev.GoDestroy,
    Ev.GoDestroySyscall,
    Ev.GoStop,
    Ev.GoBlock,
    Ev.GoUnblock,
    Ev.GoSyscallBegin,
    Ev.GoSyscallEnd,
    Ev.GoSyscallEndBlocked,
    Ev.GoStatus,
    Ev.GoSwitch,
    Ev.GoSwitchDestroy,
    Ev.GoCreateBlocked,
    Ev.GoStatusStack,
  ])
    k[t] = K.StateTransition;
  for (const t of [Ev.STWBegin, Ev.GCBegin, Ev.GCSweepBegin, Ev.GCMarkAssistBegin])
    k[t] = K.RangeBegin;
  for (const t of [Ev.GCActive, Ev.GCSweepActive, Ev.GCMarkAssistActive]) k[t] = K.RangeActive;
  for (const t of [Ev.STWEnd, Ev.GCEnd, Ev.GCSweepEnd, Ev.GCMarkAssistEnd]) k[t] = K.RangeEnd;
  k[Ev.GoLabel] = K.Label;
  k[Ev.UserTaskBegin] = K.TaskBegin;
  k[Ev.UserTaskEnd] = K.TaskEnd;
  k[Ev.UserRegionBegin] = K.RegionBegin;
  k[Ev.UserRegionEnd] = K.RegionEnd;
  k[Ev.UserLog] = K.Log;
  for (let t = Ev.Span; t <= Ev.GoroutineStackFree; t++) k[t] = K.Experimental;
  k[Ev.SyncEvent] = K.Sync;
  return k;
})();

/** Goroutine states of the parsed model (Go's `trace.GoState`). */
export const GoState = {
  Undetermined: 0,
  NotExist: 1,
  Runnable: 2,
  Running: 3,
  Waiting: 4,
  Syscall: 5,
} as const;
export type GoState = (typeof GoState)[keyof typeof GoState];
export const GO_STATE_NAMES: readonly string[] = [
  'Undetermined',
  'NotExist',
  'Runnable',
  'Running',
  'Waiting',
  'Syscall',
];

/** Proc states of the parsed model (Go's `trace.ProcState`). */
export const ProcState = { Undetermined: 0, NotExist: 1, Running: 2, Idle: 3 } as const;
export type ProcState = (typeof ProcState)[keyof typeof ProcState];
export const PROC_STATE_NAMES: readonly string[] = ['Undetermined', 'NotExist', 'Running', 'Idle'];

/** Goroutine status codes on the wire (`gstatus`). */
export const WireGoStatus = { Bad: 0, Runnable: 1, Running: 2, Syscall: 3, Waiting: 4 } as const;
/** Proc status codes on the wire (`pstatus`). */
export const WireProcStatus = {
  Bad: 0,
  Running: 1,
  Idle: 2,
  Syscall: 3,
  SyscallAbandoned: 4,
} as const;

/** Wire goroutine status → model state (index 0, "Bad", maps to Undetermined as in Go's table). */
export const WIRE_GO_STATUS_TO_STATE: readonly number[] = [
  GoState.Undetermined,
  GoState.Runnable,
  GoState.Running,
  GoState.Syscall,
  GoState.Waiting,
];
/** Wire proc status → model state (Syscall shows as Running, SyscallAbandoned as Idle). */
export const WIRE_PROC_STATUS_TO_STATE: readonly number[] = [
  ProcState.Undetermined,
  ProcState.Running,
  ProcState.Idle,
  ProcState.Running,
  ProcState.Idle,
];

/** Limits of the format (tracev2). */
export const MAX_BATCH_SIZE = 64 << 10;
export const MAX_FRAMES_PER_STACK = 128;
export const MAX_STRING_SIZE = 1 << 10;
