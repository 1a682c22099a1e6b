// The model built from the events: goroutine lives and state spans, procs and threads, GC,
// annotations, metrics, CPU samples; on a hand-written trace (exact expectations) and on a
// real one (everything the workload did shows up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  buildModel,
  GoState,
  goroutineIndex,
  goroutineSpans,
  spanEnd,
  spanGoroutine,
  spanReason,
  spanStart,
  stackFrames,
  threadSpans,
  TraceModelBuilder,
  TraceReader,
  type TraceModel,
} from '../../../src/core/exectrace';
import { fixturesDir } from './support/helpers';
import { SYNTHETIC_CASES } from './support/synthetic-cases';
import { traceFromText } from './support/trace-text';

const synthetic = (name: string) =>
  buildModel(traceFromText(SYNTHETIC_CASES.find((c) => c.name === name)!.text));

function spansOf(m: TraceModel, id: number) {
  const gi = goroutineIndex(m, id);
  const out = [];
  for (const s of goroutineSpans(m, gi)) {
    out.push({
      state: m.spans.state[s],
      start: spanStart(m.spans, s),
      end: spanEnd(m.spans, s),
      reason: m.strings[spanReason(m.spans, s)],
      p: m.spans.p[s],
      stack: m.spans.stack[s],
    });
  }
  return out;
}

