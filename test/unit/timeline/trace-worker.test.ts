// The parse worker's trace methods, in-process, on committed traces: what the timeline asks for
// (lanes, details, graphs, the analysis table, the CPU profile of a range) and cancelling a
// load. The lane marks are checked against the model itself, span by span.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildModel, GoState, spanGoroutine, spanReason } from '../../../src/core/exectrace';
import type { LoadedTrace } from '../../../src/worker/trace-protocol';
import { traceHandlers as h } from '../../../src/worker/trace-handlers';

const fixture = join(__dirname, '../../fixtures/exectrace/workload-go1.26.8.trace');
const noop = () => {};
let loaded: LoadedTrace;

beforeAll(async () => {
  loaded = await h.loadTrace({ path: fixture, loadId: 1 }, noop);
});
afterAll(async () => {
  await h.releaseTrace({ handle: loaded.handle }, noop);
});

describe('loadTrace', () => {
  test('describes the trace', async () => {
    const m = buildModel(readFileSync(fixture));
    expect(loaded.version).toBe(26);
    expect(loaded.eventCount).toBe(m.eventCount);
    expect(loaded.spanCount).toBe(m.spans.count);
    expect(loaded.procs).toEqual(m.procs.map((p) => p.id));
    expect(loaded.groups.reduce((s, g) => s + g.count, 0)).toBeGreaterThan(2000);
    expect(loaded.cpuSamples).toBe(m.cpuSamples.count);
    expect(loaded.error).toBeUndefined();
  });

  test('reports staged progress', async () => {
    const stages: string[] = [];
    const r = await h.loadTrace({ path: fixture, loadId: 2 }, (message) => stages.push(message));
    h.releaseTrace({ handle: r.handle }, noop);
    expect(stages[0]).toBe('Reading the file');
    expect(stages).toContain('Building the timeline');
    expect(stages.at(-1)).toBe('Indexing lanes');
  });

  test('a cancelled load fails with a cancelled TraceError and keeps nothing', async () => {
    const p = h.loadTrace({ path: fixture, loadId: 3 }, noop);
    h.cancelTraceLoad({ loadId: 3 }, noop);
    await expect(p).rejects.toMatchObject({ name: 'TraceError', code: 'cancelled' });
  });

  test('a truncated trace loads what parsed, with the error', async () => {
    const bytes = readFileSync(fixture);
    const r = await h.loadTrace(
      // Cut inside the last generation: how the bytes spread over generations varies by run.
      { bytes: bytes.subarray(0, bytes.length - 1000), loadId: 4 },
      noop,
    );
    h.releaseTrace({ handle: r.handle }, noop);
    expect(r.error?.code).toBe('truncated');
    expect(r.lastGeneration).toBeGreaterThan(1);
    expect(r.spanCount).toBeGreaterThan(0);
  });

  test('not a trace, and a pre-Go 1.11 trace: the parser says what it is', async () => {
    await expect(
      h.loadTrace(
        { bytes: new TextEncoder().encode('hello, this is not a trace at all'), loadId: 5 },
        noop,
      ),
    ).rejects.toThrow(/not a Go execution trace/);
    const old = new Uint8Array(32);
    old.set(new TextEncoder().encode('go 1.10 trace\0\0\0'));
    await expect(h.loadTrace({ bytes: old, loadId: 6 }, noop)).rejects.toThrow(
      /Go 1\.10.*GOTOOLCHAIN=go1\.22\.12 go tool trace/,
    );
  });

  test('a Go 1.21 trace loads for the timeline, converted as Go converts it', async () => {
    const legacy = join(__dirname, '../../fixtures/exectrace-legacy/workload-go1.21.13.trace');
    const r = await h.loadTrace({ path: legacy, loadId: 7 }, noop);
    h.releaseTrace({ handle: r.handle }, noop);
    expect(r.version).toBe(21);
    expect(r.error).toBeUndefined();
    expect(r.procs.length).toBeGreaterThan(0);
    expect(r.groups.reduce((s, g) => s + g.count, 0)).toBeGreaterThan(2000);
    expect(r.cpuSamples).toBeGreaterThan(0);
  });
});

