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

  test.each([11, 19, 21])('legacy go 1.%i (Go 1.11–1.21) is read, as Go 1.26 converts it', (v) => {
    expect(readHeader(header(`go 1.${v} trace\x00\x00\x00`))).toBe(v);
  });

  test.each([
    ['go 1.10 trace\x00\x00\x00\x00', 'Go 1.10', 10],
    ['go 1.9 trace\x00\x00\x00\x00', 'Go 1.9', 9],
    ['go 1.7 trace\x00\x00\x00\x00', 'Go 1.7', 7],
    ['go 1.5 trace\x00\x00\x00\x00', 'Go 1.5', 5],
  ])(
    'legacy %j is refused with what Go 1.26 says and which go tool trace opens it',
    (h, release, minor) => {
      const e = catchError(() => readHeader(header(h)));
      expect(e.code).toBe('legacy-version');
      expect(e.message).toContain(release);
      // Go 1.26's own words, and what to do instead: an older go tool trace, or a newer Go.
      expect(e.message).toContain(`unknown or unsupported trace version go 1.${minor}`);
      expect(e.message).toContain('GOTOOLCHAIN=go1.22.12 go tool trace FILE');
      expect(e.message).toMatch(/Go 1\.11 or newer/);
      expect(e.message).not.toContain('still converts');
      if (minor === 5) expect(e.message).toContain('go tool trace BINARY FILE');
    },
  );

  test.each([
    'go 1.24 trace\x00\x00\x00',
    'go 1.27 trace\x00\x00\x00',
    'go 1.30 trace\x00\x00\x00',
  ])('unknown version %j', (h) => {
    const e = catchError(() => readHeader(header(h)));
    expect(e.code).toBe('unsupported-version');
    expect(e.message).toMatch(/unknown execution trace version "go 1\.\d+"/);
  });

  test.each([
    ['empty', new Uint8Array(0)],
    ['short', new TextEncoder().encode('go 1.22 tr')],
    [
      'a pprof profile (gzip)',
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3, 4, 5, 6]),
    ],
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
