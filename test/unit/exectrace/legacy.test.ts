// Go 1.11–1.21 (v1) traces through the reader and the model the timeline draws: the converted
// events build the same kind of model as a v2 trace (goroutines, spans, procs, GC, annotations,
// CPU samples), and the legacy path hands out blocks the way the v2 path does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  buildModel,
  GoState,
  spanEnd,
  spanStart,
  stackFrames,
  TraceReader,
} from '../../../src/core/exectrace';
import { repoRoot } from '../../support/go';
import { readAll } from './support/helpers';

const legacyDir = join(repoRoot, 'test/fixtures/exectrace-legacy');
const workload = readFileSync(join(legacyDir, 'workload-go1.21.13.trace'));

describe('the timeline model of a Go 1.21 trace (every workload scenario)', () => {
  const m = buildModel(workload);
  const named = (name: string) =>
    [...m.goroutines.startFunc.keys()].filter(
      (gi) => m.strings[m.goroutines.startFunc[gi]] === name,
    );

  test('opens without error, as the Go 1.21 format', () => {
    expect(m.error).toBeNull();
    expect(m.version).toBe(21);
    expect(m.generations.length).toBe(1); // Go converts a v1 trace into one generation
    expect(m.end).toBeGreaterThan(m.start);
  });

  test('goroutines created in the trace have creators, stacks and ends', () => {
    const many = named('main.manyScenario.func3'); // Go 1.21's compiler numbers the closure differently;
    expect(many.length).toBe(2000);
    for (const gi of many) {
      expect(m.goroutines.createdAt[gi]).toBeLessThan(m.goroutines.endedAt[gi]);
      expect(stackFrames(m, m.goroutines.creationStack[gi])[0].func).toBe('main.manyScenario');
    }
  });

  test('spans are consistent: ordered, non-negative, one goroutine per P at a time', () => {
    const s = m.spans;
    expect(s.count).toBeGreaterThan(1000);
    for (let i = 0; i < s.count; i++) {
      expect(spanEnd(s, i)).toBeGreaterThanOrEqual(spanStart(s, i));
      expect(spanEnd(s, i)).toBeLessThanOrEqual(m.end);
    }
    for (const p of m.procs)
      for (let k = 1; k < p.running.length; k++)
        expect(spanStart(s, p.running[k])).toBeGreaterThanOrEqual(spanEnd(s, p.running[k - 1]));
    expect(m.procs.length).toBeGreaterThan(0);
  });

  test('what the scenarios did shows up, with the reasons Go gives converted events', () => {
    const reasons = new Set([...m.spans.reason].map((r) => m.strings[m.spans.reasons[r]]));
    for (const r of ['chan receive', 'chan send', 'select', 'sync', 'network', 'sleep'])
      expect(reasons).toContain(r);
    expect([...m.spans.state].filter((st) => st === GoState.Syscall).length).toBeGreaterThan(10);
    expect(m.gc.cycles.start.length).toBeGreaterThan(0);
    expect([...m.gc.stw.kind].map((k) => m.strings[k])).toContain('GC mark termination');
    expect(m.tasks.count).toBe(5);
    expect(m.logs.count).toBeGreaterThan(30);
    expect(m.cpuSamples.count).toBeGreaterThan(0);
    expect(m.metrics.heapAlloc.time.length).toBeGreaterThan(0);
  });
});

test('the legacy path hands out blocks like the v2 path: Sync first, then the events, then a closing Sync', () => {
  const whole = readAll(workload);
  const small = readAll(workload, { blockSize: 1000 });
  expect(whole.error).toBeNull();
  expect(small.text).toBe(whole.text);
  expect(small.events).toBe(whole.events);
  expect(whole.generations).toBe(1);
  const r = new TraceReader(workload);
  const first = r.next()!;
  expect(first.count).toBeGreaterThan(0);
  expect(first.table).not.toBeNull();
  let last = first;
  for (let b = r.next(); b; b = r.next()) last = b.clone();
  expect(last.final).toBe(true);
  expect(last.count).toBe(1);
  expect(last.table).toBeNull();
  expect(r.bytesRead).toBe(workload.length);
});

test('cancellation stops the legacy parse with a typed error', () => {
  const r = new TraceReader(workload, { signal: { aborted: true } });
  expect(() => r.next()).toThrow(
    expect.objectContaining({ name: 'TraceError', code: 'cancelled' }),
  );
});
