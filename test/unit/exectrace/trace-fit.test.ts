// The memory estimate of a trace's model and the time ranges offered when it does not fit: the
// cutting rules on a scan of known shape (a real trace's generation sizes vary from one recording
// to the next), and the scan of committed traces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import {
  bytesSource,
  scanGenerations,
  type TraceScan,
} from '../../../src/core/exectrace/generation-scan';
import {
  estimateModelBytes,
  MODEL_PEAK_BYTES_PER_FILE_BYTE,
  rangeChoices,
  tooBigMessage,
  traceMemoryBudgetOf,
} from '../../../src/core/exectrace/trace-fit';
import { repoRoot } from '../../support/go';
import { fixturesDir } from './support/helpers';

/** Six generations of 31.6, 27.2, 3.7, 3.4, 3.5 and 60.7 kB over 175 ms, as a scan lists them. */
function sixGenerations(): TraceScan {
  const sizes = [31_600, 27_200, 3_700, 3_400, 3_500, 60_700];
  const startsMs = [0, 40, 80, 98, 120, 140];
  let at = 16;
  const generations = sizes.map((size, i) => {
    const start = at;
    at += size;
    return {
      number: i + 1,
      start,
      end: at,
      startNs: startsMs[i] * 1e6,
      endNs: (startsMs[i + 1] ?? 175) * 1e6,
    };
  });
  return { version: 26, size: at, legacy: false, generations, timeBase: 0 };
}
const scan = sixGenerations();

test('the estimate is the measured factor times the file', () => {
  expect(estimateModelBytes(100 * 2 ** 20)).toBe(
    Math.ceil(100 * 2 ** 20 * MODEL_PEAK_BYTES_PER_FILE_BYTE),
  );
  expect(tooBigMessage('big.trace', 2 ** 30, 4 * 2 ** 30)).toBe(
    `big.trace is 1GB; its timeline needs about 6GB of memory (${MODEL_PEAK_BYTES_PER_FILE_BYTE}x the file), more than the 4GB available.`,
  );
});

test('parts that each fit, in order, then the whole trace anyway', () => {
  // Up to 63 kB of trace per part.
  const choices = rangeChoices(scan, 63_000 * MODEL_PEAK_BYTES_PER_FILE_BYTE);
  expect(choices.map((c) => c.generations)).toEqual([
    { first: 1, last: 3 },
    { first: 4, last: 5 },
    { first: 6, last: 6 },
    undefined,
  ]);
  expect(choices[0].label).toBe('Part 1 of 3: 0.000 s – 0.098 s');
  expect(choices[0].description).toMatch(/^generations 1–3 of 6 · 61\.\d+kB of trace · needs ≈ /);
  expect(choices[2].description).toMatch(/^generation 6 of 6 · /);
  expect(choices[3].label).toBe('Whole trace anyway');
  // Consecutive parts cover the trace's time without gaps.
  expect(choices[1].startNs).toBe(choices[0].endNs);
  expect(choices[2].startNs).toBe(choices[1].endNs);
  expect(choices[3].endNs).toBe(choices[2].endNs);
});

test('the end of the trace is offered when the last part is short', () => {
  // 70 kB of trace per part: parts 1–5 (69.4 kB) and 6; the end that fits is 4–6 (67.6 kB).
  const choices = rangeChoices(scan, 70_000 * MODEL_PEAK_BYTES_PER_FILE_BYTE);
  expect(choices.map((c) => c.generations)).toEqual([
    { first: 1, last: 5 },
    { first: 6, last: 6 },
    { first: 4, last: 6 },
    undefined,
  ]);
  expect(choices[2].label).toBe('The end: 0.098 s – 0.175 s');
});

test('a trace that cannot be split offers nothing', () => {
  const legacy = readFileSync(
    join(repoRoot, 'test/fixtures/exectrace-legacy/workload-go1.21.13.trace'),
  );
  expect(rangeChoices(scanGenerations(bytesSource(legacy)), 1000)).toEqual([]);
  const one = readFileSync(join(fixturesDir, 'allocfree-go1.26.8.trace'));
  expect(rangeChoices(scanGenerations(bytesSource(one)), 1000)).toEqual([]);
});

test('the memory budget: the setting, else the memory available within a container limit', () => {
  const GB = 2 ** 30;
  expect(traceMemoryBudgetOf(512, 10 * GB, 16 * GB, 0)).toBe(512 * 2 ** 20);
  expect(traceMemoryBudgetOf(0, 10 * GB, 16 * GB, 0)).toBe(10 * GB);
  expect(traceMemoryBudgetOf(0, 10 * GB, 16 * GB, 4 * GB)).toBe(4 * GB);
  // A limit above the machine's memory (cgroup "max") is no limit.
  expect(traceMemoryBudgetOf(0, 10 * GB, 16 * GB, 2 ** 62)).toBe(10 * GB);
});

test('a generation too big on its own is offered alone and says it may not fit', () => {
  // 40 kB of trace per part: generation 6 (60.7 kB) fits nowhere.
  const choices = rangeChoices(scan, 40_000 * MODEL_PEAK_BYTES_PER_FILE_BYTE);
  const last = choices.find((c) => c.generations?.first === 6)!;
  expect(last.generations).toEqual({ first: 6, last: 6 });
  expect(last.description).toMatch(/^generation 6 of 6 · .*: may run out of memory$/);
  expect(choices[0].description).not.toMatch(/may run out of memory/);
});
