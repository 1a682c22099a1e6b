// The header decides everything else: which format, or which clear error.
import { describe, expect, test } from 'vitest';
import { readHeader } from '../../../src/core/exectrace/header';
import { TraceError } from '../../../src/core/exectrace';

const header = (s: string) => {
  const b = new Uint8Array(32);
  b.set(new TextEncoder().encode(s));
  return b;
};

describe('readHeader', () => {
  test.each([22, 23, 25, 26])('go 1.%i is read', (v) => {
    expect(readHeader(header(`go 1.${v} trace\x00\x00\x00`))).toBe(v);
  });

  test.each([
    ['go 1.21 trace\x00\x00\x00', 'Go 1.21'],
    ['go 1.19 trace\x00\x00\x00', 'Go 1.19 or 1.20'],
    ['go 1.11 trace\x00\x00\x00', 'Go 1.11 to 1.18'],
    ['go 1.5 trace\x00\x00\x00\x00', 'Go 1.5'],
  ])('legacy %j is refused naming the Go version and what to do', (h, release) => {
    const e = catchError(() => readHeader(header(h)));
    expect(e.code).toBe('legacy-version');
    expect(e.message).toContain(release);
    expect(e.message).toMatch(/Go 1\.22 or newer/);
    expect(e.message).toContain('go tool trace');
  });

  test.each(['go 1.24 trace\x00\x00\x00', 'go 1.27 trace\x00\x00\x00', 'go 1.30 trace\x00\x00\x00'])('unknown version %j', (h) => {
    const e = catchError(() => readHeader(header(h)));
    expect(e.code).toBe('unsupported-version');
    expect(e.message).toMatch(/unknown execution trace version "go 1\.\d+"/);
  });

  test.each([
    ['empty', new Uint8Array(0)],
    ['short', new TextEncoder().encode('go 1.22 tr')],
    ['a pprof profile (gzip)', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3, 4, 5, 6])],
    ['text', header('hello, world, this is text')],
    ['bad padding', header('go 1.22 trace\x00\x00x')],
  ])('%s is not a trace', (_n, b) => {
    const e = catchError(() => readHeader(b));
    expect(e.code).toBe('not-a-trace');
    expect(e.message).toMatch(/not a Go execution trace/);
  });
});

function catchError(f: () => unknown): TraceError {
  try {
    f();
  } catch (e) {
    if (e instanceof TraceError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}
