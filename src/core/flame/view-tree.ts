import { countKeptNodes, pruneCallTreeWith, type CallTree } from './call-tree';
import { findExactNamePath } from '../layout/flame-layout';

/**
 * Nodes sent to a flame view at most. Measured on the 1M-sample benchmark profile: posting a
 * 100k-node tree to a webview and drawing it first takes well under 100 ms, 200k nodes did not.
 * A node left out is narrower than 1/25,000 of the view (well under a pixel) until zoomed far in.
 */
export const MAX_VIEW_NODES = 100_000;

/**
 * Prunes `full` until it has at most `maxNodes` nodes: the cut-off fraction is raised (×4 at a
 * time, from 1e-7) until it fits. `prunedBelow` is the fraction used (0 when nothing was left
 * out), so the view can say so. `columns` (per-node values) are pruned alongside.
 * `focusPath` (function names from the root) names the node a flame view is zoomed into: when it
 * is in the tree, the cut-off applies to that node's total inside its subtree (see `cutUnder`).
 */
export function fitTreeToView(
  full: CallTree,
  maxNodes: number,
  columns: readonly Float64Array[] = [],
  focusPath: readonly string[] = [],
): { tree: CallTree; prunedBelow: number; columns: Float64Array[]; focusPath: string[] } {
  if (full.nodeCount <= maxNodes)
    return { tree: full, prunedBelow: 0, columns: [...columns], focusPath: [] };
  const focus = Math.max(0, findExactNamePath(full, focusPath));
  const used = focus === 0 ? [] : [...focusPath];
  // The first fraction that fits, found by counting (fewer nodes are kept as the fraction grows,
  // so a binary search over the fractions tried), then one pruned tree.
  const fractions: number[] = [];
  for (let f = 1e-7; f < 1; f *= 4) fractions.push(f);
  let lo = 0;
  let hi = fractions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (countKeptNodes(full, fractions[mid], focus) <= maxNodes) hi = mid;
    else lo = mid + 1;
  }
  if (lo < fractions.length) {
    const f = fractions[lo];
    return { ...pruneCallTreeWith(full, f, columns, focus), prunedBelow: f, focusPath: used };
  }
  return { ...pruneCallTreeWith(full, 0.25, columns, focus), prunedBelow: 0.25, focusPath: used };
}

/** A tree as fitted for a view: what was left out is relative to the node at `focusPath`. */
export interface FittedTree {
  tree: CallTree;
  prunedBelow: number;
  focusPath: readonly string[];
}

/**
 * A zoomed flame view needs no finer tree while the frames left out under the zoomed node are
 * narrower than this share of it: under half a pixel on a 4000-pixel-wide view.
 */
export const REFINE_BELOW = 1 / 8000;

/**
 * The widest a left-out frame under `node` of `t` can be, as a share of `node`'s total: 0 when
 * nothing was left out, Infinity when `node` is not a node of `t`.
 */
export function cutUnder(t: FittedTree, node: number): number {
  if (t.prunedBelow === 0) return 0;
  const { tree } = t;
  if (node < 0 || node >= tree.nodeCount) return Infinity;
  const anchor = Math.max(0, findExactNamePath(tree, t.focusPath));
  const inside = node >= anchor && node < anchor + tree.subtreeSize[anchor];
  const cut = t.prunedBelow * Math.abs(tree.total[inside ? anchor : 0]);
  const total = Math.abs(tree.total[node]);
  return total === 0 ? 0 : cut / total;
}

/**
 * Of the trees fitted for one query, the one to draw a view zoomed into `path`: the one that
 * leaves out the least under the zoomed node. `refine` says a tree fitted to `path` should be
 * asked for, because even the best leaves out frames that would be visible.
 */
export function pickTreeForZoom<T extends FittedTree>(
  trees: readonly T[],
  path: readonly string[],
): { tree: T | undefined; refine: boolean } {
  let best: T | undefined;
  let bestCut = Infinity;
  for (const t of trees) {
    const node = findExactNamePath(t.tree, path);
    const cut = node < 0 ? Infinity : cutUnder(t, node);
    if (best === undefined || cut < bestCut) {
      best = t;
      bestCut = cut;
    }
  }
  return { tree: best, refine: best !== undefined && bestCut > REFINE_BELOW };
}
