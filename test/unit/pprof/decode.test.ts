import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { ProfileError, type Profile } from '../../../src/core/pprof/model';
import { checkProfile } from '../../../src/core/pprof/validate';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, PbWriter, profileFromStacks, type ProfileSpec } from './encode';

const decode = (bytes: Uint8Array): Profile => decodeProfile(bytes, gunzip);

function errorOf(f: () => unknown): ProfileError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw new Error(`expected a ProfileError, got ${String(e)}`);
  }
  throw new Error('expected a ProfileError, got a profile');
}

/** Everything a user of the model can observe, as plain data, for deep comparison. */
function snapshot(p: Profile): unknown {
  const s = p.samples;
  const samples = [];
  for (let i = 0; i < s.count; i++) {
    const labels = [];
    for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
      labels.push([
        p.strings[s.labelKey[l]],
        p.strings[s.labelStr[l]],
        s.labelNum[l],
        p.strings[s.labelNumUnit[l]],
      ]);
    }
    const stack = [...s.stackLocations.subarray(s.stackStart[i], s.stackStart[i + 1])].map(
      (loc) => {
        const frames = [];
        for (
          let f = p.locations.firstFrame[loc];
          f < p.locations.firstFrame[loc] + p.locations.frameCount[loc];
          f++
        ) {
          const fn = p.frames.function[f];
          frames.push(
            fn < 0
              ? ['??', p.frames.line[f]]
              : [
                  p.functions.name[fn],
                  p.functions.filename[fn],
                  p.functions.startLine[fn],
                  p.frames.line[f],
                ],
          );
        }
        const m = p.locations.mapping[loc];
        return {
          address: p.locations.address[loc],
          mapping: m < 0 ? null : p.mappings.filename[m],
          folded: p.locations.isFolded[loc],
          frames,
        };
      },
    );
    samples.push({
      values: [...s.values.subarray(i * p.sampleTypes.length, (i + 1) * p.sampleTypes.length)],
      stack,
      labels,
    });
  }
  return {
    sampleTypes: p.sampleTypes,
    defaultSampleType: p.defaultSampleType,
    samples,
    period: p.period,
    periodType: p.periodType,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    comments: p.comments,
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    counts: [p.locations.count, p.functions.count, p.mappings.count, p.frames.count],
  };
}

const cpuSpec = (): ProfileSpec => ({
  sampleTypes: [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ],
  samples: [
    { locations: [1, 2, 3], values: [2, 20_000_000], labels: [{ key: 'worker', str: 'alpha' }] },
    {
      locations: [4, 3],
      values: [1, 10_000_000],
      labels: [
        { key: 'bytes', num: 512, unit: 'bytes' },
        { key: 'worker', str: 'beta' },
      ],
    },
    { locations: [5], values: [3, 30_000_000] },
  ],
  locations: [
    {
      id: 1,
      mapping: 1,
      address: 0x401000,
      lines: [
        { function: 1, line: 12 },
        { function: 2, line: 30 },
      ],
    },
    { id: 2, mapping: 1, address: 0x402000, lines: [{ function: 3, line: 44 }] },
    { id: 3, mapping: 1, address: 0x403000, lines: [{ function: 4, line: 7 }] },
    { id: 4, mapping: 1, address: 0x404000, lines: [{ function: 2, line: 31 }] },
    { id: 5, mapping: 2, address: 0x7f0000001000, lines: [] },
  ],
  functions: [
    { id: 1, name: 'main.leaf', file: '/src/main.go', startLine: 10 },
    { id: 2, name: 'main.middle', file: '/src/main.go', startLine: 28 },
    {
      id: 3,
      name: 'runtime.mallocgc',
      systemName: 'runtime.mallocgc',
      file: '/go/src/runtime/malloc.go',
      startLine: 40,
    },
    { id: 4, name: 'main.main', file: '/src/main.go', startLine: 5 },
  ],
  mappings: [
    {
      id: 1,
      start: 0x400000,
      limit: 0x500000,
      file: '/bin/prog',
      buildId: 'abc',
      hasFunctions: true,
    },
    { id: 2, start: 0x7f0000000000, limit: 0x7f0000100000, offset: 0x1000, file: 'libc.so.6' },
  ],
  periodType: ['cpu', 'nanoseconds'],
  period: 10_000_000,
  timeNanos: 1_700_000_000_123_456_789n,
  durationNanos: 2_030_000_000,
  comments: ['first comment', 'second'],
  dropFrames: 'runtime\\..*',
  keepFrames: 'main\\..*',
});