describe('a hand-written trace', () => {
  const m = synthetic('lifecycle (go1.26)');
  const S = GoState;

  test('goroutine lives: creation, creator, exit', () => {
    const g1 = goroutineIndex(m, 1);
    const g5 = goroutineIndex(m, 5);
    expect(Number.isNaN(m.goroutines.createdAt[g1])).toBe(true); // existed before the trace
    expect(m.goroutines.createdAt[g5]).toBeGreaterThan(0);
    expect(m.goroutines.creator[g5]).toBe(g1);
    expect(stackFrames(m, m.goroutines.creationStack[g5]).map((f) => f.func)).toEqual([
      'main.main',
    ]);
    expect(stackFrames(m, m.goroutines.startStack[g5]).map((f) => f.func)).toEqual([
      'main.worker',
      'runtime.goexit',
    ]);
    expect(m.goroutines.endedAt[g5]).toBeGreaterThan(m.goroutines.createdAt[g5]);
    expect(m.goroutines.endedAt[g1]).toBeGreaterThan(0);
    expect(m.strings[m.goroutines.label[g5]]).toBe('GC (dedicated)');
  });

  test('state spans follow the transitions, contiguous, with reasons, stacks and procs', () => {
    const g1 = spansOf(m, 1);
    expect(g1.map((s) => s.state)).toEqual([S.Running, S.Waiting, S.Runnable, S.Running]);
    expect(g1[0].start).toBe(0); // known since the generation started
    expect(g1[1].reason).toBe('chan receive');
    expect(stackFrames(m, g1[1].stack).map((f) => f.func)).toEqual(['main.main']);
    const g5 = spansOf(m, 5);
    expect(g5.map((s) => s.state)).toEqual([
      S.Runnable,
      S.Running,
      S.Runnable,
      S.Running,
      S.Syscall,
      S.Running,
    ]);
    expect(g5[2].reason).toBe('runtime.Gosched');
    expect([g5[1].p, g5[3].p, g5[4].p]).toEqual([0, 1, 1]);
    for (const sp of [g1, g5])
      for (let k = 1; k < sp.length; k++) expect(sp[k].start).toBe(sp[k - 1].end);
  });

  test('procs and threads', () => {
    const p0 = m.procs.find((p) => p.id === 0)!;
    const p1 = m.procs.find((p) => p.id === 1)!;
    expect(p0.heldStart.length).toBeGreaterThanOrEqual(2); // before and after a generation boundary
    expect(m.threads.map((t) => t.id).sort()).toEqual([10, 11]);
    expect(p1.running.length).toBe(2);
    expect(spanGoroutine(m.spans, p1.running[0])).toBe(goroutineIndex(m, 5));
    // A thread's spans, derived on demand: its Running and Syscall spans, in time order.
    for (let mi = 0; mi < m.threads.length; mi++) {
      const spans = Array.from(threadSpans(m, mi));
      expect(spans.length).toBeGreaterThan(0);
      for (const s of spans) {
        expect(m.spans.m[s]).toBe(mi);
        expect([GoState.Running, GoState.Syscall]).toContain(m.spans.state[s]);
      }
      for (let k = 1; k < spans.length; k++)
        expect(spanStart(m.spans, spans[k])).toBeGreaterThanOrEqual(spanEnd(m.spans, spans[k - 1]));
    }
    const onThreads = m.threads.reduce((n, _, mi) => n + threadSpans(m, mi).length, 0);
    const running = Array.from(m.spans.state).filter(
      (st, i) => (st === GoState.Running || st === GoState.Syscall) && m.spans.m[i] >= 0,
    ).length;
    expect(onThreads).toBe(running);
  });

  test('GC cycle, stop-the-world, assist, sweep', () => {
    expect(Array.from(m.gc.cycles.seq)).toEqual([1]);
    expect(m.gc.cycles.end[0]).toBeGreaterThan(m.gc.cycles.start[0]);
    expect(m.gc.stw.start.length).toBe(1);
    expect(m.strings[m.gc.stw.kind[0]]).toBe('GC sweep termination');
    expect(m.gc.assists.g[0]).toBe(goroutineIndex(m, 1));
    expect([m.gc.sweeps.p[0], m.gc.sweeps.swept[0], m.gc.sweeps.reclaimed[0]]).toEqual([
      0, 8192, 4096,
    ]);
  });

  test('tasks, regions and logs', () => {
    const t = m.tasks;
    const byId = (id: number) => [...t.id].indexOf(id);
    expect(m.strings[t.name[byId(1)]]).toBe('task-a');
    expect(t.parent[byId(1)]).toBe(-1);
    expect(t.parent[byId(2)]).toBe(1);
    expect(t.end[byId(1)]).toBeGreaterThan(t.start[byId(1)]);
    expect(Number.isNaN(t.start[byId(99)])).toBe(true); // ended, never begun in the trace
    const names = [...m.regions.name].map((n) => m.strings[n]);
    expect(names).toEqual(['region-x', 'region-x']);
    expect(m.regions.end[0]).toBeGreaterThan(m.regions.start[0]);
    expect(Number.isNaN(m.regions.start[1])).toBe(true); // an end without a begin
    expect(m.logs.count).toBe(1);
    expect(m.strings[m.logs.category[0]]).toBe('category');
    expect(m.strings[m.logs.message[0]]).toContain('tab\there');
  });

  test('metrics', () => {
    expect(Array.from(m.metrics.gomaxprocs.value)).toEqual([2]);
    expect(Array.from(m.metrics.heapGoal.value)).toEqual([4194304]);
    expect(Array.from(m.metrics.heapAlloc.value)).toEqual([123456]);
    const c = m.metrics.goroutines;
    for (let i = 0; i < c.time.length; i++)
      expect(
        Math.min(c.runnable[i], c.running[i], c.waiting[i], c.syscall[i]),
      ).toBeGreaterThanOrEqual(0);
  });

  test('the builder can be fed block by block (a worker streams it)', () => {
    const bytes = traceFromText(SYNTHETIC_CASES.find((c) => c.name === 'lifecycle (go1.26)')!.text);
    const r = new TraceReader(bytes, { blockSize: 16 });
    const b = new TraceModelBuilder(r.version);
    for (let blk = r.next(); blk; blk = r.next()) b.add(blk, r.timeBase);
    const streamed = b.finish();
    expect(streamed.spans.count).toBe(m.spans.count);
    expect(
      Array.from({ length: streamed.spans.count }, (_, i) => spanEnd(streamed.spans, i)),
    ).toEqual(Array.from({ length: m.spans.count }, (_, i) => spanEnd(m.spans, i)));
  });
});

