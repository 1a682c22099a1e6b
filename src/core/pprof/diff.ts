// Profile diffs: what changed from a base profile to a new one, as `go tool pprof -diff_base`
// shows it.
//
// pprof's rule (internal/driver/fetch.go, profile/merge.go): the base must have the same sample
// types (type and unit, in order) and period type as the new profile; with -normalize the *new*
// profile's values are scaled by Σbase / Σnew per sample type (sums over all samples, before any
// filter), each sample's value rounded half away from zero; then the base is negated and both are
// merged, so every value is new − base. Filters apply to the merged profile, which is the same as
// applying them to each side.
import { cacheGet, cachePut, type ProfileIndex } from './profile-index';
import { evaluate, type ProfileQuery } from './evaluate';
import { ProfileError, type Profile, type ValueType } from './model';
import { incomparability } from './comparable';
import { foldedFromTree } from './folded';
import { layout, type CallTree } from '../flame/call-tree';
import { treeOfEvaluation } from '../flame/filtered-tree';
import { Trie } from '../flame/trie';
import { absoluteTotal, sortTopRows, topRowsOf, type TopRow } from './top';

/** Two profiles that cannot be compared. The message names both kinds and says what to do. */
export class IncompatibleProfilesError extends ProfileError {
  override name = 'IncompatibleProfilesError';
}

function describeTypes(types: ValueType[]): string {
  return types.length === 0 ? 'no sample types' : types.map((t) => `${t.type}/${t.unit}`).join(', ');
}

/** What kind of profile the sample types say it is, for messages. */
export function profileKind(p: Profile): string {
  const types = p.sampleTypes.map((t) => t.type).join(',');
  if (types === 'samples,cpu') return 'a CPU profile';
  if (types === 'alloc_objects,alloc_space,inuse_objects,inuse_space') return 'a heap/allocs profile';
  if (types === 'contentions,delay') return p.periodType?.type === 'contentions' ? 'a mutex or block profile' : 'a contention profile';
  if (types === 'goroutine') return 'a goroutine profile';
  if (types === 'threadcreate') return 'a threadcreate profile';
  return `a profile of ${describeTypes(p.sampleTypes)}`;
}

/** Throws IncompatibleProfilesError unless `current` can be compared with `base` (the rule: ./comparable.ts). */
export function checkComparable(base: Profile, current: Profile): void {
  const why = incomparability(base, current);
  if (why === undefined) return;
  const a = base.sampleTypes;
  const b = current.sampleTypes;
  if (why === 'sample-types') {
    throw new IncompatibleProfilesError(
      `cannot compare these profiles: the base is ${profileKind(base)} (${describeTypes(a)}) but the new one is ${profileKind(current)} (${describeTypes(b)}). ` +
        'Compare two profiles of the same kind, e.g. two CPU profiles or two heap profiles.',
    );
  }
  const show = (v: ValueType | undefined): string => (v ? `${v.type}/${v.unit}` : 'none');
  throw new IncompatibleProfilesError(
    `cannot compare these profiles: both have ${describeTypes(a)}, but the base's period type is ${show(base.periodType)} and the new one's is ${show(current.periodType)} ` +
      '(e.g. a mutex and a block profile, or profiles from different tools). Compare two profiles of the same kind.',
  );
}

/** A query on a pair of profiles. */
export interface DiffQuery extends ProfileQuery {
  /** pprof -normalize: scale the new profile so its total equals the base's (for each sample type). */
  normalize?: boolean;
}

/**
 * pprof -normalize's factor for the new profile's values of a sample type: Σbase / Σnew over all
 * samples (0 when the new profile sums to 0). 1 without normalization.
 */
export function normalizationScale(base: ProfileIndex, current: ProfileIndex, sampleType: number): number {
  const sum = (p: Profile): number => {
    const n = p.sampleTypes.length;
    let s = 0;
    for (let i = sampleType; i < p.samples.values.length; i += n) s += p.samples.values[i];
    return s;
  };
  const nb = sum(base.profile);
  const nc = sum(current.profile);
  return nc === 0 ? 0 : nb / nc;
}

/**
 * A diff call tree: the merged tree of both profiles (a node exists when either side has
 * samples through it), with `total`/`self` = new − base (negative: less in the new profile) and
 * each side's own values, so a view can size by one side and colour by the delta.
 */
export interface DiffCallTree extends CallTree {
  baseTotal: Float64Array;
  baseSelf: Float64Array;
  newTotal: Float64Array;
  newSelf: Float64Array;
  /** The factor the new profile's values were multiplied by (1 unless normalized). */
  scale: number;
}

function scaleOf(base: ProfileIndex, current: ProfileIndex, query: DiffQuery): number {
  checkComparable(base.profile, current.profile);
  return query.normalize ? normalizationScale(base, current, query.sampleType) : 1;
}

/**
 * The diff tree of two indexed profiles for a query (sample type, filter, normalize), top-down or
 * inverted. Throws IncompatibleProfilesError when the profiles cannot be compared, FilterError for
 * an invalid filter.
 */
export function diffCallTree(base: ProfileIndex, current: ProfileIndex, query: DiffQuery, options: { inverted?: boolean } = {}): DiffCallTree {
  const scale = scaleOf(base, current, query);
  const inverted = options.inverted === true;
  const evBase = evaluate(base, query);
  const evNew = evaluate(current, query, scale);
  const key = `diff ${inverted} ${scale} ${evNew.sampleType} ${evNew.filter.key}`;
  const cached = cacheGet<{ base: ProfileIndex; tree: DiffCallTree }>(current, key);
  if (cached && cached.base === base) return cached.tree;
  const tree = mergeTrees(treeOfEvaluation(evBase, inverted), treeOfEvaluation(evNew, inverted), scale);
  cachePut(current, key, { base, tree });
  return tree;
}

