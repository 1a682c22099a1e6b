// The call tree (flame graph data): the CallTree shape every tree view draws, and the layout and
// pruning rules they share. Trees are built from the profile index (filtered-tree.ts, sandwich.ts,
// diff-tree.ts); test/support/call-tree-oracle.ts keeps the direct profile → tree builder the index
// is checked against.
import { ProfileError, type ValueType } from '../pprof/model';
import { preorderByRank } from '../pprof/tree-order';

/** The call tree the flame graph draws: flat arrays, one entry per node. */
export interface CallTree {
  nodeCount: number;
  /** Depth-first pre-order; node 0 is the root (all samples). The subtree of node i is i .. i+subtreeSize[i]-1. Children appear in ascending order of function name (flamegraph.pl/pprof order). */
  parent: Int32Array;
  depth: Uint16Array;
  subtreeSize: Uint32Array;
  /** Index into funcName/funcFile; -1 for the root. Identity of a node = (parent, function name + file). Inlined frames are their own nodes. */
  func: Int32Array;
  /** The source line with the largest value among the frames merged into this node; 0 if unknown. */
  line: Int32Array;
  total: Float64Array;
  self: Float64Array;
  funcName: string[];
  funcFile: string[];
  maxDepth: number;
  sampleType: ValueType;
}

export function growI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

export function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/** (node, line) → value, for nodes that see more than one line. */
export class LineTable {
  node: Int32Array = new Int32Array(64);
  line: Int32Array = new Int32Array(64);
  value: Float64Array = new Float64Array(64);
  count = 0;
  private table = new Int32Array(128).fill(-1);

  add(node: number, line: number, value: number): void {
    let mask = this.table.length - 1;
    let i = ((Math.imul(node, 0x9e3779b1) ^ Math.imul(line, 0x85ebca6b)) >>> 0) & mask;
    for (;;) {
      const e = this.table[i];
      if (e < 0) break;
      if (this.node[e] === node && this.line[e] === line) {
        this.value[e] += value;
        return;
      }
      i = (i + 1) & mask;
    }
    const e = this.count++;
    if (e === this.node.length) {
      this.node = growI32(this.node, e * 2);
      this.line = growI32(this.line, e * 2);
      this.value = growF64(this.value, e * 2);
    }
    this.node[e] = node;
    this.line[e] = line;
    this.value[e] = value;
    this.table[i] = e;
    if (this.count * 2 > mask) {
      const table = new Int32Array(this.table.length * 2).fill(-1);
      mask = table.length - 1;
      for (let x = 0; x < this.count; x++) {
        let j =
          ((Math.imul(this.node[x], 0x9e3779b1) ^ Math.imul(this.line[x], 0x85ebca6b)) >>> 0) &
          mask;
        while (table[j] >= 0) j = (j + 1) & mask;
        table[j] = x;
      }
      this.table = table;
    }
  }
}

/**
 * Lays out a tree given in creation order (parents before children) as a CallTree: depth-first
 * pre-order, children by ascending (name, file), unused function keys dropped. Node 0 is the root;
 * `depthIn`/`lineIn`/`totalIn`/`selfIn` are indexed like `parentIn`.
 */
export function layout(
  n: number,
  parentIn: Int32Array,
  keyIn: Int32Array,
  depthIn: Int32Array,
  lineIn: Int32Array,
  totalIn: Float64Array,
  selfIn: Float64Array,
  names: string[],
  files: string[],
  sampleType: ValueType,
): CallTree {
  // Rank the function keys by (name, file); compact to the ones in use.
  const used = new Uint8Array(names.length);
  for (let i = 1; i < n; i++) used[keyIn[i]] = 1;
  const usedKeys: number[] = [];
  for (let k = 0; k < names.length; k++) if (used[k]) usedKeys.push(k);
  usedKeys.sort((a, b) =>
    names[a] < names[b]
      ? -1
      : names[a] > names[b]
        ? 1
        : files[a] < files[b]
          ? -1
          : files[a] > files[b]
            ? 1
            : 0,
  );
  const rank = new Int32Array(names.length);
  const funcName: string[] = new Array(usedKeys.length);
  const funcFile: string[] = new Array(usedKeys.length);
  for (let r = 0; r < usedKeys.length; r++) {
    rank[usedKeys[r]] = r;
    funcName[r] = names[usedKeys[r]];
    funcFile[r] = files[usedKeys[r]];
  }

  const funcIn = new Int32Array(n);
  for (let i = 1; i < n; i++) funcIn[i] = rank[keyIn[i]];
  const { order, newIndex } = preorderByRank(n, parentIn, funcIn, usedKeys.length);
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

/**
 * A CallTree from nodes in creation order and their pre-order (`preorderByRank`): `funcIn[i]` is
 * node i's index into `funcName`/`funcFile` (ignored for the root).
 */
export function assembleTree(
  order: Int32Array,
  newIndex: Int32Array,
  parentIn: ArrayLike<number>,
  depthIn: ArrayLike<number>,
  funcIn: ArrayLike<number>,
  lineIn: ArrayLike<number>,
  totalIn: Float64Array,
  selfIn: Float64Array,
  funcName: string[],
  funcFile: string[],
  sampleType: ValueType,
): CallTree {
  const n = order.length;
  const parent = new Int32Array(n);
  const depth = new Uint16Array(n);
  const func = new Int32Array(n);
  const line = new Int32Array(n);
  const total = new Float64Array(n);
  const self = new Float64Array(n);
  let maxDepth = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j];
    const d = depthIn[i];
    if (d > 0xffff)
      throw new ProfileError(`a stack is ${d} frames deep; Go Lens draws at most 65535`);
    if (d > maxDepth) maxDepth = d;
    depth[j] = d;
    parent[j] = j === 0 ? -1 : newIndex[parentIn[i]];
    func[j] = j === 0 ? -1 : funcIn[i];
    line[j] = j === 0 ? 0 : lineIn[i];
    total[j] = totalIn[i];
    self[j] = selfIn[i];
  }
  const subtreeSize = new Uint32Array(n).fill(1);
  for (let j = n - 1; j > 0; j--) subtreeSize[parent[j]] += subtreeSize[j];
  return {
    nodeCount: n,
    parent,
    depth,
    subtreeSize,
    func,
    line,
    total,
    self,
    funcName,
    funcFile,
    maxDepth,
    sampleType,
  };
}

