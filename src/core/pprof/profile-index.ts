// The profile index: what the interactive views (filtered flame graphs, the top table, the
// sandwich, per-line costs, diffs) need, built once when a profile is loaded, so that each view
// costs a few passes over typed arrays — or only over the part of the profile it is about —
// instead of a rebuild from a million samples.
//
// It holds, all in typed arrays:
//  - the function keys: one per distinct (function name, file), the identity call-tree.ts uses;
//  - "xframes": every Location's Lines, innermost first, plus one pseudo-frame for each Location
//    without Lines (named by its address, as the call tree names it), each with its function key,
//    line, (file, line) id and the name pprof's -top prints for it;
//  - the distinct stacks (samples deduplicated by location sequence, labels ignored) with their
//    values for every sample type (type-major columns and their prefix sums), and sample → stack;
//  - the location trie: the distinct stacks as a trie of locations, root first, in depth-first
//    pre-order (a node's subtree is the index range [n, n + nodeSize[n])), siblings in function
//    order. Stacks are numbered in the order of their trie nodes, so the stacks through a node are
//    a contiguous range and its total is a difference of two prefix sums;
//  - the full function tree: the call tree of all samples, laid out as buildCallTree lays out
//    trees (pre-order, children in (name, file) order), with each node's line when all its frames
//    have one line. A call tree for one sample type, unfiltered or with filters that only select
//    samples, is this tree with new values: no hashing, no sorting;
//  - lookups that let a view start from what it is about: location → trie nodes, function →
//    locations, file → frames (with first-occurrence flags for cum), stack → leaf frame;
//  - the unfiltered top table of every sample type.
import { unnamedFrameName } from './folded';
import { clampLine, ProfileError, type Profile } from './model';
import {
  finishHash,
  preorderByDistinctRank,
  preorderByRank,
  preorderOfChildren,
  preorderOfNearlySorted,
  radixOrder,
} from './tree-order';
import { SiblingTrie } from './sibling-trie';
import { Trie } from './trie';
import { lowerBound, upperBound } from '../binary-search';

/**
 * The index of one profile, built by `indexProfile`. Read-only once built; the functions of
 * filter.ts, top.ts, source-costs.ts, diff.ts and flame/filtered-tree.ts take it. Fields below the
 * first group are the index's internals, documented for those modules.
 */
export interface ProfileIndex {
  readonly profile: Profile;
  /** `profile.sampleTypes.length`. */
  readonly sampleTypeCount: number;

  /** Function keys: one per distinct (name, file). Frames without a function are `??`; locations without Lines are named by their address. */
  readonly funcCount: number;
  readonly funcName: string[];
  readonly funcFile: string[];
  /** The smallest nonzero `start_line` of the profile functions with this key; 0 when unknown. */
  readonly funcStartLine: Float64Array;
  /** 1 when the key comes from a profile Function (not `??` or an address). */
  readonly funcHasFunction: Uint8Array;
  /** Rank of each key in (name, file) order, and the key of each rank: the order of siblings in a CallTree. */
  readonly funcRank: Int32Array;
  readonly rankFunc: Int32Array;
  /** Distinct function names and files, and each key's name id and file id (regexps are tested once per distinct string). */
  readonly names: string[];
  readonly funcNameId: Int32Array;
  readonly files: string[];
  readonly funcFileId: Int32Array;

  /** Location `l` owns xframes `locFrameStart[l] .. locFrameStart[l+1]-1`, innermost first. */
  readonly locFrameStart: Uint32Array;
  readonly xFunc: Int32Array;
  /** The frame's line (0 when unknown). */
  readonly xLine: Int32Array;
  /** 1 when the frame's Line has a Function (pprof's filters only look at those). */
  readonly xHasFunction: Uint8Array;
  /** Index of the frame's profile Function, or -1. */
  readonly xFunction: Int32Array;
  /** The (file, line) id of the frame (into `lineFile`/`lineNo`), or -1 when it has no file. */
  readonly xLineId: Int32Array;
  readonly lineFile: Int32Array;
  readonly lineNo: Int32Array;
  /** The name `go tool pprof -top` prints for the frame (an index into `topNames`): the function name, or `[binary]`/`<unknown>` for frames without one. */
  readonly xTopName: Int32Array;
  readonly topNames: string[];

  /** The distinct stack of each sample. Stacks are numbered in trie order of their ends (so loops over stacks touch the trees front to back). */
  readonly sampleStack: Uint32Array;
  readonly stackCount: number;
  /** Location-trie node where each stack ends (0 for an empty stack), ascending. */
  readonly stackNode: Int32Array;
  /** Function-tree node where each stack ends (its leaf frame's node; 0 for an empty stack). */
  readonly stackTree: Int32Array;
  /** Summed sample values, type-major: stack `d`, type `t` at `t * stackCount + d` (one type's column is a subarray). */
  readonly stackValues: Float64Array;
  /** True when some sample value is negative (then trees need absolute sums to know which nodes exist). */
  readonly hasNegative: boolean;
  /**
   * With negative values: Σ|value| per stack and type (laid out as stackValues). A stack whose
   * samples cancel out still exists in the call tree (buildCallTree keeps every nonzero sample);
   * otherwise `stackValues` itself.
   */
  readonly stackAbs: Float64Array;
  /**
   * Prefix sums of each type's column (type t's `stackCount + 1` sums at `t * (stackCount + 1)`):
   * an unfiltered query's node totals need no pass at all. `stackPrefixAbs` likewise for
   * `stackAbs` (the same array when no value is negative).
   */
  readonly stackPrefix: Float64Array;
  readonly stackPrefixAbs: Float64Array;

  /** The location trie in pre-order. Node 0 is the root (no location). */
  readonly nodeCount: number;
  readonly nodeParent: Int32Array;
  readonly nodeLoc: Int32Array;
  readonly nodeSize: Uint32Array;
  /** Depth of the deepest node (the root is 0). */
  readonly nodeMaxDepth: number;
  /**
   * Frames of node n, outermost first, are chain entries `chainStart[n] .. chainStart[n+1]-1`;
   * `chainX` is each entry's xframe. Views walk the trie in pre-order, so they read these arrays
   * front to back (a random access per frame into the location tables costs several times more
   * on a large profile).
   */
  readonly chainStart: Uint32Array;
  readonly chainX: Int32Array;

  /** The full function tree in CallTree layout (pre-order, siblings by rank). Node 0 is the root. */
  readonly treeCount: number;
  readonly treeParent: Int32Array;
  readonly treeDepth: Uint16Array;
  readonly treeSize: Uint32Array;
  /**
   * Function of each node as an index into `treeFuncName`/`treeFuncFile`/`treeFuncKey` (-1 for
   * the root): the keys the tree uses, in rank order, exactly as a CallTree of the whole tree
   * numbers them; an unfiltered tree shares these arrays.
   */
  readonly treeFunc: Int32Array;
  readonly treeFuncName: string[];
  readonly treeFuncFile: string[];
  readonly treeFuncKey: Int32Array;
  /** The deepest node's depth. */
  readonly treeMaxDepth: number;
  /**
   * The line of each node, for the nodes whose frames all have one line (almost all): a tree's
   * node line is then that line whatever the values. For a node whose frames have several lines,
   * `-1 - k`: its lines are `multiLine[multiStart[k] .. multiStart[k+1])`, and the line shown is
   * the one with the largest value, so it is computed per query from the "multi entries": the
   * trie nodes (`multiEntryNode`, ascending) with a frame in such a node and that frame's line
   * (`multiEntryLine`, an index into `multiLine`).
   */
  readonly treeLine: Int32Array;
  /** The node of each multi-line node index k. */
  readonly multiNode: Int32Array;
  readonly multiStart: Uint32Array;
  readonly multiLine: Int32Array;
  readonly multiEntryNode: Int32Array;
  readonly multiEntryLine: Int32Array;

