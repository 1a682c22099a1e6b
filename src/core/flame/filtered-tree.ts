// Call trees of a profile index for any sample type and filter, in the CallTree shape the flame
// graph draws (the same tree buildCallTree makes from a profile holding just the kept samples,
// with pprof's frame edits applied).
//
// Three ways to build one, cheapest first:
//  - filters that only select samples (focus, ignore, tags) or none: the index's precomputed
//    function tree with this query's values summed through its line slots, then the nodes without
//    value dropped: linear passes, no hashing;
//  - filters that edit stacks (hide, show, show_from, prune_from, pruneRuntime): the location trie
//    walked once, each node's kept frames appended under its parent's function node;
//  - inverted trees: every distinct (filtered) stack end walked leafward to the root.
import type { ProfileIndex } from '../pprof/profile-index';
import { evaluate, type Evaluation, type ProfileQuery } from '../pprof/evaluate';
import type { ValueType } from '../pprof/model';
import { preorderByRank } from '../pprof/tree-order';
import { Trie } from '../pprof/trie';
import { assembleTree, LineTable, type CallTree } from './call-tree';
import { fitTreeToView } from './view-tree';

/** Options of `filteredCallTree`. */
export interface FilteredTreeOptions {
  /** Bottom-up: leaf functions at depth 1, their callers below them. */
  inverted?: boolean;
}

/**
 * The call tree of a query: one sample type, with the filter applied; top-down or inverted.
 * The result has exactly the CallTree layout (pre-order, siblings in (name, file) order, node 0
 * the root of all kept samples), so the flame graph draws it unchanged. Nothing is cached here
 * (the worker keeps recent results, src/worker/profile-cache.ts), and an unfiltered tree shares
 * its structure columns with the index: callers must not modify them.
 * Throws FilterError for an invalid filter, RangeError for a sample type the profile lacks.
 */
export function filteredCallTree(
  index: ProfileIndex,
  query: ProfileQuery,
  options: FilteredTreeOptions = {},
): CallTree {
  return treeOfEvaluation(evaluate(index, query), options.inverted === true);
}

/**
 * `filteredCallTree`, small enough to post to a webview (view-tree.ts's fitTreeToView): when the
 * tree has more than `maxNodes` nodes, the nodes below a fraction of the root's total are left
 * out, the fraction raised ×4 at a time from 1e-7 until it fits.
 * `prunedBelow` is the fraction used (0 when nothing was left out), so the view can say so.
 */
export function filteredTreeForView(
  index: ProfileIndex,
  query: ProfileQuery,
  options: FilteredTreeOptions & { maxNodes: number },
): { tree: CallTree; prunedBelow: number } {
  const { tree, prunedBelow } = fitTreeToView(
    filteredCallTree(index, query, options),
    options.maxNodes,
  );
  return { tree, prunedBelow };
}

/**
 * Below this share of the stacks kept, a top-down tree is built from the kept stacks' trie
 * nodes (work proportional to them) rather than by sweeping the whole precomputed tree.
 */
const SPARSE_SHARE = 1 / 8;

/**
 * The tree of an evaluation: the entry point for the worker's cache and for diffs, which scale
 * values. `force`
 * picks the sparse or the dense builder for filters that only select stacks (tests compare them;
 * both give the same tree).
 */
export function treeOfEvaluation(
  ev: Evaluation,
  inverted: boolean,
  force?: 'sparse' | 'dense',
): CallTree {
  if (inverted) return invertedTree(ev);
  if (ev.structural) return generalTree(ev);
  const sparse = force ? force === 'sparse' : ev.keptStacks < ev.index.stackCount * SPARSE_SHARE;
  return sparse ? sparseTree(ev) : fastTree(ev);
}

/**
 * The precomputed function tree with this evaluation's values; nodes without value dropped.
 * Self values come from the stacks, totals from a backward sweep (pre-order puts children after
 * parents), and lines from the index: fixed for nodes whose frames have one line, the largest of
 * the query's line values (from the trie totals) for the others, as buildCallTree picks them.
 */