describe('traceLanes', () => {
  test('P lanes at full resolution are exactly the running spans of each P', async () => {
    const m = buildModel(readFileSync(fixture));
    const lanes = await h.traceLanes(
      {
        handle: loaded.handle,
        t0: loaded.start,
        t1: loaded.end + 1,
        resolution: 1e-6,
        lanes: loaded.procs.map((_, index) => ({ kind: 'p' as const, index })),
      },
      noop,
    );
    lanes.forEach((l, pi) => {
      const running = m.procs[pi].running;
      expect(l.key).toBe(`p${pi}`);
      expect(Array.from(l.ref)).toEqual(Array.from(running));
      for (let i = 0; i < l.ref.length; i++) {
        expect(l.n[i]).toBe(1);
        expect(m.spans.state[l.ref[i]]).toBe(GoState.Running);
        expect(l.gid[i]).toBe(m.goroutines.id[spanGoroutine(m.spans, l.ref[i])]);
        expect(loaded.groups[l.group[i]].name).toBe(
          m.strings[m.execStats.name[spanGoroutine(m.spans, l.ref[i])]],
        );
      }
    });
  });

  test('zoomed out, a lane has at most about two marks per pixel and accounts for every span', async () => {
    const px = 400;
    const res = (loaded.end - loaded.start) / px;
    const [p0] = await h.traceLanes(
      {
        handle: loaded.handle,
        t0: loaded.start,
        t1: loaded.end + 1,
        resolution: res,
        lanes: [{ kind: 'p', index: 0 }],
      },
      noop,
    );
    const [full] = await h.traceLanes(
      {
        handle: loaded.handle,
        t0: loaded.start,
        t1: loaded.end + 1,
        resolution: 1e-6,
        lanes: [{ kind: 'p', index: 0 }],
      },
      noop,
    );
    expect(p0.start.length).toBeLessThanOrEqual(2 * px + 1);
    expect(Array.from(p0.n).reduce((a, b) => a + b, 0)).toBe(full.start.length);
    for (let i = 0; i < p0.n.length; i++) if (p0.n[i] > 1) expect(p0.ref[i]).toBe(-1);
  });

  test('goroutine lanes carry the goroutine and span classes; GC and STW lanes their intervals', async () => {
    const g = loaded.groups.findIndex((x) => x.name.startsWith('main.'));
    const [lane, gc, stw] = await h.traceLanes(
      {
        handle: loaded.handle,
        t0: loaded.start,
        t1: loaded.end + 1,
        resolution: 1e-6,
        lanes: [{ kind: 'g', group: g, member: 0 }, { kind: 'gc' }, { kind: 'stw' }],
      },
      noop,
    );
    expect(lane.goroutine?.id).toBeGreaterThan(0);
    expect(lane.start.length).toBeGreaterThan(0);
    for (let i = 1; i < lane.start.length; i++)
      expect(lane.start[i]).toBeGreaterThanOrEqual(lane.end[i - 1]);
    expect(gc.start.length).toBe(loaded.gcCycles);
    expect(stw.start.length).toBe(loaded.stwCount);
    await expect(
      async () =>
        await h.traceLanes(
          {
            handle: loaded.handle,
            t0: 0,
            t1: 1,
            resolution: 1,
            lanes: [{ kind: 'g', group: 9999, member: 0 }],
          },
          noop,
        ),
    ).rejects.toThrow(/does not exist/);
  });
});

