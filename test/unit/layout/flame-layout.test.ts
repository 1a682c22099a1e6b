import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../support/call-tree-oracle';
import { type CallTree } from '../../../src/core/flame/call-tree';
import {
  findByNamePath,
  forEachVisibleNode,
  layoutStarts,
  matchNodes,
  namePath,
  nodeAt,
  pathTo,
} from '../../../src/core/layout/flame-layout';
import { packageOf, shortNames } from '../../../src/core/layout/short-names';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks } from '../pprof/encode';

function treeOf(stacks: [string[], number][]): CallTree {
  return buildCallTree(decodeProfile(encodeProfile(profileFromStacks(stacks)), gunzip), {
    sampleType: 0,
  });
}

// Root first in each stack. Totals: main 10 = (a 6 = (x 4) + self 2) + (b 3) + self 1.
const tree = treeOf([
  [['main', 'a', 'x'], 4],
  [['main', 'a'], 2],
  [['main', 'b'], 3],
  [['main'], 1],
]);
const byName = (name: string) => tree.func.findIndex((f) => f >= 0 && tree.funcName[f] === name);

describe('layoutStarts', () => {
  it('places children side by side from their parent’s start, in tree order', () => {
    const start = layoutStarts(tree);
    expect(start[0]).toBe(0);
    expect(start[byName('main')]).toBe(0);
    expect(start[byName('a')]).toBe(0);
    expect(start[byName('x')]).toBe(0);
    expect(start[byName('b')]).toBe(6);
  });
});

describe('forEachVisibleNode', () => {
  const start = layoutStarts(tree);
  const visit = (x0: number, x1: number, firstRow = 0, lastRow = 10, minPx = 0.5) => {
    const seen: [string, number, number][] = [];
    forEachVisibleNode(tree, start, { x0, x1, width: 100, firstRow, lastRow }, minPx, (n, l, r) =>
      seen.push([n === 0 ? 'root' : tree.funcName[tree.func[n]], l, r]),
    );
    return seen;
  };
  it('maps the value range onto pixels', () => {
    expect(visit(0, 10)).toEqual([
      ['root', 0, 100],
      ['main', 0, 100],
      ['a', 0, 60],
      ['x', 0, 40],
      ['b', 60, 90],
    ]);
  });
  it('skips subtrees outside the viewport and rows outside the range', () => {
    expect(visit(6, 9).map((v) => v[0])).toEqual(['root', 'main', 'b']);
    expect(visit(0, 10, 2, 2).map((v) => v[0])).toEqual(['a', 'b']);
  });
  it('skips nodes (and their subtrees) narrower than the minimum', () => {
    expect(visit(0, 10, 0, 10, 35).map((v) => v[0])).toEqual(['root', 'main', 'a', 'x']);
  });
});

describe('nodeAt, paths and search', () => {
  const start = layoutStarts(tree);
  it('finds the node under a point', () => {
    expect(nodeAt(tree, start, 7, 2)).toBe(byName('b'));
    expect(nodeAt(tree, start, 3.9, 3)).toBe(byName('x'));
    expect(nodeAt(tree, start, 5, 3)).toBe(-1); // a's self part has nothing below it
    expect(nodeAt(tree, start, 10, 0)).toBe(-1);
  });
  it('round-trips a zoom through function-name paths', () => {
    const x = byName('x');
    expect(pathTo(tree, x)).toEqual([0, byName('main'), byName('a'), x]);
    expect(namePath(tree, x)).toEqual(['main', 'a', 'x']);
    expect(findByNamePath(tree, ['main', 'a', 'x'])).toBe(x);
    expect(findByNamePath(tree, ['main', 'gone', 'x'])).toBe(byName('main'));
  });
  it('counts a match inside a match once', () => {
    const m = matchNodes(tree, (n) => n === 'a' || n === 'x');
    expect(m.matchedTotal).toBe(6);
    expect([...m.matched].filter(Boolean)).toHaveLength(2);
    expect(matchNodes(tree, (n) => n === 'x' || n === 'b').matchedTotal).toBe(7);
  });
});

describe('shortNames', () => {
  it('drops the import path, then the package, then keeps the last two parts', () => {
    expect(shortNames('github.com/acme/shop/cart.(*Service).Checkout.func2')).toEqual([
      'github.com/acme/shop/cart.(*Service).Checkout.func2',
      'cart.(*Service).Checkout.func2',
      '(*Service).Checkout.func2',
      'Checkout.func2',
    ]);
    expect(shortNames('main.main')).toEqual(['main.main', 'main']);
    expect(shortNames('runtime.mcall')).toEqual(['runtime.mcall', 'mcall']);
  });
  it('finds the package of a name', () => {
    expect(packageOf('github.com/acme/shop/cart.(*Service).Checkout')).toBe(
      'github.com/acme/shop/cart',
    );
    expect(packageOf('gopkg.in/yaml.v3.(*parser).parse')).toBe('gopkg.in/yaml');
    expect(packageOf('main.countPrimes')).toBe('main');
  });
});
