// The call tree (flame graph data) of one sample type of a profile.
//
// Built in four steps, each linear and none creating an object per sample or per node:
//  1. samples are deduplicated by stack (their location sequence), summing values;
//  2. the distinct stacks are inserted into a trie of locations (a stack shares its prefix with the
//     previous one more often than not, and that shared part costs no lookups);
//  3. each location-trie node is expanded into its frames (inlined functions are their own frames)
//     and merged into the function tree, whose node identity is (parent, function name + file);
//     this touches each location-trie node once instead of each frame of each sample;
//  4. the function tree is laid out depth-first with children in name order.
import { unnamedFrameName } from '../pprof/folded';
import { clampLine, ProfileError, type Profile, type ValueType } from '../pprof/model';
import { finishHash, preorderByRank, radixOrder } from '../pprof/tree-order';
import { Trie } from '../pprof/trie';

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

/** What `buildCallTree` builds. */
export interface CallTreeOptions {
  /** Index into `profile.sampleTypes`. */
  sampleType: number;
  /** Bottom-up: leaf functions at depth 1, their callers below them. */
  inverted?: boolean;
}

/**
 * The function keys of a profile: frames of functions with the same name and file share a key.
 * `frameKey[f]` is the key of frame f; `addressKey[l]` the key of location l when it has no
 * frames (unsymbolized: named by its address, as pprof does), else -1.
 */
interface FuncKeys {
  name: string[];
  file: string[];
  frameKey: Int32Array;
  addressKey: Int32Array;
}

function buildFuncKeys(p: Profile): FuncKeys {
  const name: string[] = [];
  const file: string[] = [];
  const byText = new Map<string, number>();
  const keyOf = (n: string, f: string): number => {
    const text = n + '\u0000' + f;
    let k = byText.get(text);
    if (k === undefined) {
      k = name.length;
      name.push(n);
      file.push(f);
      byText.set(text, k);
    }
    return k;
  };
  const fnKey = new Int32Array(p.functions.count);
  for (let i = 0; i < p.functions.count; i++) fnKey[i] = keyOf(p.functions.name[i], p.functions.filename[i]);
  const frameKey = new Int32Array(p.frames.count);
  const addressKey = new Int32Array(p.locations.count).fill(-1);
  for (let l = 0; l < p.locations.count; l++) {
    const f0 = p.locations.firstFrame[l];
    const n = p.locations.frameCount[l];
    if (n === 0) addressKey[l] = keyOf(unnamedFrameName(p, l), '');
    for (let i = f0; i < f0 + n; i++) {
      const f = p.frames.function[i];
      frameKey[i] = f >= 0 ? fnKey[f] : keyOf(unnamedFrameName(p, l), '');
    }
  }
  return { name, file, frameKey, addressKey };
}

/**
 * Builds the call tree of one sample type. Samples whose value is 0 for that type are left out;
 * a profile with no samples gives a tree of just the root.
 */
