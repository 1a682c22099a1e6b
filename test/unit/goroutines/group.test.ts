// Grouping, the system-goroutine predicate and snapshot comparison, on committed fixtures of the
// machine's Go (go1.26.8) and on hand-written dumps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareSnapshots,
  frameAt,
  groupGoroutines,
  parseGoroutineDump,
  stackFrames,
  type GoroutineGroup,
  type GoroutineSnapshot,
} from '../../../src/core/goroutines';

const dir = join(__dirname, '../../fixtures/goroutines/go1.26.8');
const load = (name: string) => parseGoroutineDump(readFileSync(join(dir, name)));
const T = '\t';

function top(s: GoroutineSnapshot, g: GoroutineGroup): string {
  return g.topFrame >= 0
    ? frameAt(s, g.topFrame).func.replace('golens.test/programs/dump-zoo.', 'zoo.')
    : '';
}

function byTop(s: GoroutineSnapshot, groups: GoroutineGroup[], func: string): GoroutineGroup[] {
  return groups.filter((g) => top(s, g) === func);
}

describe('groupGoroutines', () => {
  const s = load('blocked-debug2.txt');

  it('groups identical stacks; the largest group comes first', () => {
    const { groups, hiddenSystem } = groupGoroutines(s);
    expect(hiddenSystem).toBe(0);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(35);
    expect(top(s, groups[0])).toBe('zoo.worker');
    expect(groups[0]).toMatchObject({
      count: 8,
      states: [{ state: 'chan receive', count: 8 }],
      waitMinutes: { min: 1, max: 1 },
      system: false,
    });
    expect(groups[0].rows.map((r) => s.goroutines.id[r])).toEqual(
      [...groups[0].rows].sort((a, b) => a - b).map((r) => s.goroutines.id[r]),
    );
    expect(frameAt(s, groups[0].createdBy).func).toBe('golens.test/programs/dump-zoo.Start');
    for (let i = 1; i < groups.length; i++)
      expect(groups[i - 1].count).toBeGreaterThanOrEqual(groups[i].count);
  });

  it('exact: the same function at different lines, or created at different lines, are different groups', () => {
    const { groups } = groupGoroutines(s);
    expect(
      byTop(s, groups, 'zoo.stage').map((g) => [g.count, frameAt(s, g.topFrame).line]),
    ).toEqual([
      [2, 177],
      [2, 179],
    ]);
    expect(byTop(s, groups, 'zoo.genericWait[...]').map((g) => g.count)).toEqual([1, 1]);
  });

  it('relaxed: the same functions fold together whatever the lines', () => {
    const { groups, similarity } = groupGoroutines(s, { similarity: 'relaxed' });
    expect(similarity).toBe('relaxed');
    expect(byTop(s, groups, 'zoo.stage').map((g) => g.count)).toEqual([4]);
    expect(byTop(s, groups, 'zoo.genericWait[...]').map((g) => g.count)).toEqual([2]);
    expect(byTop(s, groups, 'zoo.stage')[0].signature).toBe(
      'golens.test/programs/dump-zoo.stage\ncreated by golens.test/programs/dump-zoo.Start',
    );
  });

  it('flags what stands out', () => {
    const { groups } = groupGoroutines(s, { longWaitMinutes: 1 });
    const flags = (func: string) => byTop(s, groups, func)[0].flags;
    expect(flags('syscall.Syscall')).toEqual(['syscall', 'long-wait']);
    expect(flags('zoo.lockedWaiter')).toEqual(['long-wait', 'locked-to-thread']);
    expect(flags('runtime/pprof.writeGoroutineStacks')).toEqual(['running']);
    expect(flags('main.freshWaiter')).toEqual([]);
    expect(byTop(s, groups, 'zoo.lockedWaiter')[0].lockedToThread).toBe(1);
    // The default threshold is 10 minutes: nothing here waited that long.
    expect(groupGoroutines(s).groups.some((g) => g.flags.includes('long-wait'))).toBe(false);
  });

  it('puts the goroutine that panicked first, whatever the counts', () => {
    const p = load('blocked-panic-all.txt');
    const { groups } = groupGoroutines(p);
    expect(groups[0].flags).toContain('current');
    expect(top(p, groups[0])).toBe('main.panicker');
    expect(groups[1].count).toBe(8);
  });

  it('hides runtime goroutines by default, and can show them', () => {
    const p = load('blocked-panic-system.txt');
    const hidden = groupGoroutines(p);
    expect(hidden.hiddenSystem).toBeGreaterThanOrEqual(4);
    expect(hidden.groups.every((g) => !g.system)).toBe(true);
    const shown = groupGoroutines(p, { hideSystem: false });
    expect(shown.hiddenSystem).toBe(0);
    const system = shown.groups.filter((g) => g.system);
    expect(system.reduce((n, g) => n + g.count, 0)).toBe(hidden.hiddenSystem);
    expect(system.flatMap((g) => stackFrames(p, g.stack).map((f) => f.func))).toEqual(
      expect.arrayContaining(['runtime.forcegchelper', 'runtime.bgsweep']),
    );
  });

  it('carries the labels of its members', () => {
    const l = load('labels-debug2.txt');
    const g = byTop(l, groupGoroutines(l).groups, 'zoo.labelledWaiter')[0];
    expect(g.labels).toEqual([
      { labels: { odd: 'quote" bracket] comma, é', role: 'labelled' }, count: 1 },
    ]);
  });

  it('merges debug=1 records of one stack with different labels, keeping the label sets', () => {
    const text = [
      'goroutine profile: total 5',
      '3 @ 0x1 0x2',
      '# labels: {"shard":"0"}',
      '#\t0x1\tmain.shardWorker+0x1\t/a.go:5',
      '#\t0x2\tmain.main.func1+0x1\t/a.go:9',
      '',
      '2 @ 0x1 0x2',
      '# labels: {"shard":"1"}',
      '#\t0x1\tmain.shardWorker+0x1\t/a.go:5',
      '#\t0x2\tmain.main.func1+0x1\t/a.go:9',
      '',
    ].join('\n');
    const d = parseGoroutineDump(text);
    const { groups } = groupGoroutines(d);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      count: 5,
      rows: [0, 1],
      labels: [
        { labels: { shard: '0' }, count: 3 },
        { labels: { shard: '1' }, count: 2 },
      ],
    });
  });

  it('counts goroutines of a record, not rows, and ids only where the format has them', () => {
    const d = load('blocked-debug1.txt');
    const { groups } = groupGoroutines(d);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(35);
    expect(Array.from(d.goroutines.id).every((id) => id === -1)).toBe(true);
  });

  it('keeps stacks that differ only in their elision apart (exact) and together (relaxed)', () => {
    const frames = (n: number) =>
      Array.from({ length: n }, () => `main.r()\n${T}/a.go:3 +0x1`).join('\n');
    const text = `goroutine 1 [running]:\n${frames(2)}\n...5 frames elided...\n${frames(2)}\n\ngoroutine 2 [running]:\n${frames(2)}\n...9 frames elided...\n${frames(2)}\n`;
    const d = parseGoroutineDump(text);
    expect(groupGoroutines(d).groups).toHaveLength(2);
    expect(groupGoroutines(d, { similarity: 'relaxed' }).groups).toHaveLength(1);
  });
});

