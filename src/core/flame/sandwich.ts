// The sandwich view of one function: who calls it (an inverted tree rooted at the function) and
// what it calls (a tree rooted at the function), each merging every place the function occurs.
//
// When the filter only selects stacks, the work starts from the function's own trie nodes
// (function → locations → trie nodes, from the index): the callees are the subtrees below its
// root-most occurrences, the callers the paths above its leaf-most ones, and node totals come from
// prefix sums, so the cost follows the function's share of the profile, not the profile's size.
import { evaluate, type Evaluation, type ProfileQuery } from '../pprof/evaluate';
import type { ProfileIndex } from '../pprof/profile-index';
import type { CallTree } from './call-tree';
import { TreeBuilder, valuesAtLeaves } from './filtered-tree';

/**
 * A function of the profile: every frame whose function has this name (and, when given, this
 * file). A flame graph node gives both (`tree.funcName[tree.func[i]]`, `tree.funcFile[…]`); a top
 * table row gives the name, which is how pprof's -top merges functions.
 */
export interface FunctionRef {
  name: string;
  file?: string;
}

/** The two halves of a sandwich, plus the function's own figures. */
export interface Sandwich {
  /**
   * Callers: node 0 holds every kept sample whose stack contains the function; under it the
   * function (one node per matching (name, file)), under that its callers, theirs, and so on to
   * the stacks' roots. Each sample is taken from its leaf-most occurrence of the function, so a
   * recursive function's own recursion shows as callers.
   */
  callers: CallTree;
  /**
   * Callees: node 0 as in `callers`; under it the function, under that what it calls. Each sample
   * is taken from its root-most occurrence, so recursion below it shows as callees.
   */
  callees: CallTree;
  /** The function's own value (samples whose leaf frame is the function). */
  flat: number;
  /** The value of the samples whose stack contains the function, each counted once. */
  cum: number;
}

/** Function keys of the index that `fn` names (1 = matches); only keys of profile Functions (not `??` or addresses). */
export function matchFunction(index: ProfileIndex, fn: FunctionRef): Uint8Array {
  const is = new Uint8Array(index.funcCount);
  for (let k = 0; k < index.funcCount; k++) {
    if (
      index.funcHasFunction[k] &&
      index.funcName[k] === fn.name &&
      (fn.file === undefined || index.funcFile[k] === fn.file)
    )
      is[k] = 1;
  }
  return is;
}

/**
 * The sandwich of `fn` for a query (sample type + filter). Throws FilterError for an invalid
 * filter, RangeError for a sample type the profile lacks. A function that is not in the kept
 * samples gives two root-only trees.
 */
export function sandwich(index: ProfileIndex, query: ProfileQuery, fn: FunctionRef): Sandwich {
  return sandwichOf(evaluate(index, query), fn);
}

/** `sandwich` of an evaluated query (the worker evaluates each query once for every view). */
export function sandwichOf(ev: Evaluation, fn: FunctionRef): Sandwich {
  const isF = matchFunction(ev.index, fn);
  return ev.structural ? sandwichWalk(ev, isF) : sandwichFromOccurrences(ev, isF);
}

/** Sandwich for filters that edit stacks: the whole (filtered) trie walked once. */
function sandwichWalk(ev: Evaluation, isF: Uint8Array): Sandwich {
  const index = ev.index;
  const N = index.nodeCount;
  const size = index.nodeSize;
  const parent = index.nodeParent;
  const total = ev.nodeTotal!;
  const abs = ev.nodeAbs!;
  const cs = ev.chainStart;
  const cx = ev.chainX;
  const xFunc = index.xFunc;
  const xLine = index.xLine;
  const sampleType = index.profile.sampleTypes[ev.sampleType];

  // Callees: walk the trie top-down; a path starts its tree at its first frame of the function.
  // lastF (for the callers) is the deepest node on each path holding the function.
  const callees = new TreeBuilder(index, 1024);
  const treeOf = new Int32Array(N);
  treeOf[0] = -1;
  const lastF = new Int32Array(N);
  lastF[0] = -1;
  for (let n = 1; n < N; n++) {
    if (abs[n] === 0) {
      n += size[n] - 1;
      continue;
    }
    let p = treeOf[parent[n]];
    let last = lastF[parent[n]];
    const v = total[n];
    for (let e = cs[n]; e < cs[n + 1]; e++) {
      const x = cx[e];
      const key = xFunc[x];
      if (isF[key]) last = n;
      if (p >= 0) p = callees.add(p, key, xLine[x], v);
      else if (isF[key]) p = callees.add(0, key, xLine[x], v);
    }
    treeOf[n] = p;
    lastF[n] = last;
  }

  const leaves = valuesAtLeaves(ev);
  let cum = 0;
  let flat = 0;
  const fromF = new Float64Array(N);
  const fromFAbs = new Float64Array(N);
  for (let i = 0; i < leaves.nodes.length; i++) {
    const x = leaves.nodes[i];
    const v = leaves.value[i];
    const t = treeOf[x];
    if (t < 0) continue;
    cum += v;
    callees.addSelf(t, v);
    // The stack's leaf frame: innermost kept frame of its deepest visible node.
    const lv = ev.lastVisible ? ev.lastVisible[x] : x;
    if (cs[lv] < cs[lv + 1] && isF[xFunc[cx[cs[lv + 1] - 1]]]) flat += v;
    fromF[lastF[x]] += v;
    fromFAbs[lastF[x]] += leaves.abs[i];
  }
  callees.setRoot(cum, 0);

  // Callers: from each node holding the function, from its innermost occurrence up to the root.
  const callers = new TreeBuilder(index, 1024);
  for (let a = 1; a < N; a++) if (fromFAbs[a] !== 0) addCallerPath(ev, isF, callers, a, fromF[a]);
  callers.setRoot(cum, 0);
  return { callers: callers.finish(sampleType), callees: callees.finish(sampleType), flat, cum };
}

