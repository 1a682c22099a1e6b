// Messages between the extension host and the profile view (flame graph, icicle, top table,
// call tree, sandwich; a single profile or a diff of two): its method map on the channel of
// src/protocol/rpc.ts. Imported by both sides; the host validates every request with
// `flameValidators` before acting on it.
import type { CallTree } from '../core/flame/call-tree';
import type { Sandwich } from '../core/flame/sandwich';
import type { DiffTopTable } from '../core/pprof/diff';
import type { LabelKeySummary, ProfileFilter } from '../core/pprof/filter';
import type { ValueType } from '../core/pprof/model';
import type { TopTable } from '../core/pprof/top';
import { isSourceLocation, type SourceLocation } from './source';
import { noParams, type NoParams, type Validators } from './rpc';
import { hasOnlyKeys, isIndex, isRecord, isShortString } from './validate';

/** A sample type and pprof filters, as the view asks for them. */
export interface ViewQuery {
  sampleType: number;
  filter: ProfileFilter;
}

/** What the view shows above the graph: where the data came from and what it measures. */
export interface ProfileSummary {
  /** e.g. `cpu-127.0.0.1_6060-20261121-231500.pb.gz` */
  title: string;
  /** "cpu", "heap", "mutex", … */
  kind: string;
  sampleTypes: ValueType[];
  defaultSampleType: number;
  /** Sum of each sample type over all samples, to give percentages of the whole profile. */
  totals: number[];
  sampleCount: number;
  durationNanos: number;
  timeNanos: number;
  comments: string[];
  /** Labels present in the profile, offered as filter chips. */
  labels: LabelKeySummary[];
  /** Things the user must know before trusting the picture, e.g. "capture cut short after 12 s". */
  warnings: string[];
  /** Whether the host can save this profile elsewhere. */
  canSaveAs: boolean;
  /** Set for a diff view: the base profile's title. */
  diffBase?: string;
}

export type FlameView = 'flame' | 'icicle' | 'top' | 'tree' | 'sandwich';

/** One tree as the views draw it. */
export interface TreeAnswer {
  tree: CallTree;
  /**
   * Nodes narrower than this fraction of the whole (of the node at `focusPath`, inside its
   * subtree) were left out to keep the view fast.
   */
  prunedBelow: number;
  /** The zoomed node the tree was fitted to (function names from the root); [] for the root. */
  focusPath: string[];
  /** For a diff: per node, the base and new totals; `tree.total` is the larger of the two. */
  diff?: { base: Float64Array; current: Float64Array; scale: number };
}

/** `focusPath`: the node a flame view is zoomed into, so a pruned tree keeps detail under it. */
export interface TreeParams {
  query: ViewQuery;
  inverted: boolean;
  normalize: boolean;
  focusPath: string[];
}

/**
 * The view's saved query, sent with `ready` so the first tree comes back with the summary.
 * `sampleType` null (or past the profile's types): the profile's default.
 */
export interface FirstTree {
  sampleType: number | null;
  filter: ProfileFilter;
  inverted: boolean;
  normalize: boolean;
}

export type ExportRequest =
  | { format: 'folded'; query: ViewQuery; normalize: boolean }
  | { format: 'svg'; svg: string }
  | { format: 'png'; dataUrl: string }
  | { format: 'pprof' };

/** What the profile view asks the host (webview/common/rpc.ts `request`). */
export interface FlameMethods {
  /** The page is up: the summary, and the first tree when the view shows one (`first`). */
  ready: {
    params: { first?: FirstTree };
    result: {
      summary: ProfileSummary;
      first?: { params: TreeParams; tree?: TreeAnswer; error?: string };
    };
  };
  tree: { params: TreeParams; result: TreeAnswer };
  top: { params: { query: ViewQuery; normalize: boolean }; result: TopTable | DiffTopTable };
  sandwich: { params: { query: ViewQuery; fn: { name: string; file?: string } }; result: Sandwich };
  /** What the view shows now, so editor annotations can follow it. */
  activeQuery: { params: { query: ViewQuery; normalize: boolean }; result: void };
  /** `message`: the file opened (relative path), or why not, so the view can say when a file was not found. */
  openSource: { params: { location: SourceLocation }; result: { ok: boolean; message: string } };
  saveAs: { params: NoParams; result: void };
  export: { params: ExportRequest; result: void };
}

/** What the host pushes while the profile loads. */
export interface FlamePushes {
  loading: { message: string };
}

/** Largest image a view may send for saving: a full-screen PNG is a few MB. */
const MAX_EXPORT_CHARS = 64 << 20;

const FILTER_TEXT_KEYS = ['focus', 'ignore', 'hide', 'show', 'showFrom', 'pruneFrom'] as const;

