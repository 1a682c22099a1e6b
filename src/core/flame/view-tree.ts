import { buildCallTree, pruneCallTreeWith, type CallTree } from './call-tree';
import type { DiffCallTree } from '../pprof/diff';
import type { Profile } from '../pprof/model';

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
 */
export function fitTreeToView(full: CallTree, maxNodes: number, columns: readonly Float64Array[] = []): { tree: CallTree; prunedBelow: number; columns: Float64Array[] } {
  if (full.nodeCount <= maxNodes) return { tree: full, prunedBelow: 0, columns: [...columns] };
  for (let f = 1e-7; f < 1; f *= 4) {
    const pruned = pruneCallTreeWith(full, f, columns);
    if (pruned.tree.nodeCount <= maxNodes) return { ...pruned, prunedBelow: f };
  }
  return { ...pruneCallTreeWith(full, 0.25, columns), prunedBelow: 0.25 };
}

/** The call tree of one sample type of a profile, fitted to a view. */
export function treeForView(profile: Profile, sampleType: number, inverted: boolean, maxNodes: number): { tree: CallTree; prunedBelow: number } {
  const { tree, prunedBelow } = fitTreeToView(buildCallTree(profile, { sampleType, inverted }), maxNodes);
  return { tree, prunedBelow };
}

/** A diff tree as a flame view draws it: widths and per-node base and new totals. */
export interface DiffView {
  /** `total` is max(|base|, |new|) per node, so shrunk and vanished code stays visible. */
  tree: CallTree;
  prunedBelow: number;
  base: Float64Array;
  current: Float64Array;
}

/**
 * Turns a diff tree (total = new − base) into a drawable one: each node as wide as the larger of
 * its base and new totals, coloured by the difference in the view.
 */
export function diffTreeForView(diff: DiffCallTree, maxNodes: number): DiffView {
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
  const fitted = fitTreeToView(drawable, maxNodes, [diff.baseTotal, diff.newTotal]);
  return { tree: fitted.tree, prunedBelow: fitted.prunedBelow, base: fitted.columns[0], current: fitted.columns[1] };
}
