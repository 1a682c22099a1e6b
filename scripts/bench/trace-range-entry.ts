// Child process of scripts/bench/trace.mjs: a trace too big for a memory budget opened the way
// the timeline then opens it — the generation scan, the ranges it would offer, and the loading
// of one of them (the middle part, so that the range starts at a later generation) through the
// parse worker's own loadTrace, then its first screen. Prints one JSON line: the range, the time
// to its timeline, its events, and peak RSS.
import { readFileSync } from 'node:fs';
import { rangeChoices } from '../../src/core/exectrace/trace-fit';
import { traceHandlers as h } from '../../src/worker/trace-handlers';
import { scanTraceFile } from '../../src/worker/trace-range';

const hwmBytes = () =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const file = process.argv[2];
const budget = Number(process.argv[3]) * 2 ** 20;
const t0 = performance.now();
const scan = scanTraceFile(file);
const parts = rangeChoices(scan, budget).filter((c) => c.label.startsWith('Part '));
const choice = parts[Math.floor(parts.length / 2)];
const loaded = await h.loadTrace(
  { path: file, loadId: 1, generations: choice.generations },
  () => {},
);
const handle = loaded.handle;
h.traceOverview({ handle, buckets: 1600 }, () => {});
h.traceLanes(
  {
    handle,
    t0: loaded.start,
    t1: loaded.end,
    resolution: (loaded.end - loaded.start) / 1600,
    lanes: loaded.procs.map((_, index) => ({ kind: 'p' as const, index })),
  },
  () => {},
);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({
    parts: parts.length,
    label: choice.label,
    description: choice.description,
    startMatches: loaded.start === choice.startNs,
    events: loaded.eventCount,
    seconds,
    peakRssBytes: hwmBytes(),
  }) + '\n',
);
