// The parse worker's pprof methods (merged into WorkerMethods in ./protocol). The worker keeps
// each decoded profile with its index (together a few hundred MB for a 1M-sample profile) under
// a handle, and answers with what one view shows: a tree fitted to a webview, a top table, a
// sandwich, one file's line costs.
import type { CallTree } from '../core/flame/call-tree';
import type { Sandwich } from '../core/flame/sandwich';
import type { DiffTopTable } from '../core/pprof/diff';
import type { LabelKeySummary, ProfileFilter } from '../core/pprof/filter';
import type { ValueType } from '../core/pprof/model';
import type { FileCosts, LineCalls } from '../core/pprof/source-costs';
import type { TopTable } from '../core/pprof/top';

export interface LoadedProfile {
  handle: number;
  sampleTypes: ValueType[];
  defaultSampleType: number;
  totals: number[];
  sampleCount: number;
  durationNanos: number;
  timeNanos: number;
  comments: string[];
  /** What kind of profile this is ("cpu", "heap", "mutex", …), from its sample and period types. */
  kind: string;
  /** pprof's period type (what one sampling period measures), for the comparability rule. */
  periodType?: ValueType;
  /** The labels present, for the label filter chips. */
  labels: LabelKeySummary[];
  /** Whether the profile records line numbers (false for some converted profiles). */
  hasLines: boolean;
  /** What the file was read as (pprof, perf script, folded), when it was read from a file or bytes. */
  format?: string;
  /** Sentences for the user about input that was skipped (bad lines, a cut-off end). */
  warnings?: string[];
}

/** A sample type and a filter, as plain data (what a webview sends). */
export interface ViewQuery {
  sampleType: number;
  filter: ProfileFilter;
}

/** Compare with another loaded profile (the base), optionally normalised as pprof -normalize. */
export interface DiffBase {
  handle: number;
  normalize: boolean;
}

export interface TreeResult {
  tree: CallTree;
  prunedBelow: number;
  /** The zoomed node the tree was fitted to ([] when it is not in the tree, or nothing was left out). */
  focusPath: string[];
  /** For a diff: each node's base and new totals (the tree's widths are the larger of the two). */
  diff?: { base: Float64Array; current: Float64Array; scale: number };
}

export interface ProfileWorkerMethods {
  /** Decodes and indexes a profile from a file path (read in the worker) or bytes. */
  loadProfile: {
    params: {
      path?: string;
      bytes?: Uint8Array;
      /** perf, to read a perf.data file through `perf script` (omitted: Go Lens may not or cannot run it). */
      perf?: string;
      perfUnavailable?: 'restricted' | 'missing';
      /** The go command, to give perf's Go frames file:line (go tool nm/addr2line); omitted in Restricted Mode. */
      go?: { binary: string; env?: Record<string, string | undefined> };
      /** Name bare addresses from this executable (go tool addr2line, run with `goCommand`). */
      binary?: string;
      goCommand?: string;
    };
    result: LoadedProfile;
  };
  /**
   * The call tree for a query (top-down or inverted; a diff when `base` is given), fitted to
   * `maxNodes` with the most detail under the node at `focusPath` (function names from the root).
   */
  profileTree: {
    params: {
      handle: number;
      query: ViewQuery;
      inverted?: boolean;
      maxNodes: number;
      base?: DiffBase;
      focusPath?: string[];
    };
    result: TreeResult;
  };
  /** pprof's top table (or its diff against `base`). */
  profileTop: {
    params: { handle: number; query: ViewQuery; base?: DiffBase };
    result: TopTable | DiffTopTable;
  };
  /** Callers and callees of one function, each fitted to `maxNodes`. */
  profileSandwich: {
    params: {
      handle: number;
      query: ViewQuery;
      fn: { name: string; file?: string };
      maxNodes: number;
    };
    result: Sandwich;
  };
  /**
   * Line and function costs of the file at `localPath` on this machine, matched to the file name
   * the profile recorded (by the longest common path tail). Undefined when the profile has none.
   */
  profileFileCosts: {
    params: { handle: number; query: ViewQuery; localPath: string };
    result: FileCosts | undefined;
  };
  /** Callers and callees of one line (`file` as the profile recorded it). */
  profileLineCalls: {
    params: { handle: number; query: ViewQuery; file: string; line: number };
    result: LineCalls;
  };
  /** Collapsed stacks (`a;b;c 10`), or signed differences against `base`. */
  profileFolded: {
    params: { handle: number; query: ViewQuery; base?: DiffBase };
    result: string[];
  };
  /** The loaded profile as gzipped profile.proto, which go tool pprof opens. */
  profilePprof: { params: { handle: number }; result: Uint8Array };
  /** Forgets a loaded profile. */
  release: { params: { handle: number }; result: void };
}