  /**
   * The stacks through trie node n are `nodeStackStart[n] .. nodeStackStart[n + nodeSize[n]]`
   * (stacks are numbered in trie order): with prefix sums of stack values, any node's total is
   * two reads, with no pass over the trie.
   */
  readonly nodeStackStart: Uint32Array;
  /** The trie nodes of each location: `locNodes[locNodeStart[l] .. locNodeStart[l+1])`, ascending. */
  readonly locNodeStart: Uint32Array;
  readonly locNodes: Int32Array;
  /** The locations with a frame (with a Function) of each function key: `keyLocs[keyLocStart[k] .. keyLocStart[k+1])`. */
  readonly keyLocStart: Uint32Array;
  readonly keyLocs: Int32Array;
  /** Per stack: the xframe of its leaf frame (innermost frame of its last location); -1 for an empty stack. */
  readonly stackLeafX: Int32Array;
  /**
   * Per file id (`files`): the chain entries with a frame in that file, in trie order, and their
   * flags (FIRST_LINE: no frame nearer the root on the node's path has the same line;
   * FIRST_FUNC: none has the same function key). A line's cum is then the sum of its FIRST_LINE
   * entries' node totals, with no walk of the trie:
   * `fileEntry*[fileEntryStart[f] .. fileEntryStart[f+1])`. An entry's node is found in
   * `chainStart` by binary search (a file has few entries; a column per entry would cost 10 MB).
   */
  readonly fileEntryStart: Uint32Array;
  readonly fileEntry: Int32Array;
  readonly fileEntryFlags: Uint8Array;
  /** Per file id: the stacks whose leaf frame is in the file, `fileStacks[fileStackStart[f] .. fileStackStart[f+1])`. */
  readonly fileStackStart: Uint32Array;
  readonly fileStacks: Int32Array;
  /** The unfiltered top table of every sample type: flat and cum of top name i for type t at `t * topNames.length + i`. */
  readonly topFlat: Float64Array;
  readonly topCum: Float64Array;
  /** Per sample type: Σ|value| over all samples (pprof's report total). */
  readonly typeAbsTotal: Float64Array;
  /** Rank of each top name in name order (sorting rows by name compares numbers). */
  readonly topNameRank: Int32Array;
  /** Per sample type: the top names with a nonzero unfiltered flat or cum, in pprof's -top order (`topOrderStart[t] .. topOrderStart[t+1]`). */
  readonly topOrder: Int32Array;
  readonly topOrderStart: Uint32Array;

  /**
   * Per-chain-entry id columns, derived from the index on first use (see evaluate.ts's `evalChainIds`): the same for
   * every query, so they belong to the index; filled at most once each. (Results of queries are
   * not kept here: the worker keeps recent ones, src/worker/profile-cache.ts.) Internal.
   */
  readonly chainIdColumns: ChainIdColumns;
}

/** Ids of each chain entry's frame, one column per id map (see evaluate.ts's IdMap). */
export interface ChainIdColumns {
  /** Function keys (`xFunc`). */
  func?: Int32Array;
  /** pprof -top names (`xTopName`). */
  top?: Int32Array;
  /** (file, line) ids (`xLineId`). */
  line?: Int32Array;
}

/**
 * The positions 0..n-1 of rows (top name `ids[i]`, flat `flat[i]`) in pprof's -top order:
 * |flat| descending, then name. Native numeric sorts only (a comparator sort of 50,000 rows costs
 * tens of ms): each row's key is (rank of its |flat|, descending) × names + (rank of its name),
 * which a double holds exactly. Names are unique, so pprof's third key (cum) never decides.
 */
export function topRowOrder(ids: Int32Array, flat: Float64Array, nameRank: Int32Array): Int32Array {
  const n = ids.length;
  const negFlat = new Float64Array(n);
  for (let i = 0; i < n; i++) negFlat[i] = -Math.abs(flat[i]);
  negFlat.sort();
  const distinct: number[] = [];
  for (let i = 0; i < n; i++)
    if (i === 0 || negFlat[i] !== negFlat[i - 1]) distinct.push(negFlat[i]);
  const names = nameRank.length;
  const rowOfRank = new Int32Array(names);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rank = nameRank[ids[i]];
    rowOfRank[rank] = i;
    const v = -Math.abs(flat[i]);
    keys[i] = lowerBound(distinct, v, 0, distinct.length - 1) * names + rank;
  }
  keys.sort();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = rowOfRank[keys[i] % names];
  return order;
}

/** fileEntryFlags bits. */
export const FIRST_LINE = 1;
export const FIRST_FUNC = 2;

/** `idOf` (per xframe) read through a chain (`chainX`): one id per chain entry, in chain order. */
export function idsThroughChain(chainX: Int32Array, idOf: Int32Array): Int32Array {
  const ids = new Int32Array(chainX.length);
  for (let e = 0; e < chainX.length; e++) ids[e] = idOf[chainX[e]];
  return ids;
}

/** The base name of a path, for pprof's `[binary]` names. */
function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

class Interner {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.ids.set(s, i);
    }
    return i;
  }
}

/** How indexProfile finds the distinct stacks and their trie; for tests, which compare the ways. */
export interface IndexPaths {
  /**
   * In the samples' own order (true), never (false), or when the samples share most of their
   * stacks with the one before (undefined: the default).
   */
  sampleOrder?: boolean;
}

/**
 * Builds the index of a profile. Linear in the samples' stack entries plus the size of the trees;
 * on a profile of a million samples it takes about as long as one buildCallTree.
 */
