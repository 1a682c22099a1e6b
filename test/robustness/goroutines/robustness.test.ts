// Damaged and foreign input: the goroutine-dump parser may only return a snapshot (keeping what
// parsed, with warnings saying what was lost) or throw its own GoroutineDumpError. Inputs are
// committed fixtures cut, spliced, thinned and flipped with a seeded generator, so failures
// reproduce.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip } from '../../../src/node/inflate';
import {
  GoroutineDumpError,
  goroutineAt,
  groupGoroutines,
  parseGoroutineDump,
  type GoroutineSnapshot,
} from '../../../src/core/goroutines';

const dir = join(__dirname, '../../fixtures/goroutines');
const fixture = (path: string) => readFileSync(join(dir, path));

/** mulberry32: small, seeded, good enough to pick cut points. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses, allowing only the parser's own error; also groups, which must not throw either. */
function attempt(input: Uint8Array | string): GoroutineSnapshot | GoroutineDumpError {
  try {
    const s = parseGoroutineDump(input, { inflate: gunzip });
    groupGoroutines(s);
    groupGoroutines(s, { similarity: 'relaxed', hideSystem: false });
    for (let r = 0; r < s.goroutines.count; r++) goroutineAt(s, r);
    return s;
  } catch (e) {
    if (e instanceof GoroutineDumpError) {
      expect(e.message.length).toBeGreaterThan(20);
      return e;
    }
    throw e;
  }
}

