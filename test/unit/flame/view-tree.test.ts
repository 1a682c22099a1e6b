import { describe, expect, it } from 'vitest';
import { buildCallTree, pruneCallTree, pruneCallTreeWith } from '../../../src/core/flame/call-tree';
import { diffTreeForView, fitTreeToView } from '../../../src/core/flame/view-tree';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { diffCallTree } from '../../../src/core/pprof/diff';
import { foldedFromTree, foldedStacks } from '../../../src/core/pprof/folded';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks } from '../pprof/encode';

const profileOf = (stacks: [string[], number][]) => decodeProfile(encodeProfile(profileFromStacks(stacks)), gunzip);

describe('fitting trees to a view', () => {
  const p = profileOf(Array.from({ length: 200 }, (_, i) => [['main', `f${i}`, `g${i % 7}`], i + 1] as [string[], number]));
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

describe('diff trees for the flame view', () => {
  const base = indexProfile(profileOf([[['main', 'a'], 10], [['main', 'b'], 30]]));
  const current = indexProfile(profileOf([[['main', 'a'], 25], [['main', 'c'], 5]]));
  const diff = diffCallTree(base, current, { sampleType: 0 });
  const view = diffTreeForView(diff, 1000);
  const node = (name: string) => view.tree.func.findIndex((f, i) => i > 0 && view.tree.funcName[f] === name);

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
    const p = profileOf([[['main', 'a', 'x'], 4], [['main', 'a'], 2], [['main', 'b'], 3], [['main'], 1]]);
    expect(foldedFromTree(buildCallTree(p, { sampleType: 0 }))).toEqual(foldedStacks(p, 0));
  });
});
