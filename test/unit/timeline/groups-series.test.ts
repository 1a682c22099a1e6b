// Lane groups and the analysis table read from the model's columns (checked against the
// object-per-goroutine `goroutineAnalysis`, itself checked against go tool trace), and the
// graphs' decimation and utilization against brute force.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BLOCK_CATEGORIES, buildModel, goroutineAnalysis } from '../../../src/core/exectrace';
import { AnalysisReader, columnValue, laneGroups } from '../../../src/core/layout/timeline-groups';
import { coverage, decimateSteps } from '../../../src/core/layout/timeline-series';

const model = buildModel(
  readFileSync(join(__dirname, '../../fixtures/exectrace/workload-go1.25.14.trace')),
);

describe('laneGroups and AnalysisReader', () => {
  const groups = laneGroups(model);
  const reader = new AnalysisReader(model);

  test('every goroutine with spans is in exactly one group, members ordered by execution time', () => {
    const seen = new Set<number>();
    for (let g = 0; g < groups.count; g++) {
      let prev = Infinity;
      for (let k = groups.memberStart[g]; k < groups.memberStart[g + 1]; k++) {
        const gi = groups.members[k];
        expect(seen.has(gi)).toBe(false);
        seen.add(gi);
        expect(groups.groupOf[gi]).toBe(g);
        expect(groups.memberPos[gi]).toBe(k - groups.memberStart[g]);
        expect(model.strings[model.execStats.name[gi]]).toBe(groups.names[g]);
        expect(model.execStats.execTime[gi]).toBeLessThanOrEqual(prev);
        prev = model.execStats.execTime[gi];
      }
    }
    for (let gi = 0; gi < model.goroutines.count; gi++)
      if (model.goroutines.spanCount[gi] > 0) expect(seen.has(gi)).toBe(true);
    for (let g = 1; g < groups.count; g++)
      expect(groups.execTime[g]).toBeLessThanOrEqual(groups.execTime[g - 1]);
  });

  test('group rows equal the sums of goroutineAnalysis', () => {
    const a = goroutineAnalysis(model);
    const rows = reader.groupRows(groups);
    for (const ga of a.groups) {
      const g = groups.names.indexOf(ga.name);
      expect(g).toBeGreaterThanOrEqual(0);
      const r = rows[g];
      expect(r.execTime).toBeCloseTo(ga.execTime, 0);
      expect(r.schedWaitTime).toBeCloseTo(ga.schedWaitTime, 0);
      expect(r.syscallTime).toBeCloseTo(ga.syscallTime + ga.syscallBlockTime, 0);
      expect(r.totalTime).toBeCloseTo(ga.totalTime, 0);
      expect(r.gcAssistTime).toBeCloseTo(ga.gcAssistTime, 0);
      expect(r.gcSweepTime).toBeCloseTo(ga.gcSweepTime, 0);
      expect(r.stwTime).toBeCloseTo(ga.stwTime, 0);
      BLOCK_CATEGORIES.forEach((c, i) => expect(r.blocked[i]).toBeCloseTo(ga.blocked[c], 0));
      expect(r.count).toBeGreaterThanOrEqual(ga.count);
    }
    const one = a.goroutines.find((r) => r.blocked.chan > 0)!;
    const row = reader.row(one.index);
    expect(columnValue(row, 'blocked.chan')).toBe(one.blocked.chan);
    expect(columnValue(row, 'execTime')).toBe(one.execTime);
  });
});

describe('decimateSteps', () => {
  const time = Float64Array.from([10, 20, 25, 40, 41, 42, 90]);
  const value = Float64Array.from([5, 7, 3, 9, 1, 4, 6]);
  /** The values holding at some instant of [a, b). */
  function brute(a: number, b: number) {
    const vals: number[] = [];
    for (let i = 0; i < time.length; i++) {
      const from = time[i];
      const to = i + 1 < time.length ? time[i + 1] : Infinity;
      if (from < b && to > a) vals.push(value[i]);
    }
    return vals.length ? [Math.min(...vals), Math.max(...vals)] : [NaN, NaN];
  }
  test.each([
    [0, 100, 10],
    [15, 45, 6],
    [0, 5, 2],
    [95, 200, 3],
    [22, 23, 1],
    [0, 100, 1000],
  ])('[%d, %d) in %d buckets', (t0, t1, n) => {
    const d = decimateSteps(time, value, t0, t1, n);
    const w = (t1 - t0) / n;
    for (let b = 0; b < n; b++) {
      const [mn, mx] = brute(t0 + b * w, t0 + (b + 1) * w);
      expect([d.min[b], d.max[b]]).toEqual([mn, mx]);
    }
  });
});

describe('coverage', () => {
  test('utilization per bucket, intervals split across buckets, summed over lanes', () => {
    const start = Float64Array.from([0, 15, 50, 95]);
    const end = Float64Array.from([10, 35, 100, 130]);
    const u = coverage(start, end, null, 0, 100, 4, 2);
    // Buckets of 25 over two lanes: [0,10)+[15,25) = 20; [25,35) = 10; [50,75) = 25; [75,100)+[95,100) = 30.
    expect(Array.from(u).map((x) => +x.toFixed(6))).toEqual([20 / 50, 10 / 50, 25 / 50, 30 / 50]);
    expect(Array.from(coverage(start, end, Int32Array.from([1]), 0, 100, 4))).toEqual([
      10 / 25,
      10 / 25,
      0,
      0,
    ]);
  });
});
