// The reader on our hand-written traces: what must come out, without Go (the differential
// suite compares the same cases with go tool trace byte for byte).
import { describe, expect, test } from 'vitest';
import {
  Ev,
  EventKind,
  eventKind,
  GoState,
  stateTransition,
  taskInfo,
  TraceError,
  TraceReader,
  type EventBlock,
} from '../../../src/core/exectrace';
import { readAll } from './support/helpers';
import { SYNTHETIC_CASES } from './support/synthetic-cases';
import { traceFromText } from './support/trace-text';

const caseBytes = (name: string) => {
  const c = SYNTHETIC_CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return traceFromText(c.text);
};

/** Every event of a trace as (block, index) views, copying blocks so they survive. */
function allEvents(bytes: Uint8Array): { b: EventBlock; i: number }[] {
  const out: { b: EventBlock; i: number }[] = [];
  const r = new TraceReader(bytes);
  for (let b = r.next(); b; b = r.next()) {
    const c = b.clone();
    for (let i = 0; i < c.count; i++) out.push({ b: c, i });
  }
  return out;
}

describe('synthetic traces', () => {
  test.each(SYNTHETIC_CASES.map((c) => [c.name, c] as const))(
    '%s: accepted or refused as Go does',
    (_n, c) => {
      const r = readAll(traceFromText(c.text));
      if (c.ok) expect(r.error).toBeNull();
      else {
        expect(r.error).toBeInstanceOf(TraceError);
        expect(r.error!.message.length).toBeGreaterThan(10);
      }
    },
  );

  test('times strictly increase across the whole stream', () => {
    for (const c of SYNTHETIC_CASES.filter((x) => x.ok)) {
      const ev = allEvents(traceFromText(c.text));
      for (let k = 1; k < ev.length; k++)
        expect(ev[k].b.time[ev[k].i]).toBeGreaterThan(ev[k - 1].b.time[ev[k - 1].i]);
    }
  });

  test('the stream starts and ends with Sync events, one per generation plus the last', () => {
    const ev = allEvents(caseBytes('lifecycle (go1.26)'));
    const syncs = ev.filter(({ b, i }) => eventKind(b, i) === EventKind.Sync);
    expect(eventKind(ev[0].b, ev[0].i)).toBe(EventKind.Sync);
    expect(eventKind(ev.at(-1)!.b, ev.at(-1)!.i)).toBe(EventKind.Sync);
    expect(syncs.length).toBe(3);
  });

  test('a coroutine switch becomes three events: unblock, block of the current one, start of the next', () => {
    const ev = allEvents(caseBytes('coroutine-switch (go1.26)'));
    const k = ev.findIndex(({ b, i }) => b.type[i] === Ev.GoSwitch);
    const [sw, blk, start] = ev.slice(k, k + 3);
    expect(stateTransition(sw.b, sw.i)).toMatchObject({
      id: 7,
      from: GoState.Waiting,
      to: GoState.Runnable,
    });
    expect(stateTransition(blk.b, blk.i)).toMatchObject({
      id: 1,
      from: GoState.Running,
      to: GoState.Waiting,
      reason: '',
    });
    expect(stateTransition(start.b, start.i)).toMatchObject({
      id: 7,
      from: GoState.Runnable,
      to: GoState.Running,
    });
    expect(start.b.g[start.i]).toBe(-1);
  });

  test('a task ended in a later generation keeps its name and parent', () => {
    const ev = allEvents(caseBytes('task-across-generations (go1.25)'));
    const ends = ev
      .filter(({ b, i }) => b.type[i] === Ev.UserTaskEnd)
      .map(({ b, i }) => taskInfo(b, i));
    expect(ends[0]).toEqual({ id: -2, parent: 5, type: 'region-x' });
    expect(ends[1]).toEqual({ id: 5, parent: -1, type: 'task-a' });
    expect(ends[2]).toEqual({ id: 5, parent: -1, type: '' }); // ended twice: unknown the second time
  });

  test('a cgo goroutine destroyed with a P produces the extra self-steal first', () => {
    const ev = allEvents(caseBytes('cgo-callback (go1.22)'));
    const k = ev.findIndex(({ b, i }) => b.type[i] === Ev.GoDestroySyscall);
    expect(ev[k - 1].b.type[ev[k - 1].i]).toBe(Ev.ProcSteal);
    expect(stateTransition(ev[k - 1].b, ev[k - 1].i)).toMatchObject({ resource: 'proc', id: 2 });
  });

  test('Go 1.25+ generations carry a clock snapshot; earlier ones do not', () => {
    for (const [name, has] of [
      ['clock-snapshot (go1.25)', true],
      ['lifecycle (go1.23)', false],
    ] as const) {
      const r = new TraceReader(caseBytes(name));
      const b = r.next()!;
      expect(b.table!.clock !== null).toBe(has);
    }
  });

  test('experimental batches are passed through as opaque bytes', () => {
    const r = new TraceReader(caseBytes('experimental (go1.26)'));
    const b = r.next()!;
    const x = b.table!.experimentalBatches;
    expect(x).toHaveLength(1);
    expect(x[0].experiment).toBe('AllocFree');
    expect(Array.from(x[0].data.subarray(0, 3))).toEqual([0x80, 1, 2]);
  });
});

describe('streaming', () => {
  test('small blocks give the same events as one block per generation', () => {
    for (const c of SYNTHETIC_CASES) {
      const bytes = traceFromText(c.text);
      const whole = readAll(bytes);
      const small = readAll(bytes, { blockSize: 16 });
      expect(small.text).toBe(whole.text);
      expect(small.error?.message).toBe(whole.error?.message);
    }
  });

  test('a failure part-way delivers the events before it, then throws', () => {
    const r = new TraceReader(caseBytes('error-cannot-advance (go1.22)'));
    const b = r.next()!;
    expect(b.count).toBeGreaterThan(0);
    expect(b.error).toBeInstanceOf(TraceError);
    expect(() => r.next()).toThrow(TraceError);
    expect(r.next()).toBeNull();
  });

  test('cancellation between blocks throws TraceError "cancelled"', () => {
    const signal = { aborted: false };
    const r = new TraceReader(caseBytes('lifecycle (go1.26)'), { signal, blockSize: 16 });
    r.next();
    signal.aborted = true;
    try {
      r.next();
      throw new Error('not cancelled');
    } catch (e) {
      expect(e).toBeInstanceOf(TraceError);
      expect((e as TraceError).code).toBe('cancelled');
    }
  });

  test('progress is reported up to the whole file', () => {
    const bytes = caseBytes('lifecycle (go1.22)');
    const seen: number[] = [];
    const r = new TraceReader(bytes, {
      onProgress: (done, total) => (expect(total).toBe(bytes.length), seen.push(done)),
    });
    while (r.next());
    expect(seen.at(-1)).toBe(bytes.length);
  });
});