function fastTree(ev: Evaluation): CallTree {
  const index = ev.index;
  const F = index.treeCount;
  const signed = ev.prefixAbs !== ev.prefix;
  const stackTree = index.stackTree;
  const stackVal = ev.stackVal;
  const D = index.stackCount;
  const stackAbs = ev.stackAbs;
  const self = new Float64Array(F);
  const selfAbs = signed ? new Float64Array(F) : self;
  for (let d = 0; d < D; d++) {
    if (stackAbs[d] === 0) continue;
    self[stackTree[d]] += stackVal[d];
    if (signed) selfAbs[stackTree[d]] += stackAbs[d];
  }
  // Totals: self plus children, children first (backwards in pre-order).
  const treeParent = index.treeParent;
  const total = new Float64Array(F);
  for (let i = F - 1; i > 0; i--) {
    const t = total[i] + self[i];
    total[i] = t;
    total[treeParent[i]] += t;
  }
  total[0] += self[0];
  let abs = total;
  if (signed) {
    abs = new Float64Array(F);
    for (let i = F - 1; i > 0; i--) {
      const t = abs[i] + selfAbs[i];
      abs[i] = t;
      abs[treeParent[i]] += t;
    }
  }

  const multiLine = index.multiLine;
  const multiStart = index.multiStart;
  const mv = new Float64Array(multiLine.length);
  const ma = signed ? new Float64Array(multiLine.length) : mv;
  const men = index.multiEntryNode;
  const mel = index.multiEntryLine;
  // Node totals from the prefix sums over the stacks (stacks are in trie order).
  const P = ev.prefix!;
  const PA = ev.prefixAbs!;
  const nss = index.nodeStackStart;
  const nodeSize = index.nodeSize;
  for (let j = 0; j < men.length; j++) {
    const n = men[j];
    const lo = nss[n];
    const hi = nss[n + nodeSize[n]];
    mv[mel[j]] += P[hi] - P[lo];
    if (signed) ma[mel[j]] += PA[hi] - PA[lo];
  }

  // Lines: fixed for single-line nodes; for the others the line with the largest value.
  const line = index.treeLine.slice();
  const multiNode = index.multiNode;
  for (let k = 0; k < multiNode.length; k++) {
    let bestLine = 0;
    let bestValue = -Infinity;
    for (let s = multiStart[k]; s < multiStart[k + 1]; s++) {
      if (ma[s] === 0) continue;
      const v = mv[s];
      if (v > bestValue || (v === bestValue && multiLine[s] < bestLine)) {
        bestValue = v;
        bestLine = multiLine[s];
      }
    }
    line[multiNode[k]] = bestLine;
  }
  line[0] = 0;

  // Kept nodes: those some kept stack passes through. Dropping a node drops its subtree (a node's
  // value is part of its parent's), so pre-order survives.
  const treeSize = index.treeSize;
  let m = F;
  for (let i = 1; i < F; i++) {
    if (abs[i] !== 0) continue;
    m -= treeSize[i];
    i += treeSize[i] - 1;
  }
  const sampleType = sampleTypeOf(ev);
  if (m === F) {
    // Every node kept (the common case of an unfiltered tree): the structure is the index's own.
    return {
      nodeCount: F,
      parent: treeParent,
      depth: index.treeDepth,
      subtreeSize: treeSize,
      func: index.treeFunc,
      line,
      total,
      self,
      funcName: index.treeFuncName.slice(),
      funcFile: index.treeFuncFile.slice(),
      maxDepth: index.treeMaxDepth,
      sampleType,
    };
  }

  // Compaction, with the function columns reduced to the functions in use (in rank order, so
  // siblings stay sorted).
  const newIndex = new Int32Array(F);
  const out = {
    parent: new Int32Array(m),
    depth: new Uint16Array(m),
    func: new Int32Array(m),
    line: new Int32Array(m),
    total: new Float64Array(m),
    self: new Float64Array(m),
  };
  const C = index.treeFuncName.length;
  const treeFunc = index.treeFunc;
  const treeDepth = index.treeDepth;
  const keep = new Uint8Array(F);
  keep[0] = 1;
  for (let i = 1; i < F; i++) {
    if (abs[i] === 0) i += treeSize[i] - 1;
    else keep[i] = 1;
  }
  const compactOf = new Int32Array(C).fill(-1);
  for (let i = 1; i < F; i++) if (keep[i]) compactOf[treeFunc[i]] = 0;
  const funcName: string[] = [];
  const funcFile: string[] = [];
  for (let c = 0; c < C; c++) {
    if (compactOf[c] < 0) continue;
    compactOf[c] = funcName.length;
    funcName.push(index.treeFuncName[c]);
    funcFile.push(index.treeFuncFile[c]);
  }
  out.parent[0] = -1;
  out.func[0] = -1;
  out.total[0] = total[0];
  out.self[0] = self[0];
  let maxDepth = 0;
  let j = 1;
  for (let i = 1; i < F; i++) {
    if (!keep[i]) continue;
    newIndex[i] = j;
    out.parent[j] = newIndex[treeParent[i]];
    const d = treeDepth[i];
    out.depth[j] = d;
    if (d > maxDepth) maxDepth = d;
    out.func[j] = compactOf[treeFunc[i]];
    out.line[j] = line[i];
    out.total[j] = total[i];
    out.self[j] = self[i];
    j++;
  }
  const subtreeSize = new Uint32Array(m).fill(1);
  for (let q = m - 1; q > 0; q--) subtreeSize[out.parent[q]] += subtreeSize[q];
  return { nodeCount: m, ...out, subtreeSize, funcName, funcFile, maxDepth, sampleType };
}