export function buildCallTree(profile: Profile, options: CallTreeOptions): CallTree {
  const nTypes = profile.sampleTypes.length;
  const t = options.sampleType;
  if (!(Number.isInteger(t) && t >= 0 && t < nTypes)) {
    throw new RangeError(`sample type ${t} does not exist; the profile has ${nTypes} (${profile.sampleTypes.map((v) => v.type).join(', ')})`);
  }
  const inverted = options.inverted === true;
  const samples = profile.samples;
  const ss = samples.stackStart;
  const sl = samples.stackLocations;
  const vals = samples.values;

  // 1. Distinct stacks: an open-addressing table of representative samples. Each stack is hashed
  // in trie-insertion order; the hash of all but its last location is kept for step 2.
  let tableSize = 16;
  while (tableSize < samples.count * 2) tableSize *= 2;
  const table = new Int32Array(tableSize).fill(-1);
  const mask = tableSize - 1;
  const rep = new Int32Array(samples.count);
  const repHash = new Int32Array(samples.count);
  const prefixHash = new Int32Array(samples.count);
  const dValue = new Float64Array(samples.count);
  let nd = 0;
  let maxLen = 0;
  for (let s = 0; s < samples.count; s++) {
    const v = vals[s * nTypes + t];
    if (v === 0) continue;
    const a = ss[s];
    const b = ss[s + 1];
    const len = b - a;
    let h = 0x9747b28c;
    let hp = h;
    if (inverted) {
      for (let i = a; i < b; i++) {
        hp = h;
        h = Math.imul(h ^ sl[i], 0x01000193);
        h ^= h >>> 15;
      }
    } else {
      for (let i = b - 1; i >= a; i--) {
        hp = h;
        h = Math.imul(h ^ sl[i], 0x01000193);
        h ^= h >>> 15;
      }
    }
    h = finishHash(h ^ len);
    let i = h & mask;
    for (;;) {
      const d = table[i];
      if (d < 0) {
        table[i] = nd;
        rep[nd] = s;
        repHash[nd] = h;
        prefixHash[nd] = finishHash(hp ^ (len - 1));
        dValue[nd] = v;
        nd++;
        if (len > maxLen) maxLen = len;
        break;
      }
      if (repHash[d] === h) {
        const ra = ss[rep[d]];
        if (ss[rep[d] + 1] - ra === len) {
          let k = 0;
          while (k < len && sl[ra + k] === sl[a + k]) k++;
          if (k === len) {
            dValue[d] += v;
            break;
          }
        }
      }
      i = (i + 1) & mask;
    }
  }

  // 2. The location trie, root-first (leaf-first when inverted). `path[k]` is the trie node after
  // the first k locations of the previous stack; the common prefix with it is reused as is.
  // Stacks are visited grouped by everything but their last location, so stacks that differ only
  // in the leaf PC (the common case) come together and cost one lookup each.
  const order = radixOrder(prefixHash, nd);
  const lt = new Trie(Math.max(16, nd * 2));
  const path = new Int32Array(maxLen + 1);
  const prevLocs = new Int32Array(maxLen);
  const curLocs = new Int32Array(maxLen);
  let prevLen = 0;
  for (let j = 0; j < nd; j++) {
    const d = order[j];
    const s = rep[d];
    const a = ss[s];
    const len = ss[s + 1] - a;
    if (inverted) for (let k = 0; k < len; k++) curLocs[k] = sl[a + k];
    else for (let k = 0; k < len; k++) curLocs[k] = sl[a + len - 1 - k];
    let k = 0;
    const limit = len < prevLen ? len : prevLen;
    while (k < limit && curLocs[k] === prevLocs[k]) k++;
    let node = path[k];
    for (; k < len; k++) {
      node = lt.child(node, curLocs[k]);
      path[k + 1] = node;
      prevLocs[k] = curLocs[k];
    }
    prevLen = len;
    lt.self[node] += dValue[d];
  }
  const ltCount = lt.count;
  const { parent: ltParent, key: ltLoc } = lt.finish();
  const ltSelf = lt.self;
  const ltTotal = lt.total;
  for (let i = 0; i < ltCount; i++) ltTotal[i] = ltSelf[i];
  // Children are created after their parents, so one backward sweep sums subtrees.
  for (let i = ltCount - 1; i > 0; i--) ltTotal[ltParent[i]] += ltTotal[i];

  // 3. The function tree. Each location expands to its frames: innermost first in the profile,
  // so root-first order walks them backwards.
  const keys = buildFuncKeys(profile);
  const firstFrame = profile.locations.firstFrame;
  const frameCount = profile.locations.frameCount;
  const frameLine = profile.frames.line;
  const ft = new Trie(ltCount + (ltCount >> 2));
  let ftDepth: Int32Array = new Int32Array(ft.capacity);
  // Line values per node: the first line seen in a slot, others in a side table; almost every
  // node sees one line from any one location-trie node, so the side table stays small.
  let line1: Int32Array = new Int32Array(ft.capacity);
  let line1Value: Float64Array = new Float64Array(ft.capacity);
  const extra = new LineTable();
  const ftOfLt = new Int32Array(ltCount);
  let nodesSeen = 1;
  const addFrame = (p: number, key: number, line: number, value: number): number => {
    const n = ft.child(p, key);
    if (n >= nodesSeen) {
      if (n >= ftDepth.length) {
        const cap = ft.capacity;
        ftDepth = growI32(ftDepth, cap);
        line1 = growI32(line1, cap);
        line1Value = growF64(line1Value, cap);
      }
      ftDepth[n] = ftDepth[p] + 1;
      line1[n] = line;
      line1Value[n] = 0;
      nodesSeen = n + 1;
    }
    ft.total[n] += value;
    if (line1[n] === line) line1Value[n] += value;
    else extra.add(n, line, value);
    return n;
  };
  for (let i = 1; i < ltCount; i++) {
    let p = ftOfLt[ltParent[i]];
    const loc = ltLoc[i];
    const value = ltTotal[i];
    const nf = frameCount[loc];
    if (nf === 0) p = addFrame(p, keys.addressKey[loc], 0, value);
    else if (inverted) {
      const f0 = firstFrame[loc];
      for (let f = f0; f < f0 + nf; f++) p = addFrame(p, keys.frameKey[f], clampLine(frameLine[f]), value);
    } else {
      const f0 = firstFrame[loc];
      for (let f = f0 + nf - 1; f >= f0; f--) p = addFrame(p, keys.frameKey[f], clampLine(frameLine[f]), value);
    }
    ft.self[p] += ltSelf[i];
    ftOfLt[i] = p;
  }
  const n = ft.count;
  const { parent: ftParent, key: ftKey } = ft.finish();
  ft.total[0] = ltTotal[0];
  ft.self[0] = ltSelf[0];

  // The line of each node: the one with the largest value (ties: the smaller line).
  const bestLine = new Int32Array(n);
  const bestValue = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    bestLine[i] = line1[i];
    bestValue[i] = line1Value[i];
  }
  for (let e = 0; e < extra.count; e++) {
    const node = extra.node[e];
    const v = extra.value[e];
    const l = extra.line[e];
    if (v > bestValue[node] || (v === bestValue[node] && l < bestLine[node])) {
      bestValue[node] = v;
      bestLine[node] = l;
    }
  }

  return layout(n, ftParent, ftKey, ftDepth, bestLine, ft.total, ft.self, keys.name, keys.file, profile.sampleTypes[t]);
}