describe('a real trace (every workload scenario, Go 1.26)', () => {
  const m = buildModel(readFileSync(join(fixturesDir, 'workload-go1.26.8.trace')));
  const named = (name: string) =>
    [...m.goroutines.startFunc.keys()].filter(
      (gi) => m.strings[m.goroutines.startFunc[gi]] === name,
    );

  test('thousands of goroutines, all created and exited within the trace', () => {
    const many = named('main.manyScenario.func1');
    expect(many.length).toBe(2000);
    for (const gi of many) {
      expect(m.goroutines.createdAt[gi]).toBeLessThan(m.goroutines.endedAt[gi]);
      expect(stackFrames(m, m.goroutines.creationStack[gi])[0].func).toBe('main.manyScenario');
    }
  });

  test('spans are consistent: ordered, non-negative, within the trace', () => {
    const s = m.spans;
    for (let i = 0; i < s.count; i++) {
      expect(spanEnd(s, i)).toBeGreaterThanOrEqual(spanStart(s, i));
      expect(spanEnd(s, i)).toBeLessThanOrEqual(m.end);
    }
    for (let gi = 0; gi < m.goroutines.count; gi++) {
      const own = goroutineSpans(m, gi);
      for (let k = 0; k < own.length; k++) {
        expect(spanGoroutine(s, own[k])).toBe(gi);
        if (k > 0) expect(spanStart(s, own[k])).toBeGreaterThanOrEqual(spanEnd(s, own[k - 1]));
      }
    }
    // Per P: one goroutine at a time, in time order.
    for (const p of m.procs)
      for (let k = 1; k < p.running.length; k++)
        expect(spanStart(s, p.running[k])).toBeGreaterThanOrEqual(spanEnd(s, p.running[k - 1]));
  });

  test('what the scenarios did shows up', () => {
    const reasons = new Set([...m.spans.reason].map((r) => m.strings[m.spans.reasons[r]]));
    for (const r of [
      'chan receive',
      'chan send',
      'select',
      'sync',
      'sync.(*Cond).Wait',
      'network',
      'sleep',
    ])
      expect(reasons).toContain(r);
    expect([...m.spans.state].filter((st) => st === GoState.Syscall).length).toBeGreaterThan(10);
    expect(m.gc.cycles.start.length).toBeGreaterThan(0);
    expect([...m.gc.stw.kind].map((k) => m.strings[k])).toContain('GOMAXPROCS');
    expect(m.gc.assists.g.length + m.gc.sweeps.p.length).toBeGreaterThan(0);
    expect(Array.from(m.metrics.gomaxprocs.value)).toContain(3); // procsScenario raised it
    expect(m.tasks.count).toBe(5);
    expect(m.logs.count).toBeGreaterThan(30);
    expect(m.cpuSamples.count).toBeGreaterThan(0);
    expect(named('runtime.corostart').length).toBe(2); // the iter.Pull coroutines
    expect(m.generations.length).toBeGreaterThan(2);
    expect(m.generations.every((g) => g.clock !== null)).toBe(true);
  });
});

test('experimental batches are kept, opaque, per generation', () => {
  const m = buildModel(readFileSync(join(fixturesDir, 'allocfree-go1.26.8.trace')));
  const batches = m.generations.flatMap((g) => g.experimental);
  expect(batches.length).toBeGreaterThan(0);
  expect(batches.every((b) => b.experiment === 'AllocFree' && b.data.length > 0)).toBe(true);
  // Their bytes are the model's own: a view into the file would keep the whole file in memory.
  const file = readFileSync(join(fixturesDir, 'allocfree-go1.26.8.trace'));
  const kept = buildModel(file).generations.flatMap((g) => g.experimental);
  expect(
    kept.every(
      (b) => b.data.buffer !== file.buffer && b.data.byteLength === b.data.buffer.byteLength,
    ),
  ).toBe(true);
  expect(Array.from(kept[0].data)).toEqual(Array.from(batches[0].data));
});

test('a truncated trace gives a model of what came before, with the error', () => {
  const data = readFileSync(join(fixturesDir, 'workload-go1.25.14.trace'));
  const m = buildModel(data.subarray(0, Math.floor(data.length * 0.6)));
  expect(m.error?.code).toBe('truncated');
  expect(m.goroutines.count).toBeGreaterThan(10);
  expect(() =>
    buildModel(data.subarray(0, Math.floor(data.length * 0.6)), { keepPartial: false }),
  ).toThrow(/truncated/);
});
