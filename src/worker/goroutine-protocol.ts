// The parse worker's goroutine methods (merged into WorkerMethods in ./protocol). The worker
// keeps each parsed snapshot under a handle — a 100k-goroutine dump is a few MB of typed arrays
// that grouping and filtering walk — and answers with what one view shows: a page of group
// summaries, a page of goroutines, one goroutine, or the table's columns.
import type { DebuggerGoroutine, ModuleDir } from '../core/goroutines/from-frames';
import type { DumpEntry } from '../core/goroutines/dumps';
import type {
  DumpSummary,
  ExplorerOptions,
  GoroutineSummary,
  GoroutineTableData,
  GroupSummary,
} from '../core/goroutines/explorer';
import type { GoroutineView } from '../core/goroutines/view';
import type { LeakSiteSummary } from '../core/goroutines/leak';

export interface LoadedGoroutines {
  handle: number;
  summary: DumpSummary;
  /** When the input holds several dumps: all of them, in text order, and which one (0-based) was loaded. */
  dumps?: DumpEntry[];
  dump?: number;
}

/** Which grouped view of a snapshot a request is about; the worker caches a few per snapshot. */
export interface GoroutineViewKey {
  handle: number;
  /** Compare with this snapshot (a handle of the same worker). */
  baseline?: number;
  options: ExplorerOptions;
}

/** One page of a view's groups and the view's totals. */
export interface GoroutineGroupPage {
  /** Entries in the view (groups with matches, and vanished groups when comparing). */
  groupCount: number;
  totalGoroutines: number;
  hiddenSystem: number;
  matchedGoroutines: number;
  comparison: { totalBefore: number; totalAfter: number } | undefined;
  groups: GroupSummary[];
}

export interface GoroutineWorkerMethods {
  /**
   * Parses a goroutine dump (any format) from a file path (read in the worker), bytes or text.
   * Of an input with several dumps it loads `dump` (0-based), by default the first crash.
   */
  loadGoroutineDump: {
    params: { path?: string; bytes?: Uint8Array; text?: string; dump?: number };
    result: LoadedGoroutines;
  };
  /**
   * Builds a snapshot from the goroutines a debugger listed; `modules` (the workspace's go.mod
   * files) turn Delve's shortened function names back into full ones.
   */
  loadDebuggerGoroutines: {
    params: { goroutines: DebuggerGoroutine[]; modules?: ModuleDir[] };
    result: LoadedGoroutines;
  };
  /** Groups `offset .. offset+limit` of a view. */
  goroutineGroups: {
    params: GoroutineViewKey & { offset: number; limit: number };
    result: GoroutineGroupPage;
  };
  /** Goroutines `offset .. offset+limit` of group `group` of a view. */
  goroutinePage: {
    params: GoroutineViewKey & { group: number; offset: number; limit: number };
    result: GoroutineSummary[];
  };
  /** One goroutine with its frames and their arguments. */
  goroutineDetail: { params: { handle: number; row: number }; result: GoroutineView };
  /** Every visible goroutine of an unfiltered view as columns, for the table webview. */
  goroutineTable: {
    params: Omit<GoroutineViewKey, 'options'> & { options: Omit<ExplorerOptions, 'filter'> };
    result: GoroutineTableData;
  };
  /** Where the snapshot's leaked goroutines block (goroutine leak profile), largest site first. */
  goroutineLeakSites: { params: { handle: number }; result: LeakSiteSummary[] };
  /** Forgets a snapshot. */
  releaseGoroutines: { params: { handle: number }; result: void };
}

/** Error name the worker uses when a handle is unknown (the worker restarted, or it was released). */
export const STALE_GOROUTINE_HANDLE = 'StaleGoroutineHandle';
