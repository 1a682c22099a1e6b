// Messages between the extension host and the profile view (flame graph, icicle, top table,
// call tree, sandwich; a single profile or a diff of two). Imported by both sides; the host
// validates every incoming message with `parseFlameWebviewMessage` before acting on it.
import type { CallTree } from '../core/flame/call-tree';
import type { Sandwich } from '../core/flame/sandwich';
import type { DiffTopTable } from '../core/pprof/diff';
import type { LabelKeySummary, ProfileFilter } from '../core/pprof/filter';
import type { ValueType } from '../core/pprof/model';
import type { TopTable } from '../core/pprof/top';
import { isSourceLocation, type SourceLocation } from './source';
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

export type FlameHostMessage =
  | { type: 'loading'; message: string }
  | { type: 'summary'; summary: ProfileSummary }
  | {
      type: 'tree';
      requestId: number;
      inverted: boolean;
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
  | { type: 'top'; requestId: number; table: TopTable | DiffTopTable }
  | { type: 'sandwich'; requestId: number; fn: { name: string; file?: string }; sandwich: Sandwich }
  /** `requestId` set: the error belongs to that request (e.g. an invalid filter regexp). */
  | { type: 'error'; message: string; requestId?: number }
  /** Result of an openSource request, so the view can say when a file was not found. */
  | { type: 'sourceResult'; ok: boolean; message: string };

export type FlameRequest =
  /** `focusPath`: the node a flame view is zoomed into, so a pruned tree keeps detail under it. */
  | { type: 'tree'; requestId: number; query: ViewQuery; inverted: boolean; normalize: boolean; focusPath: string[] }
  | { type: 'top'; requestId: number; query: ViewQuery; normalize: boolean }
  | { type: 'sandwich'; requestId: number; query: ViewQuery; fn: { name: string; file?: string } };

export type FlameWebviewMessage =
  | { type: 'ready' }
  | FlameRequest
  /** What the view shows now, so editor annotations can follow it. */
  | { type: 'activeQuery'; query: ViewQuery; normalize: boolean }
  | { type: 'openSource'; location: SourceLocation }
  | { type: 'saveAs' }
  | { type: 'export'; format: 'folded'; query: ViewQuery; normalize: boolean }
  | { type: 'export'; format: 'svg'; svg: string }
  | { type: 'export'; format: 'png'; dataUrl: string }
  | { type: 'export'; format: 'pprof' };

/** Largest image a view may send for saving: a full-screen PNG is a few MB. */
const MAX_EXPORT_CHARS = 64 << 20;

const FILTER_TEXT_KEYS = ['focus', 'ignore', 'hide', 'show', 'showFrom', 'pruneFrom'] as const;

function isFilter(v: unknown): v is ProfileFilter {
  if (!isRecord(v) || !hasOnlyKeys(v, [...FILTER_TEXT_KEYS, 'pruneRuntime', 'tagFocus', 'tagIgnore'])) return false;
  for (const k of FILTER_TEXT_KEYS) if (v[k] !== undefined && !isShortString(v[k], 2000)) return false;
  if (v.pruneRuntime !== undefined && typeof v.pruneRuntime !== 'boolean') return false;
  for (const k of ['tagFocus', 'tagIgnore'] as const) {
    const list = v[k];
    if (list !== undefined && !(Array.isArray(list) && list.length <= 64 && list.every((t) => isShortString(t, 2000)))) return false;
  }
  return true;
}

function isViewQuery(v: unknown): v is ViewQuery {
  return isRecord(v) && hasOnlyKeys(v, ['sampleType', 'filter']) && isIndex(v.sampleType, 1000) && isFilter(v.filter);
}

/** Function names from the root to a node: no deeper than a call tree can be (Uint16 depths). */
function isNamePath(v: unknown): v is string[] {
  return Array.isArray(v) && v.length < 65536 && v.every((s) => isShortString(s));
}

function isFunctionRef(v: unknown): v is { name: string; file?: string } {
  return isRecord(v) && hasOnlyKeys(v, ['name', 'file']) && isShortString(v.name) && (v.file === undefined || isShortString(v.file));
}

/** Returns the message if it is a well-formed FlameWebviewMessage, otherwise undefined. */
export function parseFlameWebviewMessage(raw: unknown): FlameWebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  const m = raw;
  switch (m.type) {
    case 'ready':
    case 'saveAs':
      return hasOnlyKeys(m, ['type']) ? { type: m.type } : undefined;
    case 'tree':
      return hasOnlyKeys(m, ['type', 'requestId', 'query', 'inverted', 'normalize', 'focusPath']) &&
        isIndex(m.requestId) &&
        isViewQuery(m.query) &&
        typeof m.inverted === 'boolean' &&
        typeof m.normalize === 'boolean' &&
        isNamePath(m.focusPath)
        ? { type: 'tree', requestId: m.requestId, query: m.query, inverted: m.inverted, normalize: m.normalize, focusPath: m.focusPath }
        : undefined;
    case 'top':
      return hasOnlyKeys(m, ['type', 'requestId', 'query', 'normalize']) && isIndex(m.requestId) && isViewQuery(m.query) && typeof m.normalize === 'boolean'
        ? { type: 'top', requestId: m.requestId, query: m.query, normalize: m.normalize }
        : undefined;
    case 'sandwich':
      return hasOnlyKeys(m, ['type', 'requestId', 'query', 'fn']) && isIndex(m.requestId) && isViewQuery(m.query) && isFunctionRef(m.fn)
        ? { type: 'sandwich', requestId: m.requestId, query: m.query, fn: m.fn }
        : undefined;
    case 'activeQuery':
      return hasOnlyKeys(m, ['type', 'query', 'normalize']) && isViewQuery(m.query) && typeof m.normalize === 'boolean'
        ? { type: 'activeQuery', query: m.query, normalize: m.normalize }
        : undefined;
    case 'openSource':
      return hasOnlyKeys(m, ['type', 'location']) && isSourceLocation(m.location) ? { type: 'openSource', location: m.location } : undefined;
    case 'export':
      if (m.format === 'folded') {
        return hasOnlyKeys(m, ['type', 'format', 'query', 'normalize']) && isViewQuery(m.query) && typeof m.normalize === 'boolean'
          ? { type: 'export', format: 'folded', query: m.query, normalize: m.normalize }
          : undefined;
      }
      if (m.format === 'svg') {
        return hasOnlyKeys(m, ['type', 'format', 'svg']) && typeof m.svg === 'string' && m.svg.length <= MAX_EXPORT_CHARS && m.svg.startsWith('<svg')
          ? { type: 'export', format: 'svg', svg: m.svg }
          : undefined;
      }
      if (m.format === 'pprof') return hasOnlyKeys(m, ['type', 'format']) ? { type: 'export', format: 'pprof' } : undefined;
      if (m.format === 'png') {
        return hasOnlyKeys(m, ['type', 'format', 'dataUrl']) &&
          typeof m.dataUrl === 'string' &&
          m.dataUrl.length <= MAX_EXPORT_CHARS &&
          /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(m.dataUrl)
          ? { type: 'export', format: 'png', dataUrl: m.dataUrl }
          : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}
