// Orders over the flat trees of the profile index and the call trees built from it: stack hashes,
// a radix sort of hashes, and the depth-first pre-order with siblings by rank that every tree of
// Go Lens is laid out in. Linear passes over typed arrays, no object per node.

/** Finishes a running stack hash (murmur3-style avalanche), shared with the profile index. */
export function finishHash(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Indexes 0..n-1 ordered by the unsigned value of `keys[i]` (LSD radix sort, four 8-bit passes). */
export function radixOrder(keys: Int32Array, n: number): Int32Array {
  let from = new Int32Array(n);
  let to = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  const count = new Uint32Array(257);
  for (let shift = 0; shift < 32; shift += 8) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((keys[i] >>> shift) & 0xff) + 1]++;
    for (let b = 0; b < 256; b++) count[b + 1] += count[b];
    for (let j = 0; j < n; j++) {
      const i = from[j];
      to[count[(keys[i] >>> shift) & 0xff]++] = i;
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}

/**
 * The depth-first pre-order of a tree given in creation order (node 0 the root, parents before
 * children), siblings in ascending `rank` (values in [0, ranks)): a counting sort by rank, then a
 * stable grouping by parent, then a walk with an explicit stack (trees can be thousands deep).
 * Siblings of equal rank keep creation order, or their order in `tieOrder` (nodes 1..n-1) when
 * given. `order[j]` is the node at pre-order position j; `newIndex` is its inverse.
 */
export function preorderByRank(
  n: number,
  parentIn: ArrayLike<number>,
  rank: ArrayLike<number>,
  ranks: number,
  tieOrder?: Int32Array,
): { order: Int32Array; newIndex: Int32Array } {
  const byRank = tieOrder
    ? countingSortOf(tieOrder, ranks, rank)
    : countingSort(n, ranks, (i) => rank[i]);
  const childStart = new Uint32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parentIn[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const children = new Int32Array(Math.max(0, n - 1));
  const fill = childStart.slice(0, n);
  for (let j = 0; j < byRank.length; j++) {
    const i = byRank[j];
    children[fill[parentIn[i]]++] = i;
  }
  return preorderOfChildren(n, childStart, children);
}

/** Nodes 1..n-1 stably sorted by `keyOf`, whose values are in [0, buckets). */
function countingSort(n: number, buckets: number, keyOf: (i: number) => number): Int32Array {
  const count = new Uint32Array(buckets + 1);
  for (let i = 1; i < n; i++) count[keyOf(i) + 1]++;
  for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
  const out = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) out[count[keyOf(i)]++] = i;
  return out;
}

/** The nodes of `nodes`, stably sorted by `key`, whose values are in [0, buckets). */
function countingSortOf(nodes: Int32Array, buckets: number, key: ArrayLike<number>): Int32Array {
  const count = new Uint32Array(buckets + 1);
  for (let j = 0; j < nodes.length; j++) count[key[nodes[j]] + 1]++;
  for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
  const out = new Int32Array(nodes.length);
  for (let j = 0; j < nodes.length; j++) out[count[key[nodes[j]]]++] = nodes[j];
  return out;
}

/**
 * preorderByRank for a tree whose siblings all have distinct ranks (so no tie order is needed),
 * made for trees created nearly in that order (from sorted input): children are listed in
 * creation order, which reads and writes memory front to back, and only the lists that are not
 * already ascending get sorted. Undefined when two siblings have the same rank.
 */
export function preorderByDistinctRank(
  n: number,
  parentIn: Int32Array,
  rank: Int32Array,
): { order: Int32Array; newIndex: Int32Array } | undefined {
  const childStart = new Uint32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parentIn[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const children = new Int32Array(Math.max(0, n - 1));
  const fill = childStart.slice(0, n);
  for (let i = 1; i < n; i++) children[fill[parentIn[i]]++] = i;
  for (let v = 0; v < n; v++) {
    const a = childStart[v];
    const b = childStart[v + 1];
    let sorted = true;
    for (let c = a + 1; c < b; c++) {
      if (rank[children[c]] <= rank[children[c - 1]]) {
        sorted = false;
        break;
      }
    }
    if (sorted) continue;
    const list = children.subarray(a, b);
    if (b - a <= 16) {
      for (let c = 1; c < list.length; c++) {
        const x = list[c];
        const r = rank[x];
        let j = c - 1;
        for (; j >= 0 && rank[list[j]] > r; j--) list[j + 1] = list[j];
        list[j + 1] = x;
      }
    } else list.set(Int32Array.from(list).sort((x, y) => rank[x] - rank[y]));
    for (let c = 1; c < list.length; c++) if (rank[list[c]] === rank[list[c - 1]]) return undefined;
  }
  return preorderOfChildren(n, childStart, children);
}

/**
 * preorderByDistinctRank for a tree already numbered in pre-order (parents first, each subtree a
 * contiguous range) whose siblings are in ascending rank except under the nodes flagged in
 * `unordered`: the subtrees with no such node inside keep their order and are copied as ranges;
 * only the flagged nodes' children are sorted. Undefined when two siblings have the same rank.
 */
export function preorderOfNearlySorted(
  n: number,
  parent: Int32Array,
  rank: Int32Array,
  unordered: Uint8Array,
): { order: Int32Array; newIndex: Int32Array } | undefined {
  const size = new Uint32Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) size[parent[i]] += size[i];
  // Nodes with a flagged node in their subtree (the flagged ones and their ancestors).
  const dirty = new Uint8Array(n);
  for (let v = 0; v < n; v++)
    if (unordered[v] === 1) for (let a = v; a >= 0 && dirty[a] === 0; a = parent[a]) dirty[a] = 1;
  const order = new Int32Array(n);
  const newIndex = new Int32Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  stack[sp++] = 0;
  let next = 0;
  const list: number[] = [];
  while (sp > 0) {
    const v = stack[--sp];
    if (dirty[v] === 0) {
      for (let i = v; i < v + size[v]; i++) {
        order[next] = i;
        newIndex[i] = next++;
      }
      continue;
    }
    order[next] = v;
    newIndex[v] = next++;
    list.length = 0;
    for (let c = v + 1; c < v + size[v]; c += size[c]) list.push(c);
    if (unordered[v] === 1) {
      list.sort((x, y) => rank[x] - rank[y]);
      for (let c = 1; c < list.length; c++)
        if (rank[list[c]] === rank[list[c - 1]]) return undefined;
    }
    for (let c = list.length - 1; c >= 0; c--) stack[sp++] = list[c];
  }
  return { order, newIndex };
}

/**
 * The depth-first pre-order of a tree of n nodes (root 0) whose children, in the order to visit
 * them, are `children[childStart[v] .. childStart[v + 1])`: with an explicit stack (trees can be
 * thousands deep). `order[j]` is the node at position j; `newIndex` is its inverse.
 */
export function preorderOfChildren(
  n: number,
  childStart: Uint32Array,
  children: Int32Array,
): { order: Int32Array; newIndex: Int32Array } {
  const order = new Int32Array(n);
  const newIndex = new Int32Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  stack[sp++] = 0;
  let next = 0;
  while (sp > 0) {
    const node = stack[--sp];
    order[next] = node;
    newIndex[node] = next++;
    for (let c = childStart[node + 1] - 1; c >= childStart[node]; c--) stack[sp++] = children[c];
  }
  return { order, newIndex };
}
