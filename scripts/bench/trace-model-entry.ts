// Child process of scripts/bench/trace.mjs (which bundles it): opens a trace the way the
// timeline does — the parse worker's own methods (loadTrace: parse + model + lane indexes),
// then the first screen (overview strip, P lanes, the first goroutine lanes) — then the
// Goroutine analysis tab and a range's CPU flame graph. Prints one JSON line: the time until
// the first timeline could be drawn, until the model was complete, each step, and peak RSS.
// Node's start-up is excluded. The trace opens progressively, as the view opens it: the first
// timeline is the first screen of the preview (its first generations) when there is one.
import { readFileSync } from 'node:fs';
import { traceHandlers as h } from '../../src/worker/trace-handlers';
import type { LoadedTrace } from '../../src/worker/trace-protocol';

const hwmBytes = () =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const file = process.argv[2];

/** The first screen's queries: the overview strip, the P, GC and STW lanes, a few goroutines. */
function firstScreen(t: LoadedTrace): void {
  const handle = t.handle;
  h.traceOverview({ handle, buckets: 1600 }, () => {});
  const lanes = [
    ...t.procs.map((_, index) => ({ kind: 'p' as const, index })),
    { kind: 'gc' as const },
    { kind: 'stw' as const },
  ];
  for (let group = 0; group < Math.min(t.groups.length, 10); group++)
    for (let member = 0; member < Math.min(t.groups[group].count, 4); member++)
      lanes.push({ kind: 'g', group, member } as never);
  h.traceLanes(
    { handle, t0: t.start, t1: t.end, resolution: (t.end - t.start) / 1600, lanes },
    () => {},
  );
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const first = await h.loadTrace({ path: file, loadId: 1, progressive: {} }, () => {});
firstScreen(first);
const firstTimelineSeconds = (performance.now() - t0) / 1000;
const loaded = first.partial ? await h.finishTraceLoad({ loadId: 1 }, () => {}) : first;
const modelSeconds = (performance.now() - t0) / 1000;
if (loaded !== first) h.releaseTrace({ handle: first.handle }, () => {});
const modelRss = hwmBytes();
const handle = loaded.handle;
firstScreen(loaded);
const t1 = performance.now();
const groups = h.traceAnalysis({ handle }, () => {}) as { count: number; group: number }[];
const analysisSeconds = (performance.now() - t1) / 1000;
// The tab's biggest group expanded (its first page, in the group's own order), then sorted by a
// column it was not sorted by before: the first sort by goroutine ID (kept) and by that column.
const biggest = groups.reduce((a, b) => (b.count > a.count ? b : a));
const page = (sortBy: 'execTime' | 'schedWaitTime' | 'totalTime') =>
  h.traceAnalysisGoroutines(
    { handle, group: biggest.group, offset: 0, limit: 100, sortBy, descending: true },
    () => {},
  );
page('execTime');
const tSort = performance.now();
page('schedWaitTime');
const firstSortSeconds = (performance.now() - tSort) / 1000;
const tSort2 = performance.now();
page('totalTime');
const nextSortSeconds = (performance.now() - tSort2) / 1000;
const t2 = performance.now();
const mid = (loaded.start + loaded.end) / 2;
const flame = (await h.traceCpuProfile(
  {
    handle,
    t0: mid - (loaded.end - loaded.start) / 10,
    t1: mid + (loaded.end - loaded.start) / 10,
    source: 'bench',
  },
  () => {},
)) as { samples?: number; samplesInRange?: number };
const flameSeconds = (performance.now() - t2) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    events: loaded.eventCount,
    spans: loaded.spanCount,
    goroutines: groups.reduce((s, g) => s + g.count, 0),
    modelSeconds,
    firstTimelineSeconds,
    analysisSeconds,
    biggestGroup: biggest.count,
    firstSortSeconds,
    nextSortSeconds,
    flameSeconds,
    flameSamples: flame.samples ?? flame.samplesInRange ?? 0,
    cpuSamples: loaded.cpuSamples ?? 0,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    modelRssBytes: modelRss,
    peakRssBytes: hwmBytes(),
  }) + '\n',
);
