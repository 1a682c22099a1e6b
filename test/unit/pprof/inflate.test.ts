import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '../../../src/core/pprof/model';
import { gunzip } from '../../../src/node/inflate';

describe('gunzip', () => {
  const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
  const gz = gzipSync(data, { level: 1 });

  it('inflates, in one buffer when the trailer gives the size', () => {
    expect(Buffer.from(gunzip(gz)).equals(Buffer.from(data))).toBe(true);
    expect(gunzip(gzipSync(new Uint8Array(0))).length).toBe(0);
  });

  it('still inflates when the size in the trailer is implausible', () => {
    // ISIZE is only a hint; a wrong one must not change the output or allocate gigabytes.
    const lying = Uint8Array.from(gz);
    lying.set([0xff, 0xff, 0xff, 0x7f], lying.length - 4);
    expect(() => gunzip(lying)).toThrow(ProfileError);
  });

  it('grows its output as it inflates past the first buffer (the trailer is only a hint)', () => {
    // 32 MiB of zeros compress about 1000:1, far past the first buffer of 16× the file + 1 MiB.
    const zeros = new Uint8Array(32 << 20);
    const small = gzipSync(zeros, { level: 9 });
    expect(small.length * 16 + (1 << 20)).toBeLessThan(zeros.length);
    const out = gunzip(small);
    expect(out.length).toBe(zeros.length);
    expect(out.every((b) => b === 0)).toBe(true);
  });

  it('reports a truncated stream as truncated', () => {
    for (const n of [2, 10, 100, gz.length - 4]) {
      expect(() => gunzip(gz.subarray(0, n))).toThrow(
        /^the file is truncated: gzip stream ended early/,
      );
    }
  });

  it('reports damaged data as corrupt', () => {
    const bad = Uint8Array.from(gz);
    bad[bad.length - 6] ^= 0xff; // CRC
    expect(() => gunzip(bad)).toThrow(/^the file is corrupt: its gzip data is damaged/);
  });
});
