// The goroutine analysis digest and the CPU-sample profile (the agreement with go tool trace is
// checked in test/differential/exectrace/goroutines.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BLOCK_CATEGORIES,
  blockCategory,
  buildModel,
  cpuProfile,
  goroutineAnalysis,
} from '../../../src/core/exectrace';
import { fixturesDir } from './support/helpers';

test.each([
  ['chan send', 'chan'],
  ['chan receive', 'chan'],
  ['select', 'select'],
  ['sync', 'sync'],
  ['sync.(*Cond).Wait', 'sync'],
  ['network', 'io'],
  ['sleep', 'sleep'],
  ['GC mark assist wait for work', 'gc'],
  ['wait until GC ends', 'gc'],
  ['forever', 'other'],
  ['unspecified', 'other'],
  ['', 'other'],
])('block reason %j is %s', (reason, category) => {
  expect(blockCategory(reason)).toBe(category);
});

describe.each(['workload-go1.22.12.trace', 'workload-go1.26.8.trace'])('%s', (name) => {
  const m = buildModel(readFileSync(join(fixturesDir, name)));
  const a = goroutineAnalysis(m);

  test('each goroutine: the non-overlapping parts add up to its total time', () => {
    for (const g of a.goroutines) {
      let parts = g.execTime + g.schedWaitTime + g.syscallTime + g.syscallBlockTime + g.unknownTime;
      for (const c of BLOCK_CATEGORIES) parts += g.blocked[c];
      // Unknown time fills the gap exactly; it is never negative (Go clips it at 0).
      if (g.unknownTime > 0) expect(parts, `goroutine ${g.id}`).toBe(g.totalTime);
      else expect(parts, `goroutine ${g.id}`).toBeGreaterThanOrEqual(g.totalTime);
    }
  });

  test('groups: sums of their goroutines, by start function, heaviest first', () => {
    let total = 0;
    for (const grp of a.groups) {
      const members = grp.members.map((i) => a.goroutines[i]);
      expect(members.every((g) => g.name === grp.name)).toBe(true);
      expect(grp.execTime).toBe(members.reduce((s, g) => s + g.execTime, 0));
      expect(grp.blocked.chan).toBe(members.reduce((s, g) => s + g.blocked.chan, 0));
      total += grp.execTime;
    }
    expect(total).toBe(a.totalExecTime);
    for (let k = 1; k < a.groups.length; k++)
      expect(a.groups[k].execTime).toBeLessThanOrEqual(a.groups[k - 1].execTime);
    const many = a.groups.find((g) => g.name === 'main.manyScenario.func1')!;
    expect(many.count).toBe(2000);
    expect(many.blocked.chan).toBeGreaterThan(0);
    expect(a.groups.some((g) => g.blocked.io > 0)).toBe(true);
    expect(a.groups.some((g) => g.blocked.sleep > 0)).toBe(true);
    expect(a.groups.some((g) => g.syscallTime > 0)).toBe(true);
  });

  test('CPU samples as weighted stacks, root first, filterable by time and goroutine', () => {
    const all = cpuProfile(m);
    expect(all.totalSamples).toBe(m.cpuSamples.count);
    expect(all.stacks.reduce((s, x) => s + x.weight, 0) + all.samplesWithoutStack).toBe(
      all.totalSamples,
    );
    const burn = all.stacks.filter((s) => s.frames.at(-1)?.func === 'main.burn');
    expect(burn.length).toBeGreaterThan(0);
    expect(burn[0].frames.some((f) => f.func === 'main.cpuScenario.func1')).toBe(true);
    expect(burn[0].frames[0].line).toBeGreaterThan(0);
    // The burning goroutines only.
    const cpuGs = a.groups
      .find((g) => g.name === 'main.cpuScenario.func1')!
      .members.map((i) => a.goroutines[i].index);
    const mine = cpuProfile(m, { goroutines: cpuGs });
    expect(mine.totalSamples).toBeGreaterThan(0);
    expect(mine.totalSamples).toBeLessThanOrEqual(all.totalSamples);
    // Half the time range has at most all the samples, and both halves together exactly all.
    const mid = (m.start + m.end) / 2;
    const first = cpuProfile(m, { end: mid });
    const second = cpuProfile(m, { start: mid + 1e-9 });
    expect(first.totalSamples + second.totalSamples).toBe(all.totalSamples);
  });
});
