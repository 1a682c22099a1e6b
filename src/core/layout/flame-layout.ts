// Flame graph geometry, independent of any drawing surface: where each call-tree node starts,
// which nodes are visible in a viewport, and which node is under a point. Works on the
// pre-order layout of `CallTree` (the subtree of node i is i .. i + subtreeSize[i] - 1), so a
// whole invisible subtree is skipped with one jump.
import type { CallTree } from '../flame/call-tree';

/**
 * Start of every node along the value axis (root starts at 0, children side by side from their
 * parent's start, in tree order). One linear pass.
 */
export function layoutStarts(tree: CallTree): Float64Array {
  const start = new Float64Array(tree.nodeCount);
  const next = new Float64Array(tree.nodeCount);
  // Pre-order visits a parent before its children, so next[p] is set when a child needs it.
  for (let i = 1; i < tree.nodeCount; i++) {
    const p = tree.parent[i];
    start[i] = next[p];
    next[p] += tree.total[i];
    next[i] = start[i];
  }
  return start;
}

/** The part of the graph on screen: a value range mapped onto `width` pixels, and a row range. */
export interface FlameViewport {
  /** Value at the left edge. */
  x0: number;
  /** Value at the right edge. */
  x1: number;
  width: number;
  /** First and last depth (row) that can be seen. */
  firstRow: number;
  lastRow: number;
}

/**
 * Calls `visit(node, left, right)` with pixel edges for every node at least `minWidthPx` wide
 * that intersects the viewport, parents before children. Narrower nodes and everything under
 * them are skipped: a child is never wider than its parent.
 */
export function forEachVisibleNode(
  tree: CallTree,
  start: Float64Array,
  vp: FlameViewport,
  minWidthPx: number,
  visit: (node: number, left: number, right: number) => void,
): void {
  const scale = vp.width / (vp.x1 - vp.x0);
  const n = tree.nodeCount;
  let i = 0;
  while (i < n) {
    const left = (start[i] - vp.x0) * scale;
    const right = left + tree.total[i] * scale;
    const depth = tree.depth[i];
    if (right - left < minWidthPx || right <= 0 || left >= vp.width || depth > vp.lastRow) {
      i += tree.subtreeSize[i];
      continue;
    }
    if (depth >= vp.firstRow) visit(i, left, right);
    i++;
  }
}

/** The node at value `x` on row `depth`, or -1. Walks down from the root. */
export function nodeAt(tree: CallTree, start: Float64Array, x: number, depth: number): number {
  if (tree.nodeCount === 0 || x < start[0] || x >= start[0] + tree.total[0]) return -1;
  let node = 0;
  while (tree.depth[node] < depth) {
    const end = node + tree.subtreeSize[node];
    let found = -1;
    for (let c = node + 1; c < end; c += tree.subtreeSize[c]) {
      if (x >= start[c] && x < start[c] + tree.total[c]) {
        found = c;
        break;
      }
    }
    if (found < 0) return -1;
    node = found;
  }
  return node;
}

/** Node indexes from the root down to `node` (inclusive). */
export function pathTo(tree: CallTree, node: number): number[] {
  const path: number[] = [];
  for (let i = node; i >= 0; i = tree.parent[i]) path.push(i);
  return path.reverse();
}

/**
 * Finds a node by the function names on its path from the root (root excluded). Used to restore
 * a zoom after the tree was rebuilt (another sample type, a reload). Returns the deepest match.
 */
export function findByNamePath(tree: CallTree, names: readonly string[]): number {
  return walkNamePath(tree, names).node;
}

/** The node at the end of a path of function names from the root, or −1 when the path leaves the tree. */
export function findExactNamePath(tree: CallTree, names: readonly string[]): number {
  const { node, matched } = walkNamePath(tree, names);
  return matched === names.length ? node : -1;
}

function walkNamePath(tree: CallTree, names: readonly string[]): { node: number; matched: number } {
  let node = 0;
  let matched = 0;
  for (const name of names) {
    const end = node + tree.subtreeSize[node];
    let found = -1;
    for (let c = node + 1; c < end; c += tree.subtreeSize[c]) {
      if (tree.funcName[tree.func[c]] === name) {
        found = c;
        break;
      }
    }
    if (found < 0) break;
    node = found;
    matched++;
  }
  return { node, matched };
}

/** Function names from the root (excluded) to `node`. */
export function namePath(tree: CallTree, node: number): string[] {
  return pathTo(tree, node)
    .slice(1)
    .map((i) => tree.funcName[tree.func[i]]);
}

/**
 * Marks the nodes whose function name matches, and returns the share of the root they cover:
 * a match under another match is not counted twice.
 */
export function matchNodes(
  tree: CallTree,
  matches: (name: string) => boolean,
): { matched: Uint8Array; matchedTotal: number } {
  const n = tree.nodeCount;
  const matched = new Uint8Array(n);
  const funcMatches = tree.funcName.map((name) => matches(name));
  let matchedTotal = 0;
  // Scan in pre-order; `coveredUntil` is the end of the subtree of the outermost open match.
  let coveredUntil = 0;
  for (let i = 1; i < n; i++) {
    if (!funcMatches[tree.func[i]]) continue;
    matched[i] = 1;
    if (i >= coveredUntil) {
      matchedTotal += tree.total[i];
      coveredUntil = i + tree.subtreeSize[i];
    }
  }
  return { matched, matchedTotal };
}