export function indexProfile(profile: Profile, paths: IndexPaths = {}): ProfileIndex {
  const nTypes = profile.sampleTypes.length;
  const locs = profile.locations;
  const nLoc = locs.count;

  // Function keys and xframes.
  const keyIds = new Map<string, number>();
  const funcName: string[] = [];
  const funcFile: string[] = [];
  const startLines: number[] = [];
  const hasFn: number[] = [];
  const keyOf = (name: string, file: string, fromFunction: boolean, startLine: number): number => {
    const text = name + '\u0000' + file;
    let k = keyIds.get(text);
    if (k === undefined) {
      k = funcName.length;
      keyIds.set(text, k);
      funcName.push(name);
      funcFile.push(file);
      startLines.push(0);
      hasFn.push(0);
    }
    if (fromFunction) hasFn[k] = 1;
    if (startLine > 0 && (startLines[k] === 0 || startLine < startLines[k]))
      startLines[k] = startLine;
    return k;
  };
  const fns = profile.functions;
  const fnKey = new Int32Array(fns.count);
  for (let f = 0; f < fns.count; f++)
    fnKey[f] = keyOf(fns.name[f], fns.filename[f], true, fns.startLine[f]);

  let nx = 0;
  for (let l = 0; l < nLoc; l++) nx += Math.max(1, locs.frameCount[l]);
  const locFrameStart = new Uint32Array(nLoc + 1);
  const xFunc = new Int32Array(nx);
  const xLine = new Int32Array(nx);
  const xHasFunction = new Uint8Array(nx);
  const xFunction = new Int32Array(nx);
  const xLineId = new Int32Array(nx);
  const xTopName = new Int32Array(nx);
  const topNames = new Interner();
  // One interner for the files of keys and of lines, so a line's file id is a key's file id.
  const files = new Interner();
  const lineIds = new Map<number, number>();
  const lineFile: number[] = [];
  const lineNo: number[] = [];
  const mapNames =
    locs.count > 0
      ? profile.mappings.filename.map((f) => (f ? `[${baseName(f)}]` : '<unknown>'))
      : [];
  let x = 0;
  for (let l = 0; l < nLoc; l++) {
    locFrameStart[l] = x;
    const m = locs.mapping[l];
    // pprof's -top names a frame without a function by its mapping's file, with the address
    // dropped by the "functions" granularity.
    const anonymous = m >= 0 ? mapNames[m] : '<unknown>';
    const nf = locs.frameCount[l];
    if (nf === 0) {
      xFunc[x] = keyOf(unnamedFrameName(profile, l), '', false, 0);
      xFunction[x] = -1;
      xLineId[x] = -1;
      xTopName[x] = topNames.id(anonymous);
      x++;
      continue;
    }
    const f0 = locs.firstFrame[l];
    for (let f = f0; f < f0 + nf; f++) {
      const fn = profile.frames.function[f];
      const line = clampLine(profile.frames.line[f]);
      xLine[x] = line;
      xFunction[x] = fn;
      if (fn >= 0) {
        xFunc[x] = fnKey[fn];
        xHasFunction[x] = 1;
        const name = fns.name[fn];
        xTopName[x] = topNames.id(name !== '' ? name : anonymous);
        const file = fns.filename[fn];
        if (file !== '') {
          const fid = files.id(file);
          // (file, line) → id; files stay far below 2^21 and lines below 2^31.
          const code = fid * 0x80000000 + line;
          let lid = lineIds.get(code);
          if (lid === undefined) {
            lid = lineFile.length;
            lineIds.set(code, lid);
            lineFile.push(fid);
            lineNo.push(line);
          }
          xLineId[x] = lid;
        } else xLineId[x] = -1;
      } else {
        xFunc[x] = keyOf(unnamedFrameName(profile, l), '', false, 0);
        xFunction[x] = -1;
        xLineId[x] = -1;
        xTopName[x] = topNames.id(anonymous);
      }
      x++;
    }
  }
  locFrameStart[nLoc] = x;

  // Names and files of keys, interned; ranks in (name, file) order.
  const K = funcName.length;
  const names = new Interner();
  const funcNameId = new Int32Array(K);
  const funcFileId = new Int32Array(K);
  for (let k = 0; k < K; k++) {
    funcNameId[k] = names.id(funcName[k]);
    funcFileId[k] = files.id(funcFile[k]);
  }
  const byRank = Array.from({ length: K }, (_, i) => i).sort((a, b) => {
    const na = funcName[a];
    const nb = funcName[b];
    if (na !== nb) return na < nb ? -1 : 1;
    const fa = funcFile[a];
    const fb = funcFile[b];
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  });
  const rankFunc = Int32Array.from(byRank);
  const funcRank = new Int32Array(K);
  for (let r = 0; r < K; r++) funcRank[rankFunc[r]] = r;

  // Siblings in the rank of their outermost frame's function: the trie's pre-order then follows
  // the function tree's, so walking one while writing the other stays local in memory.
  const locRank = new Int32Array(nLoc);
  for (let l = 0; l < nLoc; l++) locRank[l] = funcRank[xFunc[locFrameStart[l + 1] - 1]];
  let built =
    paths.sampleOrder === false
      ? undefined
      : stacksAndTrieInSampleOrder(profile, locRank, K, paths.sampleOrder === true);
  if (built === undefined) {
    const deduped = dedupeStacks(profile);
    built = { stacks: deduped, trie: buildLocationTrie(profile, deduped, locRank, K) };
  }
  const { stacks, trie } = built;
  const tree = buildFunctionTree(
    trie,
    locFrameStart,
    xFunc,
    xLine,
    funcRank,
    rankFunc,
    funcName,
    funcFile,
  );
  const order = orderStacks(profile, stacks, trie, tree.nodeTree);

  let hasNegative = false;
  const vals = profile.samples.values;
  for (let i = 0; i < vals.length; i++) {
    if (vals[i] < 0) {
      hasNegative = true;
      break;
    }
  }
  const D = stacks.count;
  let stackAbs = order.values;
  if (hasNegative) {
    stackAbs = new Float64Array(order.values.length);
    const ss = order.sampleStack;
    for (let s = 0; s < ss.length; s++)
      for (let t = 0; t < nTypes; t++) stackAbs[t * D + ss[s]] += Math.abs(vals[s * nTypes + t]);
  }
  const prefixOf = (col: Float64Array): Float64Array => {
    const pre = new Float64Array((D + 1) * nTypes);
    for (let t = 0; t < nTypes; t++)
      for (let d = 0; d < D; d++) pre[t * (D + 1) + d + 1] = pre[t * (D + 1) + d] + col[t * D + d];
    return pre;
  };
  const stackPrefix = prefixOf(order.values);
  const stackPrefixAbs = hasNegative ? prefixOf(stackAbs) : stackPrefix;
  const look = buildLookups(
    profile,
    trie,
    tree,
    order,
    locFrameStart,
    xFunc,
    xHasFunction,
    xLineId,
    xTopName,
    lineFile,
    files.list.length,
    K,
    topNames.list.length,
  );
  const tn = topNames.list;
  const byName = Array.from(tn.keys()).sort((a, b) => (tn[a] < tn[b] ? -1 : tn[a] > tn[b] ? 1 : 0));
  look.topNameRank = new Int32Array(tn.length);
  byName.forEach((i, r) => (look.topNameRank[i] = r));
  const orders: Int32Array[] = [];
  for (let t = 0; t < nTypes; t++) {
    const flat = look.topFlat.subarray(t * tn.length, (t + 1) * tn.length);
    const cum = look.topCum.subarray(t * tn.length, (t + 1) * tn.length);
    const ids: number[] = [];
    for (let i = 0; i < tn.length; i++) if (flat[i] !== 0 || cum[i] !== 0) ids.push(i);
    const sub = Int32Array.from(ids);
    const order = topRowOrder(
      sub,
      Float64Array.from(ids, (i) => flat[i]),
      look.topNameRank,
    );
    orders.push(Int32Array.from(order, (j) => sub[j]));
  }
  look.topOrderStart = new Uint32Array(nTypes + 1);
  for (let t = 0; t < nTypes; t++)
    look.topOrderStart[t + 1] = look.topOrderStart[t] + orders[t].length;
  look.topOrder = new Int32Array(look.topOrderStart[nTypes]);
  orders.forEach((o, t) => look.topOrder.set(o, look.topOrderStart[t]));

  return {
    profile,
    sampleTypeCount: nTypes,
    funcCount: K,
    funcName,
    funcFile,
    funcStartLine: Float64Array.from(startLines),
    funcHasFunction: Uint8Array.from(hasFn),
    funcRank,
    rankFunc,
    names: names.list,
    funcNameId,
    files: files.list,
    funcFileId,
    locFrameStart,
    xFunc,
    xLine,
    xHasFunction,
    xFunction,
    xLineId,
    lineFile: Int32Array.from(lineFile),
    lineNo: Int32Array.from(lineNo),
    xTopName,
    topNames: topNames.list,
    sampleStack: order.sampleStack,
    stackCount: stacks.count,
    stackNode: order.stackNode,
    stackTree: order.stackTree,
    stackValues: order.values,
    hasNegative,
    stackAbs,
    stackPrefix,
    stackPrefixAbs,
    nodeCount: trie.count,
    nodeParent: trie.parent,
    nodeLoc: trie.loc,
    nodeSize: trie.size,
    nodeMaxDepth: trie.maxDepth,
    chainStart: tree.chainStart,
    chainX: tree.chainX,
    treeCount: tree.count,
    treeParent: tree.parent,
    treeDepth: tree.depth,
    treeSize: tree.size,
    treeFunc: tree.func,
    treeFuncName: tree.funcName,
    treeFuncFile: tree.funcFile,
    treeFuncKey: tree.funcKey,
    treeMaxDepth: tree.maxDepth,
    treeLine: tree.line,
    multiNode: tree.multiNode,
    multiStart: tree.multiStart,
    multiLine: tree.multiLine,
    multiEntryNode: tree.multiEntryNode,
    multiEntryLine: tree.multiEntryLine,
    ...look,
    chainIdColumns: {},
  };
}

interface Lookups {
  nodeStackStart: Uint32Array;
  locNodeStart: Uint32Array;
  locNodes: Int32Array;
  keyLocStart: Uint32Array;
  keyLocs: Int32Array;
  stackLeafX: Int32Array;
  fileEntryStart: Uint32Array;
  fileEntry: Int32Array;
  fileEntryFlags: Uint8Array;
  fileStackStart: Uint32Array;
  fileStacks: Int32Array;
  topFlat: Float64Array;
  topCum: Float64Array;
  typeAbsTotal: Float64Array;
  topNameRank: Int32Array;
  topOrder: Int32Array;
  topOrderStart: Uint32Array;
}