function sampleTypeOf(ev: Evaluation): ValueType {
  return ev.index.profile.sampleTypes[ev.sampleType];
}

/**
 * A call tree under construction: a trie keyed by function rank, with totals and the value of
 * each line seen per node (to pick each node's line as buildCallTree does).
 */
export class TreeBuilder {
  readonly trie: Trie;
  private depth: Int32Array;
  private line1: Int32Array;
  private line1Value: Float64Array;
  private readonly extra = new LineTable();
  private seen = 1;

  constructor(
    private readonly index: ProfileIndex,
    capacity: number,
  ) {
    this.trie = new Trie(Math.max(16, capacity));
    const cap = this.trie.capacity;
    this.depth = new Int32Array(cap);
    this.line1 = new Int32Array(cap);
    this.line1Value = new Float64Array(cap);
  }

  /** The child of `p` for function key `key` seen at `line`, with `value` added to its total. */
  add(p: number, key: number, line: number, value: number): number {
    const n = this.trie.child(p, this.index.funcRank[key]);
    if (n >= this.seen) {
      if (n >= this.depth.length) {
        const cap = this.trie.capacity;
        const d = new Int32Array(cap);
        d.set(this.depth);
        this.depth = d;
        const l = new Int32Array(cap);
        l.set(this.line1);
        this.line1 = l;
        const v = new Float64Array(cap);
        v.set(this.line1Value);
        this.line1Value = v;
      }
      this.depth[n] = this.depth[p] + 1;
      this.line1[n] = line;
      this.line1Value[n] = 0;
      this.seen = n + 1;
    }
    this.trie.total[n] += value;
    if (this.line1[n] === line) this.line1Value[n] += value;
    else this.extra.add(n, line, value);
    return n;
  }

  /** Adds `value` to node n's self value. */
  addSelf(n: number, value: number): void {
    this.trie.self[n] += value;
  }

  /** Sets the root's total and self (the root is not added through `add`). */
  setRoot(total: number, self: number): void {
    this.trie.total[0] = total;
    this.trie.self[0] = self;
  }

  /** Lays the tree out as a CallTree (pre-order, siblings by function rank). */
  finish(sampleType: ValueType): CallTree {
    const n = this.trie.count;
    const total = this.trie.total;
    const self = this.trie.self;
    const { parent: parentIn, key: rankIn } = this.trie.finish();
    const bestLine = new Int32Array(n);
    const bestValue = new Float64Array(n);
    for (let i = 1; i < n; i++) {
      bestLine[i] = this.line1[i];
      bestValue[i] = this.line1Value[i];
    }
    const ex = this.extra;
    for (let e = 0; e < ex.count; e++) {
      const node = ex.node[e];
      const v = ex.value[e];
      const l = ex.line[e];
      if (v > bestValue[node] || (v === bestValue[node] && l < bestLine[node])) {
        bestValue[node] = v;
        bestLine[node] = l;
      }
    }
    return layoutByRank(
      this.index,
      n,
      parentIn,
      rankIn,
      this.depth,
      bestLine,
      total,
      self,
      sampleType,
    );
  }
}

