import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../support/call-tree-oracle';
import { pruneCallTree, pruneCallTreeWith } from '../../../src/core/flame/call-tree';
import {
  cutUnder,
  fitTreeToView,
  pickTreeForZoom,
  REFINE_BELOW,
} from '../../../src/core/flame/view-tree';
import { diffCallTree, diffTreeForView } from '../../../src/core/flame/diff-tree';
import { foldedFromTree } from '../../../src/core/flame/folded-tree';
import { findExactNamePath, namePath } from '../../../src/core/layout/flame-layout';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks } from '../pprof/encode';

const profileOf = (stacks: [string[], number][]) =>
  decodeProfile(encodeProfile(profileFromStacks(stacks)), gunzip);

describe('fitting trees to a view', () => {
  const p = profileOf(
    Array.from(
      { length: 200 },
      (_, i) => [['main', `f${i}`, `g${i % 7}`], i + 1] as [string[], number],
    ),
  );
  const full = buildCallTree(p, { sampleType: 0 });

  it('keeps the whole tree when it fits, and says nothing was left out', () => {
    const r = fitTreeToView(full, full.nodeCount);
    expect(r.prunedBelow).toBe(0);
    expect(r.tree).toBe(full);
  });
  it('raises the cut-off until the tree fits, keeping the biggest nodes', () => {
    const r = fitTreeToView(full, 150);
    expect(r.tree.nodeCount).toBeLessThanOrEqual(150);
    expect(r.prunedBelow).toBeGreaterThan(0);
    expect(r.tree.total[0]).toBe(full.total[0]);
    const kept = new Set(Array.from(r.tree.func.subarray(1), (f) => r.tree.funcName[f]));
    expect(kept.has('f199')).toBe(true);
  });
  it('carries extra columns along with the pruned nodes', () => {
    const column = Float64Array.from(full.total, (t) => t * 10);
    const r = pruneCallTreeWith(full, 0.01, [column]);
    expect(r.tree).toEqual(pruneCallTree(full, 0.01));
    for (let i = 0; i < r.tree.nodeCount; i++) expect(r.columns[0][i]).toBe(r.tree.total[i] * 10);
  });
});

