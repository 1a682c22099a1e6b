import { buildCallTree, pruneCallTree, type CallTree } from './call-tree';
import type { Profile } from '../pprof/model';

/** Nodes sent to a flame view at most: drawing stays within a frame, and the message within ~15 MB. */
export const MAX_VIEW_NODES = 100_000;

/**
 * The call tree of one sample type, small enough to post to a webview: when the full tree has
 * more than `maxNodes` nodes, the cut-off fraction is raised (×4 at a time, from 1e-7) until it
 * fits. `prunedBelow` is the fraction used (0 when nothing was left out), so the view can say so.
 */
export function treeForView(profile: Profile, sampleType: number, inverted: boolean, maxNodes: number): { tree: CallTree; prunedBelow: number } {
  const full = buildCallTree(profile, { sampleType, inverted });
  if (full.nodeCount <= maxNodes) return { tree: full, prunedBelow: 0 };
  for (let f = 1e-7; f < 1; f *= 4) {
    const pruned = pruneCallTree(full, f);
    if (pruned.nodeCount <= maxNodes) return { tree: pruned, prunedBelow: f };
  }
  return { tree: pruneCallTree(full, 0.25), prunedBelow: 0.25 };
}
