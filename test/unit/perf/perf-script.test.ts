// The perf script reader on the committed fixtures (real recordings of test/go/perf-*, made by
// test/fixtures/perf/make-fixtures.sh) and on hand-written edge cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../support/call-tree-oracle';
import { listLabels } from '../../../src/core/pprof/filter';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { checkProfile } from '../../../src/core/pprof/validate';
import { frameKindOfFile } from '../../../src/core/perf/frame-names';
import { readPerfScript, PerfScriptReader } from '../../../src/core/perf/perf-script';
import { PerfDataError, readProfileBytes } from '../../../src/core/perf/read-any';
import { sniffTextProfile } from '../../../src/core/perf/sniff-text';
import { gunzip } from '../../../src/node/inflate';
import { repoRoot } from '../../support/go';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/perf', name));

function functionsOf(p: ReturnType<typeof readPerfScript>['profile']): Map<string, string> {
  return new Map(p.functions.name.map((n, i) => [n, p.functions.filename[i]]));
}

describe('perf script reader: real recordings', () => {
  it('reads a default-field recording of Go code as a CPU profile with pprof names', () => {
    const r = readPerfScript(fixture('cpu-default.perf'));
    checkProfile(r.profile);
    expect(r.warnings).toEqual([]);
    expect(r.profile.sampleTypes).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    expect(r.profile.sampleTypes[r.profile.defaultSampleType].type).toBe('cpu');
    // One sample per stack holds both values, as in a Go CPU profile (not one per sample type).
    const { count, values } = r.profile.samples;
    for (let s = 0; s < count; s++) {
      expect(values[2 * s]).toBeGreaterThan(0);
      expect(values[2 * s + 1]).toBe(values[2 * s] * r.profile.period);
    }
    const fns = functionsOf(r.profile);
    expect(fns.has('main.countPrimes')).toBe(true);
    expect(fns.has('main.(*hasher).mix')).toBe(true);
    // The ELF symbol's ABI suffix is dropped, as pprof's function table has it.
    expect(fns.has('runtime.goexit')).toBe(true);
    expect([...fns.keys()].some((n) => n.endsWith('.abi0'))).toBe(false);
    expect(frameKindOfFile(fns.get('main.countPrimes')!)).toBe('go');
    // Every sample's value is its period in nanoseconds.
    const lines = foldedStacks(r.profile, 1);
    expect(
      lines.some((l) => /^runtime\.goexit;runtime\.main;main\.main;main\.countPrimes \d+$/.test(l)),
    ).toBe(true);
  });

  it('marks kernel frames, keeps comm/pid/tid as labels, and reads the cpu field', () => {
    const r = readPerfScript(fixture('syscall-fields.perf'));
    checkProfile(r.profile);
    const fns = functionsOf(r.profile);
    expect(frameKindOfFile(fns.get('read_zero')!)).toBe('kernel');
    expect(frameKindOfFile(fns.get('syscall.Syscall')!)).toBe('go');
    const labels = listLabels(r.profile);
    const keys = labels.map((l) => l.key).sort();
    expect(keys).toEqual(['comm', 'pid', 'tid']);
    const comm = labels.find((l) => l.key === 'comm')!;
    expect(JSON.stringify(comm)).toContain('perf-syscall');
    const tree = buildCallTree(r.profile, { sampleType: 1 });
    expect(tree.funcName).toContain('entry_SYSCALL_64_after_hwframe');
  });

  it('reads a dwarf callchain through cgo without a period field: native frames marked, samples counted', () => {
    const r = readPerfScript(fixture('cgo-dwarf-noperiod.perf'));
    checkProfile(r.profile);
    expect(r.profile.sampleTypes).toEqual([{ type: 'samples', unit: 'count' }]);
    const fns = functionsOf(r.profile);
    expect(frameKindOfFile(fns.get('c_spin')!)).toBe('native');
    expect(fns.get('c_spin')).toBe('[/opt/golens/perf-cgo]');
    expect(frameKindOfFile(fns.get('runtime.asmcgocall')!)).toBe('go');
    const total = r.profile.samples.values.reduce((a, b) => a + b, 0);
    expect(total).toBe(r.stats.samples);
  });

  it('gives each event its own sample type, the clock event as pprof CPU types', () => {
    const r = readPerfScript(fixture('two-events.perf'));
    checkProfile(r.profile);
    expect(r.profile.sampleTypes.map((t) => t.type).sort()).toEqual([
      'cpu',
      'page-faults',
      'samples',
    ]);
    expect(r.stats.events.sort()).toEqual(['cpu-clock', 'page-faults']);
    expect(r.warnings.join(' ')).toContain('2 events');
    const pf = r.profile.sampleTypes.findIndex((t) => t.type === 'page-faults');
    expect(foldedStacks(r.profile, pf).length).toBeGreaterThan(0);
  });

  it('reads a recording without callchains (the frame on the header line)', () => {
    const text = fixture('no-callchain.perf');
    const r = readPerfScript(text);
    checkProfile(r.profile);
    expect(r.stats.samples).toBe(text.toString().trim().split('\n').length);
    expect(functionsOf(r.profile).has('main.countPrimes')).toBe(true);
  });

  it('is sniffed, also gzipped, and reads the same in any piece sizes', () => {
    for (const name of [
      'cpu-default.perf',
      'syscall-fields.perf',
      'cgo-dwarf-noperiod.perf',
      'two-events.perf',
      'no-callchain.perf',
    ]) {
      const bytes = fixture(name);
      expect(sniffTextProfile(bytes.toString('utf8').slice(0, 4096)), name).toBe('perf-script');
      const whole = readProfileBytes(bytes, gunzip);
      expect(whole.format).toBe('perf-script');
      expect(foldedStacks(readProfileBytes(gzipSync(bytes), gunzip).profile, 0)).toEqual(
        foldedStacks(whole.profile, 0),
      );
      const reader = new PerfScriptReader();
      for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.subarray(i, i + 7));
      expect(foldedStacks(reader.end().profile, 0)).toEqual(foldedStacks(whole.profile, 0));
    }
  });
});

