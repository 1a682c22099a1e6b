// Damaged Go 1.11–1.21 (v1) traces: cut at many offsets, bytes flipped, garbage after the header.
// The only thing that may come out of the legacy parser and conversion (and of the model built
// on them) is a TraceError — `truncated` when the file ends inside an event — quickly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../support/go';
import { parseBoth, readAll, rng } from '../../unit/exectrace/support/helpers';

const legacyDir = join(repoRoot, 'test/fixtures/exectrace-legacy');
const small = new Uint8Array(readFileSync(join(legacyDir, 'oneproc-go1.21.13.trace')));

describe('a Go 1.21 trace', () => {
  test('reads whole', () => {
    expect(readAll(small).error).toBeNull();
  });

  test('cut at 150 offsets: a TraceError each time, never a partial event stream', () => {
    const r = rng(11);
    const codes = new Set<string>();
    for (let k = 0; k < 150; k++) {
      const cut = 16 + Math.floor(r() * (small.length - 17));
      const res = readAll(small.subarray(0, cut));
      // v1 traces are ordered as a whole, so a cut file yields no events (as in Go) — or, rarely,
      // a cut exactly between events that still adds up.
      if (res.error) {
        codes.add(res.error.code);
        expect(res.events).toBe(0);
        expect(res.error.message.length).toBeGreaterThan(20);
      }
      parseBoth(small.subarray(0, cut));
    }
    expect(codes.has('truncated')).toBe(true);
  });

  test('300 single-byte flips: only TraceErrors', () => {
    const r = rng(12);
    for (let k = 0; k < 300; k++) {
      const d = small.slice();
      const at = 16 + Math.floor(r() * (d.length - 16));
      d[at] ^= 1 << Math.floor(r() * 8);
      parseBoth(d);
    }
  });

  test('seeded garbage after each legacy header: only TraceErrors', () => {
    const r = rng(13);
    for (const v of [11, 19, 21]) {
      for (let k = 0; k < 100; k++) {
        const body = Uint8Array.from({ length: 16 + Math.floor(r() * 600) }, () =>
          r() < 0.3
            ? [1, 0x41, 2, 3, 4, 5, 13, 14, 21, 37, 49][Math.floor(r() * 11)]
            : Math.floor(r() * 256),
        );
        const d = new Uint8Array(16 + body.length);
        d.set(new TextEncoder().encode(`go 1.${v} trace\x00\x00\x00`));
        d.set(body, 16);
        parseBoth(d);
      }
    }
  });
});
