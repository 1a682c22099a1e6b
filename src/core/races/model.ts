// The race detector's reports as data. A report is what the runtime prints between two
// `==================` lines after `WARNING: DATA RACE`: two (or more) accesses with their
// stacks, the goroutines involved with where they were created, sometimes the mutexes held and
// the racy memory's location. Frames are the goroutine parser's `FrameView`s, so the views and
// the CLI show both kinds of stack the same way.
import type { FrameView } from '../goroutines/view';

export type { FrameView };

/** One memory access of a report: `Write at 0x… by goroutine 7:` and its stack. */
export interface RaceAccess {
  kind: 'read' | 'write';
  /**
   * True for `Atomic read/write` headers (C/C++ code under tsan), and for Go's sync/atomic
   * calls, which the Go runtime reports as plain reads and writes whose innermost frames are in
   * sync/atomic (or runtime/internal/atomic).
   */
  atomic: boolean;
  /** The `Previous …` access: the older one, whose stack the detector restored from its history. */
  previous: boolean;
  /** Bytes accessed, from `… of size N at` (C/C++ reports); undefined when not printed (Go). */
  size?: number;
  /** Address as printed (`0x00c00007ec30`). */
  address: string;
  /** Goroutine id; 1 for `main goroutine`; undefined for `thread T1` (a C thread under cgo). */
  goroutine?: number;
  /** Innermost first; empty when the detector printed `[failed to restore the stack]`. */
  frames: FrameView[];
  /** False when the detector could not restore this access's stack from its history. */
  stackRestored: boolean;
  /** Mutexes held, from `(mutexes: write M1, read M2)`, as printed (`write M1`). */
  mutexes: string[];
}

/** `Goroutine 7 (running) created at:` and the creation stack below it. */
export interface RaceGoroutine {
  id: number;
  /** `running` or `finished` (as printed). */
  state: string;
  /** Where the goroutine was created (the `go` statement first), innermost first. */
  createdAt: FrameView[];
}

/** `Mutex M1 (0x…) created at:` (tsan prints it for mutexes named in `(mutexes: …)`). */
export interface RaceMutex {
  name: string;
  address: string;
  createdAt: FrameView[];
}

/** `Location is heap block of size N at 0x… allocated by goroutine N:` or `Location is global 'x' …`. */
export interface RaceLocation {
  kind: 'heap' | 'global' | 'stack' | 'other';
  /** The line as printed, after `Location is `. */
  text: string;
  /** A global's name. */
  name?: string;
  size?: number;
  address?: string;
  /** The allocating goroutine of a heap block (1 for the main goroutine). */
  goroutine?: number;
  /** Where a heap block was allocated. */
  allocatedAt: FrameView[];
}

/** One `WARNING: DATA RACE` report. */
export interface RaceReport {
  /** In the order printed: the current access first, then the `Previous` one. */
  accesses: RaceAccess[];
  goroutines: RaceGoroutine[];
  mutexes: RaceMutex[];
  location?: RaceLocation;
  /** Tests that reported `race detected during execution of test` for it, or whose `go test -json` output held it. */
  tests: string[];
  /** `go test -json` Package of its lines, when known. */
  package?: string;
  /** 1-based line of `WARNING: DATA RACE` in the input. */
  line: number;
  /** The report ended before its closing `==================` (cut, or another report began). */
  truncated: boolean;
  /** Which run of a program in the input printed it: 0 until the first `Found N data race(s)` / `exit status` line, then 1… */
  run: number;
}

/** A run's end as printed by the runtime and the go command. */
export interface RaceRunEnd {
  /** From `Found N data race(s)`. */
  found?: number;
  /** From `exit status N` (go run/go test) or `exit code N`; 66 is the race detector's exit code. */
  exitCode?: number;
  line: number;
}

/** Something in the input that could not be read, with its 1-based line. */
export interface RaceWarning {
  line: number;
  message: string;
}

/** The exit code of a program whose race detector found a race (GORACE exitcode, default 66). */
export const RACE_EXIT_CODE = 66;
