// The overview strip's CPU utilization from the P lanes' block sums (LaneIndex.coverage) equals
// the span-by-span sum (coverage of timeline-series.ts), on a real trace and on long random lanes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildModel, spanEnd, spanStart } from '../../../src/core/exectrace';
import { LaneIndex } from '../../../src/core/layout/timeline-lanes';
import { coverage } from '../../../src/core/layout/timeline-series';

function expectClose(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i], `bucket ${i}`).toBeCloseTo(b[i], 9);
}

test('P lanes of a real trace, over the whole trace and over windows, at several widths', () => {
  const m = buildModel(
    readFileSync(join(__dirname, '../../fixtures/exectrace/workload-go1.26.8.trace')),
  );
  const start = (i: number) => spanStart(m.spans, i);
  const end = (i: number) => spanEnd(m.spans, i);
  const lanes = m.procs.map((p) => new LaneIndex(p.running, start, end, null, 1));
  expect(Math.max(...lanes.map((l) => l.count))).toBeGreaterThan(1000);
  const span = m.end - m.start;
  for (const [t0, t1] of [
    [m.start, m.end],
    [m.start + span * 0.3, m.start + span * 0.35],
    [m.start - span, m.start + span / 7],
  ])
    for (const buckets of [1, 7, 400, 1600]) {
      const byBlocks = new Float64Array(buckets);
      const bySpans = new Float64Array(buckets);
      m.procs.forEach((p, i) => {
        lanes[i].coverage(t0, t1, buckets, m.procs.length, byBlocks);
        coverage(start, end, p.running, t0, t1, buckets, m.procs.length, bySpans);
      });
      expectClose(byBlocks, bySpans);
      expect(bySpans.some((v) => v > 0)).toBe(true);
    }
});

test('a lane of 100,000 intervals with gaps, zero-length ones and long ones', () => {
  let seed = 5;
  const r = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const n = 100_000;
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  let t = 1000;
  for (let i = 0; i < n; i++) {
    t += r() < 0.5 ? 0 : Math.floor(r() * 50);
    s[i] = t;
    t += r() < 0.05 ? 0 : r() < 0.01 ? 1e6 : Math.floor(r() * 100);
    e[i] = t;
  }
  const lane = new LaneIndex(null, s, e, null, 1);
  for (const [t0, t1, buckets] of [
    [0, t + 10, 1600],
    [s[5000] + 3, e[60_000] - 2, 333],
    [s[77_777], s[77_777] + 10, 10],
  ]) {
    const a = lane.coverage(t0, t1, buckets, 3, new Float64Array(buckets));
    const b = coverage(s, e, null, t0, t1, buckets, 3);
    expectClose(a, b);
  }
});
