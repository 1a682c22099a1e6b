// Folded stacks written from a call tree: `golens folded`, the profile view's Export… and the
// diff's folded text all go through the profile index's tree, in the escaping and number format of
// pprof/folded.ts.
import { escapeFoldedFrame, formatInteger } from '../pprof/folded';
import type { Profile } from '../pprof/model';
import { indexProfile } from '../pprof/profile-index';
import type { CallTree } from './call-tree';
import { filteredCallTree } from './filtered-tree';

/**
 * The folded-stack lines of one sample type: one line per distinct stack of function names
 * (inlined frames included, root first, joined by `;`), then a space and the summed value.
 * Frames without a function are named as pprof names them (pprofAddressName). Stacks that sum to
 * 0 are left out. Sorted by stack text, so the output is deterministic.
 */
export function foldedStacks(profile: Profile, sampleType: number): string[] {
  return foldedFromTree(filteredCallTree(indexProfile(profile), { sampleType }));
}

/**
 * Collapsed stacks from a call tree (each node's self value on the stack of names down to it),
 * summed per distinct name sequence, zero sums left out, sorted by stack text. `signed` writes a
 * `+` before positive values, as diffs print them.
 */
export function foldedFromTree(tree: CallTree, signed = false): string[] {
  const sums = new Map<string, number>();
  const text: string[] = new Array(tree.nodeCount);
  text[0] = '';
  for (let i = 1; i < tree.nodeCount; i++) {
    const p = tree.parent[i];
    const name = escapeFoldedFrame(tree.funcName[tree.func[i]]);
    text[i] = p === 0 ? name : text[p] + ';' + name;
    const self = tree.self[i];
    if (self !== 0) sums.set(text[i], (sums.get(text[i]) ?? 0) + self);
  }
  const stacks = [...sums.keys()]
    .filter((k) => sums.get(k) !== 0)
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return stacks.map((k) => {
    const v = sums.get(k)!;
    return `${k} ${signed && v > 0 ? '+' : ''}${formatInteger(v)}`;
  });
}
