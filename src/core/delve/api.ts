// The parts of Delve's JSON-RPC v2 answers (service/api/types.go) that Go Lens reads. Field
// names are Delve's JSON names; everything is optional where Delve omits or nulls it.

/** api.Function */
export interface DelveFunction {
  name: string;
  value?: number;
}

/** api.Location */
export interface DelveLocation {
  pc: number;
  file: string;
  line: number;
  function?: DelveFunction | null;
}

/** api.Goroutine */
export interface DelveGoroutine {
  id: number;
  currentLoc: DelveLocation;
  userCurrentLoc: DelveLocation;
  goStatementLoc: DelveLocation;
  startLoc: DelveLocation;
  /** The thread running it, 0 when not running. */
  threadID: number;
  /** The runtime's g.atomicstatus (Gidle 0, Grunnable 1, Grunning 2, Gsyscall 3, Gwaiting 4, Gdead 6, Gcopystack 8, Gpreempted 9). */
  status: number;
  /** The runtime's nanotime() when the goroutine started waiting (set by the GC's scan; 0 when not recorded). */
  waitSince: number;
  /** The runtime's waitReason number (its meaning depends on the Go version). */
  waitReason: number;
  unreadable: string;
  labels?: Record<string, string> | null;
}

/** api.Stackframe (the fields we read). */
export interface DelveStackframe extends DelveLocation {
  Err?: string;
  Bottom?: boolean;
}

/** api.Thread */
export interface DelveThread {
  id: number;
  pc: number;
  file: string;
  line: number;
  function?: DelveFunction | null;
  goroutineID: number;
}

/** api.Variable (reflect.Kind numbers in `kind`). */
export interface DelveVariable {
  name: string;
  addr: number;
  type: string;
  realType: string;
  kind: number;
  value: string;
  len: number;
  cap: number;
  children: DelveVariable[] | null;
  unreadable: string;
  flags?: number;
}

/** api.DebuggerState (the fields we read). */
export interface DelveState {
  Pid: number;
  TargetCommandLine?: string;
  currentThread?: DelveThread | null;
  currentGoroutine?: DelveGoroutine | null;
  Threads?: DelveThread[] | null;
}

/** api.LoadConfig: how much of a variable Delve reads. */
export interface DelveLoadConfig {
  FollowPointers: boolean;
  MaxVariableRecurse: number;
  MaxStringLen: number;
  MaxArrayValues: number;
  MaxStructFields: number;
}

/**
 * The bounded load for arguments and locals: two levels deep, strings to 256 bytes, 32
 * elements of a slice or map, every struct field. A frame holding a map of millions of
 * entries then costs a few kilobytes to show, not seconds.
 */
export const FRAME_VARIABLES_LOAD: DelveLoadConfig = {
  FollowPointers: true,
  MaxVariableRecurse: 2,
  MaxStringLen: 256,
  MaxArrayValues: 32,
  MaxStructFields: -1,
};

/** Everything read from one core (or attached process) that the snapshot is built from. */
export interface DelveCoreData {
  /** `runtime.buildVersion` (e.g. `go1.26.8`), '' when unreadable. */
  goVersion: string;
  goroutines: DelveGoroutine[];
  /** Stacks by goroutine, innermost first, aligned with `goroutines`; a string is Delve's error. */
  stacks: (DelveStackframe[] | string)[];
  /** The stack depth asked for: a stack this long may have been cut. */
  depth: number;
  threads: DelveThread[];
  /** The goroutine of Delve's current thread (for a core: the thread the kernel wrote first, the one that got the signal). */
  selectedGoroutine: number;
  /** `runtime.sched.lastpoll` or another nanotime() reading close to the end: the "now" wait times are measured from; 0 when unknown. */
  nanotimeNow: number;
  /** What Delve could read about the crash (see `CrashDetails`). */
  crash?: CrashDetails;
}

/** What was read from the crashing goroutine's frames and the core's notes. */
export interface CrashDetails {
  /** The value passed to panic, as Delve printed it (`runtime.gopanic`'s argument). */
  panicValue?: string;
  /** The message of `runtime.throw` / `runtime.fatal`. */
  fatalError?: string;
  /** Go's record of the signal (g.sig, g.sigcode0, g.sigcode1) for a fault that became a panic. */
  signal?: { number: number; code: number; addr: number; pc: number };
  /** The signal that ended the process, from the core's NT_SIGINFO / NT_PRSTATUS note. */
  killSignal?: { number: number; code: number; addr: number };
}
