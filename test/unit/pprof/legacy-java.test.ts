// Java legacy text profiles (google/pprof's legacy_java_profile.go): names from the file's own
// table, values inverted against C++ and scaled as pprof scales them, typed errors for the rest.
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { foldedStacks } from '../../../src/core/flame/folded-tree';

const bytes = (s: string) => new TextEncoder().encode(s);
const noInflate = () => {
  throw new Error('not gzipped');
};

describe('Java legacy text profiles', () => {
  it('contentionz: value then count, both times the sampling period, names and lines from the table', () => {
    const p = decodeProfile(
      bytes(
        '--- contentionz 1 ---\nformat = java\nresolution = microseconds\nsampling period = 100\nms since reset = 2000\n' +
          '   14  1 @ 0x1 0x2\n    3  2 @ 0x3\n\n 0x1 com.a.Lock.lock (Lock.java:12)\n 0x2 com.a.Main.run (Main.java:0)\n 0x3 libjvm_thing (/usr/lib/libjvm.so)\n',
      ),
      noInflate,
    );
    expect(p.sampleTypes).toEqual([
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'microseconds' },
    ]);
    expect(Array.from(p.samples.values)).toEqual([100, 1400, 200, 300]);
    expect(p.durationNanos).toBe(2e9);
    expect(p.functions.name).toEqual(['com.a.Lock.lock', 'com.a.Main.run', 'libjvm_thing']);
    expect(p.functions.filename).toEqual(['Lock.java', 'Main.java', 'libjvm.so']);
    expect(Array.from(p.frames.line)).toEqual([12, 0, 0]);
    expect(foldedStacks(p, 1)).toEqual(['com.a.Main.run;com.a.Lock.lock 1400', 'libjvm_thing 300']);
  });

  it('heapz: unsampled at 512 KiB with the block size as the bytes label; a C++ contentionz header is not Java', () => {
    const p = decodeProfile(
      bytes(
        '--- heapz 1 ---\nformat = java\nresolution = bytes\n  7048  1 @ 0x5\n\n 0x5 generated stub/JIT thing\n',
      ),
      noInflate,
    );
    expect(p.sampleTypes.map((t) => t.type)).toEqual(['inuse_objects', 'inuse_space']);
    const scale = 1 / (1 - Math.exp(-7048 / 524288));
    expect(Array.from(p.samples.values)).toEqual([Math.trunc(scale), Math.trunc(7048 * scale)]);
    expect(Array.from(p.samples.labelNum)).toEqual([7048]);
    expect(p.functions.name).toEqual(['STUB']);
    const cpp = decodeProfile(
      bytes(
        '--- contentionz 1 ---\ncycles/second = 1000000000\nsampling period = 1\n  10 2 @ 0x10 0x20\n',
      ),
      noInflate,
    );
    expect(cpp.comments[0]).toMatch(/C\+\+ contention/);
  });

  it('a Java profile without a resolution, or of another format, gets a typed message', () => {
    expect(() =>
      decodeProfile(bytes('--- heapz 1 ---\nformat = java\n  7048  1 @ 0x5\n'), noInflate),
    ).toThrow(/no "resolution = …" line/);
    expect(() =>
      decodeProfile(
        bytes('--- heapz 1 ---\nformat = cpp\nresolution = bytes\n  7048  1 @ 0x5\n'),
        noInflate,
      ),
    ).toThrow(/format = cpp/);
    expect(() =>
      decodeProfile(
        bytes('--- heapz 1 ---\nformat = java\nresolution = bytes\n  7048  0 @ 0x5\n'),
        noInflate,
      ),
    ).toThrow(/count of 0/);
  });
});
