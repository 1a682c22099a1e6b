// The graphs' decimation skipping whole blocks of points (stepBlocks) gives exactly what the
// point-by-point decimation gives, on a real trace's series and on random ones with NaN values,
// repeated times and windows of every width.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildModel } from '../../../src/core/exectrace';
import { decimateSteps, stepBlocks } from '../../../src/core/layout/timeline-series';

function same(time: Float64Array, value: ArrayLike<number>, t0: number, t1: number, n: number) {
  const plain = decimateSteps(time, value, t0, t1, n);
  const fast = decimateSteps(time, value, t0, t1, n, stepBlocks(value));
  expect(Array.from(fast.min), `min ${t0}–${t1} / ${n}`).toEqual(Array.from(plain.min));
  expect(Array.from(fast.max), `max ${t0}–${t1} / ${n}`).toEqual(Array.from(plain.max));
}

test('the goroutine counts and heap of a real trace', () => {
  const m = buildModel(
    readFileSync(join(__dirname, '../../fixtures/exectrace/workload-go1.26.8.trace')),
  );
  const gs = m.metrics.goroutines;
  expect(gs.time.length).toBeGreaterThan(1000);
  const span = m.end - m.start;
  for (const [t0, t1] of [
    [m.start, m.end],
    [m.start + span / 3, m.start + span / 2],
    [m.start - span, m.end + span],
  ])
    for (const n of [1, 50, 1600]) {
      for (const v of [gs.running, gs.runnable, gs.waiting, gs.syscall])
        same(gs.time, v, t0, t1, n);
      same(m.metrics.heapAlloc.time, m.metrics.heapAlloc.value, t0, t1, n);
    }
});

test('random series with NaN values and points at the same time', () => {
  let seed = 11;
  const r = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const n = 20_000;
  const time = new Float64Array(n);
  const value = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += r() < 0.3 ? 0 : Math.floor(r() * 20);
    time[i] = t;
    value[i] = r() < 0.001 ? NaN : Math.floor(r() * 1000) - 200;
  }
  for (const [t0, t1] of [
    [0, t + 1],
    [time[100], time[19_000]],
    [time[5000] + 0.5, time[5100]],
  ])
    for (const buckets of [1, 3, 64, 997, 4000]) same(time, value, t0, t1, buckets);
});
