// What the parse worker remembers about one loaded profile between requests: compiled filters, and
// the results of recent queries. A view asks for a tree, then the top table, then line costs of the
// same query (and the flame view asks again as the user zooms), so each query is evaluated once and
// each tree built once; the core functions themselves cache nothing. Kept here, beside the filter
// cache, so the index stays read-only once built and the cache's memory is owned by the handle.
import { diffTreeOf, type DiffCallTree } from '../core/flame/diff-tree';
import type { CallTree } from '../core/flame/call-tree';
import { treeOfEvaluation } from '../core/flame/filtered-tree';
import { diffScale } from '../core/pprof/diff';
import { evaluate, type Evaluation } from '../core/pprof/evaluate';
import { compileFilter, type CompiledFilter } from '../core/pprof/filter';
import type { ProfileIndex } from '../core/pprof/profile-index';
import type { ViewQuery } from './profile-protocol';

/** A sample type and a compiled filter: what the core query functions take. */
export interface CompiledQuery {
  sampleType: number;
  filter: CompiledFilter;
}

/** How many recent query results a profile keeps (each can be tens of MB on a 1M-sample profile). */
export const RECENT_RESULTS = 4;

/** Compiled filters kept per profile before the lot is dropped (typing in a filter box makes many). */
const FILTERS_KEPT = 32;

/** One remembered result; the kind says what the value is. */
type Recent =
  | { kind: 'evaluation'; value: Evaluation }
  | { kind: 'tree'; value: CallTree }
  | { kind: 'diff'; base: ProfileIndex; value: DiffCallTree };

/**
 * Recent results of the queries on one profile, least recently used dropped first, with one
 * budget for evaluations and trees together (they are of a size).
 */
class RecentResults {
  private readonly entries = new Map<string, Recent>();

  get<K extends Recent['kind']>(kind: K, key: string): Extract<Recent, { kind: K }> | undefined {
    const id = `${kind} ${key}`;
    const e = this.entries.get(id);
    if (e === undefined || e.kind !== kind) return undefined;
    this.entries.delete(id);
    this.entries.set(id, e);
    return e as Extract<Recent, { kind: K }>;
  }

  put(key: string, entry: Recent): void {
    const id = `${entry.kind} ${key}`;
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > RECENT_RESULTS)
      this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The query cache of one loaded profile. */
export class ProfileQueryCache {
  private readonly filters = new Map<string, CompiledFilter>();
  private readonly recent = new RecentResults();
  /**
   * The unfiltered top-down tree of each sample type once built: switching back to a type is then
   * free. Kept apart from `recent`, whose entries other queries evict.
   */
  private readonly wholeTrees: (CallTree | undefined)[] = [];

  constructor(readonly index: ProfileIndex) {}

  /** A webview's query with its filter compiled (compiled filters are reused by their JSON). */
  query(q: ViewQuery): CompiledQuery {
    const key = JSON.stringify(q.filter);
    let filter = this.filters.get(key);
    if (!filter) {
      filter = compileFilter(q.filter);
      if (this.filters.size > FILTERS_KEPT) this.filters.clear();
      this.filters.set(key, filter);
    }
    if (
      !Number.isInteger(q.sampleType) ||
      q.sampleType < 0 ||
      q.sampleType >= this.index.profile.sampleTypes.length
    ) {
      throw new Error(`sample type ${q.sampleType} is out of range`);
    }
    return { sampleType: q.sampleType, filter };
  }

  /** The query evaluated on this profile, its values multiplied by `scale` (a normalized diff's new side). */
  evaluation(q: CompiledQuery, scale = 1): Evaluation {
    const key = `${q.sampleType} ${scale} ${q.filter.key}`;
    const hit = this.recent.get('evaluation', key);
    if (hit) return hit.value;
    const value = evaluate(this.index, q, scale);
    this.recent.put(key, { kind: 'evaluation', value });
    return value;
  }

  /** The call tree of a query (filteredCallTree's), top-down or inverted. */
  tree(q: CompiledQuery, inverted: boolean): CallTree {
    const whole = !inverted && q.filter.empty;
    const kept = whole ? this.wholeTrees[q.sampleType] : undefined;
    if (kept) return kept;
    const key = `${inverted} ${q.sampleType} ${q.filter.key}`;
    const hit = this.recent.get('tree', key);
    if (hit) return hit.value;
    const ev = this.evaluation(q);
    const value = treeOfEvaluation(ev, inverted);
    if (whole && !ev.structural) this.wholeTrees[q.sampleType] = value;
    else this.recent.put(key, { kind: 'tree', value });
    return value;
  }

  /** The diff tree of a query against `base` (diffCallTree's); throws IncompatibleProfilesError. */
  diffTree(
    base: ProfileQueryCache,
    q: CompiledQuery,
    normalize: boolean,
    inverted: boolean,
  ): DiffCallTree {
    const scale = diffScale(base.index, this.index, { ...q, normalize });
    const key = `${inverted} ${scale} ${q.sampleType} ${q.filter.key}`;
    const hit = this.recent.get('diff', key);
    if (hit && hit.base === base.index) return hit.value;
    const value = diffTreeOf(base.evaluation(q), this.evaluation(q, scale), inverted);
    this.recent.put(key, { kind: 'diff', base: base.index, value });
    return value;
  }

  /** The evaluations a diff's top table compares: the base's, and this profile's scaled as the diff scales it. */
  diffEvaluations(
    base: ProfileQueryCache,
    q: CompiledQuery,
    normalize: boolean,
  ): [Evaluation, Evaluation] {
    const scale = diffScale(base.index, this.index, { ...q, normalize });
    return [base.evaluation(q), this.evaluation(q, scale)];
  }

  /** Forgets every remembered result (benchmarks time cold queries; results stay valid). */
  clear(): void {
    this.recent.clear();
    this.wholeTrees.length = 0;
  }
}
