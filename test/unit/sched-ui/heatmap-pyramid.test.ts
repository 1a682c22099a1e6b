// The heatmap pyramid gives the same picture as the model's exact per-P matrix when columns
// line up with its buckets, and is what the session uses for long ranges.
import { describe, expect, it } from 'vitest';
import { SchedModel, type SchedSnapshot } from '../../../src/core/schedtrace';
import {
  HeatmapPyramid,
  MAX_BUCKETS_PER_LEVEL,
} from '../../../src/core/schedtrace/heatmap-pyramid';
import { SchedSession } from '../../../src/views/sched/session';

function snapshot(i: number, procs: number): SchedSnapshot {
  return {
    timeMs: i * 100,
    gomaxprocs: procs,
    idleprocs: 0,
    threads: procs + 2,
    spinningthreads: 0,
    idlethreads: 0,
    runqueue: 0,
    runqueues: Array.from(
      { length: procs },
      (_, p) => ((i * 7 + p * 13) % 23) - (p === 3 && i % 5 === 0 ? 30 : 0),
    ),
    line: 0,
  };
}

function build(n: number, procs = 8) {
  const model = new SchedModel();
  const pyramid = new HeatmapPyramid();
  for (let i = 0; i < n; i++) {
    const s = snapshot(i, procs);
    model.addSnapshot(s);
    pyramid.add(s.timeMs, s.runqueues);
  }
  return { model, pyramid };
}

describe('HeatmapPyramid', () => {
  it('matches the model exactly when columns are whole buckets', () => {
    const { model, pyramid } = build(6000); // 10 minutes
    // 150 columns of 4 s over [0, 600 s): the 4 s level, a bucket per column.
    const fast = pyramid.matrix(0, 600_000 - 1e-6, 150)!;
    const exact = model.perPMatrix('runqueue', 0, 600_000 - 1e-6, 150);
    expect(fast.rows).toBe(exact.rows);
    expect(fast.cols).toBe(exact.cols);
    expect(Array.from(fast.values)).toEqual(Array.from(exact.values));
    // Unknown values (-1 from lost P lines) are not maxima.
    expect(Array.from(fast.values).every((v) => Number.isNaN(v) || v >= 0)).toBe(true);
  });

  it('declines a range whose columns are narrower than the finest bucket', () => {
    const { pyramid } = build(100);
    expect(pyramid.matrix(0, 10_000, 100)).toBeUndefined();
  });

  it('follows a GOMAXPROCS change: rows are the most Ps in range', () => {
    const model = new SchedModel();
    const pyramid = new HeatmapPyramid();
    for (let i = 0; i < 2000; i++) {
      const s = snapshot(i, i < 1000 ? 4 : 16);
      model.addSnapshot(s);
      pyramid.add(s.timeMs, s.runqueues);
    }
    expect(pyramid.matrix(0, 99_000, 50)!.rows).toBe(4);
    const all = pyramid.matrix(0, 200_000, 50)!;
    expect(all.rows).toBe(16);
    // The first half has no value for Ps 4..15.
    expect(Number.isNaN(all.values[10] /* row 0, column 10 */)).toBe(true);
    expect(Number.isNaN(all.values[49 * 16 + 10])).toBe(false);
  });

  it('stays bounded: a level stops at MAX_BUCKETS_PER_LEVEL and coarser ones answer', () => {
    const pyramid = new HeatmapPyramid();
    const q = [1, 2];
    // 1 s apart: the 250 ms level fills up after MAX_BUCKETS_PER_LEVEL snapshots.
    for (let i = 0; i < MAX_BUCKETS_PER_LEVEL + 500; i++) pyramid.add(i * 1000, q);
    expect(pyramid.buckets).toBeLessThan(MAX_BUCKETS_PER_LEVEL * 2);
    expect(pyramid.matrix(0, 20_500_000, 1000)).toBeDefined();
  });
});

describe('SchedSession heatmap', () => {
  it('uses the exact matrix for short ranges and the pyramid for long ones, with the same maxima', () => {
    const session = new SchedSession(() => undefined);
    const events = [];
    for (let i = 0; i < 36_000; i++)
      events.push({ kind: 'snapshot' as const, snapshot: snapshot(i, 64) });
    session.ingest(events);
    const short = session.heatmap(0, 10_000, 200);
    expect(short.colTimeMs[1] - short.colTimeMs[0]).toBe(100); // raw snapshots
    const t = performance.now();
    const long = session.heatmap(0, 3_600_000, 700);
    const ms = performance.now() - t;
    expect(long.cols).toBe(700);
    expect(long.rows).toBe(64);
    const exact = session.model.perPMatrix('runqueue', 0, 3_600_000, 700);
    let maxFast = 0;
    let maxExact = 0;
    for (const v of long.values) if (v > maxFast) maxFast = v;
    for (const v of exact.values) if (v > maxExact) maxExact = v;
    expect(maxFast).toBe(maxExact);
    expect(ms).toBeLessThan(50);
  });
});
