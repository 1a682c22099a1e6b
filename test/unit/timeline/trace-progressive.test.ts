// Progressive opening in the parse worker, on committed multi-generation traces: `loadTrace`
// with `progressive` answers first with a preview model of the first generations, and
// `finishTraceLoad` later with the complete model, which must be the one a plain load builds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TraceReader } from '../../../src/core/exectrace';
import type { LoadedTrace } from '../../../src/worker/trace-protocol';
import { traceHandlers as h } from '../../../src/worker/trace-handlers';

const fixtures = join(__dirname, '../../fixtures/exectrace');
const noop = () => {};
let loadIds = 100;
/** Cut the preview at the first end of a generation, whatever the file's size. */
const EARLY = { afterMs: 0, latestMs: 1e9, minBytes: 0, holdMs: 0 };

/** Events and end time (ns since the trace start) of each generation, as the reader hands them out. */
function generations(bytes: Uint8Array): Map<number, { events: number; end: number }> {
  const r = new TraceReader(bytes);
  const gens = new Map<number, { events: number; end: number }>();
  for (let b = r.next(); b; b = r.next()) {
    if (b.gen === 0 || b.count === 0) continue;
    const g = gens.get(b.gen) ?? { events: 0, end: 0 };
    g.events += b.count;
    g.end = b.time[b.count - 1];
    gens.set(b.gen, g);
  }
  return gens;
}

/** What the timeline gets from a handle: lanes of every P, GC and STW, the overview, the table. */
async function views(t: LoadedTrace) {
  const handle = t.handle;
  const lanes = await h.traceLanes(
    {
      handle,
      t0: t.start,
      t1: t.end + 1,
      resolution: (t.end - t.start) / 2000,
      lanes: [...t.procs.map((_, index) => ({ kind: 'p' as const, index })), { kind: 'gc' }],
    },
    noop,
  );
  const overview = await h.traceOverview({ handle, buckets: 500 }, noop);
  const analysis = await h.traceAnalysis({ handle }, noop);
  return { lanes, overview, analysis };
}

const counts = (t: LoadedTrace) => ({
  version: t.version,
  start: t.start,
  end: t.end,
  eventCount: t.eventCount,
  spanCount: t.spanCount,
  goroutineCount: t.goroutineCount,
  procs: t.procs,
  groups: t.groups,
  cpuSamples: t.cpuSamples,
  gcCycles: t.gcCycles,
  stwCount: t.stwCount,
  lastGeneration: t.lastGeneration,
  error: t.error,
});

describe.each(['workload-go1.26.8.trace', 'workload-go1.25.14.trace', 'workload-go1.23.12.trace'])(
  'progressive load of %s',
  (name) => {
    const file = join(fixtures, name);
    const bytes = new Uint8Array(readFileSync(file));

    test('the preview comes first, holds the first generation, and the complete model equals a plain load', async () => {
      const gens = generations(bytes);
      expect(gens.size).toBeGreaterThan(2);
      const order: string[] = [];
      const loadId = loadIds++;
      const preview = await h.loadTrace({ path: file, loadId, progressive: EARLY }, noop);
      order.push('preview');
      // How far the rest has got, for the overview strip: past the preview, until it is done.
      const status = await h.traceLoadStatus({ loadId }, noop);
      expect(status).not.toBeNull();
      expect(status!.parsedNs).toBeGreaterThanOrEqual(preview.end);
      const progress: number[] = [];
      const complete = await h.finishTraceLoad({ loadId }, (_m, f) => {
        if (f !== undefined) progress.push(f);
      });
      order.push('complete');
      expect(await h.traceLoadStatus({ loadId }, noop)).toBeNull();
      expect(order).toEqual(['preview', 'complete']);

      // The preview: the first generation, to its end, under its own handle.
      const first = [...gens.keys()][0];
      expect(preview.partial).toBeDefined();
      expect(preview.partial!.generations).toBe(1);
      expect(preview.partial!.fraction).toBeGreaterThan(0);
      expect(preview.partial!.fraction).toBeLessThan(1);
      expect(preview.lastGeneration).toBe(first);
      expect(preview.eventCount).toBe(gens.get(first)!.events);
      expect(preview.end).toBe(gens.get(first)!.end);
      expect(preview.spanCount).toBeGreaterThan(0);
      expect(preview.handle).not.toBe(complete.handle);
      expect(preview.error).toBeUndefined();

      // The complete model: every generation, the same as a load that is not progressive.
      const plain = await h.loadTrace({ path: file, loadId: loadIds++ }, noop);
      expect(complete.partial).toBeUndefined();
      expect(complete.lastGeneration).toBe([...gens.keys()].at(-1));
      expect(complete.eventCount).toBe([...gens.values()].reduce((s, g) => s + g.events, 0) + 1);
      expect(counts(complete)).toEqual(counts(plain));
      expect(await views(complete)).toEqual(await views(plain));
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toBeGreaterThan(0.9);

      // The preview is a model of its own, answered on its own handle until released.
      expect((await views(preview)).lanes.length).toBe(preview.procs.length + 1);
      for (const t of [preview, complete, plain]) h.releaseTrace({ handle: t.handle }, noop);
      expect(() => h.traceOverview({ handle: preview.handle, buckets: 10 }, noop)).toThrow(
        /no longer loaded/,
      );
    });
  },
);

