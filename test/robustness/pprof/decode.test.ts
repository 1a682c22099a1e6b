// Damaged and foreign input: decodeProfile must return a profile that passes the validity check
// (and that the call tree and folded output handle), or throw ProfileError. Never another error,
// never a hang. Inputs are real profiles: the committed fixtures (every truncation length) and a
// larger heap profile made now by test/go/heap-alloc (truncations on a grid), each raw and
// gzip'd, plus seeded random byte flips.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { filteredCallTree } from '../../../src/core/flame/filtered-tree';
import { foldedFromTree } from '../../../src/core/flame/folded-tree';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { ProfileError } from '../../../src/core/pprof/model';
import { checkProfile } from '../../../src/core/pprof/validate';
import { gunzip } from '../../../src/node/inflate';
import { goBuild, repoRoot, run, goEnv } from '../../support/go';
import { corpusFile, hasCorpus } from '../../support/corpus';
import { rng } from '../../support/random';

/** One slow call is a hang; a few ms is normal for these sizes. */
const SLOW_MS = 2000;

interface Outcome {
  decoded: number;
  rejected: number;
  slowest: number;
}

function attempt(bytes: Uint8Array, out: Outcome, what: string): void {
  const t = performance.now();
  try {
    const p = decodeProfile(bytes, gunzip);
    checkProfile(p);
    // What decodes must also be usable: indexed, and drawn and exported as the views do.
    const index = indexProfile(p);
    for (let i = 0; i < p.sampleTypes.length; i++) {
      foldedFromTree(filteredCallTree(index, { sampleType: i }));
      filteredCallTree(index, { sampleType: i }, { inverted: true });
    }
    out.decoded++;
  } catch (e) {
    if (!(e instanceof ProfileError))
      throw new Error(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    if (!(e.message.length > 20 && !e.message.includes('undefined') && !e.message.includes('NaN')))
      throw new Error(`${what}: unhelpful message "${e.message}"`);
    out.rejected++;
  }
  out.slowest = Math.max(out.slowest, performance.now() - t);
}

function flip(bytes: Uint8Array, rand: () => number): Uint8Array {
  const b = Uint8Array.from(bytes);
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rand() * b.length);
    // Half single-bit flips (subtle), half arbitrary bytes (varint continuation bits, tags).
    b[i] = rand() < 0.5 ? b[i] ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
  }
  return b;
}

const fixtures = join(repoRoot, 'test/fixtures/pprof');
const small: Record<string, Uint8Array> = {};
for (const f of ['go1.21.13/cpu', 'go1.21.13/heap', 'go1.25.14/heap', 'go1.26.8/cpu'])
  small[f] = readFileSync(join(fixtures, `${f}.pb.gz`));
let large: Uint8Array;