/**
 * `pick(i)` for each index in `from`, into a new typed array. (A loop: TypedArray.from with a
 * mapping function goes through the iterator protocol and costs ~10× more on millions of items.)
 */
function gather<T extends Int32Array | Uint8Array>(
  make: new (n: number) => T,
  from: Int32Array,
  pick: (i: number) => number,
): T {
  const out = new make(from.length);
  for (let j = 0; j < from.length; j++) out[j] = pick(from[j]);
  return out;
}

/** A CSR table: the items of each of `n` groups, from each item's group (-1: none). */
function groupBy(groupOf: Int32Array, n: number): { start: Uint32Array; items: Int32Array } {
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i] >= 0) start[groupOf[i] + 1]++;
  for (let g = 0; g < n; g++) start[g + 1] += start[g];
  const items = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i] >= 0) items[fill[groupOf[i]]++] = i;
  return { start, items };
}

/** The lookup tables that let views start from what they are about instead of walking everything. */
function buildLookups(
  profile: Profile,
  trie: LocationTrie,
  tree: FunctionTree,
  order: { stackNode: Int32Array; values: Float64Array },
  locFrameStart: Uint32Array,
  xFunc: Int32Array,
  xHasFunction: Uint8Array,
  xLineId: Int32Array,
  xTopName: Int32Array,
  lineFile: number[],
  nFiles: number,
  K: number,
  nTopNames: number,
): Lookups {
  const N = trie.count;
  const D = order.stackNode.length;
  const nLoc = profile.locations.count;
  const nTypes = profile.sampleTypes.length;
  const stackNode = order.stackNode;

  const nodeStackStart = new Uint32Array(N + 1);
  for (let d = 0; d < D; d++) nodeStackStart[stackNode[d] + 1]++;
  for (let n = 0; n < N; n++) nodeStackStart[n + 1] += nodeStackStart[n];

  const nodeLoc = trie.loc.slice();
  nodeLoc[0] = -1;
  const byLoc = groupBy(nodeLoc, nLoc);

  // Function key → locations, each location once per key.
  let pairs = 0;
  for (let l = 0; l < nLoc; l++) pairs += locFrameStart[l + 1] - locFrameStart[l];
  const pairKey = new Int32Array(pairs);
  const pairLoc = new Int32Array(pairs);
  let np = 0;
  for (let l = 0; l < nLoc; l++) {
    for (let x = locFrameStart[l]; x < locFrameStart[l + 1]; x++) {
      if (!xHasFunction[x]) continue;
      let dup = false;
      for (let y = locFrameStart[l]; y < x; y++)
        if (xHasFunction[y] && xFunc[y] === xFunc[x]) dup = true;
      if (dup) continue;
      pairKey[np] = xFunc[x];
      pairLoc[np++] = l;
    }
  }
  const byKey = groupBy(pairKey.subarray(0, np), K);
  const keyLocs = gather(Int32Array, byKey.items, (i) => pairLoc[i]);

  const stackLeafX = new Int32Array(D);
  for (let d = 0; d < D; d++)
    stackLeafX[d] = stackNode[d] === 0 ? -1 : locFrameStart[trie.loc[stackNode[d]]];

  // First occurrences on each path: of lines, of function keys, and of top names. Walking the
  // trie in pre-order, each id remembers the subtree ([start, end) of nodes) of the node that
  // last had it first on its path: an entry is a first occurrence unless its node lies in that
  // subtree (then that node, or an earlier entry of the same node, is on its path with the id).
  const chainStart = tree.chainStart;
  const chainX = tree.chainX;
  const E = chainX.length;
  const flags = new Uint8Array(E);
  const FIRST_TOP = 4;
  const nLines = lineFile.length;
  const lineFrom = new Int32Array(nLines);
  const lineTo = new Int32Array(nLines);
  const keyFrom = new Int32Array(K);
  const keyTo = new Int32Array(K);
  const topFrom = new Int32Array(nTopNames);
  const topTo = new Int32Array(nTopNames);
  const nodeSize = trie.size;
  for (let n = 1; n < N; n++) {
    const end = n + nodeSize[n];
    for (let e = chainStart[n]; e < chainStart[n + 1]; e++) {
      const x = chainX[e];
      let f = 0;
      const lid = xLineId[x];
      if (lid >= 0 && !(lineFrom[lid] <= n && n < lineTo[lid])) {
        f |= FIRST_LINE;
        lineFrom[lid] = n;
        lineTo[lid] = end;
      }
      const key = xFunc[x];
      if (!(keyFrom[key] <= n && n < keyTo[key])) {
        f |= FIRST_FUNC;
        keyFrom[key] = n;
        keyTo[key] = end;
      }
      const top = xTopName[x];
      if (!(topFrom[top] <= n && n < topTo[top])) {
        f |= FIRST_TOP;
        topFrom[top] = n;
        topTo[top] = end;
      }
      flags[e] = f;
    }
  }

  // Entries by file.
  const entryFile = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const lid = xLineId[chainX[e]];
    entryFile[e] = lid >= 0 ? lineFile[lid] : -1;
  }
  const byFile = groupBy(entryFile, nFiles);
  const fileEntryFlags = gather(
    Uint8Array,
    byFile.items,
    (e) => flags[e] & (FIRST_LINE | FIRST_FUNC),
  );

  const stackFile = new Int32Array(D);
  for (let d = 0; d < D; d++) {
    const x = stackLeafX[d];
    stackFile[d] = x >= 0 && xLineId[x] >= 0 ? lineFile[xLineId[x]] : -1;
  }
  const byStackFile = groupBy(stackFile, nFiles);

  // The unfiltered top table of each sample type: cum from the first-occurrence entries, each
  // node's total from prefix sums over the stacks.
  const topFlat = new Float64Array(nTopNames * nTypes);
  const topCum = new Float64Array(nTopNames * nTypes);
  const prefix = new Float64Array(D + 1);
  const size = trie.size;
  for (let t = 0; t < nTypes; t++) {
    for (let d = 0; d < D; d++) prefix[d + 1] = prefix[d] + order.values[t * D + d];
    const o = t * nTopNames;
    for (let d = 0; d < D; d++) {
      const x = stackLeafX[d];
      if (x >= 0) topFlat[o + xTopName[x]] += order.values[t * D + d];
    }
    for (let n = 1; n < N; n++) {
      const v = prefix[nodeStackStart[n + size[n]]] - prefix[nodeStackStart[n]];
      if (v === 0) continue;
      for (let e = chainStart[n]; e < chainStart[n + 1]; e++)
        if (flags[e] & FIRST_TOP) topCum[o + xTopName[chainX[e]]] += v;
    }
  }
  const typeAbsTotal = new Float64Array(nTypes);
  const vals = profile.samples.values;
  for (let i = 0; i < vals.length; i++) typeAbsTotal[i % nTypes] += Math.abs(vals[i]);
  return {
    typeAbsTotal,
    topNameRank: new Int32Array(0),
    topOrder: new Int32Array(0),
    topOrderStart: new Uint32Array(0),
    nodeStackStart,
    locNodeStart: byLoc.start,
    locNodes: byLoc.items,
    keyLocStart: byKey.start,
    keyLocs,
    stackLeafX,
    fileEntryStart: byFile.start,
    fileEntry: byFile.items,
    fileEntryFlags,
    fileStackStart: byStackFile.start,
    fileStacks: byStackFile.items,
    topFlat,
    topCum,
  };
}

/** Bytes held by the index's own arrays (not the profile's, not cached query results). */
export function indexMemoryBytes(index: ProfileIndex): number {
  const buffers = new Set<ArrayBufferLike>();
  for (const v of Object.values(index)) if (ArrayBuffer.isView(v)) buffers.add(v.buffer);
  let bytes = 0;
  for (const b of buffers) bytes += b.byteLength;
  return bytes;
}