/**
 * Lays out a tree given in creation order (parents first) whose keys are function ranks:
 * pre-order, siblings in rank order, unused functions dropped. Like call-tree.ts's layout, but the
 * ranks are the index's, so no names are sorted.
 */
function layoutByRank(
  index: ProfileIndex,
  n: number,
  parentIn: Int32Array,
  rankIn: Int32Array,
  depthIn: Int32Array,
  lineIn: Int32Array,
  totalIn: Float64Array,
  selfIn: Float64Array,
  sampleType: ValueType,
): CallTree {
  const K = index.funcCount;
  const used = new Uint8Array(K);
  for (let i = 1; i < n; i++) used[rankIn[i]] = 1;
  const compactOf = new Int32Array(K);
  const funcName: string[] = [];
  const funcFile: string[] = [];
  for (let r = 0; r < K; r++) {
    if (!used[r]) continue;
    compactOf[r] = funcName.length;
    const k = index.rankFunc[r];
    funcName.push(index.funcName[k]);
    funcFile.push(index.funcFile[k]);
  }
  const funcIn = new Int32Array(n);
  for (let i = 1; i < n; i++) funcIn[i] = compactOf[rankIn[i]];
  const { order, newIndex } = preorderByRank(n, parentIn, funcIn, funcName.length);
  return assembleTree(
    order,
    newIndex,
    parentIn,
    depthIn,
    funcIn,
    lineIn,
    totalIn,
    selfIn,
    funcName,
    funcFile,
    sampleType,
  );
}

/** Top-down tree of an evaluation whose filter edits stacks: the trie walked once. */
function generalTree(ev: Evaluation): CallTree {
  const index = ev.index;
  const N = index.nodeCount;
  const size = index.nodeSize;
  const parent = index.nodeParent;
  const total = ev.nodeTotal!;
  const abs = ev.nodeAbs!;
  const effLeaf = ev.effLeaf!;
  const cs = ev.chainStart;
  const cx = ev.chainX;
  const xFunc = index.xFunc;
  const xLine = index.xLine;
  const b = new TreeBuilder(index, index.treeCount);
  const treeOf = new Int32Array(N);
  for (let n = 1; n < N; n++) {
    if (abs[n] === 0) {
      n += size[n] - 1;
      continue;
    }
    let p = treeOf[parent[n]];
    const v = total[n];
    for (let e = cs[n]; e < cs[n + 1]; e++) p = b.add(p, xFunc[cx[e]], xLine[cx[e]], v);
    treeOf[n] = p;
  }
  let rootSelf = 0;
  for (let d = 0; d < index.stackCount; d++) {
    const x = effLeaf[d];
    if (x < 0) continue;
    const t = treeOf[x];
    if (t === 0) rootSelf += ev.stackVal[d];
    else b.addSelf(t, ev.stackVal[d]);
  }
  b.setRoot(total[0], rootSelf);
  return b.finish(sampleTypeOf(ev));
}

/**
 * The trie nodes where kept stacks end (after filters), ascending, with the summed value and
 * Σ|value| of the stacks ending at each.
 */
export function valuesAtLeaves(ev: Evaluation): {
  nodes: Int32Array;
  value: Float64Array;
  abs: Float64Array;
} {
  const D = ev.index.stackCount;
  const at = ev.effLeaf ?? ev.index.stackNode;
  const keep = (d: number): boolean => (ev.effLeaf ? ev.effLeaf[d] >= 0 : ev.stackAbs[d] !== 0);
  let order: Int32Array | null = null;
  if (ev.effLeaf) {
    // Cut stacks land on other nodes: sort the kept ones by node.
    const list: number[] = [];
    for (let d = 0; d < D; d++) if (keep(d)) list.push(d);
    order = Int32Array.from(list).sort((a, b) => at[a] - at[b]);
  }
  const count = order ? order.length : D;
  const nodes: number[] = [];
  const value: number[] = [];
  const abs: number[] = [];
  for (let i = 0; i < count; i++) {
    const d = order ? order[i] : i;
    if (!order && !keep(d)) continue;
    const x = at[d];
    if (nodes.length === 0 || nodes[nodes.length - 1] !== x) {
      nodes.push(x);
      value.push(0);
      abs.push(0);
    }
    value[value.length - 1] += ev.stackVal[d];
    abs[abs.length - 1] += ev.stackAbs[d];
  }
  return {
    nodes: Int32Array.from(nodes),
    value: Float64Array.from(value),
    abs: Float64Array.from(abs),
  };
}

