// The reader given a ByteSource (the file read on demand, as the parse worker reads it) holds a
// window of the file, not all of it: it must hand out exactly the events, and fail with exactly
// the error (code, message, byte offset), that it does given the whole file. Windows far
// smaller than a generation make it slide and grow many times per generation; the traces are
// the committed fixtures of every Go version, cut short and damaged, and the real-world corpus.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readBatch } from '../../../src/core/exectrace/generation';
import { fixtureNames, fixturesDir, readAll, rng } from './support/helpers';
import { corpusDir } from '../../differential/exectrace/support/legacy-compare';
import { filesUnder } from '../../support/corpus';

/** Reads `data` whole and through windows of several sizes: the same events and error. */
function expectSameThroughWindows(data: Uint8Array, what: string): void {
  const whole = readAll(data, { signatures: true });
  for (const windowBytes of [64, 4096]) {
    const windowed = readAll(data, { signatures: true, windowBytes });
    const label = `${what}, window ${windowBytes}`;
    expect(windowed.events, label).toBe(whole.events);
    expect(windowed.text === whole.text, `${label}: the same events`).toBe(true);
    expect(windowed.error?.code, label).toBe(whole.error?.code);
    expect(windowed.error?.message, label).toBe(whole.error?.message);
    expect(windowed.error?.offset, label).toBe(whole.error?.offset);
  }
}

/** File offsets of the batch headers of a (whole, valid) trace. */
function batchOffsets(data: Uint8Array): number[] {
  const out: number[] = [];
  const next = { pos: 0 };
  for (let pos = 16; ; pos = next.pos) {
    const r = readBatch(data, pos, next);
    if (r.kind !== 'batch') return out;
    out.push(r.batch.offset);
  }
}

const legacyDir = join(fixturesDir, '../exectrace-legacy');
const legacy = readdirSync(legacyDir).filter((n) => /\.(trace|bin|out)$/.test(n));

describe.each(fixtureNames())('%s through a window', (name) => {
  const data = new Uint8Array(readFileSync(join(fixturesDir, name)));

  test('whole, cut short and damaged: what the whole file gives', () => {
    expectSameThroughWindows(data, 'whole');
    const r = rng(name.length * 104729);
    for (let k = 0; k < 6; k++) {
      const off = 16 + Math.floor(r() * (data.length - 16));
      expectSameThroughWindows(data.subarray(0, off), `cut at ${off}`);
    }
    for (let k = 0; k < 6; k++) {
      const d = data.slice();
      const at = 16 + Math.floor(r() * (d.length - 16));
      d[at] = Math.floor(r() * 256);
      expectSameThroughWindows(d, `byte ${at} set to ${d[at]}`);
    }
    // Errors that name a batch's offset, far into the file: a header cut off, a payload cut
    // short, a header that is not one.
    const headers = batchOffsets(data);
    const late = headers[Math.floor(headers.length * 0.8)];
    expectSameThroughWindows(data.subarray(0, late + 3), `cut inside the header at ${late}`);
    expectSameThroughWindows(data.subarray(0, late + 40), `cut inside the batch at ${late}`);
    const d = data.slice();
    d[late] = 99;
    expectSameThroughWindows(d, `no batch header at ${late}`);
  });
});

test.each(legacy)('%s (Go 1.11–1.21, read whole) through a window', (name) => {
  expectSameThroughWindows(new Uint8Array(readFileSync(join(legacyDir, name))), name);
});

const corpus = corpusDir();
test.runIf(corpus !== null)('the corpus traces read through a window as whole', () => {
  for (const file of filesUnder(join(corpus!, 'traces')))
    expectSameThroughWindows(new Uint8Array(readFileSync(file)), relative(corpus!, file));
});