/** Adds the path from the innermost frame of the function in trie node a up to the root. */
function addCallerPath(
  ev: Evaluation,
  isF: Uint8Array,
  b: TreeBuilder,
  a: number,
  v: number,
): void {
  const index = ev.index;
  const cs = ev.chainStart;
  const cx = ev.chainX;
  const xFunc = index.xFunc;
  const xLine = index.xLine;
  const parent = index.nodeParent;
  let p = 0;
  let e = cs[a + 1] - 1;
  while (!isF[xFunc[cx[e]]]) e--;
  for (; e >= cs[a]; e--) p = b.add(p, xFunc[cx[e]], xLine[cx[e]], v);
  for (let n = parent[a]; n > 0; n = parent[n]) {
    for (let j = cs[n + 1] - 1; j >= cs[n]; j--) p = b.add(p, xFunc[cx[j]], xLine[cx[j]], v);
  }
  b.addSelf(p, v);
}

/** Sandwich for filters that only select stacks, from the function's trie nodes. */
function sandwichFromOccurrences(ev: Evaluation, isF: Uint8Array): Sandwich {
  const index = ev.index;
  const size = index.nodeSize;
  const parent = index.nodeParent;
  const nss = index.nodeStackStart;
  const P = ev.prefix!;
  const PA = ev.prefixAbs!;
  const cs = index.chainStart;
  const cx = index.chainX;
  const xFunc = index.xFunc;
  const xLine = index.xLine;
  const stackVal = ev.stackVal;
  const stackAbs = ev.stackAbs;
  const sampleType = index.profile.sampleTypes[ev.sampleType];

  // The trie nodes whose location has a frame of the function, in pre-order.
  const occ: number[] = [];
  const seenLoc = new Set<number>();
  for (let k = 0; k < index.funcCount; k++) {
    if (!isF[k]) continue;
    for (let i = index.keyLocStart[k]; i < index.keyLocStart[k + 1]; i++) {
      const l = index.keyLocs[i];
      if (seenLoc.has(l)) continue;
      seenLoc.add(l);
      for (let j = index.locNodeStart[l]; j < index.locNodeStart[l + 1]; j++)
        occ.push(index.locNodes[j]);
    }
  }
  const nodes = Int32Array.from(occ).sort();
  const tot = (n: number): number => P[nss[n + size[n]]] - P[nss[n]];
  const absOf = (n: number): number => PA[nss[n + size[n]]] - PA[nss[n]];
  const selfOf = (n: number): [number, number] => {
    let v = 0;
    let a = 0;
    for (let d = nss[n]; d < nss[n + 1]; d++) {
      v += stackVal[d];
      a += stackAbs[d];
    }
    return [v, a];
  };

  // Callees: below each root-most occurrence (one not inside another's subtree), its subtree.
  const callees = new TreeBuilder(index, 1024);
  const pathNode = new Int32Array(index.nodeMaxDepth + 2);
  const pathTree = new Int32Array(index.nodeMaxDepth + 2);
  let cum = 0;
  let flat = 0;
  let end = 0;
  for (let i = 0; i < nodes.length; i++) {
    const a = nodes[i];
    if (a < end) continue;
    end = a + size[a];
    if (absOf(a) === 0) continue;
    const va = tot(a);
    cum += va;
    let e = cs[a];
    while (!isF[xFunc[cx[e]]]) e++;
    let t = 0;
    for (; e < cs[a + 1]; e++) t = callees.add(t, xFunc[cx[e]], xLine[cx[e]], va);
    const [sa, saAbs] = selfOf(a);
    if (saAbs !== 0) callees.addSelf(t, sa);
    pathNode[0] = a;
    pathTree[0] = t;
    let sp = 1;
    for (let n = a + 1; n < end; n++) {
      const lo = nss[n];
      const hi = nss[n + size[n]];
      if (PA[hi] === PA[lo]) {
        n += size[n] - 1;
        continue;
      }
      const v = P[hi] - P[lo];
      const p = parent[n];
      while (pathNode[sp - 1] !== p) sp--;
      let u = pathTree[sp - 1];
      for (let q = cs[n]; q < cs[n + 1]; q++) u = callees.add(u, xFunc[cx[q]], xLine[cx[q]], v);
      pathNode[sp] = n;
      pathTree[sp++] = u;
      const [sn, snAbs] = selfOf(n);
      if (snAbs !== 0) callees.addSelf(u, sn);
    }
  }
  callees.setRoot(cum, 0);

  // Callers: each stack from its leaf-most occurrence. An occurrence's share is its total minus
  // that of the occurrences nested directly below it.
  const share = Float64Array.from(nodes, tot);
  const shareAbs = Float64Array.from(nodes, absOf);
  const open: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const c = nodes[i];
    while (
      open.length > 0 &&
      nodes[open[open.length - 1]] + size[nodes[open[open.length - 1]]] <= c
    )
      open.pop();
    if (open.length > 0) {
      const up = open[open.length - 1];
      share[up] -= share[i];
      shareAbs[up] -= shareAbs[i];
    }
    open.push(i);
  }
  const callers = new TreeBuilder(index, 1024);
  for (let i = 0; i < nodes.length; i++) {
    if (shareAbs[i] === 0) continue;
    addCallerPath(ev, isF, callers, nodes[i], share[i]);
    // Samples ending here whose leaf frame is the function.
    const a = nodes[i];
    if (isF[xFunc[cx[cs[a + 1] - 1]]]) flat += selfOf(a)[0];
  }
  callers.setRoot(cum, 0);
  return { callers: callers.finish(sampleType), callees: callees.finish(sampleType), flat, cum };
}
