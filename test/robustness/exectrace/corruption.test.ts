// Damaged traces: flipped bytes, wrong batch sizes, duplicated table entries, garbage. The only
// thing that may ever come out of the parser (and of the model built on it) is a TraceError,
// and it must come out quickly: no hang, no other exception.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TraceError } from '../../../src/core/exectrace';
import { readBatch } from '../../../src/core/exectrace/generation';
import { fixtureNames, fixturesDir, parseBoth, rng } from '../../unit/exectrace/support/helpers';

/** Batch headers of a trace: offset of the header and of its size field, and the payload. */
function batches(
  data: Uint8Array,
): { offset: number; sizeAt: number; start: number; end: number }[] {
  const out = [];
  const next = { pos: 0 };
  for (let pos = 16; ; pos = next.pos) {
    const r = readBatch(data, pos, next);
    if (r.kind !== 'batch') break;
    if (!r.batch.endOfGeneration) {
      // The runtime writes the size as a 10-byte padded varint just before the payload.
      out.push({
        offset: r.batch.offset,
        sizeAt: r.batch.start - 10,
        start: r.batch.start,
        end: r.batch.end,
      });
    }
  }
  return out;
}

/** A padded 10-byte varint, as the runtime writes batch sizes. */
function padded(v: number): number[] {
  const b: number[] = [];
  for (let i = 0; i < 10; i++) {
    b.push((v & 0x7f) | (i < 9 ? 0x80 : 0));
    v = Math.floor(v / 128);
  }
  return b;
}

const workloads = fixtureNames().filter((n) => n.startsWith('workload-'));

describe.each(workloads)('%s damaged', (name) => {
  const data = new Uint8Array(readFileSync(join(fixturesDir, name)));

  test('random byte flips: only TraceError, and quickly', () => {
    const r = rng(name.length * 31 + 7);
    let failures = 0;
    const t0 = Date.now();
    for (let k = 0; k < 40; k++) {
      const d = data.slice();
      const flips = 1 + Math.floor(r() * 4);
      for (let f = 0; f < flips; f++)
        d[16 + Math.floor(r() * (d.length - 16))] = Math.floor(r() * 256);
      const started = Date.now();
      if (parseBoth(d)) failures++;
      // Each parse takes milliseconds; seconds would mean the damage made it loop.
      expect(Date.now() - started, `mutation ${k}`).toBeLessThan(20_000);
    }
    expect(failures).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(120_000);
  });

  test('wrong batch sizes: TraceError naming what is wrong', () => {
    const bs = batches(data);
    const r = rng(99);
    for (let k = 0; k < 25; k++) {
      const b = bs[Math.floor(r() * bs.length)];
      const d = data.slice();
      const size = b.end - b.start;
      const wrong = [0, 1, size - 1, size + 1, size + 1000, 65536, 65537, 2 ** 40][k % 8];
      d.set(padded(wrong), b.sizeAt);
      const err = parseBoth(d);
      if (wrong > 65536) expect(err?.message).toMatch(/invalid batch size/);
      if (err) expect(err.message.length).toBeGreaterThan(20);
    }
  });

  test('a duplicated string or stack ID in a generation is refused', () => {
    const first = batches(data)[0];
    const gen = data[first.offset + 1]; // 1-byte varint generation of the first batch
    for (const payload of [
      [4, 5, 1, 1, 0x78], // Strings: String id=1 len=1 "x" (ID 1 is always taken)
      [2, 3, 1, 0], // Stacks: Stack id=1 with no frames
    ]) {
      const batch = [
        1,
        gen,
        ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        1,
        payload.length,
        ...payload,
      ];
      const d = new Uint8Array(data.length + batch.length);
      d.set(data.subarray(0, 16));
      d.set(batch, 16);
      d.set(data.subarray(16), 16 + batch.length);
      const err = parseBoth(d);
      expect(err?.code).toBe('corrupt');
      expect(err?.message).toMatch(/two (strings|stacks) with the same ID 1/);
    }
  });
});

describe('not traces at all', () => {
  test.each([
    ['empty', new Uint8Array(0)],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
    [
      'a gzipped pprof profile',
      Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, ...Array(100).fill(7)]),
    ],
    [
      'a legacy Go 1.21 trace',
      new TextEncoder().encode('go 1.21 trace\x00\x00\x00' + '\x01\x02\x03'.repeat(20)),
    ],
    [
      'a header then garbage',
      Uint8Array.from([
        ...new TextEncoder().encode('go 1.26 trace\x00\x00\x00'),
        ...Array.from({ length: 5000 }, (_, i) => (i * 40503) & 0xff),
      ]),
    ],
    ['a header and nothing (Go < 1.26)', new TextEncoder().encode('go 1.22 trace\x00\x00\x00')],
  ])('%s: TraceError', (_n, d) => {
    expect(parseBoth(d)).toBeInstanceOf(TraceError);
  });

  test('seeded garbage after each valid header never throws anything else', () => {
    const r = rng(5);
    for (const v of [22, 23, 25, 26]) {
      for (let k = 0; k < 100; k++) {
        const body = Uint8Array.from({ length: 16 + Math.floor(r() * 600) }, () =>
          r() < 0.3 ? [1, 0, 2, 4, 8, 50, 52, 16, 20][Math.floor(r() * 9)] : Math.floor(r() * 256),
        );
        const d = new Uint8Array(16 + body.length);
        d.set(new TextEncoder().encode(`go 1.${v} trace\x00\x00\x00`));
        d.set(body, 16);
        parseBoth(d);
      }
    }
  });
});