/**
 * Top-down tree of an evaluation that keeps few stacks, built from the kept stacks' trie nodes:
 * stacks are in trie order, so each one only adds the part of its path not yet on the current
 * path (found by walking up to an open ancestor), and the work is proportional to the kept paths.
 */
function sparseTree(ev: Evaluation): CallTree {
  const index = ev.index;
  const size = index.nodeSize;
  const parent = index.nodeParent;
  const nss = index.nodeStackStart;
  const stackNode = index.stackNode;
  const P = ev.prefix!;
  const cs = index.chainStart;
  const cx = index.chainX;
  const xFunc = index.xFunc;
  const xLine = index.xLine;
  const stackVal = ev.stackVal;
  const stackAbs = ev.stackAbs;
  const b = new TreeBuilder(index, 1024);
  // The path from the root to the last node added, with each node's tree node.
  const pathNode = new Int32Array(index.nodeMaxDepth + 2);
  const pathTree = new Int32Array(index.nodeMaxDepth + 2);
  const climb = new Int32Array(index.nodeMaxDepth + 1);
  let sp = 1;
  let rootSelf = 0;
  for (let d = 0; d < index.stackCount; d++) {
    if (stackAbs[d] === 0) continue;
    const x = stackNode[d];
    if (x === 0) {
      rootSelf += stackVal[d];
      continue;
    }
    if (pathNode[sp - 1] !== x) {
      // Close the path down to an ancestor of x, then open x's missing ancestors top-down.
      while (sp > 1 && !(pathNode[sp - 1] < x && x < pathNode[sp - 1] + size[pathNode[sp - 1]]))
        sp--;
      let k = 0;
      for (let n = x; n !== pathNode[sp - 1]; n = parent[n]) climb[k++] = n;
      while (k > 0) {
        const n = climb[--k];
        const v = P[nss[n + size[n]]] - P[nss[n]];
        let t = pathTree[sp - 1];
        for (let e = cs[n]; e < cs[n + 1]; e++) t = b.add(t, xFunc[cx[e]], xLine[cx[e]], v);
        pathNode[sp] = n;
        pathTree[sp++] = t;
      }
    }
    b.addSelf(pathTree[sp - 1], stackVal[d]);
  }
  b.setRoot(ev.total, rootSelf);
  return b.finish(sampleTypeOf(ev));
}

/** Bottom-up tree: every stack end walked to the root, frames innermost first. */
function invertedTree(ev: Evaluation): CallTree {
  const index = ev.index;
  const parent = index.nodeParent;
  const cs = ev.chainStart;
  const cx = ev.chainX;
  const xFunc = index.xFunc;
  const xLine = index.xLine;
  const leaves = valuesAtLeaves(ev);
  // Start small: a filtered inverted tree is often a fraction of the whole; the trie grows.
  const b = new TreeBuilder(index, Math.min(index.treeCount, 1024 + leaves.nodes.length * 8));
  let rootSelf = 0;
  for (let i = 0; i < leaves.nodes.length; i++) {
    const x = leaves.nodes[i];
    const v = leaves.value[i];
    let p = 0;
    for (let n = x; n > 0; n = parent[n]) {
      for (let e = cs[n + 1] - 1; e >= cs[n]; e--) p = b.add(p, xFunc[cx[e]], xLine[cx[e]], v);
    }
    if (p === 0) rootSelf += v;
    else b.addSelf(p, v);
  }
  b.setRoot(ev.total, rootSelf);
  return b.finish(sampleTypeOf(ev));
}
