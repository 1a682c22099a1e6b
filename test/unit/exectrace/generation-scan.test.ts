// The generation scan (a trace's generations from its batch headers, without decoding events)
// against what the reader finds reading the whole trace, on the committed traces of every Go
// release; and a slice of generations read as a trace of its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  bytesSource,
  generationSlice,
  scanGenerations,
  selectGenerations,
  type TraceScan,
} from '../../../src/core/exectrace/generation-scan';
import { Ev, TraceError, TraceReader } from '../../../src/core/exectrace';
import { fixtureNames, fixturesDir, readAll, rng } from './support/helpers';
import { repoRoot } from '../../support/go';

/** Each generation's number, Sync time and event count, as the reader delivers them. */
function readGenerations(bytes: Uint8Array, timeBase?: number) {
  const r = new TraceReader(bytes, { timeBase });
  const gens: { number: number; syncNs: number; events: number }[] = [];
  for (let b = r.next(); b; b = r.next()) {
    if (b.final) break;
    if (b.count > 0 && b.type[0] === Ev.SyncEvent)
      gens.push({ number: b.gen, syncNs: b.time[0], events: 0 });
    gens[gens.length - 1].events += b.count;
  }
  return gens;
}

/** A scan that reads through a tiny window, so window refills at every position are exercised. */
function scanInSmallReads(bytes: Uint8Array): TraceScan {
  let reads = 0;
  const scan = scanGenerations({
    size: bytes.length,
    read: (pos, length) => {
      reads++;
      return bytes.slice(pos, Math.min(bytes.length, pos + length));
    },
  });
  expect(reads).toBeGreaterThan(1);
  return scan;
}

describe.each(fixtureNames())('%s', (name) => {
  const bytes = readFileSync(join(fixturesDir, name));

  test('lists the generations the reader reads, with their start times', () => {
    const scan = scanInSmallReads(bytes);
    const gens = readGenerations(bytes);
    expect(scan.problem).toBeUndefined();
    expect(scan.legacy).toBe(false);
    expect(scan.generations.map((g) => g.number)).toEqual(gens.map((g) => g.number));
    // A generation starts at its earliest batch; the reader's Sync event for it comes at that
    // time or, when the previous generation's last events are later, just after them.
    expect(scan.generations[0].startNs).toBe(0);
    scan.generations.forEach((g, i) => {
      expect(g.startNs).toBeLessThanOrEqual(gens[i].syncNs);
      expect(gens[i].syncNs).toBeLessThanOrEqual(g.endNs);
    });
    // Contiguous byte ranges covering the file after the header.
    expect(scan.generations[0].start).toBe(16);
    for (let i = 1; i < scan.generations.length; i++)
      expect(scan.generations[i].start).toBe(scan.generations[i - 1].end);
    expect(scan.generations.at(-1)!.end).toBe(bytes.length);
    for (const g of scan.generations) expect(g.endNs).toBeGreaterThanOrEqual(g.startNs);
  });
});

// The workload traces have five or more generations (the allocfree ones only one).
describe.each(fixtureNames().filter((n) => n.startsWith('workload-')))('%s', (name) => {
  const bytes = readFileSync(join(fixturesDir, name));

  test('a slice of generations reads as a trace with exactly those generations', () => {
    const scan = scanGenerations(bytesSource(bytes));
    expect(scan.generations.length).toBeGreaterThanOrEqual(3);
    const all = readGenerations(bytes);
    const n = scan.generations.length;
    for (const [first, last] of [
      [scan.generations[1].number, scan.generations[n - 1].number],
      [scan.generations[0].number, scan.generations[1].number],
      [scan.generations[n - 2].number, scan.generations[n - 2].number],
    ]) {
      const picked = selectGenerations(scan, first, last);
      const slice = generationSlice(bytes, picked, (pos, len, into, at) =>
        into.set(bytes.subarray(pos, pos + len), at),
      );
      const part = readAll(slice);
      expect(part.error).toBeNull();
      const got = readGenerations(slice);
      const want = all.filter((g) => g.number >= first && g.number <= last);
      expect(got.map((g) => g.number)).toEqual(want.map((g) => g.number));
      // Times are relative to the slice's first generation's start.
      const origin = picked[0].startNs;
      expect(got[0].syncNs).toBe(0);
      expect(got.slice(1).map((g) => g.syncNs)).toEqual(
        want.slice(1).map((g) => g.syncNs - origin),
      );
      // With the whole trace's time base, the slice has the whole trace's times.
      const kept = readGenerations(slice, scan.timeBase);
      expect(kept[0].syncNs).toBe(origin);
      expect(kept.slice(1).map((g) => g.syncNs)).toEqual(want.slice(1).map((g) => g.syncNs));
      // The first generation read restates goroutine and P states: its event count may differ
      // from the same generation read after its predecessor, but only there.
      expect(got.slice(1).map((g) => g.events)).toEqual(want.slice(1).map((g) => g.events));
    }
  });
});

test('a Go 1.11–1.21 trace is one range that cannot be split', () => {
  const bytes = readFileSync(
    join(repoRoot, 'test/fixtures/exectrace-legacy/workload-go1.21.13.trace'),
  );
  const scan = scanGenerations(bytesSource(bytes));
  expect(scan.legacy).toBe(true);
  expect(scan.generations).toHaveLength(1);
  expect(() => selectGenerations(scan, 1, 1)).toThrow(/read whole/);
});

test('a truncated trace lists the generations before the cut and says where it stopped', () => {
  const bytes = readFileSync(join(fixturesDir, 'workload-go1.26.8.trace'));
  const whole = scanGenerations(bytesSource(bytes)).generations;
  const cut = bytes.subarray(0, whole[2].start + 100);
  const scan = scanGenerations(bytesSource(cut));
  expect(scan.generations.slice(0, 2)).toEqual(whole.slice(0, 2));
  expect(scan.problem).toMatch(/cut off|ends inside generation/);
});

test('a file that is not a trace is refused', () => {
  expect(() =>
    scanGenerations(bytesSource(new TextEncoder().encode('hello, not a trace'))),
  ).toThrow(/not a Go execution trace/);
});

test('damaged traces scan to ranges inside the file, or fail with a TraceError', () => {
  const bytes = readFileSync(join(fixturesDir, 'workload-go1.25.14.trace'));
  const next = rng(17);
  for (let round = 0; round < 300; round++) {
    const damaged = Uint8Array.from(bytes);
    for (let k = 0; k < 1 + Math.floor(next() * 8); k++)
      damaged[16 + Math.floor(next() * (damaged.length - 16))] = Math.floor(next() * 256);
    const cut = damaged.subarray(0, 16 + Math.floor(next() * (damaged.length - 16)));
    let scan: TraceScan;
    try {
      scan = scanGenerations(bytesSource(round % 2 ? cut : damaged));
    } catch (e) {
      expect(e).toBeInstanceOf(TraceError);
      continue;
    }
    let end = 16;
    for (const g of scan.generations) {
      expect(g.start).toBe(end);
      expect(g.end).toBeGreaterThan(g.start);
      end = g.end;
    }
    expect(end).toBeLessThanOrEqual(scan.size);
  }
});