/** The trie node that chain entry e belongs to (binary search in chainStart). */
export function nodeOfEntry(index: ProfileIndex, e: number): number {
  // The last node (from 1) whose chain starts at or before e.
  return Math.max(1, upperBound(index.chainStart, e, 1, index.nodeCount) - 1);
}

interface Stacks {
  count: number;
  sampleStack: Uint32Array;
  /** A sample that has the stack (its location sequence is the stack's). */
  rep: Int32Array;
  values: Float64Array;
  /** Hash of each stack without its leaf location: stacks that differ only in the leaf sort together (dedupeStacks only). */
  prefixHash?: Int32Array;
  maxLen: number;
  /** Frames of all distinct stacks. */
  frames: number;
}

/** Samples deduplicated by location sequence (labels ignored), values summed per sample type. */
function dedupeStacks(profile: Profile): Stacks {
  const samples = profile.samples;
  const nTypes = profile.sampleTypes.length;
  const ss = samples.stackStart;
  const sl = samples.stackLocations;
  const vals = samples.values;
  const n = samples.count;
  let tableSize = 16;
  while (tableSize < n * 2) tableSize *= 2;
  const table = new Int32Array(tableSize).fill(-1);
  const mask = tableSize - 1;
  const rep = new Int32Array(n);
  const repHash = new Int32Array(n);
  const prefixHash = new Int32Array(n);
  const sampleStack = new Uint32Array(n);
  let nd = 0;
  let maxLen = 0;
  let frames = 0;
  for (let s = 0; s < n; s++) {
    const a = ss[s];
    const b = ss[s + 1];
    const len = b - a;
    // Root first, the order the trie is built in; the hash without the leaf is kept for sorting.
    let h = 0x9747b28c;
    let hp = h;
    for (let i = b - 1; i >= a; i--) {
      hp = h;
      h = Math.imul(h ^ sl[i], 0x01000193);
      h ^= h >>> 15;
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
        sampleStack[s] = nd;
        nd++;
        frames += len;
        if (len > maxLen) maxLen = len;
        break;
      }
      if (repHash[d] === h) {
        const ra = ss[rep[d]];
        if (ss[rep[d] + 1] - ra === len) {
          let k = 0;
          while (k < len && sl[ra + k] === sl[a + k]) k++;
          if (k === len) {
            sampleStack[s] = d;
            break;
          }
        }
      }
      i = (i + 1) & mask;
    }
  }
  const values = new Float64Array(nd * nTypes);
  for (let s = 0; s < n; s++) {
    const o = sampleStack[s] * nTypes;
    const so = s * nTypes;
    for (let t = 0; t < nTypes; t++) values[o + t] += vals[so + t];
  }
  return {
    count: nd,
    sampleStack,
    rep: rep.slice(0, nd),
    values,
    prefixHash: prefixHash.slice(0, nd),
    maxLen,
    frames,
  };
}

interface LocationTrie {
  count: number;
  parent: Int32Array;
  loc: Int32Array;
  size: Uint32Array;
  maxDepth: number;
  stackNode: Int32Array;
}

/**
 * The distinct stacks as a trie of locations, root first, renumbered in depth-first pre-order
 * with siblings ordered by `locRank`, ties in the order the stacks grouped by `prefixHash` first
 * reach them (a stable order that does not depend on the order the samples came in).
 */
function buildLocationTrie(
  profile: Profile,
  stacks: Stacks,
  locRank: Int32Array,
  ranks: number,
): LocationTrie {
  const ss = profile.samples.stackStart;
  const sl = profile.samples.stackLocations;
  const nd = stacks.count;
  // Stacks grouped by everything but their leaf (radix order of `prefixHash`) fix the order of
  // ties. Consecutive stacks share most of their path, which `path` reuses without lookups (as
  // buildCallTree does); every other frame is a hash probe into a trie larger than the cache. A
  // collapsed (folded) file lists its stacks sorted, so in the order of their first sample they
  // share far more than in hash order: then they are inserted in that order, and the tie order is
  // rebuilt afterwards.
  const hashOrder = radixOrder(stacks.prefixHash ?? prefixHashes(ss, sl, stacks.rep), nd);
  const inSampleOrder = sharedFrames(ss, sl, stacks.rep, nd) * 2 > stacks.frames;
  const lt = new Trie(Math.max(16, nd * 2));
  const maxLen = stacks.maxLen;
  let path = new Int32Array(64);
  const prevLocs = new Int32Array(maxLen);
  const created = new Int32Array(nd);
  let prevLen = 0;
  for (let j = 0; j < nd; j++) {
    const d = inSampleOrder ? j : hashOrder[j];
    const s = stacks.rep[d];
    const a = ss[s];
    const len = ss[s + 1] - a;
    let k = 0;
    const limit = len < prevLen ? len : prevLen;
    while (k < limit && sl[a + len - 1 - k] === prevLocs[k]) k++;
    let node = path[k];
    for (; k < len; k++) {
      const l = sl[a + len - 1 - k];
      node = lt.child(node, l);
      path[k + 1] = node;
      prevLocs[k] = l;
    }
    prevLen = len;
    created[d] = node;
  }
  const n = lt.count;
  const { parent: cParent, key: cLoc } = lt.finish();
  const tieOrder = inSampleOrder ? tieOrderOf(n, cParent, created, hashOrder) : undefined;
  return layoutLocationTrie(n, cParent, cLoc, created, locRank, ranks, tieOrder);
}

/**
 * Ties between siblings of one rank in the order hash-ordered insertion would have created them
 * (for a trie built in another order): that of the first position, in `hashOrder`, of the stacks
 * through each node (`created`: the node where each stack ends).
 */
function tieOrderOf(
  n: number,
  cParent: Int32Array,
  created: Int32Array,
  hashOrder: Int32Array,
): Int32Array {
  const nd = hashOrder.length;
  const firstPos = new Int32Array(n).fill(nd);
  for (let j = 0; j < nd; j++) {
    const c = created[hashOrder[j]];
    if (j < firstPos[c]) firstPos[c] = j;
  }
  for (let i = n - 1; i > 0; i--)
    if (firstPos[i] < firstPos[cParent[i]]) firstPos[cParent[i]] = firstPos[i];
  const tieOrder = new Int32Array(Math.max(0, n - 1));
  const count = new Uint32Array(nd + 2);
  for (let i = 1; i < n; i++) count[firstPos[i] + 1]++;
  for (let b = 0; b <= nd; b++) count[b + 1] += count[b];
  for (let i = 1; i < n; i++) tieOrder[count[firstPos[i]]++] = i;
  return tieOrder;
}

/**
 * The location trie from a trie in creation order (`cParent`, `cLoc`; `created`: the node where
 * each stack ends): renumbered in pre-order, siblings in location-rank order, ties in `tieOrder`
 * (creation order when not given).
 */
function layoutLocationTrie(
  n: number,
  cParent: Int32Array,
  cLoc: Int32Array,
  created: Int32Array,
  locRank: Int32Array,
  ranks: number,
  tieOrder: Int32Array | undefined,
): LocationTrie {
  const nodeRank = new Int32Array(n);
  for (let i = 1; i < n; i++) nodeRank[i] = locRank[cLoc[i]];
  const { order, newIndex } = preorderByRank(n, cParent, nodeRank, ranks, tieOrder);
  return relabelLocationTrie(n, cParent, cLoc, created, order, newIndex);
}