/** Merges two call trees by path of (name, file); values of `a` become the base side. */
function mergeTrees(a: CallTree, b: CallTree, scale: number): DiffCallTree {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const files: string[] = [];
  const idsOf = (t: CallTree): Int32Array =>
    Int32Array.from(t.funcName, (name, f) => {
      const text = name + '\u0000' + t.funcFile[f];
      let id = ids.get(text);
      if (id === undefined) {
        id = names.length;
        ids.set(text, id);
        names.push(name);
        files.push(t.funcFile[f]);
      }
      return id;
    });
  const aIds = idsOf(a);
  const bIds = idsOf(b);
  const trie = new Trie(a.nodeCount + b.nodeCount);
  const cap = a.nodeCount + b.nodeCount;
  const bt = new Float64Array(cap);
  const bs = new Float64Array(cap);
  const nt = new Float64Array(cap);
  const ns = new Float64Array(cap);
  const depth = new Int32Array(cap);
  const line = new Int32Array(cap);
  const hasNew = new Uint8Array(cap);
  const add = (t: CallTree, fid: Int32Array, tot: Float64Array, self: Float64Array, isNew: boolean): void => {
    const map = new Int32Array(t.nodeCount);
    tot[0] += t.total[0];
    self[0] += t.self[0];
    for (let i = 1; i < t.nodeCount; i++) {
      const p = map[t.parent[i]];
      const m = trie.child(p, fid[t.func[i]]);
      map[i] = m;
      depth[m] = t.depth[i];
      tot[m] += t.total[i];
      self[m] += t.self[i];
      // The new profile's line wins: the view opens where the code is now.
      if (isNew || !hasNew[m]) line[m] = t.line[i];
      if (isNew) hasNew[m] = 1;
    }
  };
  add(a, aIds, bt, bs, false);
  add(b, bIds, nt, ns, true);
  const n = trie.count;
  const { parent, key } = trie.finish();
  // layout permutes its value columns; node ids passed as one give the permutation.
  const ids2 = new Float64Array(n);
  for (let i = 0; i < n; i++) ids2[i] = i;
  const laid = layout(n, parent, key, depth, line, ids2, new Float64Array(n), names, files, b.sampleType);
  const perm = laid.total;
  const col = (src: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) out[j] = src[perm[j]];
    return out;
  };
  const baseTotal = col(bt);
  const baseSelf = col(bs);
  const newTotal = col(nt);
  const newSelf = col(ns);
  const total = new Float64Array(n);
  const self = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    total[j] = newTotal[j] - baseTotal[j];
    self[j] = newSelf[j] - baseSelf[j];
  }
  return { ...laid, total, self, baseTotal, baseSelf, newTotal, newSelf, scale };
}

/** One row of a diff top table: new − base, and each side. */
export interface DiffTopRow extends TopRow {
  baseFlat: number;
  baseCum: number;
  newFlat: number;
  newCum: number;
}

/** The diff top table of a query. */
export interface DiffTopTable {
  sampleType: ValueType;
  /** pprof's percentage base for -diff_base: Σ|value| of the base profile. */
  total: number;
  scale: number;
  /** flat/cum = new − base, in pprof's -top order of those deltas. */
  rows: DiffTopRow[];
}

/**
 * The diff top table: per function name, flat and cum of new − base (the new side scaled when
 * normalizing), as `go tool pprof -top -diff_base BASE [-normalize] NEW` prints them.
 */
export function diffTop(base: ProfileIndex, current: ProfileIndex, query: DiffQuery): DiffTopTable {
  const scale = scaleOf(base, current, query);
  const evBase = evaluate(base, query);
  const evNew = evaluate(current, query, scale);
  const rows = new Map<string, DiffTopRow>();
  const row = (name: string): DiffTopRow => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = { name, flat: 0, cum: 0, baseFlat: 0, baseCum: 0, newFlat: 0, newCum: 0 }));
    return r;
  };
  for (const r of topRowsOf(evBase)) Object.assign(row(r.name), { baseFlat: r.flat, baseCum: r.cum });
  for (const r of topRowsOf(evNew)) Object.assign(row(r.name), { newFlat: r.flat, newCum: r.cum });
  const out: DiffTopRow[] = [];
  for (const r of rows.values()) {
    r.flat = r.newFlat - r.baseFlat;
    r.cum = r.newCum - r.baseCum;
    if (r.flat !== 0 || r.cum !== 0) out.push(r);
  }
  return { sampleType: current.profile.sampleTypes[evNew.sampleType], total: absoluteTotal(base, evBase.sampleType), scale, rows: sortTopRows(out) };
}

/**
 * The diff as folded stacks: one line per stack of function names (root first, `;`-joined) whose
 * value changed, with the signed change (`+12`, `-3`), sorted by stack text. Stacks are merged by
 * names, as `golens folded` prints them, so each line is the difference of the two folded outputs.
 */
export function diffFolded(base: ProfileIndex, current: ProfileIndex, query: DiffQuery): string[] {
  return foldedFromTree(diffCallTree(base, current, query), true);
}
