// The parse worker's time-range methods, in-process, on a committed trace of six generations:
// scanning a file without loading it, and loading only some of its generations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildModel } from '../../../src/core/exectrace';
import {
  bytesSource,
  generationSlice,
  scanGenerations,
  selectGenerations,
} from '../../../src/core/exectrace/generation-scan';
import { traceHandlers as h } from '../../../src/worker/trace-handlers';

const fixture = join(__dirname, '../../fixtures/exectrace/workload-go1.26.8.trace');
const bytes = readFileSync(fixture);
const noop = () => {};

test('scanTrace lists the generations of the file on disk', async () => {
  const scan = await h.scanTrace({ path: fixture }, noop);
  expect(scan).toEqual(scanGenerations(bytesSource(bytes)));
  expect(scan.generations.map((g) => g.number)).toEqual([1, 2, 3, 4, 5, 6]);
});

test('loadTrace with generations loads those alone, as the trace cut to them', async () => {
  const loaded = await h.loadTrace(
    { path: fixture, loadId: 1, generations: { first: 4, last: 5 } },
    noop,
  );
  try {
    const scan = scanGenerations(bytesSource(bytes));
    const picked = selectGenerations(scan, 4, 5);
    const slice = generationSlice(bytes, picked, (pos, len, into, at) =>
      into.set(bytes.subarray(pos, pos + len), at),
    );
    const m = buildModel(slice, { timeBase: scan.timeBase });
    const whole = buildModel(bytes);
    expect(loaded.error).toBeUndefined();
    expect(loaded.lastGeneration).toBe(5);
    expect(loaded.eventCount).toBe(m.eventCount);
    expect(loaded.eventCount).toBeLessThan(whole.eventCount / 2);
    expect(loaded.spanCount).toBe(m.spans.count);
    // The whole trace's times: the range starts where its first generation does in the whole
    // trace, and lasts about as long as its generations.
    expect(loaded.timeBase).toBe(String(whole.timeBase));
    expect(loaded.start).toBe(picked[0].startNs);
    expect(loaded.start).toBe(m.start);
    expect(loaded.end).toBe(m.end);
    const span = picked[1].endNs - picked[0].startNs;
    expect(loaded.end - loaded.start).toBeGreaterThan(0.8 * span);
    expect(loaded.end - loaded.start).toBeLessThan(1.2 * span);
  } finally {
    await h.releaseTrace({ handle: loaded.handle }, noop);
  }
});

test('loadTrace with generations the file does not have says which it has', async () => {
  await expect(
    h.loadTrace({ path: fixture, loadId: 2, generations: { first: 7, last: 9 } }, noop),
  ).rejects.toThrow(/has no generations 7–9 \(it has 1, 2, 3, 4, 5, 6\)/);
});