function isFilter(v: unknown): v is ProfileFilter {
  if (
    !isRecord(v) ||
    !hasOnlyKeys(v, [...FILTER_TEXT_KEYS, 'pruneRuntime', 'tagFocus', 'tagIgnore'])
  )
    return false;
  for (const k of FILTER_TEXT_KEYS)
    if (v[k] !== undefined && !isShortString(v[k], 2000)) return false;
  if (v.pruneRuntime !== undefined && typeof v.pruneRuntime !== 'boolean') return false;
  for (const k of ['tagFocus', 'tagIgnore'] as const) {
    const list = v[k];
    if (
      list !== undefined &&
      !(Array.isArray(list) && list.length <= 64 && list.every((t) => isShortString(t, 2000)))
    )
      return false;
  }
  return true;
}

function isViewQuery(v: unknown): v is ViewQuery {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['sampleType', 'filter']) &&
    isIndex(v.sampleType, 1000) &&
    isFilter(v.filter)
  );
}

/** Function names from the root to a node: no deeper than a call tree can be (Uint16 depths). */
function isNamePath(v: unknown): v is string[] {
  return Array.isArray(v) && v.length < 65536 && v.every((s) => isShortString(s));
}

function isFunctionRef(v: unknown): v is { name: string; file?: string } {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['name', 'file']) &&
    isShortString(v.name) &&
    (v.file === undefined || isShortString(v.file))
  );
}

function isTreeParams(v: unknown): v is TreeParams {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['query', 'inverted', 'normalize', 'focusPath']) &&
    isViewQuery(v.query) &&
    typeof v.inverted === 'boolean' &&
    typeof v.normalize === 'boolean' &&
    isNamePath(v.focusPath)
  );
}

function isFirstTree(v: unknown): v is FirstTree {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['sampleType', 'filter', 'inverted', 'normalize']) &&
    (v.sampleType === null || isIndex(v.sampleType, 1000)) &&
    isFilter(v.filter) &&
    typeof v.inverted === 'boolean' &&
    typeof v.normalize === 'boolean'
  );
}

function isExport(m: unknown): m is ExportRequest {
  if (!isRecord(m)) return false;
  switch (m.format) {
    case 'folded':
      return (
        hasOnlyKeys(m, ['format', 'query', 'normalize']) &&
        isViewQuery(m.query) &&
        typeof m.normalize === 'boolean'
      );
    case 'svg':
      return (
        hasOnlyKeys(m, ['format', 'svg']) &&
        typeof m.svg === 'string' &&
        m.svg.length <= MAX_EXPORT_CHARS &&
        m.svg.startsWith('<svg')
      );
    case 'pprof':
      return hasOnlyKeys(m, ['format']);
    case 'png':
      return (
        hasOnlyKeys(m, ['format', 'dataUrl']) &&
        typeof m.dataUrl === 'string' &&
        m.dataUrl.length <= MAX_EXPORT_CHARS &&
        /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(m.dataUrl)
      );
    default:
      return false;
  }
}

const when = <T>(ok: boolean, v: T): T | undefined => (ok ? v : undefined);

/** The host runs a profile view's request only when its params pass these checks. */
export const flameValidators: Validators<FlameMethods> = {
  ready: (p) =>
    when(
      isRecord(p) && hasOnlyKeys(p, ['first']) && (p.first === undefined || isFirstTree(p.first)),
      p as { first?: FirstTree },
    ),
  tree: (p) => when(isTreeParams(p), p as TreeParams),
  top: (p) =>
    when(
      isRecord(p) &&
        hasOnlyKeys(p, ['query', 'normalize']) &&
        isViewQuery(p.query) &&
        typeof p.normalize === 'boolean',
      p as { query: ViewQuery; normalize: boolean },
    ),
  sandwich: (p) =>
    when(
      isRecord(p) && hasOnlyKeys(p, ['query', 'fn']) && isViewQuery(p.query) && isFunctionRef(p.fn),
      p as { query: ViewQuery; fn: { name: string; file?: string } },
    ),
  activeQuery: (p) =>
    when(
      isRecord(p) &&
        hasOnlyKeys(p, ['query', 'normalize']) &&
        isViewQuery(p.query) &&
        typeof p.normalize === 'boolean',
      p as { query: ViewQuery; normalize: boolean },
    ),
  openSource: (p) =>
    when(
      isRecord(p) && hasOnlyKeys(p, ['location']) && isSourceLocation(p.location),
      p as { location: SourceLocation },
    ),
  saveAs: noParams,
  export: (p) => when(isExport(p), p as ExportRequest),
};