/** The location trie from a trie in creation order and its pre-order (`order`, `newIndex`). */
function relabelLocationTrie(
  n: number,
  cParent: Int32Array,
  cLoc: Int32Array,
  created: Int32Array,
  order2: Int32Array,
  newIndex: Int32Array,
): LocationTrie {
  const nd = created.length;
  const parent = new Int32Array(n);
  const loc = new Int32Array(n);
  const depth = new Int32Array(n);
  parent[0] = -1;
  loc[0] = -1;
  let maxDepth = 0;
  for (let j = 1; j < n; j++) {
    const i = order2[j];
    const p = newIndex[cParent[i]];
    parent[j] = p;
    loc[j] = cLoc[i];
    const dd = depth[p] + 1;
    depth[j] = dd;
    if (dd > maxDepth) maxDepth = dd;
  }
  const size = new Uint32Array(n).fill(1);
  for (let j = n - 1; j > 0; j--) size[parent[j]] += size[j];
  const stackNode = new Int32Array(nd);
  for (let d = 0; d < nd; d++) stackNode[d] = newIndex[created[d]];
  return { count: n, parent, loc, size, maxDepth, stackNode };
}

/** True when nodes 0..n-1 (parents first) are numbered in depth-first pre-order. */
function isPreorder(parent: Int32Array, n: number): boolean {
  for (let i = 1; i < n; i++) {
    // Node i's parent must be on the path from the root to node i - 1.
    const p = parent[i];
    for (let m = i - 1; m !== p; m = parent[m]) if (m < p) return false;
  }
  return true;
}

/**
 * The distinct stacks and their location trie in one pass over the samples in their own order,
 * when each shares most of its path with the one before (a folded file's sorted lines): a stack
 * is known by the trie node where it ends, so no stack is hashed whole; the trie is built front
 * to back (SiblingTrie); and when its nodes came in pre-order with siblings by rank (a file
 * sorted by frame name) it is already laid out. The result is the one dedupeStacks and
 * buildLocationTrie give. Undefined when the samples do not come in such an order (unless `always`).
 */
function stacksAndTrieInSampleOrder(
  profile: Profile,
  locRank: Int32Array,
  ranks: number,
  always: boolean,
): { stacks: Stacks; trie: LocationTrie } | undefined {
  const samples = profile.samples;
  const nTypes = profile.sampleTypes.length;
  const ss = samples.stackStart;
  const sl = samples.stackLocations;
  const vals = samples.values;
  const ns = samples.count;
  if (!always && (ns < 2 || !sharesWithPrevious(ss, sl, ns))) return undefined;
  let maxLen = 0;
  const trie = new SiblingTrie(Math.max(16, Math.min(ss[ns] + 1, ns * 3)));
  let path = new Int32Array(64);
  const sampleStack = new Uint32Array(ns);
  const rep = new Int32Array(ns);
  const created = new Int32Array(ns);
  let nd = 0;
  let frames = 0;
  let pa = 0;
  let pLen = 0;
  for (let s = 0; s < ns; s++) {
    const a = ss[s];
    const len = ss[s + 1] - a;
    const limit = len < pLen ? len : pLen;
    let k = 0;
    while (k < limit && sl[a + len - 1 - k] === sl[pa + pLen - 1 - k]) k++;
    if (len >= path.length) {
      const longer = new Int32Array(2 * len);
      longer.set(path);
      path = longer;
    }
    if (len > maxLen) maxLen = len;
    let node = path[k];
    for (; k < len; k++) {
      const l = sl[a + len - 1 - k];
      node = trie.child(node, l, locRank[l]);
      path[k + 1] = node;
    }
    pa = a;
    pLen = len;
    // A stack is the node where it ends: mark holds its number + 1.
    let d = trie.mark[node] - 1;
    if (d < 0) {
      d = nd++;
      trie.mark[node] = nd;
      rep[d] = s;
      created[d] = node;
      frames += len;
    }
    sampleStack[s] = d;
  }
  const values = new Float64Array(nd * nTypes);
  for (let s = 0; s < ns; s++) {
    const o = sampleStack[s] * nTypes;
    const so = s * nTypes;
    for (let t = 0; t < nTypes; t++) values[o + t] += vals[so + t];
  }
  const reps = rep.slice(0, nd);
  const ends = created.slice(0, nd);
  const stacks: Stacks = { count: nd, sampleStack, rep: reps, values, maxLen, frames };
  const n = trie.count;
  const cParent = trie.parent.slice(0, n);
  const cLoc = trie.key.slice(0, n);
  const preorder = isPreorder(cParent, n);
  if (trie.ascending && preorder) {
    // Already in pre-order, siblings by rank (and no two of one rank): no reordering.
    cLoc[0] = -1;
    const depth = new Int32Array(n);
    let maxDepth = 0;
    for (let j = 1; j < n; j++) {
      const dd = depth[cParent[j]] + 1;
      depth[j] = dd;
      if (dd > maxDepth) maxDepth = dd;
    }
    const size = new Uint32Array(n).fill(1);
    for (let j = n - 1; j > 0; j--) size[cParent[j]] += size[j];
    return {
      stacks,
      trie: { count: n, parent: cParent, loc: cLoc, size, maxDepth, stackNode: ends },
    };
  }
  // Siblings of distinct ranks have one order; ties need the tie order of buildLocationTrie.
  const nodeRank = new Int32Array(n);
  for (let i = 1; i < n; i++) nodeRank[i] = locRank[cLoc[i]];
  const distinct = preorder
    ? preorderOfNearlySorted(n, cParent, nodeRank, trie.unordered)
    : preorderByDistinctRank(n, cParent, nodeRank);
  if (distinct !== undefined)
    return {
      stacks,
      trie: relabelLocationTrie(n, cParent, cLoc, ends, distinct.order, distinct.newIndex),
    };
  const hashOrder = radixOrder(prefixHashes(ss, sl, reps), nd);
  const tieOrder = tieOrderOf(n, cParent, ends, hashOrder);
  return { stacks, trie: layoutLocationTrie(n, cParent, cLoc, ends, locRank, ranks, tieOrder) };
}

/**
 * Whether samples share most of their frames (root first) with the sample before: judged on up
 * to 4096 pairs of neighbours spread over the profile (the choice only affects speed).
 */
function sharesWithPrevious(ss: Uint32Array, sl: Uint32Array, ns: number): boolean {
  const step = Math.max(1, Math.floor((ns - 1) / 4096));
  let shared = 0;
  let total = 0;
  for (let s = 1; s < ns; s += step) {
    const a = ss[s];
    const len = ss[s + 1] - a;
    const pa = ss[s - 1];
    const pLen = a - pa;
    const limit = len < pLen ? len : pLen;
    let k = 0;
    while (k < limit && sl[a + len - 1 - k] === sl[pa + pLen - 1 - k]) k++;
    shared += k;
    total += len;
  }
  return shared * 2 > total;
}

/** Each stack's hash without its leaf location, as dedupeStacks computes it (`rep`: a sample of each stack). */
function prefixHashes(ss: Uint32Array, sl: Uint32Array, rep: Int32Array): Int32Array {
  const out = new Int32Array(rep.length);
  for (let d = 0; d < rep.length; d++) {
    const a = ss[rep[d]];
    const b = ss[rep[d] + 1];
    let h = 0x9747b28c;
    let hp = h;
    for (let i = b - 1; i >= a; i--) {
      hp = h;
      h = Math.imul(h ^ sl[i], 0x01000193);
      h ^= h >>> 15;
    }
    out[d] = finishHash(hp ^ (b - a - 1));
  }
  return out;
}

/** Frames that each stack, taken in order of first sample, shares (root first) with the one before. */
function sharedFrames(ss: Uint32Array, sl: Uint32Array, rep: Int32Array, nd: number): number {
  let shared = 0;
  let pa = 0;
  let pLen = 0;
  for (let d = 0; d < nd; d++) {
    const a = ss[rep[d]];
    const len = ss[rep[d] + 1] - a;
    const limit = len < pLen ? len : pLen;
    let k = 0;
    while (k < limit && sl[a + len - 1 - k] === sl[pa + pLen - 1 - k]) k++;
    shared += k;
    pa = a;
    pLen = len;
  }
  return shared;
}