describe('compareSnapshots (the leak view)', () => {
  const [one, two, three] = ['leak-1.txt', 'leak-2.txt', 'leak-3.txt'].map(load);
  const summary = (a: GoroutineSnapshot, b: GoroutineSnapshot) =>
    compareSnapshots(a, b).changes.map((c) => {
      const snap = c.current ? b : a;
      const g = (c.current ?? c.previous)!;
      // Named by the innermost frame of package main (or the writer of the dump).
      const own = stackFrames(snap, g.stack).find(
        (f) => f.func.startsWith('main.') || f.func.startsWith('runtime/pprof.'),
      );
      return [c.kind, own!.func.replace(/^main\./, ''), c.before, c.after];
    });

  it('finds the growing leak, the new group, the shrinking one and the unchanged ones', () => {
    expect(summary(one, two)).toEqual([
      ['grew', 'handleRequest.func1', 10, 30],
      ['new', 'cacheRefresher', 0, 1],
      ['shrank', 'batchJob', 6, 3],
      ['unchanged', 'poolWorker', 4, 4],
      ['unchanged', 'runtime/pprof.writeGoroutineStacks', 1, 1],
    ]);
    const cmp = compareSnapshots(one, two);
    expect([cmp.totalBefore, cmp.totalAfter]).toEqual([21, 39]);
  });

  it('reports groups that vanished', () => {
    expect(summary(two, three)).toEqual([
      ['grew', 'handleRequest.func1', 30, 60],
      ['vanished', 'batchJob', 3, 0],
      ['unchanged', 'poolWorker', 4, 4],
      ['unchanged', 'runtime/pprof.writeGoroutineStacks', 1, 1],
      ['unchanged', 'cacheRefresher', 1, 1],
    ]);
  });

  it('matches across rebuilds in relaxed mode (lines shifted)', () => {
    const shifted = parseGoroutineDump(
      readFileSync(join(dir, 'leak-2.txt'), 'utf8').replace(
        /main\.go:(\d+)/g,
        (_, n) => `main.go:${Number(n) + 3}`,
      ),
    );
    expect(
      compareSnapshots(one, shifted).changes.filter((c) => c.kind === 'new').length,
    ).toBeGreaterThan(1);
    const relaxed = compareSnapshots(one, shifted, { similarity: 'relaxed' }).changes.map((c) => [
      c.kind,
      c.delta,
    ]);
    expect(relaxed).toEqual([
      ['grew', 20],
      ['new', 1],
      ['shrank', -3],
      ['unchanged', 0],
      ['unchanged', 0],
    ]);
  });
});
