// The timeline's vertical virtualisation (rows computed from group sizes, never listed) against
// a brute-force list of every row, and the webview cache's fetch decisions.
import { describe, expect, test } from 'vitest';
import { DataCache, fetchWindow, resolutionLevel } from '../../../webview/timeline/data-cache';
import { ROW_H, RowLayout, type Row } from '../../../webview/timeline/layout';
import type { LaneData } from '../../../src/protocol/timeline';

function allRows(procs: number, sizes: number[], expanded: Set<number>): Row[] {
  const rows: Row[] = [];
  let y = 0;
  const push = (r: Record<string, unknown>, h: number) => {
    rows.push({ ...r, top: y, height: h } as Row);
    y += h;
  };
  push({ kind: 'section', section: 'procs' }, ROW_H.section);
  for (let p = 0; p < procs; p++) push({ kind: 'p', index: p }, ROW_H.p);
  push({ kind: 'section', section: 'goroutines' }, ROW_H.section);
  sizes.forEach((n, g) => {
    push({ kind: 'group', group: g }, ROW_H.group);
    if (expanded.has(g))
      for (let m = 0; m < n; m++) push({ kind: 'g', group: g, member: m }, ROW_H.g);
  });
  return rows;
}

describe('RowLayout', () => {
  const sizes = [3, 1, 50, 7, 2, 400];
  const expanded = new Set([0, 2, 5]);
  const layout = new RowLayout(4, sizes, expanded);
  const every = allRows(4, sizes, expanded);

  test('height and every window of rows match the full list', () => {
    expect(layout.height).toBe(every.at(-1)!.top + every.at(-1)!.height);
    for (let y0 = -30; y0 < layout.height + 30; y0 += 7) {
      for (const h of [1, 13, 200, 900]) {
        const want = every.filter((r) => r.top < y0 + h && r.top + r.height > Math.max(0, y0));
        expect(layout.rowsIn(y0, y0 + h)).toEqual(want);
      }
    }
  });

  test('rowAt and topOf', () => {
    for (const r of every) {
      expect(layout.rowAt(r.top + r.height / 2)).toEqual(r);
      if (r.kind === 'group') expect(layout.topOf(r.group)).toBe(r.top);
      if (r.kind === 'g') expect(layout.topOf(r.group, r.member)).toBe(r.top);
    }
    expect(layout.rowAt(layout.height + 1)).toBeUndefined();
  });

  test('a group of 600K goroutines costs nothing until its rows are on screen', () => {
    const big = new RowLayout(8, [10, 600_000, 3], new Set([1]));
    const t = performance.now();
    const rows = big.rowsIn(5_000_000, 5_000_900);
    expect(performance.now() - t).toBeLessThan(20);
    expect(rows.length).toBe(Math.ceil(900 / ROW_H.g) + 1);
    expect(rows.every((r) => r.kind === 'g' && r.group === 1)).toBe(true);
  });
});

describe('DataCache', () => {
  const lane = (key: string): LaneData => ({
    key,
    start: new Float64Array(0),
    end: new Float64Array(0),
    n: new Int32Array(0),
    cls: new Uint8Array(0),
    ref: new Int32Array(0),
    group: new Int32Array(0),
    gid: new Float64Array(0),
    mix: new Float32Array(0),
    classCount: 1,
  });

  test('resolution levels are powers of two at or below the view', () => {
    expect(resolutionLevel(1000)).toBe(512);
    expect(resolutionLevel(1024)).toBe(1024);
    expect(resolutionLevel(0.3)).toBe(0.25);
  });

  test('fetches what the view lacks, once; pans within the fetched window need nothing', () => {
    const c = new DataCache();
    const refs = [{ kind: 'p' as const, index: 0 }, { kind: 'gc' as const }];
    const [a, b] = fetchWindow(1000, 2000, 0, 10_000);
    expect([a, b]).toEqual([0, 3001]);
    expect(c.missing(refs, 1000, 2000, 4)).toEqual(refs);
    c.requested(refs, a, b, 4);
    expect(c.missing(refs, 1000, 2000, 4)).toEqual([]); // on its way
    c.store([lane('p0'), lane('gc')], a, b, 4);
    expect(c.missing(refs, 1500, 2500, 4)).toEqual([]); // panned, still inside
    expect(c.missing(refs, 2500, 3500, 4)).toEqual(refs); // outside
    expect(c.missing(refs, 1000, 2000, 2)).toEqual(refs); // zoomed in past the level
    c.failed();
    c.requested(refs, 0, 1, 1);
    c.failed();
    expect(c.missing(refs, 0, 1, 1)).toEqual(refs);
  });

  test('graphs are fetched again only when the view leaves them or the resolution differs', () => {
    const c = new DataCache();
    expect(c.seriesMissing(0, 100, 1)).toBe(true);
    c.series = { t0: 0, t1: 300, buckets: 300, data: {} as never };
    expect(c.seriesMissing(100, 200, 1)).toBe(false);
    expect(c.seriesMissing(100, 400, 1)).toBe(true);
    expect(c.seriesMissing(100, 200, 0.25)).toBe(true);
  });
});
