// Folded stacks (Brendan Gregg's flamegraph.pl input): one line per distinct stack of function
// names, root first, `a;b;c 123`.
import { buildCallTree, type CallTree } from '../flame/call-tree';
import type { Profile } from './model';

/** Prints an integer-valued sum without exponent notation (values are int64 in the profile). */
export function formatInteger(v: number): string {
  if (Number.isSafeInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  return BigInt(Math.round(v)).toString();
}

/**
 * The folded-stack lines of one sample type: one line per distinct stack of function names
 * (inlined frames included, root first, joined by `;`), then a space and the summed value.
 * Stacks that sum to 0 are left out. Sorted by stack text, so the output is deterministic.
 */
export function foldedStacks(profile: Profile, sampleType: number): string[] {
  const tree = buildCallTree(profile, { sampleType });
  // Tree nodes are (name, file) paths; folded text merges paths whose names match.
  const sums = new Map<string, number>();
  const text: string[] = new Array(tree.nodeCount);
  text[0] = '';
  for (let i = 1; i < tree.nodeCount; i++) {
    const p = tree.parent[i];
    const name = tree.funcName[tree.func[i]];
    text[i] = p === 0 ? name : text[p] + ';' + name;
    const self = tree.self[i];
    if (self !== 0) sums.set(text[i], (sums.get(text[i]) ?? 0) + self);
  }
  const stacks = [...sums.keys()].filter((k) => sums.get(k) !== 0).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return stacks.map((k) => `${k} ${formatInteger(sums.get(k)!)}`);
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
    const name = tree.funcName[tree.func[i]];
    text[i] = p === 0 ? name : text[p] + ';' + name;
    const self = tree.self[i];
    if (self !== 0) sums.set(text[i], (sums.get(text[i]) ?? 0) + self);
  }
  const stacks = [...sums.keys()].filter((k) => sums.get(k) !== 0).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return stacks.map((k) => {
    const v = sums.get(k)!;
    return `${k} ${signed && v > 0 ? '+' : ''}${formatInteger(v)}`;
  });
}