function growI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function growF64(a: Float64Array, cap: number): Float64Array {
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
        let j = ((Math.imul(this.node[x], 0x9e3779b1) ^ Math.imul(this.line[x], 0x85ebca6b)) >>> 0) & mask;
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
  usedKeys.sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : files[a] < files[b] ? -1 : files[a] > files[b] ? 1 : 0));
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
  return assembleTree(order, newIndex, parentIn, depthIn, funcIn, lineIn, totalIn, selfIn, funcName, funcFile, sampleType);
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
    if (d > 0xffff) throw new ProfileError(`a stack is ${d} frames deep; Go Lens draws at most 65535`);
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
  return { nodeCount: n, parent, depth, subtreeSize, func, line, total, self, funcName, funcFile, maxDepth, sampleType };
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
export function pruneCallTreeWith(tree: CallTree, minFraction: number, columns: readonly Float64Array[], focus = 0): { tree: CallTree; columns: Float64Array[] } {
  const n = tree.nodeCount;
  const threshold = Math.abs(tree.total[0]) * minFraction;
  const focusThreshold = Math.abs(tree.total[focus]) * minFraction;
  const focusEnd = focus + tree.subtreeSize[focus];
  const keep = new Int32Array(n).fill(-1);
  keep[0] = 0;
  let m = 1;
  // Pre-order visits parents first, so a node is kept only when its parent was.
  for (let i = 1; i < n; i++) {
    if (keep[tree.parent[i]] < 0) continue;
    const onPath = i <= focus && focus < i + tree.subtreeSize[i];
    const min = i > focus && i < focusEnd ? focusThreshold : threshold;
    if (onPath || Math.abs(tree.total[i]) >= min) keep[i] = m++;
  }
  const usedFunc = new Int32Array(tree.funcName.length).fill(-1);
  const funcName: string[] = [];
  const funcFile: string[] = [];
  // Function indexes are ranks in name order; keeping that order keeps children sorted.
  for (let i = 1; i < n; i++) if (keep[i] >= 0) usedFunc[tree.func[i]] = 0;
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
  for (let i = 0; i < n; i++) {
    const j = keep[i];
    if (j < 0) continue;
    parent[j] = i === 0 ? -1 : keep[tree.parent[i]];
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
    tree: { nodeCount: m, parent, depth, subtreeSize, func, line, total, self, funcName, funcFile, maxDepth, sampleType: tree.sampleType },
    columns: outColumns,
  };
}