describe('progressive load', () => {
  const file = join(fixtures, 'workload-go1.26.8.trace');

  test('a small file loads once, complete', async () => {
    const r = await h.loadTrace({ path: file, loadId: loadIds++, progressive: {} }, noop);
    expect(r.partial).toBeUndefined();
    h.releaseTrace({ handle: r.handle }, noop);
    // Likewise a file parsed to its end before the preview's time comes.
    const late = { afterMs: 1e9, latestMs: 1e9, minBytes: 0 };
    const whole = await h.loadTrace({ path: file, loadId: loadIds++, progressive: late }, noop);
    expect(whole.partial).toBeUndefined();
    h.releaseTrace({ handle: whole.handle }, noop);
  });

  test('a one-generation trace loads once, complete', async () => {
    const r = await h.loadTrace(
      {
        path: join(fixtures, 'allocfree-go1.26.8.trace'),
        loadId: loadIds++,
        progressive: EARLY,
      },
      noop,
    );
    expect(r.lastGeneration).toBe(1);
    expect(r.partial).toBeUndefined();
    h.releaseTrace({ handle: r.handle }, noop);
  });

  test('cancelled after the preview: the rest fails as cancelled, the preview stays loaded', async () => {
    const loadId = loadIds++;
    const preview = await h.loadTrace({ path: file, loadId, progressive: EARLY }, noop);
    expect(preview.partial).toBeDefined();
    h.cancelTraceLoad({ loadId }, noop);
    await expect(h.finishTraceLoad({ loadId }, noop)).rejects.toMatchObject({
      name: 'TraceError',
      code: 'cancelled',
    });
    expect(
      (await h.traceOverview({ handle: preview.handle, buckets: 10 }, noop)).utilization,
    ).toHaveLength(10);
    h.releaseTrace({ handle: preview.handle }, noop);
  });

  test('a trace cut short after the preview: the complete model keeps what parsed, with the error', async () => {
    const bytes = readFileSync(file);
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.7));
    const loadId = loadIds++;
    const preview = await h.loadTrace({ bytes: cut, loadId, progressive: EARLY }, noop);
    expect(preview.partial).toBeDefined();
    expect(preview.error).toBeUndefined();
    const complete = await h.finishTraceLoad({ loadId }, noop);
    const plain = await h.loadTrace({ bytes: cut, loadId: loadIds++ }, noop);
    expect(complete.error?.code).toBe('truncated');
    expect(counts(complete)).toEqual(counts(plain));
    for (const t of [preview, complete, plain]) h.releaseTrace({ handle: t.handle }, noop);
  });

  test("after the preview the rest waits for the view's first lanes, then goes on", async () => {
    const loadId = loadIds++;
    const preview = await h.loadTrace(
      { path: file, loadId, progressive: { ...EARLY, holdMs: 600_000 } },
      noop,
    );
    expect(preview.partial).toBeDefined();
    let done = false;
    const rest = Promise.resolve(h.finishTraceLoad({ loadId }, noop)).then(
      (r) => ((done = true), r),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(false);
    // The view's first lanes: the rest of the trace is parsed now (not after ten minutes).
    const t = preview;
    await h.traceLanes(
      {
        handle: t.handle,
        t0: t.start,
        t1: t.end + 1,
        resolution: 1000,
        lanes: [{ kind: 'p', index: 0 }],
      },
      noop,
    );
    const complete = await rest;
    expect(complete.partial).toBeUndefined();
    for (const x of [preview, complete]) h.releaseTrace({ handle: x.handle }, noop);
  });

  test('a view whose page is not up yet ends the wait, and the rest goes on at once', async () => {
    const loadId = loadIds++;
    const preview = await h.loadTrace(
      { path: file, loadId, progressive: { ...EARLY, holdMs: 600_000 } },
      noop,
    );
    expect(preview.partial).toBeDefined();
    const rest = h.finishTraceLoad({ loadId }, noop);
    h.endPreviewHold({ handle: preview.handle }, noop);
    const complete = await rest;
    expect(complete.partial).toBeUndefined();
    for (const x of [preview, complete]) h.releaseTrace({ handle: x.handle }, noop);
  });

  test('finishing a load that is not in the background says so', async () => {
    await expect(h.finishTraceLoad({ loadId: 99_999 }, noop)).rejects.toThrow(/no trace load/);
  });
});
