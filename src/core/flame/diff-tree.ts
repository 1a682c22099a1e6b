// The call tree of a profile diff (`go tool pprof -diff_base`): both profiles' trees for one query
// merged by path, with each side's values, and the drawable form a flame view gets. The rules
// (comparability, -normalize's scale) are pprof/diff.ts's.
import { diffScale, type DiffQuery } from '../pprof/diff';
import { evaluate, type Evaluation } from '../pprof/evaluate';
import type { ProfileIndex } from '../pprof/profile-index';
import { Trie } from '../pprof/trie';
import { layout, type CallTree } from './call-tree';
import { treeOfEvaluation } from './filtered-tree';
import { foldedFromTree } from './folded-tree';
import { fitTreeToView } from './view-tree';

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

/**
 * The diff tree of two indexed profiles for a query (sample type, filter, normalize), top-down or
 * inverted. Throws IncompatibleProfilesError when the profiles cannot be compared, FilterError for
 * an invalid filter.
 */
export function diffCallTree(
  base: ProfileIndex,
  current: ProfileIndex,
  query: DiffQuery,
  options: { inverted?: boolean } = {},
): DiffCallTree {
  const scale = diffScale(base, current, query);
  return diffTreeOf(
    evaluate(base, query),
    evaluate(current, query, scale),
    options.inverted === true,
  );
}

/** `diffCallTree` of a query evaluated on the base and (scaled by `diffScale`) on the new profile. */
export function diffTreeOf(evBase: Evaluation, evNew: Evaluation, inverted: boolean): DiffCallTree {
  return mergeTrees(
    treeOfEvaluation(evBase, inverted),
    treeOfEvaluation(evNew, inverted),
    evNew.scale,
  );
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
  const add = (
    t: CallTree,
    fid: Int32Array,
    tot: Float64Array,
    self: Float64Array,
    isNew: boolean,
  ): void => {
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
  const laid = layout(
    n,
    parent,
    key,
    depth,
    line,
    ids2,
    new Float64Array(n),
    names,
    files,
    b.sampleType,
  );
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

/**
 * The diff as folded stacks: one line per stack of function names (root first, `;`-joined) whose
 * value changed, with the signed change (`+12`, `-3`), sorted by stack text. Stacks are merged by
 * names, as `golens folded` prints them, so each line is the difference of the two folded outputs.
 */
export function diffFolded(base: ProfileIndex, current: ProfileIndex, query: DiffQuery): string[] {
  return foldedFromTree(diffCallTree(base, current, query), true);
}

/** A diff tree as a flame view draws it: widths and per-node base and new totals. */
export interface DiffView {
  /** `total` is max(|base|, |new|) per node, so shrunk and vanished code stays visible. */
  tree: CallTree;
  prunedBelow: number;
  focusPath: string[];
  base: Float64Array;
  current: Float64Array;
}

/**
 * Turns a diff tree (total = new − base) into a drawable one: each node as wide as the larger of
 * its base and new totals, coloured by the difference in the view.
 */
export function diffTreeForView(
  diff: DiffCallTree,
  maxNodes: number,
  focusPath: readonly string[] = [],
): DiffView {
  const n = diff.nodeCount;
  const width = new Float64Array(n);
  const selfWidth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    width[i] = Math.max(Math.abs(diff.baseTotal[i]), Math.abs(diff.newTotal[i]));
    selfWidth[i] = Math.max(Math.abs(diff.baseSelf[i]), Math.abs(diff.newSelf[i]));
  }
  // Children's widths can sum to more than their parent's (growth in one child, shrinkage in
  // another): widen parents so a subtree always fits under its root.
  for (let i = n - 1; i > 0; i--) {
    const p = diff.parent[i];
    let children = 0;
    for (let c = p + 1; c < p + diff.subtreeSize[p]; c += diff.subtreeSize[c]) children += width[c];
    if (children + selfWidth[p] > width[p]) width[p] = children + selfWidth[p];
  }
  const drawable: CallTree = { ...diff, total: width, self: selfWidth };
  const fitted = fitTreeToView(drawable, maxNodes, [diff.baseTotal, diff.newTotal], focusPath);
  return {
    tree: fitted.tree,
    prunedBelow: fitted.prunedBelow,
    focusPath: fitted.focusPath,
    base: fitted.columns[0],
    current: fitted.columns[1],
  };
}