describe('details, graphs, analysis, CPU profile', () => {
  test('a running span says where it stopped, a blocked one where it blocked', async () => {
    const m = buildModel(readFileSync(fixture));
    const blocked = Array.from({ length: m.spans.count }, (_, i) => i).find(
      (i) =>
        m.spans.state[i] === GoState.Waiting &&
        m.spans.stack[i] >= 0 &&
        m.strings[spanReason(m.spans, i)] === 'chan receive',
    )!;
    const d = await h.traceDetail(
      { handle: loaded.handle, ref: { kind: 'span', index: blocked } },
      noop,
    );
    expect(d.title).toMatch(/^G\d+ blocked: chan receive$/);
    expect(d.rows.find(([k]) => k === 'Reason')?.[1]).toBe('chan receive');
    expect(d.stacks[0].title).toBe('Blocked at');
    expect(d.stacks[0].frames[0].func).toMatch(/^runtime\.chanrecv/);
    expect(d.goroutine?.group).toBeGreaterThanOrEqual(0);
    const running = m.procs[0].running[5];
    const r = await h.traceDetail(
      { handle: loaded.handle, ref: { kind: 'span', index: running } },
      noop,
    );
    expect(r.rows.find(([k]) => k === 'P')?.[1]).toBe(`P${m.procs[0].id}`);
    expect(
      (await h.traceDetail({ handle: loaded.handle, ref: { kind: 'gc', index: 0 } }, noop)).title,
    ).toMatch(/^GC cycle \d+/);
    expect(
      (await h.traceDetail({ handle: loaded.handle, ref: { kind: 'stw', index: 0 } }, noop)).title,
    ).toMatch(/^Stop-the-world: /);
  });

  test('graphs and overview have one column per bucket', async () => {
    const s = await h.traceSeries(
      { handle: loaded.handle, t0: loaded.start, t1: loaded.end, buckets: 300 },
      noop,
    );
    expect(s.heapAlloc.max.length).toBe(300);
    expect(
      Math.max(...Array.from(s.heapAlloc.max).filter((v) => !Number.isNaN(v))),
    ).toBeGreaterThan(1 << 20);
    const o = await h.traceOverview({ handle: loaded.handle, buckets: 200 }, noop);
    expect(o.utilization.length).toBe(200);
    expect(Math.max(...o.utilization)).toBeLessThanOrEqual(1 + 1e-9);
    expect(o.gcStart.length).toBeGreaterThan(0);
  });

  test('analysis: group rows in lane order; goroutine pages sorted in the worker', async () => {
    const groups = await h.traceAnalysis({ handle: loaded.handle }, noop);
    expect(groups.map((g) => g.name)).toEqual(loaded.groups.map((g) => g.name));
    const many = groups.reduce((b, g) => (g.count > b.count ? g : b));
    const page = await h.traceAnalysisGoroutines(
      {
        handle: loaded.handle,
        group: many.group,
        offset: 0,
        limit: 50,
        sortBy: 'totalTime',
        descending: true,
      },
      noop,
    );
    expect(page.total).toBe(many.count);
    expect(page.rows.length).toBe(50);
    for (let i = 1; i < page.rows.length; i++)
      expect(page.rows[i].totalTime).toBeLessThanOrEqual(page.rows[i - 1].totalTime);
    const asc = await h.traceAnalysisGoroutines(
      {
        handle: loaded.handle,
        group: many.group,
        offset: many.count - 10,
        limit: 50,
        sortBy: 'totalTime',
        descending: false,
      },
      noop,
    );
    expect(asc.rows.length).toBe(10);
    // Members' rows say where their lanes are.
    for (const r of page.rows) expect(r.goroutine!.member).toBeGreaterThanOrEqual(0);
  });

  test('the CPU samples of the whole trace, of one group, and of a range without any', async () => {
    const all = await h.traceCpuProfile(
      { handle: loaded.handle, t0: loaded.start, t1: loaded.end, source: 'w.trace' },
      noop,
    );
    expect(all.profile).not.toBeNull();
    if (!all.profile) return;
    expect(all.profile.sampleTypes[0]).toEqual({ type: 'samples', unit: 'count' });
    expect(all.samples + all.withoutStack).toBe(loaded.cpuSamples);
    expect(all.title).toMatch(/^CPU .+ · w\.trace$/);
    const empty = await h.traceCpuProfile(
      { handle: loaded.handle, t0: loaded.start, t1: loaded.start + 1, source: 'w.trace' },
      noop,
    );
    expect(empty.profile).toBeNull();
    if (!empty.profile) expect(empty.samplesInTrace).toBe(loaded.cpuSamples);
  });
});