interface FunctionTree {
  count: number;
  parent: Int32Array;
  depth: Uint16Array;
  size: Uint32Array;
  func: Int32Array;
  funcName: string[];
  funcFile: string[];
  funcKey: Int32Array;
  maxDepth: number;
  line: Int32Array;
  multiNode: Int32Array;
  multiStart: Uint32Array;
  multiLine: Int32Array;
  multiEntryNode: Int32Array;
  multiEntryLine: Int32Array;
  chainStart: Uint32Array;
  chainX: Int32Array;
  nodeTree: Int32Array;
}

/**
 * The function tree of all stacks (frames expanded, nodes keyed by (parent, function key)), laid
 * out in pre-order with siblings by function rank, and the line slots of its nodes.
 */
function buildFunctionTree(
  lt: LocationTrie,
  locFrameStart: Uint32Array,
  xFunc: Int32Array,
  xLine: Int32Array,
  funcRank: Int32Array,
  rankFunc: Int32Array,
  keyName: string[],
  keyFile: string[],
): FunctionTree {
  // When every location is one frame of a function no other location has (folded and most perf
  // input), the function tree is the location trie itself.
  if (oneFunctionPerLocation(locFrameStart, xFunc, funcRank.length))
    return trieAsFunctionTree(
      lt,
      locFrameStart,
      xFunc,
      xLine,
      funcRank,
      rankFunc,
      keyName,
      keyFile,
    );
  const N = lt.count;
  const chainStart = new Uint32Array(N + 1);
  for (let n = 1; n < N; n++) {
    const l = lt.loc[n];
    chainStart[n + 1] = locFrameStart[l + 1] - locFrameStart[l];
  }
  for (let n = 0; n < N; n++) chainStart[n + 1] += chainStart[n];
  const E = chainStart[N];
  const chainNode = new Int32Array(E);
  const chainX = new Int32Array(E);
  // Walked in the location trie's pre-order, siblings come in the rank of their outermost
  // function, which keys the function tree: a SiblingTrie finds most children without a lookup.
  const ft = new SiblingTrie(Math.max(16, N + (N >> 2)));
  const ftOf = new Int32Array(N);
  for (let n = 1; n < N; n++) {
    let p = ftOf[lt.parent[n]];
    const l = lt.loc[n];
    let e = chainStart[n];
    // Innermost first in the location: the root-first path walks its frames backwards.
    for (let xf = locFrameStart[l + 1] - 1; xf >= locFrameStart[l]; xf--) {
      const r = funcRank[xFunc[xf]];
      p = ft.child(p, r, r);
      chainX[e] = xf;
      chainNode[e++] = p;
    }
    ftOf[n] = p;
  }
  const F = ft.count;
  const cParent = ft.parent.slice(0, F);
  const cRank = ft.key.slice(0, F);
  const { order, newIndex } = layoutByRank(F, cParent, cRank, rankFunc.length);
  const K = rankFunc.length;
  // Functions in use, numbered in rank order.
  const compactOfRank = new Int32Array(K).fill(-1);
  for (let i = 1; i < F; i++) compactOfRank[cRank[i]] = 0;
  const { funcName, funcFile, funcKey } = functionsInUse(compactOfRank, rankFunc, keyName, keyFile);
  const parent = new Int32Array(F);
  const depth = new Uint16Array(F);
  const func = new Int32Array(F);
  parent[0] = -1;
  func[0] = -1;
  let maxDepth = 0;
  for (let j = 1; j < F; j++) {
    const i = order[j];
    const p = newIndex[cParent[i]];
    parent[j] = p;
    const d = depth[p] + 1;
    if (d > 0xffff)
      throw new ProfileError(`a stack is more than 65535 frames deep; Go Lens draws at most 65535`);
    depth[j] = d;
    if (d > maxDepth) maxDepth = d;
    func[j] = compactOfRank[cRank[i]];
  }
  const size = new Uint32Array(F).fill(1);
  for (let j = F - 1; j > 0; j--) size[parent[j]] += size[j];

  // Line slots: the distinct (node, line) pairs of the chain entries. Almost every node sees one
  // line, kept in `firstLine`; further lines go through a hash of (node, line) pairs.
  for (let e = 0; e < E; e++) chainNode[e] = newIndex[chainNode[e]];
  const firstLine = new Int32Array(F).fill(-1);
  const slotCount = new Uint32Array(F + 1);
  const extra = new PairIndex(1024);
  const chainExtra = new Int32Array(E).fill(-1);
  for (let e = 0; e < E; e++) {
    const node = chainNode[e];
    const line = xLine[chainX[e]];
    if (firstLine[node] < 0) {
      firstLine[node] = line;
      slotCount[node + 1] = 1;
    } else if (firstLine[node] !== line) {
      const [entry, added] = extra.find(node, line);
      if (added) extra.rankInNode[entry] = slotCount[node + 1]++;
      chainExtra[e] = entry;
    }
  }
  const slotStart = slotCount;
  for (let i = 0; i < F; i++) slotStart[i + 1] += slotStart[i];
  const S = slotStart[F];
  const slotLine = new Int32Array(S);
  for (let i = 1; i < F; i++) if (firstLine[i] >= 0) slotLine[slotStart[i]] = firstLine[i];
  for (let k = 0; k < extra.count; k++)
    slotLine[slotStart[extra.node[k]] + extra.rankInNode[k]] = extra.line[k];
  const chainSlot = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const node = chainNode[e];
    const k = chainExtra[e];
    chainSlot[e] = k < 0 ? slotStart[node] : slotStart[node] + extra.rankInNode[k];
  }
  const nodeTree = new Int32Array(N);
  for (let n = 1; n < N; n++) nodeTree[n] = chainNode[chainStart[n + 1] - 1];

  // Single-line nodes keep their line; multi-line nodes get their own numbering of slots.
  const line = new Int32Array(F);
  const multiStartList: number[] = [0];
  const multiNodeList: number[] = [];
  const multiSlotBase = new Int32Array(F).fill(-1);
  for (let i = 1; i < F; i++) {
    const c = slotStart[i + 1] - slotStart[i];
    if (c === 1) line[i] = slotLine[slotStart[i]];
    else if (c > 1) {
      const k = multiStartList.length - 1;
      line[i] = -1 - k;
      multiNodeList.push(i);
      multiSlotBase[i] = multiStartList[k];
      multiStartList.push(multiStartList[k] + c);
    }
  }
  const multiStart = Uint32Array.from(multiStartList);
  const multiLine = new Int32Array(multiStart[multiStart.length - 1]);
  for (let i = 1; i < F; i++) {
    if (multiSlotBase[i] < 0) continue;
    for (let s = slotStart[i]; s < slotStart[i + 1]; s++)
      multiLine[multiSlotBase[i] + s - slotStart[i]] = slotLine[s];
  }
  let nMultiEntries = 0;
  for (let e = 0; e < E; e++) if (multiSlotBase[chainNode[e]] >= 0) nMultiEntries++;
  const multiEntryNode = new Int32Array(nMultiEntries);
  const multiEntryLine = new Int32Array(nMultiEntries);
  let j = 0;
  for (let n = 1; n < N; n++) {
    for (let e = chainStart[n]; e < chainStart[n + 1]; e++) {
      const node = chainNode[e];
      if (multiSlotBase[node] < 0) continue;
      multiEntryNode[j] = n;
      multiEntryLine[j++] = multiSlotBase[node] + chainSlot[e] - slotStart[node];
    }
  }
  return {
    count: F,
    parent,
    depth,
    size,
    func,
    funcName,
    funcFile,
    funcKey: Int32Array.from(funcKey),
    maxDepth,
    line,
    multiNode: Int32Array.from(multiNodeList),
    multiStart,
    multiLine,
    multiEntryNode,
    multiEntryLine,
    chainStart,
    chainX,
    nodeTree,
  };
}

/**
 * buildFunctionTree when the function tree is the location trie itself (every location is one
 * frame of a function no other location has): the trie is already in the right order (siblings
 * by the rank of that function, all distinct), each node is one chain entry with one line, and
 * no node has several lines. The same arrays as the general path, in a few passes.
 */
