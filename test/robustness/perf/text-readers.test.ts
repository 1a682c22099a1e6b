// The perf script and folded readers on damaged input: every truncation point and random byte
// flips of the real fixtures. Either a profile comes out (valid, with what parsed) or a
// ProfileError with a message; nothing else may be thrown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '../../../src/core/pprof/model';
import { checkProfile } from '../../../src/core/pprof/validate';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { readPerfScript } from '../../../src/core/perf/perf-script';
import { readProfileBytes } from '../../../src/core/perf/read-any';
import { readProfileFile } from '../../../src/node/profile-file';
import { gunzip } from '../../../src/node/inflate';
import { repoRoot } from '../../support/go';
import { rng } from '../../support/random';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/perf', name));

function readOrProfileError(bytes: Uint8Array): void {
  try {
    const r = readProfileBytes(bytes, gunzip);
    checkProfile(r.profile);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    expect((e as Error).message.length).toBeGreaterThan(20);
  }
}

describe('damaged perf script and folded text', () => {
  it('every truncation of a recording keeps the complete samples before the cut', () => {
    const bytes = fixture('syscall-fields.perf');
    const whole = readPerfScript(bytes);
    for (let cut = 0; cut < bytes.length; cut += 97) {
      readOrProfileError(bytes.subarray(0, cut));
      const part = readPerfScript(bytes.subarray(0, cut));
      checkProfile(part.profile);
      expect(part.stats.samples).toBeLessThanOrEqual(whole.stats.samples);
      if (cut > 0 && bytes[cut - 1] !== 0x0a && part.stats.samples > 0)
        expect(part.warnings.join(' ')).toMatch(/cut off|not perf script/);
    }
  });

  it('random byte flips give a profile or a ProfileError', () => {
    const rand = rng(14);
    for (const name of ['cpu-default.perf', 'cgo-dwarf-noperiod.perf', 'two-events.perf']) {
      const base = fixture(name);
      for (let i = 0; i < 60; i++) {
        const b = new Uint8Array(base);
        for (let k = 0; k < 8; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        readOrProfileError(b);
      }
    }
    const folded = new TextEncoder().encode('main;a;b 3\nmain;a 2\nmain;c;d;e 10\n'.repeat(20));
    for (let i = 0; i < 200; i++) {
      const b = new Uint8Array(folded);
      for (let k = 0; k < 4; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      readOrProfileError(b);
    }
  });

  it('a truncated gzip of perf script text says the file is damaged', async () => {
    const gz = gzipSync(fixture('cpu-default.perf'));
    expect(() => readProfileBytes(gz.subarray(0, gz.length - 20), gunzip)).toThrow(ProfileError);
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'golens-perf-robust-'));
    const path = join(dir, 'cut.perf.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 20));
    await expect(readProfileFile(path)).rejects.toThrow(/gzip data is damaged or cut off/);
  });

  it('perf.data in Restricted Mode or without perf names the way out', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'golens-perf-data-'));
    const path = join(dir, 'perf.data');
    writeFileSync(path, Buffer.concat([Buffer.from('PERFILE2'), Buffer.alloc(200)]));
    await expect(readProfileFile(path, { perfUnavailable: 'restricted' })).rejects.toThrow(
      /Restricted Mode.*perf script -i perf.data/,
    );
    await expect(readProfileFile(path, { perfUnavailable: 'missing' })).rejects.toThrow(
      /linux-perf.*linux-tools/,
    );
    // A header-only perf.data (perf record killed early): perf script's own complaint, with advice.
    await expect(readProfileFile(path, { perf: 'perf' })).rejects.toThrow(
      /perf script failed|no complete sample/,
    );
  });

  it('mixed events and perf warnings in one text keep every sample', () => {
    const text =
      'Warning:\n  1 out of order events recorded.\n' +
      fixture('two-events.perf').toString() +
      '\n' +
      fixture('cpu-default.perf').toString();
    const r = readPerfScript(text);
    checkProfile(r.profile);
    expect(r.stats.unrecognisedLines).toBe(2);
    expect(
      foldedStacks(
        r.profile,
        r.profile.sampleTypes.findIndex((t) => t.type === 'cpu'),
      ).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
