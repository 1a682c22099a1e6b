// Our reimplementation of Go's slices.SortFunc against Go itself, on lists full of equal keys
// and of every size (insertion sort, pdqsort with its pattern breaking, heapsort fallback).
import { expect, test } from 'vitest';
import { goSortFunc } from '../../../src/core/exectrace/gosort';
import { goBuild, run } from '../../support/go';
import { rng } from '../../unit/exectrace/support/helpers';

test('goSortFunc orders equal keys exactly as Go 1.26 slices.SortFunc does', async () => {
  const bin = await goBuild('trace-gosort');
  const r = rng(42);
  const lists: number[][] = [];
  for (const n of [0, 1, 2, 5, 12, 13, 20, 49, 50, 51, 64, 100, 257, 1000, 5000]) {
    for (const distinct of [1, 2, 3, 10, 1000000]) {
      lists.push(Array.from({ length: n }, () => Math.floor(r() * distinct)));
    }
    lists.push(Array.from({ length: n }, (_, i) => n - i)); // descending
    lists.push(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i))); // nearly sorted
    lists.push(Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i))); // organ pipe (bad pivots)
  }
  const res = await run(bin, [], { input: lists.map((l) => l.join(' ')).join('\n') + '\n' });
  expect(res.code, res.stderr).toBe(0);
  const theirs = res.stdout.split('\n').slice(0, lists.length);
  lists.forEach((keys, k) => {
    const idx = keys.map((_, i) => i);
    goSortFunc(idx, (a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
    expect(idx.join(' '), `list ${k} (length ${keys.length})`).toBe(theirs[k]);
  });
});