describe('perf script reader: forms and bad input', () => {
  const sample = (header: string, frames: string[]) =>
    [header, ...frames.map((f) => '\t' + f), ''].join('\n');

  it('reads inlined frames into one location and srcline into file:line', () => {
    const text = sample('app 10/11 1.000000: 1000 cpu-clock: ', [
      '401000 main.inner (/bin/app) (inlined)',
      '401000 main.outer+0x10 (/bin/app)',
      '  /src/app/main.go:42',
      '401100 main.main+0x20 (/bin/app)',
      '  ??:0',
    ]);
    const r = readPerfScript(text);
    checkProfile(r.profile);
    const p = r.profile;
    expect(p.locations.count).toBe(2);
    expect(p.locations.frameCount[0]).toBe(2);
    const f0 = p.frames.function[p.locations.firstFrame[0]];
    const f1 = p.frames.function[p.locations.firstFrame[0] + 1];
    expect(p.functions.name[f0]).toBe('main.inner');
    expect(p.functions.name[f1]).toBe('main.outer');
    expect(p.functions.filename[f1]).toBe('/src/app/main.go');
    expect(p.frames.line[p.locations.firstFrame[0] + 1]).toBe(42);
    expect(foldedStacks(p, 1)).toEqual(['main.main;main.outer;main.inner 1000']);
  });

  it('gives a frame line met alone its own frame only, after the same line with inlined frames before it', () => {
    // As a dwarf-unwound recording of a cgo thread printed it: libc's arena_get2 at one address
    // twice, first under _int_new_arena inlined into it, then alone (inferno reads it the same way).
    const text = sample('app 10/11 1.000000: 1000 cpu-clock: ', [
      '955ad alloc_new_heap+0xad (/usr/lib/libc.so.6)',
      '95b31 _int_new_arena+0x391 (inlined)',
      '95b31 arena_get2+0x391 (/usr/lib/libc.so.6)',
      '95b31 arena_get2+0x391 (/usr/lib/libc.so.6)',
      '982ab tcache_init+0x9b (/usr/lib/libc.so.6)',
    ]);
    const r = readPerfScript(text);
    checkProfile(r.profile);
    expect(foldedStacks(r.profile, 1)).toEqual([
      'tcache_init;arena_get2;arena_get2;_int_new_arena;alloc_new_heap 1000',
    ]);
  });

  // As `perf script -F +srcline` prints them (a dwarf-unwound cgo recording): an inlined frame has
  // no dso and its srcline line ends in `(inlined)`; where perf finds no line, the srcline is the
  // object and the address.
  const srclineSample = sample('app 10/11 1.000000: 1000 cpu-clock: ', [
    'ffffffff81650d14 __kmalloc_cache_noprof+0x374 ([kernel.kallsyms])',
    '  [kernel.kallsyms][ffffffff81650d14]',
    '98a9a tcache_get+0x16a',
    '  malloc.c:3190 (inlined)',
    '98a9a __GI___libc_malloc+0x16a',
    '  malloc.c:3307 (inlined)',
    'a05df c_churn+0x1f (/tmp/app)',
    '  main.cgo2.c:0',
    '95b31 _int_new_arena+0x391',
    '  arena.c:744 (inlined)',
    '95b31 arena_get2+0x391 (/usr/lib/libc.so.6)',
    '  arena.c:963',
    '891f4 start_thread+0x304',
    '  pthread_create.c:442',
  ]);
  /** Each location of the profile's one sample, leaf first: its frames as `name file:line`, innermost first. */
  const locationsOf = (p: ReturnType<typeof readPerfScript>['profile'], sample = 0): string[][] => {
    const out: string[][] = [];
    for (let k = p.samples.stackStart[sample]; k < p.samples.stackStart[sample + 1]; k++) {
      const loc = p.samples.stackLocations[k];
      const frames: string[] = [];
      for (let f = 0; f < p.locations.frameCount[loc]; f++) {
        const frame = p.locations.firstFrame[loc] + f;
        const fn = p.frames.function[frame];
        frames.push(`${p.functions.name[fn]} ${p.functions.filename[fn]}:${p.frames.line[frame]}`);
      }
      out.push(frames);
    }
    return out;
  };

  it('reads srcline output: inlined frames by their srcline, at their own address, and no skipped lines', () => {
    const r = readPerfScript(srclineSample);
    checkProfile(r.profile);
    expect(r.warnings).toEqual([]);
    expect(r.stats.unrecognisedLines).toBe(0);
    expect(locationsOf(r.profile)).toEqual([
      ['__kmalloc_cache_noprof [kernel.kallsyms]:0'],
      // perf printed no frame of their own address after them: a location of their own.
      ['tcache_get malloc.c:3190', '__GI___libc_malloc malloc.c:3307'],
      ['c_churn [/tmp/app]:0'],
      ['_int_new_arena arena.c:744', 'arena_get2 arena.c:963'],
      // A frame without a dso and not inlined is a frame of its own.
      ['start_thread pthread_create.c:442'],
    ]);
  });

  it('reads a line without a dso met again, alone or before an inlined srcline, as the first time', () => {
    // -F without dso: every frame line may be an inlined frame, until the line after it says.
    const alone = ['98a9a tcache_get+0x16a', '  malloc.c:3190', 'a05df c_churn+0x1f'];
    const inlined = [
      '98a9a tcache_get+0x16a',
      '  malloc.c:3190 (inlined)',
      '98a9a __libc_malloc+0x16a',
      '  malloc.c:3307',
      'a05df c_churn+0x1f',
    ];
    const text = [alone, inlined, alone, inlined, alone]
      .map((frames, i) => sample(`app 10/${11 + i} 1.0: 1000 cpu-clock: `, frames))
      .join('');
    const p = readPerfScript(text).profile;
    checkProfile(p);
    const stacks = Array.from({ length: p.samples.count }, (_, i) =>
      JSON.stringify(locationsOf(p, i)),
    );
    const aloneStack = JSON.stringify([['tcache_get malloc.c:3190'], ['c_churn [unknown]:0']]);
    const inlinedStack = JSON.stringify([
      ['tcache_get malloc.c:3190', '__libc_malloc malloc.c:3307'],
      ['c_churn [unknown]:0'],
    ]);
    expect(stacks).toEqual([aloneStack, inlinedStack, aloneStack, inlinedStack, aloneStack]);
  });

  it('reads the same locations from the text without srcline', () => {
    const plain = srclineSample
      .split('\n')
      .filter((l) => !l.startsWith('  '))
      .map((l) =>
        /\t(98a9a|95b31) (tcache_get|__GI___libc_malloc|_int_new_arena)/.test(l)
          ? l + ' (inlined)'
          : l,
      )
      .join('\n');
    const names = (p: ReturnType<typeof readPerfScript>['profile']) =>
      locationsOf(p).map((loc) => loc.map((f) => f.split(' ')[0]));
    expect(names(readPerfScript(plain).profile)).toEqual(
      names(readPerfScript(srclineSample).profile),
    );
  });

  it('names unknown frames after their object file, as stackcollapse-perf does, and reads comm with spaces', () => {
    const text = sample('Web Content 77/78 2.5: 5 cycles:u: ', [
      '7f0012 [unknown] (/usr/lib/libxul.so)',
      '0 [unknown] ([unknown])',
    ]);
    const r = readPerfScript(text);
    expect(foldedStacks(r.profile, 0)).toEqual(['[unknown];[libxul.so] 5']);
    expect(r.profile.sampleTypes).toEqual([{ type: 'cycles:u', unit: 'count' }]);
    expect(r.profile.strings).toContain('Web Content');
  });

  it('keeps the samples before a cut-off end and says so', () => {
    const full =
      sample('app 1 1.0: 10 cpu-clock: ', ['1 main.a (/x)', '2 main.main (/x)']) +
      sample('app 1 1.1: 10 cpu-clock: ', ['1 main.b (/x)', '2 main.ma']);
    const r = readPerfScript(full.slice(0, full.length - 1).replace(/\n$/, ''));
    expect(r.stats.truncated).toBe(true);
    expect(foldedStacks(r.profile, 1)).toEqual(['main.main;main.a 10']);
    expect(r.warnings.join(' ')).toMatch(/cut off/);
  });

  it("skips perf's own warnings and garbage lines, naming them, and keeps the samples", () => {
    const text =
      'Warning:\n  Processed 120 events and lost 3 chunks!\n\nCheck IO/CPU overload!\n\n' +
      sample('app 1 1.0: 10 cpu-clock: ', ['1 main.a (/x)', '2 main.main (/x)']) +
      '\x01\x02 garbage here\n' +
      sample('app 1 1.2: 10 cpu-clock: ', ['1 main.a (/x)', '2 main.main (/x)']);
    const r = readPerfScript(text);
    expect(foldedStacks(r.profile, 1)).toEqual(['main.main;main.a 20']);
    expect(r.stats.unrecognisedLines).toBe(4);
    expect(r.warnings[0]).toMatch(/4 lines were not perf script samples.*Processed 120 events/);
  });

  it('says what is wrong when nothing parses', () => {
    expect(() =>
      readProfileBytes(new TextEncoder().encode('app 1 1.0: 10 cpu-clock: \n'), gunzip),
    ).toThrow(/no complete sample|no callchain/);
    expect(() =>
      readProfileBytes(new TextEncoder().encode('PERFILE2' + '\0'.repeat(100)), gunzip),
    ).toThrow(PerfDataError);
    expect(() =>
      readProfileBytes(new TextEncoder().encode('PERFILE2' + '\0'.repeat(100)), gunzip),
    ).toThrow(/linux-perf/);
  });
});
