// The live-dashboard model: what it keeps, what it gives up (and says so), and the queries.
import { describe, expect, it } from 'vitest';
import {
  detailRecords,
  parseSchedTraceLog,
  SchedModel,
  SchedTraceStream,
  type GRecord,
  type SchedEvent,
  type SchedSnapshot,
} from '../../../src/core/schedtrace';
import { fixtures, readFixture } from './support';

/** A deterministic pseudo-random source, so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function snapshot(i: number, procs: number, r: () => number, detailGs = 0): SchedSnapshot {
  const runqueues = Array.from({ length: procs }, () => Math.floor(r() * 10));
  const schedticks = Array.from({ length: procs }, (_, p) => i * 10 * (p + 1));
  const s: SchedSnapshot = {
    timeMs: i * 100,
    gomaxprocs: procs,
    idleprocs: Math.floor(r() * procs),
    threads: 5 + Math.floor(r() * 5),
    spinningthreads: Math.floor(r() * 2),
    needspinning: Math.floor(r() * 2),
    idlethreads: 1,
    runqueue: Math.floor(r() * 100),
    runqueues,
    schedticks,
    line: i + 1,
  };
  if (detailGs > 0) {
    const reasons = ['select', 'chan receive', 'sleep', 'GC worker (idle)'];
    s.detail = {
      gcwaiting: false,
      nmidlelocked: 0,
      stopwait: 0,
      sysmonwait: false,
      incomplete: false,
      ps: runqueues.map((q, p) => ({
        id: p,
        status: p % 2,
        schedtick: schedticks[p],
        syscalltick: 0,
        m: p % 2 ? p : null,
        runqsize: q,
        gfreecnt: 0,
        timerslen: 1,
        line: 0,
      })),
      ms: [
        {
          id: 0,
          p: null,
          curg: null,
          mallocing: 0,
          throwing: 0,
          preemptoff: '',
          locks: 0,
          dying: 0,
          spinning: i % 2 === 0,
          blocked: true,
          lockedg: 1,
          line: 0,
        },
      ],
      gs: Array.from({ length: detailGs }, (_, g): GRecord => ({
        goid: g + 1,
        status: g % 3 === 0 ? 4 : g % 3,
        waitReason: reasons[g % 4],
        m: null,
        lockedm: null,
        line: 0,
      })),
    };
  }
  return s;
}

function events(n: number, procs: number, detailGs = 0, seed = 1): SchedEvent[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    kind: 'snapshot' as const,
    snapshot: snapshot(i, procs, r, detailGs),
  }));
}

describe('SchedModel from real logs', () => {
  const f = fixtures().find(
    (x) => x.version === 'go1.26.8' && x.program === 'sched-block' && x.procs === 4 && x.detail,
  )!;
  const log = parseSchedTraceLog(readFixture(f));
  const model = new SchedModel();
  const stream = new SchedTraceStream();
  model.add(stream.push(readFixture(f)));
  model.add(stream.end());

  it('holds every snapshot, GC cycle and scavenger line', () => {
    expect(model.snapshotCount).toBe(log.snapshots.length);
    log.snapshots.forEach((s, i) => {
      const { line: _l, detail: _d, ...want } = s;
      expect(model.snapshot(i)).toEqual({ ...want, hasDetail: true });
    });
    expect(model.gcCycles()).toEqual(
      log.gcCycles.map(({ line: _l, ...g }) => ({ ...g, timeMs: g.startS * 1000 })),
    );
    expect(model.scavenger().map(({ timeMs: _t, afterGc: _a, ...s }) => s)).toEqual(
      log.scavenger.map(({ line: _l, ...s }) => s),
    );
    expect(model.programOutput().lines).toEqual(log.programOutput);
  });

  it('lists the wait reasons of waiting goroutines', () => {
    const want = new Set<string>();
    for (const s of log.snapshots)
      for (const g of s.detail!.gs) if ((g.status & 0xfff) === 4) want.add(g.waitReason);
    expect(new Set(model.waitReasons())).toEqual(want);
  });

  it('detail blocks: counts by status and wait reason, rows back as records', () => {
    log.snapshots.forEach((s, i) => {
      const v = model.detailAt(s.timeMs)!;
      expect(v.snapshotIndex).toBe(i);
      expect(v.counts.gs).toBe(s.detail!.gs.length);
      const waiting = new Map<string, number>();
      for (const g of s.detail!.gs)
        if ((g.status & 0xfff) === 4)
          waiting.set(g.waitReason, (waiting.get(g.waitReason) ?? 0) + 1);
      expect(Object.fromEntries(v.counts.waitReasons.map((w) => [w.reason, w.count]))).toEqual(
        Object.fromEntries(waiting),
      );
      const byStatus = new Array(16).fill(0);
      for (const g of s.detail!.gs) byStatus[g.status & 0xfff]++;
      expect(v.counts.gByStatus).toEqual(byStatus);
      const strip = <T extends { line: number }>(x: T) => ({ ...x, line: 0 });
      expect(detailRecords(v.rows!)).toEqual({
        ps: s.detail!.ps.map(strip),
        ms: s.detail!.ms.map(strip),
        gs: s.detail!.gs.map(strip),
      });
      // The same counts as series.
      expect(model.series('gStatus:4', s.timeMs, s.timeMs, 10).max[0]).toBe(byStatus[4]);
      expect(model.series('gWait:select', s.timeMs, s.timeMs, 10).max[0]).toBe(
        waiting.get('select') ?? 0,
      );
    });
  });
});

describe('series decimation', () => {
  const model = new SchedModel();
  model.add(events(1000, 8));

  it('min/max per pixel bucket, equal to a brute-force reduction', () => {
    const t0 = 1234;
    const t1 = 87654;
    const px = 37;
    const got = model.series('runqueue', t0, t1, px);
    expect(got.raw).toBe(false);
    const width = (t1 - t0) / px;
    const lo = new Map<number, number>();
    const hi = new Map<number, number>();
    for (let i = 0; i < model.snapshotCount; i++) {
      const s = model.snapshot(i);
      if (s.timeMs < t0 || s.timeMs > t1) continue;
      const b = Math.min(px - 1, Math.floor((s.timeMs - t0) / width));
      lo.set(b, Math.min(lo.get(b) ?? Infinity, s.runqueue));
      hi.set(b, Math.max(hi.get(b) ?? -Infinity, s.runqueue));
    }
    const buckets = [...lo.keys()].sort((a, b) => a - b);
    expect(Array.from(got.time)).toEqual(buckets.map((b) => t0 + (b + 0.5) * width));
    expect(Array.from(got.min)).toEqual(buckets.map((b) => lo.get(b)));
    expect(Array.from(got.max)).toEqual(buckets.map((b) => hi.get(b)));
  });

  it('raw points when the range has no more points than pixels; derived per-P fields', () => {
    const got = model.series('localRunqueueTotal', 0, 900, 100);
    expect(got.raw).toBe(true);
    expect(Array.from(got.time)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    for (let i = 0; i < 10; i++)
      expect(got.min[i]).toBe(model.snapshot(i).runqueues.reduce((a, b) => a + b, 0));
    const max = model.series('localRunqueueMax', 0, 900, 100);
    for (let i = 0; i < 10; i++) expect(max.max[i]).toBe(Math.max(...model.snapshot(i).runqueues));
    expect(() => model.series('nonsense' as never, 0, 1, 1)).toThrow(RangeError);
  });

  it('per-P heatmap: run queues and schedule-tick rates, max per column', () => {
    const m = model.perPMatrix('runqueue', 0, 99_900, 50);
    expect([m.cols, m.rows]).toEqual([50, 8]);
    const width = 99_900 / 50;
    const want = new Array(50 * 8).fill(-Infinity);
    for (let i = 0; i < 1000; i++) {
      const s = model.snapshot(i);
      const c = Math.min(49, Math.floor(s.timeMs / width));
      for (let p = 0; p < 8; p++) want[c * 8 + p] = Math.max(want[c * 8 + p], s.runqueues[p]);
    }
    expect(Array.from(m.values)).toEqual(want);
    // Ticks grow by 10·(p+1) per 100 ms: 100·(p+1) per second.
    const rate = model.perPMatrix('schedtickRate', 100, 500, 100);
    expect(rate.cols).toBe(5);
    for (let c = 0; c < 5; c++)
      for (let p = 0; p < 8; p++) expect(rate.values[c * 8 + p]).toBeCloseTo(100 * (p + 1));
  });
});

describe('bounded memory, recorded downsampling', () => {
  it('keeps rows of the recent blocks and every keepEvery-th older one; counts for all', () => {
    const model = new SchedModel({ recentDetailBlocks: 5, keepEvery: 3 });
    model.add(events(20, 2, 7));
    const withRows = [];
    for (let i = 0; i < model.detailCount; i++) if (model.detailView(i).rows) withRows.push(i);
    expect(withRows).toEqual([0, 3, 6, 9, 12, 15, 16, 17, 18, 19]);
    const ds = model.downsampling();
    expect(ds).toMatchObject({
      detailBlocksReceived: 20,
      detailBlocks: 20,
      detailBlocksWithRows: 10,
      rowsDroppedAged: 10,
      rowsDroppedBudget: 0,
    });
    expect(ds.rowsRetained).toBe(10 * (2 + 1 + 7));
    expect(model.detailView(1)).toMatchObject({ rowsDropped: 'aged', counts: { gs: 7 } });
    // The nearest block with rows, on request.
    expect(model.detailAt(100)!.rows).toBeUndefined();
    expect(model.detailAt(100, { withRows: true })!.timeMs).toBe(0);
    expect(model.detailAt(480, { withRows: true })!.timeMs).toBe(600);
  });

  it('a row budget drops the oldest rows first, never the newest block', () => {
    const model = new SchedModel({ recentDetailBlocks: 100, maxDetailRows: 250 });
    model.add(events(10, 4, 95));
    const ds = model.downsampling();
    expect(ds.rowsRetained).toBeLessThanOrEqual(250);
    expect(ds.rowsDroppedBudget).toBe(8);
    expect(model.detailView(0).rowsDropped).toBe('budget');
    expect(model.detailView(9).rows).toBeDefined();
    const tiny = new SchedModel({ maxDetailRows: 1 });
    tiny.add(events(3, 4, 95));
    expect(tiny.detailView(2).rows).toBeDefined();
  });

  it('thins the older half of the snapshots 2:1 past maxSnapshots, keeping times sorted and details attached', () => {
    const model = new SchedModel({ maxSnapshots: 100 });
    model.add(events(1000, 3, 2));
    expect(model.snapshotCount).toBeLessThanOrEqual(100);
    const ds = model.downsampling();
    expect(ds.snapshotsReceived).toBe(1000);
    expect(ds.snapshotThinning.length).toBeGreaterThan(5);
    expect(ds.snapshotThinning.reduce((a, t) => a + t.droppedSnapshots, 0)).toBe(
      1000 - model.snapshotCount,
    );
    expect(model.detailCount).toBe(model.snapshotCount);
    let prev = -Infinity;
    for (let i = 0; i < model.snapshotCount; i++) {
      const s = model.snapshot(i);
      expect(s.timeMs).toBeGreaterThan(prev);
      prev = s.timeMs;
      // Per-P values moved with their snapshot: ticks are 10·i·(p+1) at time 100·i.
      expect(s.schedticks).toEqual([0, 1, 2].map((p) => (s.timeMs / 10) * (p + 1)));
      const d = model.detailAt(s.timeMs)!;
      expect(d.snapshotIndex).toBe(i);
      expect(d.timeMs).toBe(s.timeMs);
    }
    // The newest snapshots are all there.
    expect(model.snapshot(model.snapshotCount - 1).timeMs).toBe(99_900);
    expect(model.snapshot(model.snapshotCount - 2).timeMs).toBe(99_800);
  });

  it('keeps the newest program lines and warnings, with totals', () => {
    const model = new SchedModel({ maxProgramLines: 3, maxWarnings: 2 });
    for (let i = 0; i < 10; i++)
      model.add({ kind: 'program', program: { text: `l${i}`, line: i + 1 } });
    for (let i = 0; i < 5; i++)
      model.add({ kind: 'warning', warning: { line: i, message: `w${i}` } });
    expect(model.programOutput()).toEqual({
      lines: ['l7', 'l8', 'l9'].map((text, i) => ({ text, line: 8 + i })),
      total: 10,
      dropped: 7,
    });
    expect(model.warnings().list.map((w) => w.message)).toEqual(['w3', 'w4']);
    expect(model.downsampling()).toMatchObject({ programLinesDropped: 7, warningsDropped: 3 });
  });
});

describe('time axis', () => {
  it('a second run in the same log is shifted to follow the first, and recorded', () => {
    const model = new SchedModel();
    const r = rng(3);
    model.add(
      [0, 100, 200].map((t, i) => ({
        kind: 'snapshot' as const,
        snapshot: { ...snapshot(i, 1, r), timeMs: t },
      })),
    );
    model.add({ kind: 'snapshot', snapshot: { ...snapshot(0, 1, r), timeMs: 0 } });
    model.add({ kind: 'snapshot', snapshot: { ...snapshot(1, 1, r), timeMs: 100 } });
    expect([0, 1, 2, 3, 4].map((i) => model.snapshot(i).timeMs)).toEqual([0, 100, 200, 201, 301]);
    expect(model.restartsSeen()).toEqual([
      { timeMs: 201, reason: 'SCHED time went back from 200 ms to 0 ms' },
    ]);
    expect(model.warnings().list).toHaveLength(1);
  });

  it('scavenger lines take the latest time seen and the GC before them', () => {
    const model = new SchedModel();
    const log = parseSchedTraceLog(
      'gc 1 @0.250s 1%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P\nscav 1 KiB work (bg), 2 KiB work (eager), 3 KiB now, 4% util\n',
    );
    model.add([
      ...log.gcCycles.map((gc) => ({ kind: 'gc' as const, gc })),
      ...log.scavenger.map((scav) => ({ kind: 'scav' as const, scav })),
    ]);
    expect(model.scavenger()).toEqual([
      {
        timeMs: 250,
        afterGc: 1,
        bgKiB: 1,
        eagerKiB: 2,
        releasedKiB: 3,
        utilPercent: 4,
        forced: false,
        controllerReset: false,
      },
    ]);
    expect(model.timeRange()).toEqual({ startMs: 250, endMs: 250 });
  });
});