function trieAsFunctionTree(
  lt: LocationTrie,
  locFrameStart: Uint32Array,
  xFunc: Int32Array,
  xLine: Int32Array,
  funcRank: Int32Array,
  rankFunc: Int32Array,
  keyName: string[],
  keyFile: string[],
): FunctionTree {
  const N = lt.count;
  const K = rankFunc.length;
  const chainStart = new Uint32Array(N + 1);
  const chainX = new Int32Array(Math.max(0, N - 1));
  const nodeRank = new Int32Array(N);
  const line = new Int32Array(N);
  const compactOfRank = new Int32Array(K).fill(-1);
  for (let n = 1; n < N; n++) {
    const xf = locFrameStart[lt.loc[n]];
    chainStart[n + 1] = n;
    chainX[n - 1] = xf;
    const r = funcRank[xFunc[xf]];
    nodeRank[n] = r;
    compactOfRank[r] = 0;
    line[n] = xLine[xf];
  }
  // Functions in use, numbered in rank order.
  const { funcName, funcFile, funcKey } = functionsInUse(compactOfRank, rankFunc, keyName, keyFile);
  const parent = lt.parent.slice();
  const depth = new Uint16Array(N);
  const func = new Int32Array(N);
  const nodeTree = new Int32Array(N);
  func[0] = -1;
  let maxDepth = 0;
  for (let j = 1; j < N; j++) {
    const d = depth[parent[j]] + 1;
    if (d > 0xffff)
      throw new ProfileError(`a stack is more than 65535 frames deep; Go Lens draws at most 65535`);
    depth[j] = d;
    if (d > maxDepth) maxDepth = d;
    func[j] = compactOfRank[nodeRank[j]];
    nodeTree[j] = j;
  }
  return {
    count: N,
    parent,
    depth,
    size: lt.size.slice(),
    func,
    funcName,
    funcFile,
    funcKey: Int32Array.from(funcKey),
    maxDepth,
    line,
    multiNode: new Int32Array(0),
    multiStart: new Uint32Array(1),
    multiLine: new Int32Array(0),
    multiEntryNode: new Int32Array(0),
    multiEntryLine: new Int32Array(0),
    chainStart,
    chainX,
    nodeTree,
  };
}

/**
 * The functions of a tree, numbered in rank order: `compactOfRank` marks the ranks in use (0;
 * others -1) and gets each one's number; their names, files and keys in that order.
 */
function functionsInUse(
  compactOfRank: Int32Array,
  rankFunc: Int32Array,
  keyName: string[],
  keyFile: string[],
): { funcName: string[]; funcFile: string[]; funcKey: number[] } {
  const funcName: string[] = [];
  const funcFile: string[] = [];
  const funcKey: number[] = [];
  for (let r = 0; r < rankFunc.length; r++) {
    if (compactOfRank[r] < 0) continue;
    compactOfRank[r] = funcKey.length;
    const k = rankFunc[r];
    funcKey.push(k);
    funcName.push(keyName[k]);
    funcFile.push(keyFile[k]);
  }
  return { funcName, funcFile, funcKey };
}

/** The pre-order of a tree in creation order, children by rank (counting sort by rank, then stable by parent). */
function layoutByRank(
  F: number,
  cParent: Int32Array,
  cRank: Int32Array,
  K: number,
): { order: Int32Array; newIndex: Int32Array } {
  const rankCount = new Uint32Array(K + 1);
  for (let i = 1; i < F; i++) rankCount[cRank[i] + 1]++;
  for (let r = 0; r < K; r++) rankCount[r + 1] += rankCount[r];
  const byRank = new Int32Array(Math.max(0, F - 1));
  for (let i = 1; i < F; i++) byRank[rankCount[cRank[i]]++] = i;
  const childStart = new Uint32Array(F + 1);
  for (let i = 1; i < F; i++) childStart[cParent[i] + 1]++;
  for (let i = 0; i < F; i++) childStart[i + 1] += childStart[i];
  const children = new Int32Array(Math.max(0, F - 1));
  const fill = childStart.slice(0, F);
  for (let j = 0; j < byRank.length; j++) {
    const i = byRank[j];
    children[fill[cParent[i]]++] = i;
  }
  return preorderOfChildren(F, childStart, children);
}

/** True when every location has one frame and no two locations have the same function key. */
function oneFunctionPerLocation(locFrameStart: Uint32Array, xFunc: Int32Array, K: number): boolean {
  const seen = new Uint8Array(K);
  const nLoc = locFrameStart.length - 1;
  for (let l = 0; l < nLoc; l++) {
    const x = locFrameStart[l];
    if (locFrameStart[l + 1] - x !== 1 || seen[xFunc[x]]) return false;
    seen[xFunc[x]] = 1;
  }
  return true;
}

/**
 * Stacks renumbered in the order of their trie nodes (a counting sort), so that passes over the
 * stacks write the node arrays front to back instead of at random.
 */
function orderStacks(
  profile: Profile,
  stacks: Stacks,
  trie: LocationTrie,
  nodeTree: Int32Array,
): {
  sampleStack: Uint32Array;
  stackNode: Int32Array;
  stackTree: Int32Array;
  values: Float64Array;
} {
  const D = stacks.count;
  const N = trie.count;
  const nTypes = profile.sampleTypes.length;
  const count = new Uint32Array(N + 1);
  for (let d = 0; d < D; d++) count[trie.stackNode[d] + 1]++;
  for (let n = 0; n < N; n++) count[n + 1] += count[n];
  const newId = new Uint32Array(D);
  for (let d = 0; d < D; d++) newId[d] = count[trie.stackNode[d]]++;
  const stackNode = new Int32Array(D);
  const stackTree = new Int32Array(D);
  const values = new Float64Array(D * nTypes);
  for (let d = 0; d < D; d++) {
    const j = newId[d];
    const x = trie.stackNode[d];
    stackNode[j] = x;
    stackTree[j] = nodeTree[x];
    for (let t = 0; t < nTypes; t++) values[t * D + j] = stacks.values[d * nTypes + t];
  }
  const sampleStack = stacks.sampleStack;
  for (let s = 0; s < sampleStack.length; s++) sampleStack[s] = newId[sampleStack[s]];
  return { sampleStack, stackNode, stackTree, values };
}

/** (node, line) pairs → entry numbers, in flat arrays with open addressing. */
class PairIndex {
  node: Int32Array;
  line: Int32Array;
  rankInNode: Uint32Array;
  count = 0;
  private table: Int32Array;

  constructor(capacity: number) {
    this.node = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
    this.rankInNode = new Uint32Array(capacity);
    this.table = new Int32Array(capacity * 2).fill(-1);
  }

  private slot(node: number, line: number, mask: number): number {
    return ((Math.imul(node, 0x9e3779b1) ^ Math.imul(line, 0x85ebca6b)) >>> 0) & mask;
  }

  /** The entry of (node, line), and whether it was just added. */
  find(node: number, line: number): [number, boolean] {
    let mask = this.table.length - 1;
    let i = this.slot(node, line, mask);
    for (;;) {
      const e = this.table[i];
      if (e < 0) break;
      if (this.node[e] === node && this.line[e] === line) return [e, false];
      i = (i + 1) & mask;
    }
    const e = this.count++;
    if (e === this.node.length) {
      const grow = <T extends Int32Array | Uint32Array>(a: T): T => {
        const b = new (a.constructor as { new (n: number): T })(e * 2);
        b.set(a);
        return b;
      };
      this.node = grow(this.node);
      this.line = grow(this.line);
      this.rankInNode = grow(this.rankInNode);
    }
    this.node[e] = node;
    this.line[e] = line;
    this.table[i] = e;
    if (this.count * 2 > mask) {
      const table = new Int32Array(this.table.length * 2).fill(-1);
      mask = table.length - 1;
      for (let k = 0; k < this.count; k++) {
        let j = this.slot(this.node[k], this.line[k], mask);
        while (table[j] >= 0) j = (j + 1) & mask;
        table[j] = k;
      }
      this.table = table;
    }
    return [e, true];
  }
}