beforeAll(async () => {
  const bin = await goBuild('heap-alloc');
  const dir = mkdtempSync(join(tmpdir(), 'golens-pprof-robust-'));
  const file = join(dir, 'heap.pb.gz');
  // A low sampling rate and 1024 distinct allocation stacks: tens of KB, over a thousand samples.
  const r = await run(bin, ['-rounds', '4000', '-rate', '64', '-branches', '10', '-allocs', file], {
    env: goEnv(),
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`heap-alloc failed: ${r.stderr}`);
  large = readFileSync(file);
}, 300_000);

describe('truncation', () => {
  it.each(Object.keys(small))('%s: every length, raw and gzip', (name) => {
    const gz = small[name];
    const raw = gunzipSync(gz);
    const out: Outcome = { decoded: 0, rejected: 0, slowest: 0 };
    for (let n = 0; n < raw.length; n++) attempt(raw.subarray(0, n), out, `${name} raw[0:${n}]`);
    for (let n = 0; n < gz.length; n++) attempt(gz.subarray(0, n), out, `${name} gz[0:${n}]`);
    attempt(raw, out, `${name} raw`);
    attempt(gz, out, `${name} gz`);
    expect(out.rejected).toBeGreaterThan(raw.length / 2);
    expect(out.decoded).toBeGreaterThanOrEqual(2);
    expect(out.slowest).toBeLessThan(SLOW_MS);
  });

  it('a large heap profile: a grid of lengths, raw and gzip', () => {
    const raw = gunzipSync(large);
    expect(raw.length).toBeGreaterThan(20_000);
    const out: Outcome = { decoded: 0, rejected: 0, slowest: 0 };
    const lengths = new Set<number>();
    for (let k = 0; k <= 400; k++) lengths.add(Math.floor((raw.length * k) / 400));
    for (let n = 0; n < 64; n++) lengths.add(n).add(raw.length - n);
    for (const n of lengths) attempt(raw.subarray(0, n), out, `large raw[0:${n}]`);
    for (let k = 0; k <= 200; k++)
      attempt(large.subarray(0, Math.floor((large.length * k) / 200)), out, `large gz ${k}/200`);
    expect(out.rejected).toBeGreaterThan(500);
    expect(out.slowest).toBeLessThan(SLOW_MS);
  });
});

describe('random byte flips', () => {
  it.each([...Object.keys(small), 'large'])(
    "%s: 400 seeded mutants raw, 100 gzip'd, 100 as valid gzip of damaged data",
    (name) => {
      const gz = name === 'large' ? large : small[name];
      const raw = gunzipSync(gz);
      const rand = rng(name.length * 7919 + raw.length);
      const out: Outcome = { decoded: 0, rejected: 0, slowest: 0 };
      for (let i = 0; i < 400; i++) attempt(flip(raw, rand), out, `${name} raw mutant ${i}`);
      for (let i = 0; i < 100; i++) attempt(flip(gz, rand), out, `${name} gz mutant ${i}`);
      for (let i = 0; i < 100; i++)
        attempt(gzipSync(flip(raw, rand)), out, `${name} gzip(mutant) ${i}`);
      expect(out.decoded + out.rejected).toBe(600);
      expect(out.slowest).toBeLessThan(SLOW_MS);
    },
  );
});

describe('things that are not profiles', () => {
  const text = (s: string) => new TextEncoder().encode(s);
  it.each([
    ['an empty file', new Uint8Array(0), /^the file is empty/],
    [
      'an HTML page',
      text(
        '<!DOCTYPE html>\n<html>\n<head><title>/debug/pprof/</title></head>\n<body>…</body></html>\n',
      ),
      /^this is an HTML page/,
    ],
    [
      'a 404 text',
      text('404 page not found\n'),
      /^this is text, not a pprof profile: it starts with "404 page not found"/,
    ],
    [
      'a Go execution trace header',
      new Uint8Array([...text('go 1.26 trace'), 0, 0, 0]),
      /^this is a Go execution trace/,
    ],
    [
      'a Go execution trace with data',
      new Uint8Array([...text('go 1.22 trace'), 0, 0, 0, 1, 0x87, 3, 4, 5, 6]),
      /^this is a Go execution trace \(format of Go 1\.22\)/,
    ],
    [
      'a gzip header alone',
      new Uint8Array([0x1f, 0x8b]),
      /^the file is truncated: gzip stream ended early/,
    ],
    ['a JSON document', text('{"samples": []}'), /^this is text/],
  ])('%s', (_, bytes, message) => {
    expect(() => decodeProfile(bytes, gunzip)).toThrow(message);
    expect(() => decodeProfile(bytes, gunzip)).toThrow(ProfileError);
  });

  it('random bytes of every length up to 2 KB, and gzip of them', () => {
    const rand = rng(12345);
    const out: Outcome = { decoded: 0, rejected: 0, slowest: 0 };
    for (let n = 1; n <= 2048; n += 1 + Math.floor(n / 64)) {
      for (let k = 0; k < 4; k++) {
        const b = new Uint8Array(n).map(() => Math.floor(rand() * 256));
        attempt(b, out, `random ${n}`);
        attempt(gzipSync(b), out, `gzip(random ${n})`);
      }
    }
    // Random data essentially never has a valid string table.
    expect(out.decoded).toBe(0);
    expect(out.slowest).toBeLessThan(SLOW_MS);
  });
});

// Java legacy profiles (google/pprof's own test files, when the corpus is beside the clone):
// truncations and seeded byte flips, binary profilez and the heapz/contentionz text alike.
describe.runIf(hasCorpus)('Java legacy profiles, damaged', () => {
  it.each(['java.cpu', 'java.heap', 'java.contention'])('%s: truncations and 300 flips', (name) => {
    const bytes = new Uint8Array(
      readFileSync(corpusFile(`pprof/google-pprof/profile__testdata__${name}`)),
    );
    const out: Outcome = { decoded: 0, rejected: 0, slowest: 0 };
    // Every length of the small ones; every 5th of the 9 KB heapz (each length costs a full parse).
    const step = bytes.length > 4096 ? 5 : 1;
    for (let n = 0; n < bytes.length; n += step)
      attempt(bytes.subarray(0, n), out, `${name} cut at ${n}`);
    const rand = rng(16);
    for (let k = 0; k < 300; k++) attempt(flip(bytes, rand), out, `${name} flip ${k}`);
    expect(out.slowest).toBeLessThan(SLOW_MS);
    expect(out.decoded).toBeGreaterThan(0);
  });
});