describe('decodeProfile: the model', () => {
  const p = decode(encodeProfile(cpuSpec()));

  it('reads sample types, the default, periods, times and comments', () => {
    expect(p.sampleTypes).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    expect(p.defaultSampleType).toBe(1); // none named: the last, as pprof
    expect(p.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(p.period).toBe(10_000_000);
    expect(p.timeNanos).toBe(Number(1_700_000_000_123_456_789n)); // int64 beyond 2^53 rounds
    expect(p.durationNanos).toBe(2_030_000_000);
    expect(p.comments).toEqual(['first comment', 'second']);
    expect(p.dropFrames).toBe('runtime\\..*');
    expect(p.keepFrames).toBe('main\\..*');
    expect(p.strings[0]).toBe('');
  });

  it('turns ids into indexes and keeps stacks leaf first', () => {
    const s = p.samples;
    expect(s.count).toBe(3);
    expect([...s.stackStart]).toEqual([0, 3, 5, 6]);
    expect([...s.stackLocations]).toEqual([0, 1, 2, 3, 2, 4]);
    expect([...s.values]).toEqual([2, 20_000_000, 1, 10_000_000, 3, 30_000_000]);
  });

  it('expands inlined Lines into frames, innermost first', () => {
    const l = p.locations;
    expect([...l.firstFrame]).toEqual([0, 2, 3, 4, 5]);
    expect([...l.frameCount]).toEqual([2, 1, 1, 1, 0]);
    expect([...p.frames.function]).toEqual([0, 1, 2, 3, 1]);
    expect([...p.frames.line]).toEqual([12, 30, 44, 7, 31]);
    expect([...l.address]).toEqual([0x401000, 0x402000, 0x403000, 0x404000, 0x7f0000001000]);
    expect([...l.mapping]).toEqual([0, 0, 0, 0, 1]);
  });

  it('reads functions and mappings', () => {
    expect(p.functions.name).toEqual(['main.leaf', 'main.middle', 'runtime.mallocgc', 'main.main']);
    expect(p.functions.filename[2]).toBe('/go/src/runtime/malloc.go');
    expect([...p.functions.startLine]).toEqual([10, 28, 40, 5]);
    expect(p.mappings.filename).toEqual(['/bin/prog', 'libc.so.6']);
    expect(p.mappings.buildId).toEqual(['abc', '']);
    expect([...p.mappings.memoryStart]).toEqual([0x400000, 0x7f0000000000]);
    expect([...p.mappings.fileOffset]).toEqual([0, 0x1000]);
    expect([...p.mappings.hasFunctions]).toEqual([1, 0]);
  });

  it('reads string and numeric labels', () => {
    const s = p.samples;
    expect([...s.labelStart]).toEqual([0, 1, 3, 3]);
    expect(s.labelKey.length).toBe(3);
    expect([...s.labelKey].map((k) => p.strings[k])).toEqual(['worker', 'bytes', 'worker']);
    expect([...s.labelStr].map((k) => p.strings[k])).toEqual(['alpha', '', 'beta']);
    expect([...s.labelNum]).toEqual([0, 512, 0]);
    expect([...s.labelNumUnit].map((k) => p.strings[k])).toEqual(['', 'bytes', '']);
  });

  it('accepts gzip and raw protobuf alike', () => {
    const raw = encodeProfile(cpuSpec());
    expect(snapshot(decode(gzipSync(raw)))).toEqual(snapshot(decode(raw)));
  });
});

describe('decodeProfile: wire format freedom', () => {
  const reference = snapshot(decode(encodeProfile(cpuSpec())));

  it.each([
    ['unpacked repeated scalars', { unpacked: true }],
    ['string table first', { stringsFirst: true }],
    ['unknown fields of every wire type at every level', { unknownFields: true }],
    ['shuffled top-level fields (seed 1)', { shuffleSeed: 1 }],
    ['shuffled top-level fields (seed 2)', { shuffleSeed: 2 }],
    [
      'shuffled top-level fields (seed 3), unpacked, unknown fields',
      { shuffleSeed: 3, unpacked: true, unknownFields: true },
    ],
  ])('decodes the same profile with %s', (_, opts) => {
    expect(snapshot(decode(encodeProfile(cpuSpec(), opts)))).toEqual(reference);
  });

  it('resolves ids that are sparse, huge, or in any order', () => {
    const spec = cpuSpec();
    const remap = new Map<number, number | bigint>([
      [1, 1_000_000_007],
      [2, 2n ** 40n],
      [3, 3],
      [4, 99],
      [5, 2n ** 52n],
    ]);
    for (const l of spec.locations) l.id = remap.get(Number(l.id))!;
    for (const s of spec.samples) s.locations = s.locations.map((id) => Number(remap.get(id)!));
    spec.functions.reverse();
    spec.locations.reverse();
    const p = decode(encodeProfile(spec));
    const snap = snapshot(p) as { samples: unknown[] };
    expect(snap.samples).toEqual((reference as { samples: unknown[] }).samples);
  });

  it('decodes negative and 64-bit values', () => {
    const spec = profileFromStacks(
      [[['main.a'], 1]],
      [
        ['delta', 'bytes'],
        ['big', 'count'],
      ],
    );
    spec.samples = [
      { locations: [1], values: [-1, 2 ** 53 - 1] },
      { locations: [1], values: [-(2 ** 40), 2 ** 32 + 5] },
      { locations: [1], values: [-9007199254740991, 127] },
      { locations: [1], values: [0, 128] },
    ];
    const p = decode(encodeProfile(spec));
    expect([...p.samples.values]).toEqual([
      -1,
      2 ** 53 - 1,
      -(2 ** 40),
      2 ** 32 + 5,
      -9007199254740991,
      127,
      0,
      128,
    ]);
  });

  it('decodes a uint64 address above 2^63 as the nearest number', () => {
    const spec = cpuSpec();
    spec.locations[4].address = 0xffffffffff600000n;
    expect(decode(encodeProfile(spec)).locations.address[4]).toBe(Number(0xffffffffff600000n));
  });

  it('drops labels that carry neither a string nor a number, as pprof does', () => {
    const spec = cpuSpec();
    spec.samples[2].labels = [{ key: 'empty' }, { key: 'zero', num: 0, unit: 'bytes' }];
    const p = decode(encodeProfile(spec));
    expect(p.samples.labelStart[3] - p.samples.labelStart[2]).toBe(1);
    expect(p.strings[p.samples.labelKey[p.samples.labelKey.length - 1]]).toBe('zero');
  });

  it('resolves default_sample_type by name, falling back to the last type', () => {
    const spec = cpuSpec();
    spec.defaultSampleType = 'samples';
    expect(decode(encodeProfile(spec)).defaultSampleType).toBe(0);
    spec.defaultSampleType = 'no-such-type';
    expect(decode(encodeProfile(spec)).defaultSampleType).toBe(1);
  });

  it('makes a line without a function a frame with function -1', () => {
    const spec = cpuSpec();
    spec.locations[1].lines = [{ function: 0, line: 3 }];
    const p = decode(encodeProfile(spec));
    expect(p.frames.function[p.locations.firstFrame[1]]).toBe(-1);
  });
});

describe('decodeProfile: empty profiles are valid data', () => {
  it('reads a profile with sample types and zero samples', () => {
    const spec = cpuSpec();
    spec.samples = [];
    const p = decode(encodeProfile(spec));
    expect(p.samples.count).toBe(0);
    expect(p.samples.stackLocations.length).toBe(0);
    expect(p.sampleTypes.length).toBe(2);
  });

  it('reads a profile with nothing but a string table', () => {
    const p = decode(new PbWriter().string(6, '').finish());
    expect(p.samples.count).toBe(0);
    expect(p.sampleTypes).toEqual([]);
    expect(p.defaultSampleType).toBe(-1);
  });
});

describe('decodeProfile: validity check', () => {
  const cases: [string, (s: ProfileSpec) => void, string | RegExp][] = [
    [
      'a sample with too few values',
      (s) => (s.samples[1].values = [1]),
      'malformed profile: sample 1 has 1 values, expected 2 (sample types: samples/count, cpu/nanoseconds)',
    ],
    [
      'a sample with too many values',
      (s) => (s.samples[0].values = [1, 2, 3]),
      /^malformed profile: sample 0 has 3 values, expected 2/,
    ],
    [
      'samples without sample types',
      (s) => (s.sampleTypes = []),
      'malformed profile: sample 0 has 2 values, expected 0 (sample types: none)',
    ],
    [
      'a location with id 0',
      (s) => (s.locations[2].id = 0),
      'malformed profile: location 2 has id 0, which is reserved',
    ],
    [
      'a function with id 0',
      (s) => (s.functions[0].id = 0),
      'malformed profile: function 0 has id 0, which is reserved',
    ],
    [
      'a mapping with id 0',
      (s) => (s.mappings![1].id = 0),
      'malformed profile: mapping 1 has id 0, which is reserved',
    ],
    [
      'duplicate location ids',
      (s) => (s.locations[1].id = 1),
      'malformed profile: two locations have the same id 1',
    ],
    [
      'duplicate function ids',
      (s) => (s.functions[3].id = 2),
      'malformed profile: two functions have the same id 2',
    ],
    [
      'duplicate mapping ids',
      (s) => (s.mappings![1].id = 1),
      'malformed profile: two mappings have the same id 1',
    ],
    [
      'duplicate huge ids',
      (s) => ((s.locations[0].id = 2n ** 40n), (s.locations[1].id = 2n ** 40n)),
      /two locations have the same id 1099511627776/,
    ],
    [
      'a sample naming a missing location',
      (s) => (s.samples[2].locations = [77]),
      'malformed profile: sample 2 refers to location id 77, which is not in the profile',
    ],
    [
      'a sample naming location id 0',
      (s) => (s.samples[2].locations = [0]),
      /sample 2 refers to location id 0/,
    ],
    [
      'a line naming a missing function',
      (s) => (s.locations[0].lines[1].function = 9),
      'malformed profile: location 0 has a line in function id 9, which is not in the profile',
    ],
    [
      'a location naming a missing mapping',
      (s) => (s.locations[3].mapping = 5),
      'malformed profile: location 4 refers to mapping id 5, which is not in the profile',
    ],
  ];
  it.each(cases)('rejects %s', (_, mutate, message) => {
    const spec = cpuSpec();
    mutate(spec);
    const e = errorOf(() => decode(encodeProfile(spec)));
    if (typeof message === 'string') expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
  });

  /** A function whose string field `sub` (2 name, 3 system name, 4 file) points past the table. */
  function functionWithString(sub: number, idx: number): Uint8Array {
    return new PbWriter()
      .message(5, (m) => m.int(1, 1).int(sub, idx))
      .string(6, '')
      .string(6, 'x')
      .finish();
  }
  it.each([
    [2, 'name'],
    [3, 'system name'],
    [4, 'file name'],
  ])('rejects a string index past the table (function field %i, %s)', (sub) => {
    expect(errorOf(() => decode(functionWithString(sub, 2))).message).toBe(
      'malformed profile: function 1 refers to string 2, but the string table has 2 entries',
    );
  });

  it('rejects a negative string index', () => {
    const w = new PbWriter().message(1, (m) => m.int(1, -1)).string(6, '');
    expect(errorOf(() => decode(w.finish())).message).toBe(
      'malformed profile: sample type 0 refers to string -1, but the string table has 1 entries',
    );
  });

  it('rejects out-of-range label strings', () => {
    const spec = cpuSpec();
    const bytes = encodeProfile(spec);
    // A sample with a label whose key is string 999, appended to a valid profile.
    const extra = new PbWriter()
      .message(2, (m) =>
        m
          .packed(1, [5])
          .packed(2, [1, 1])
          .message(3, (l) => l.int(1, 999).int(2, 1)),
      )
      .finish();
    const e = errorOf(() => decode(new Uint8Array([...bytes, ...extra])));
    expect(e.message).toMatch(/^malformed profile: a label of sample 3 refers to string 999/);
  });

  it('rejects a string table whose first entry is not empty', () => {
    const w = new PbWriter().string(6, 'oops').string(6, '');
    expect(errorOf(() => decode(w.finish())).message).toBe(
      `malformed profile: the string table's first entry must be empty, but it is "oops"`,
    );
  });

  it('checkProfile catches a model broken after decoding', () => {
    const p = decode(encodeProfile(cpuSpec()));
    expect(() => checkProfile(p)).not.toThrow();
    p.samples.stackLocations[0] = 99;
    expect(errorOf(() => checkProfile(p)).message).toBe(
      'malformed profile: a sample refers to location 99, but there are 5',
    );
    const q = decode(encodeProfile(cpuSpec()));
    q.frames.function[0] = 7;
    expect(errorOf(() => checkProfile(q)).message).toMatch(/frame 0 refers to function 7/);
    const r = decode(encodeProfile(cpuSpec()));
    r.samples.values = r.samples.values.subarray(1);
    expect(errorOf(() => checkProfile(r)).message).toMatch(
      /5 sample values for 3 samples of 2 types/,
    );
  });
});

describe('decodeProfile: broken wire data', () => {
  const good = encodeProfile(cpuSpec());

  it('reports truncation at every length as a ProfileError', () => {
    const messages = new Set<string>();
    for (let n = 1; n < good.length; n++) {
      let e: ProfileError | undefined;
      try {
        decode(good.subarray(0, n));
      } catch (x) {
        if (!(x instanceof ProfileError)) throw x;
        e = x;
      }
      // A cut exactly between top-level fields is a shorter, valid message; only the string
      // table (written last) can tell, and it is required.
      if (e) messages.add(e.message.split(':')[0]);
    }
    expect([...messages].sort()).toEqual(
      expect.arrayContaining(['malformed profile', 'the file is truncated']),
    );
  });

  it('says "truncated" when a field runs past the end of the file', () => {
    const e = errorOf(() => decode(good.subarray(0, 40)));
    expect(e.message).toMatch(
      /^the file is truncated: .* at byte \d+ runs past the end of the data/,
    );
    expect(e.message).toMatch(/capture it again/);
  });

  it('rejects a known field with the wrong wire type', () => {
    const w = new PbWriter().int(1, 5).string(6, '');
    expect(errorOf(() => decode(w.finish())).message).toBe(
      'malformed profile: sample_type at byte 0 has wire type 0, expected 2',
    );
  });

  it('rejects wire types protobuf does not define', () => {
    const w = new PbWriter().string(6, '').tag(20, 7);
    expect(errorOf(() => decode(w.finish())).message).toMatch(
      /wire type 7, which protobuf does not define/,
    );
  });

  it('rejects field number 0', () => {
    expect(errorOf(() => decode(new Uint8Array([0x02, 0x00]))).message).toMatch(/field number 0/);
  });

  it('rejects a packed stack that ends inside a number', () => {
    const w = new PbWriter()
      .message(1, (m) => m.int(1, 1))
      .message(2, (m) => m.len(1, [0x81]).packed(2, [1]))
      .string(6, '')
      .string(6, 'x');
    expect(errorOf(() => decode(w.finish())).message).toMatch(/^malformed profile: /);
  });

  it('rejects a varint longer than 10 bytes', () => {
    const w = new PbWriter()
      .string(6, '')
      .tag(9, 0)
      .raw([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(errorOf(() => decode(w.finish())).message).toMatch(
      /longer than the 10 bytes a varint may have/,
    );
  });

  it('rejects a nested field that runs past its message', () => {
    // A function message of 3 bytes holding an unknown field that claims 5.
    const inner = new PbWriter().tag(1000, 2).varint(5).finish();
    const w = new PbWriter().len(5, inner).string(6, '');
    expect(errorOf(() => decode(w.finish())).message).toMatch(
      /^malformed profile: a field at byte \d+ runs past the end of its enclosing message/,
    );
  });
});

describe('decodeProfile: files that are not profiles', () => {
  const text = (s: string) => new TextEncoder().encode(s);
  it.each([
    [
      'an empty file',
      new Uint8Array(0),
      /^the file is empty \(0 bytes\), so it is not a pprof profile\. .*capture the profile again/,
    ],
    [
      'an HTML page',
      text('<!DOCTYPE html>\n<html><head><title>/debug/pprof/</title></head></html>'),
      /^this is an HTML page, not a pprof profile .*\/debug\/pprof\/profile\?seconds=30/,
    ],
    ['an HTML page without doctype', text('<html><body>hi</body></html>'), /^this is an HTML page/],
    [
      'a 404 text',
      text('404 page not found\n'),
      /^this is text, not a pprof profile: it starts with "404 page not found"\. .*imports net\/http\/pprof/,
    ],
    [
      'an "Unknown profile" error',
      text('Unknown profile\n'),
      /^this is text, not a pprof profile: it starts with "Unknown profile"/,
    ],
    [
      'a Go execution trace',
      new Uint8Array([...text('go 1.26 trace'), 0, 0, 0, 1, 2, 3]),
      /^this is a Go execution trace \(format of Go 1\.26\), not a pprof profile\. .*go tool trace/,
    ],
    ['a legacy mutex profile', text('--- mutex:\ncycles/second=1\n'), /legacy text format/],
    [
      'a goroutine dump',
      text('goroutine 1 [running]:\nmain.main()\n'),
      /^this is a goroutine stack dump/,
    ],
    [
      'gzip of an HTML page',
      gzipSync(text('<!DOCTYPE html><p>x</p>')),
      /^this is an HTML page \(inside gzip\)/,
    ],
    ['gzip of nothing', gzipSync(new Uint8Array(0)), /decompresses to nothing/],
  ])('explains %s', (_, bytes, message) => {
    expect(errorOf(() => decode(bytes)).message).toMatch(message);
  });

  it('reads the legacy heap and count profiles go tool pprof reads (addresses only, unsampled heap values)', () => {
    const heap = decode(
      text('heap profile: 3: 1024 [10: 4096] @ heap/1048576\n1: 512 [1: 512] @ 0x1 0x2\n'),
    );
    expect(heap.sampleTypes.map((t) => t.type)).toEqual([
      'alloc_objects',
      'alloc_space',
      'inuse_objects',
      'inuse_space',
    ]);
    // The caller 0x2 is moved back one byte onto its call (as pprof does): the same address as the leaf.
    expect(Array.from(heap.locations.address)).toEqual([0x1]);
    // 512 bytes sampled at a mean of 524288: scaled by 1 / (1 - e^(-512/524288)).
    expect(heap.samples.values[3]).toBe(Math.trunc(512 / (1 - Math.exp(-512 / 524288))));
    const count = decode(text('goroutine profile: total 4\n4 @ 0x10 0x20\n'));
    expect(count.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
    expect(Array.from(count.locations.address)).toEqual([0x10, 0x1f]);
  });

  it('rejects random bytes with a ProfileError', () => {
    let seed = 7;
    for (let n = 1; n < 300; n++) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        b[i] = seed >>> 24;
      }
      expect(errorOf(() => decode(b))).toBeInstanceOf(ProfileError);
    }
  });

  it('wraps an inflate that throws a plain Error', () => {
    const e = errorOf(() =>
      decodeProfile(new Uint8Array([0x1f, 0x8b, 8, 0]), () => {
        throw new Error('boom');
      }),
    );
    expect(e.message).toBe('the file could not be decompressed (it starts like gzip data): boom');
  });

  it('passes an inflate ProfileError through and calls inflate only for gzip', () => {
    let calls = 0;
    const inflate = () => {
      calls++;
      throw new ProfileError('the file is truncated: gzip stream ended early');
    };
    expect(errorOf(() => decodeProfile(new Uint8Array([0x1f, 0x8b]), inflate)).message).toBe(
      'the file is truncated: gzip stream ended early',
    );
    decodeProfile(encodeProfile(cpuSpec()), inflate);
    expect(calls).toBe(1);
  });
});