const headerCount = (text: string) =>
  text.split('\n').filter((l) => /^goroutine \d+ (gp=\S+ m=\S+( mp=\S+)? )?\[.*:\r?$/.test(l))
    .length;

const tracebacks = [
  'go1.26.8/blocked-panic-system.txt',
  'go1.21.13/sigquit.txt',
  'go1.24.13/timeout.txt',
  'go1.27.4/labels-debug2.txt',
  'go1.22.12/recursion-overflow.txt',
];

describe('truncated dumps', () => {
  it.each(tracebacks)(
    '%s cut at 300 points keeps a prefix of the goroutines and flags the cut one',
    (path) => {
      const bytes = fixture(path);
      const full = parseGoroutineDump(bytes);
      const ids = Array.from(full.goroutines.id);
      for (let k = 1; k <= 300; k++) {
        const cut = Math.floor((bytes.length * k) / 301);
        const r = attempt(bytes.subarray(0, cut));
        if (r instanceof GoroutineDumpError) {
          // Only before the first goroutine header is complete.
          expect(cut).toBeLessThanOrEqual(bytes.indexOf('\ngoroutine ') + 40);
          continue;
        }
        const got = Array.from(r.goroutines.id);
        expect(got).toEqual(ids.slice(0, got.length));
        const last = goroutineAt(r, got.length - 1);
        const whole = goroutineAt(full, got.length - 1);
        const complete =
          last.frames.length === whole.frames.length &&
          (last.createdBy === null) === (whole.createdBy === null) &&
          last.ancestors.length === whole.ancestors.length;
        // A goroutine that lost frames says so; one cut exactly at its end may not.
        if (!complete) {
          expect(last.flags, `cut at ${cut}`).toContain('truncated');
          expect(r.warnings.some((w) => w.kind === 'truncated')).toBe(true);
        }
      }
    },
  );

  it('debug=1 cut at 200 points: records so far, and a warning that the total is not reached', () => {
    const bytes = fixture('go1.25.14/blocked-debug1.txt');
    const full = parseGoroutineDump(bytes);
    for (let k = 1; k <= 200; k++) {
      const cut = Math.floor((bytes.length * k) / 201);
      const r = attempt(bytes.subarray(0, cut));
      if (r instanceof GoroutineDumpError) continue;
      expect(r.goroutines.count).toBeLessThanOrEqual(full.goroutines.count);
      if (r.totalGoroutines < full.totalGoroutines)
        expect(r.warnings.some((w) => w.kind === 'truncated')).toBe(true);
    }
  });

  it('debug=0 cut at 100 points: a typed error, never a crash', () => {
    const bytes = fixture('go1.26.8/blocked-debug0.pb.gz');
    for (let k = 1; k <= 100; k++) {
      const r = attempt(bytes.subarray(0, Math.floor((bytes.length * k) / 101)));
      expect(r).toBeInstanceOf(GoroutineDumpError);
    }
  });
});

describe('garbage between goroutines', () => {
  it.each(tracebacks)(
    '%s with foreign lines spliced in at block boundaries: every goroutine kept, each splice reported at its line',
    (path) => {
      const text = fixture(path).toString('utf8');
      const full = parseGoroutineDump(text);
      const random = rng(7);
      const lines = text.split('\n');
      const out: string[] = [];
      const spliced: number[] = [];
      let seenGoroutine = false;
      for (let i = 0; i < lines.length; i++) {
        out.push(lines[i]);
        if (/^goroutine \d+ /.test(lines[i])) seenGoroutine = true;
        // After an empty line that ends a block and precedes another goroutine.
        if (
          seenGoroutine &&
          lines[i] === '' &&
          /^goroutine \d+ /.test(lines[i + 1] ?? '') &&
          random() < 0.5
        ) {
          spliced.push(out.length + 1);
          out.push(
            `2024/05/01 12:00:0${spliced.length % 10} worker: retrying request ${spliced.length}`,
            '',
          );
        }
      }
      expect(spliced.length).toBeGreaterThan(0);
      const r = parseGoroutineDump(out.join('\n'));
      expect(Array.from(r.goroutines.id)).toEqual(Array.from(full.goroutines.id));
      expect(r.warnings.filter((w) => w.kind === 'garbage').map((w) => w.line)).toEqual(spliced);
    },
  );
});

describe('random line deletions', () => {
  it.each(tracebacks)(
    '%s with 5%% of its lines deleted (20 seeds): one goroutine per remaining header, frames from the original',
    (path) => {
      const text = fixture(path).toString('utf8');
      const full = parseGoroutineDump(text);
      const knownFuncs = new Set(full.frames.func);
      for (let seed = 1; seed <= 20; seed++) {
        const random = rng(seed);
        const damaged = text
          .split('\n')
          .filter(() => random() >= 0.05)
          .join('\n');
        const r = attempt(damaged);
        if (r instanceof GoroutineDumpError) {
          expect(headerCount(damaged)).toBe(0);
          continue;
        }
        expect(r.goroutines.count, `seed ${seed}`).toBe(headerCount(damaged));
        for (const f of r.frames.func) expect(knownFuncs.has(f), `seed ${seed}: ${f}`).toBe(true);
      }
    },
  );
});

describe('random bytes and byte flips', () => {
  it('random buffers (200, some starting like gzip or protobuf) give a snapshot or a typed error', () => {
    const random = rng(42);
    for (let i = 0; i < 200; i++) {
      const b = new Uint8Array(Math.floor(random() * 4096));
      for (let k = 0; k < b.length; k++) b[k] = Math.floor(random() * 256);
      if (i % 3 === 0 && b.length > 2) [b[0], b[1]] = [0x1f, 0x8b];
      if (i % 3 === 1 && b.length > 0) b[0] = 0x0a;
      attempt(b);
    }
  });

  it('byte flips in text dumps and gzip profiles (300 each) give a snapshot or a typed error', () => {
    const random = rng(9);
    for (const path of [
      'go1.26.8/blocked-debug2.txt',
      'go1.23.12/blocked-debug1.txt',
      'go1.26.8/blocked-debug0.pb.gz',
    ]) {
      const bytes = fixture(path);
      for (let i = 0; i < 300; i++) {
        const b = Uint8Array.from(bytes);
        for (let k = 0; k < 1 + (i % 8); k++)
          b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
        attempt(b);
      }
    }
  });

  it('flips inside the decompressed debug=0 protobuf give a snapshot or a typed error', () => {
    const raw = gunzip(fixture('go1.26.8/blocked-debug0.pb.gz'));
    const random = rng(11);
    for (let i = 0; i < 300; i++) {
      const b = Uint8Array.from(raw);
      b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      attempt(gzipSync(b));
    }
  });
});

describe('files that are not goroutine dumps', () => {
  // A minimal CPU profile: sample_type {cpu, nanoseconds}, string table ["", "cpu", "nanoseconds"].
  const cpuProfile = Uint8Array.from([
    0x0a,
    0x04,
    0x08,
    0x01,
    0x10,
    0x02,
    0x32,
    0x00,
    0x32,
    0x03,
    ...Buffer.from('cpu'),
    0x32,
    0x0b,
    ...Buffer.from('nanoseconds'),
  ]);

  it.each([
    [
      'the pprof index page',
      Buffer.from(
        '<html>\n<head><title>/debug/pprof/</title></head>\n<body>\n/debug/pprof/<br>\n</body></html>\n',
      ),
      /HTML page/,
    ],
    ['a CPU profile', gzipSync(cpuProfile), /pprof profile of cpu, not a goroutine profile/],
    ['a raw (ungzipped) CPU profile', cpuProfile, /pprof profile of cpu, not a goroutine profile/],
    [
      'an execution trace',
      Buffer.concat([Buffer.from('go 1.23 trace\0\0\0'), Buffer.alloc(64, 7)]),
      /execution trace/,
    ],
    [
      'a heap profile (debug=1)',
      Buffer.from('heap profile: 1: 8 [2: 16] @ heap/1048576\n1: 8 [2: 16] @ 0x1 0x2\n'),
      /different legacy profile/,
    ],
    [
      'a schedtrace log',
      Buffer.from(
        'SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=4 spinningthreads=0 idlethreads=1 runqueue=0 [0 0]\n',
      ),
      /no goroutine dump was found/,
    ],
    ['an empty file', Buffer.alloc(0), /input is empty/],
    ['zeros', Buffer.alloc(1000), /not a goroutine dump/],
    ['a gzipped empty file', gzipSync(Buffer.alloc(0)), /not a goroutine dump/],
    ['JSON', Buffer.from('[{"id": 1, "state": "running"}]'), /JSON/],
  ])('%s: a typed error that says what it is', (_name, bytes, message) => {
    const r = attempt(new Uint8Array(bytes));
    expect(r).toBeInstanceOf(GoroutineDumpError);
    expect((r as GoroutineDumpError).message).toMatch(message);
  });

  it('a gzipped text dump is read as text', () => {
    const s = attempt(gzipSync(fixture('go1.26.8/deadlock.txt')));
    expect(s).not.toBeInstanceOf(GoroutineDumpError);
    expect((s as GoroutineSnapshot).header?.fatalError).toBe(
      'all goroutines are asleep - deadlock!',
    );
  });
});