describe('zooming into a pruned tree', () => {
  // One heavy path and one light function with many tiny callees: fitted from the root, the
  // callees are left out; zoomed into the light function they are wide enough to see.
  const stacks: [string[], number][] = [[['main', 'heavy'], 100_000_000]];
  for (let i = 0; i < 300; i++)
    stacks.push([['main', 'light', `leaf${String(i).padStart(3, '0')}`], 1 + i]);
  const full = buildCallTree(profileOf(stacks), { sampleType: 0 });
  const light = findExactNamePath(full, ['main', 'light']);

  it('keeps the detail under the zoomed node, relative to its own total', () => {
    const base = fitTreeToView(full, 250);
    expect(findExactNamePath(base.tree, ['main', 'light', 'leaf000'])).toBe(-1);
    expect(cutUnder(base, findExactNamePath(base.tree, ['main', 'light']))).toBeGreaterThan(
      REFINE_BELOW,
    );

    const zoomed = fitTreeToView(full, 250, [], ['main', 'light']);
    expect(zoomed.focusPath).toEqual(['main', 'light']);
    expect(zoomed.tree.nodeCount).toBeLessThanOrEqual(250);
    const node = findExactNamePath(zoomed.tree, ['main', 'light']);
    expect(zoomed.tree.total[node]).toBe(full.total[light]);
    // The widest callees are kept with their exact totals; all left out are narrower than the cut.
    const kept = new Map<string, number>();
    for (
      let c = node + 1;
      c < node + zoomed.tree.subtreeSize[node];
      c += zoomed.tree.subtreeSize[c]
    )
      kept.set(zoomed.tree.funcName[zoomed.tree.func[c]], zoomed.tree.total[c]);
    expect(kept.size).toBeGreaterThan(50);
    for (let c = light + 1; c < light + full.subtreeSize[light]; c += full.subtreeSize[c]) {
      const name = full.funcName[full.func[c]];
      if (kept.has(name)) expect(kept.get(name)).toBe(full.total[c]);
      else expect(full.total[c] / full.total[light]).toBeLessThan(cutUnder(zoomed, node));
    }
    // The rest of the tree stays, at the root's cut-off: the breadcrumb can zoom back out.
    expect(findExactNamePath(zoomed.tree, ['main', 'heavy'])).toBeGreaterThan(0);
  });

  it('a path that is not in the tree fits from the root', () => {
    const r = fitTreeToView(full, 250, [], ['main', 'nowhere']);
    expect(r.focusPath).toEqual([]);
    expect(r.tree).toEqual(fitTreeToView(full, 250).tree);
  });

  it('the view draws the tree that leaves out least under the zoom, and asks for more only when it shows', () => {
    const base = { ...fitTreeToView(full, 250), key: 'base' };
    const zoomed = { ...fitTreeToView(full, 250, [], ['main', 'light']), key: 'zoomed' };
    expect(pickTreeForZoom([base], [])).toEqual({ tree: base, refine: false });
    expect(pickTreeForZoom([base], ['main', 'light'])).toEqual({ tree: base, refine: true });
    expect(pickTreeForZoom([base, zoomed], ['main', 'light']).tree).toBe(zoomed);
    // Zoomed back out to the root, the root's own tree is the better one.
    expect(pickTreeForZoom([base, zoomed], []).tree).toBe(base);
    // A leaf only the zoomed tree has.
    expect(findExactNamePath(base.tree, ['main', 'light', 'leaf100'])).toBe(-1);
    const leaf = namePath(
      zoomed.tree,
      findExactNamePath(zoomed.tree, ['main', 'light', 'leaf100']),
    );
    expect(leaf).toEqual(['main', 'light', 'leaf100']);
    expect(pickTreeForZoom([base, zoomed], leaf).tree).toBe(zoomed);
  });
});

describe('diff trees for the flame view', () => {
  const base = indexProfile(
    profileOf([
      [['main', 'a'], 10],
      [['main', 'b'], 30],
    ]),
  );
  const current = indexProfile(
    profileOf([
      [['main', 'a'], 25],
      [['main', 'c'], 5],
    ]),
  );
  const diff = diffCallTree(base, current, { sampleType: 0 });
  const view = diffTreeForView(diff, 1000);
  const node = (name: string) =>
    view.tree.func.findIndex((f, i) => i > 0 && view.tree.funcName[f] === name);

  it('makes each box as wide as the larger side, so shrunk and vanished code stays visible', () => {
    expect(view.tree.total[node('a')]).toBe(25);
    expect(view.tree.total[node('b')]).toBe(30);
    expect(view.tree.total[node('c')]).toBe(5);
    // The parent covers its children even though its own change is a net -10.
    expect(view.tree.total[node('main')]).toBeGreaterThanOrEqual(60);
  });
  it('keeps base and new totals per node for colouring', () => {
    expect([view.base[node('b')], view.current[node('b')]]).toEqual([30, 0]);
    expect([view.base[node('a')], view.current[node('a')]]).toEqual([10, 25]);
  });
  it('folds a diff tree into signed stacks', () => {
    expect(foldedFromTree(diff, true)).toEqual(['main;a +15', 'main;b -30', 'main;c +5']);
  });
});

describe('foldedFromTree', () => {
  it('equals the folded stacks of the profile', () => {
    const p = profileOf([
      [['main', 'a', 'x'], 4],
      [['main', 'a'], 2],
      [['main', 'b'], 3],
      [['main'], 1],
    ]);
    expect(foldedFromTree(buildCallTree(p, { sampleType: 0 }))).toEqual(foldedStacks(p, 0));
  });
});