/**
 * The tree without the nodes whose total is below `minFraction` of the root's (and without their
 * descendants), laid out the same way. Self values are kept as they are, so a kept node's
 * children may sum to less than its total. Used to post a huge tree to a webview.
 */
export function pruneCallTree(tree: CallTree, minFraction: number): CallTree {
  return pruneCallTreeWith(tree, minFraction, []).tree;
}

/**
 * `pruneCallTree`, carrying per-node columns along (a diff's base and new totals): returns the
 * pruned tree and each column reduced to the kept nodes, in the pruned tree's order.
 * With a `focus` node (a flame view zoomed into it), its subtree is pruned relative to its own
 * total instead of the root's, and the path to it is always kept.
 */
export function pruneCallTreeWith(
  tree: CallTree,
  minFraction: number,
  columns: readonly Float64Array[],
  focus = 0,
): { tree: CallTree; columns: Float64Array[] } {
  const kept = keptNodes(tree, minFraction, focus, true);
  const m = kept.length;
  const usedFunc = new Int32Array(tree.funcName.length).fill(-1);
  const funcName: string[] = [];
  const funcFile: string[] = [];
  // Function indexes are ranks in name order; keeping that order keeps children sorted.
  for (let j = 1; j < m; j++) usedFunc[tree.func[kept[j]]] = 0;
  for (let f = 0; f < usedFunc.length; f++) {
    if (usedFunc[f] === 0) {
      usedFunc[f] = funcName.length;
      funcName.push(tree.funcName[f]);
      funcFile.push(tree.funcFile[f]);
    }
  }
  const parent = new Int32Array(m);
  const depth = new Uint16Array(m);
  const func = new Int32Array(m);
  const line = new Int32Array(m);
  const total = new Float64Array(m);
  const self = new Float64Array(m);
  const outColumns = columns.map(() => new Float64Array(m));
  let maxDepth = 0;
  // The kept nodes on the path to the current one (a node's kept parent is the nearest whose
  // subtree holds it), so no column as long as the whole tree is needed.
  const path = new Int32Array(m);
  let top = -1;
  for (let j = 0; j < m; j++) {
    const i = kept[j];
    while (top >= 0 && i >= kept[path[top]] + tree.subtreeSize[kept[path[top]]]) top--;
    parent[j] = top < 0 ? -1 : path[top];
    path[++top] = j;
    depth[j] = tree.depth[i];
    if (depth[j] > maxDepth) maxDepth = depth[j];
    func[j] = i === 0 ? -1 : usedFunc[tree.func[i]];
    line[j] = tree.line[i];
    total[j] = tree.total[i];
    self[j] = tree.self[i];
    for (let c = 0; c < columns.length; c++) outColumns[c][j] = columns[c][i];
  }
  const subtreeSize = new Uint32Array(m).fill(1);
  for (let j = m - 1; j > 0; j--) subtreeSize[parent[j]] += subtreeSize[j];
  return {
    tree: {
      nodeCount: m,
      parent,
      depth,
      subtreeSize,
      func,
      line,
      total,
      self,
      funcName,
      funcFile,
      maxDepth,
      sampleType: tree.sampleType,
    },
    columns: outColumns,
  };
}

/**
 * The nodes pruneCallTreeWith keeps, in pre-order (with `list`; else only how many).
 * Pre-order visits parents first, so a node is kept only when its parent was: the subtree of a
 * node left out is skipped whole.
 */
function keptNodes(tree: CallTree, minFraction: number, focus: number, list: true): Int32Array;
function keptNodes(tree: CallTree, minFraction: number, focus: number, list: false): number;
function keptNodes(
  tree: CallTree,
  minFraction: number,
  focus: number,
  list: boolean,
): Int32Array | number {
  const n = tree.nodeCount;
  const total = tree.total;
  const size = tree.subtreeSize;
  const threshold = Math.abs(total[0]) * minFraction;
  const focusThreshold = Math.abs(total[focus]) * minFraction;
  const focusEnd = focus + size[focus];
  const out = list ? new Int32Array(keptNodes(tree, minFraction, focus, false)) : undefined;
  let m = 1;
  let i = 1;
  while (i < n) {
    const onPath = i <= focus && focus < i + size[i];
    const min = i > focus && i < focusEnd ? focusThreshold : threshold;
    if (onPath || Math.abs(total[i]) >= min) {
      if (out !== undefined) out[m] = i;
      m++;
      i++;
    } else i += size[i];
  }
  return out ?? m;
}

/** How many nodes pruneCallTreeWith(tree, minFraction, [], focus) keeps, without making the tree. */
export function countKeptNodes(tree: CallTree, minFraction: number, focus = 0): number {
  return keptNodes(tree, minFraction, focus, false);
}
