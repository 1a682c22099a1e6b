import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { formatInteger } from '../../../src/core/pprof/folded';
import {
  describeSampleTypes,
  findSampleType,
  sampleTotal,
} from '../../../src/core/pprof/sample-type';
import { gunzip } from '../../../src/node/inflate';
import { foldedStacksOracle } from '../../support/folded-oracle';
import { encodeProfile, profileFromStacks } from './encode';
import { randomSpec } from './random-profiles';

const decode = (b: Uint8Array) => decodeProfile(b, gunzip);

describe('foldedStacks', () => {
  it('writes, through the profile index, the text the per-sample writer wrote, byte for byte', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const spec = randomSpec(seed);
      // One known difference: a Function whose name is empty is one tree node per (name, file)
      // for the index (as the flame view shows it), where the per-sample writer named each of
      // its locations by address, as pprof does. No Go toolchain writes such a Function.
      for (const fn of spec.functions) if (fn.name === '') fn.name = 'pkg.unnamed';
      const p = decode(encodeProfile(spec));
      for (let t = 0; t < p.sampleTypes.length; t++)
        expect(foldedStacks(p, t), `seed ${seed} type ${t}`).toEqual(foldedStacksOracle(p, t));
    }
  });

  it('prints one line per distinct name stack, root first, sorted, summed', () => {
    const p = decode(
      encodeProfile(
        profileFromStacks([
          [['main', 'b', 'c'], 3],
          [['main', 'a'], 2],
          [['main', 'b', 'c:20'], 4], // another line of c: same name stack
          [['main'], 1],
          [['main', 'a'], 5],
        ]),
      ),
    );
    expect(foldedStacks(p, 0)).toEqual(['main 1', 'main;a 7', 'main;b;c 7']);
  });

  it('expands inlined frames, outermost caller first', () => {
    const p = decode(encodeProfile(profileFromStacks([[['main', 'leaf+mid'], 2]])));
    expect(foldedStacks(p, 0)).toEqual(['main;mid;leaf 2']);
  });

  it('uses the chosen sample type and omits stacks that sum to 0', () => {
    const spec = profileFromStacks(
      [
        [['main', 'x'], 1],
        [['main', 'y'], 2],
      ],
      [
        ['a', 'count'],
        ['b', 'bytes'],
      ],
    );
    spec.samples[0].values = [5, 0];
    spec.samples.push({ locations: spec.samples[1].locations, values: [1, -4] });
    const p = decode(encodeProfile(spec));
    expect(foldedStacks(p, 0)).toEqual(['main;x 5', 'main;y 3']);
    // y: 4 + (-4) = 0 → omitted; x: 0 → omitted
    expect(foldedStacks(p, 1)).toEqual([]);
  });

  it('merges functions of the same name from different files', () => {
    const spec = profileFromStacks([[['main', 'dup'], 1]]);
    spec.functions.push({ id: 99, name: 'dup', file: 'other.go' });
    spec.locations.push({ id: 50, lines: [{ function: 99, line: 1 }] });
    spec.samples.push({ locations: [50, 1], values: [2] });
    const p = decode(encodeProfile(spec));
    expect(foldedStacks(p, 0)).toEqual(['main;dup 3']);
  });

  it('names frames without a function as pprof -traces -addresses does: address and mapping, or <unknown>', () => {
    const spec = profileFromStacks([[['main'], 1]]);
    spec.locations.push({ id: 7, address: 0x4920c0, lines: [] });
    spec.samples.push({ locations: [7, 1], values: [1] });
    expect(foldedStacks(decode(encodeProfile(spec)), 0)).toEqual([
      'main 1',
      'main;00000000004920c0 <unknown> 1',
    ]);
  });

  it('escapes \\, ;, newline and CR in frame names, and nothing else', () => {
    const spec = profileFromStacks([
      [['main', 'a;b', 'c\\d', 'e\nf', 'g\rh', 'pkg.(*T).F[...] <x>'], 1],
    ]);
    const lines = foldedStacks(decode(encodeProfile(spec)), 0);
    expect(lines).toEqual(['main;a\\;b;c\\\\d;e\\nf;g\\rh;pkg.(*T).F[...] <x> 1']);
    expect(lines[0].split('\n')).toHaveLength(1);
    // Undoing the four escapes gives the names back (what the folded reader does).
    const frames = lines[0].slice(0, lines[0].lastIndexOf(' ')).split(/(?<!\\);/);
    const unescape = (s: string) =>
      s.replace(/\\([\\;nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
    expect(frames.map(unescape)).toEqual([
      'main',
      'a;b',
      'c\\d',
      'e\nf',
      'g\rh',
      'pkg.(*T).F[...] <x>',
    ]);
  });

  it('is empty for a profile with no samples', () => {
    const spec = profileFromStacks([]);
    expect(foldedStacks(decode(encodeProfile(spec)), 0)).toEqual([]);
  });

  it('prints integers beyond 2^53 without exponents', () => {
    expect(formatInteger(1e21)).toBe('1000000000000000000000');
    expect(formatInteger(-12)).toBe('-12');
  });
});

describe('findSampleType', () => {
  const spec = profileFromStacks(
    [[['main'], 1]],
    [
      ['alloc_objects', 'count'],
      ['alloc_space', 'bytes'],
      ['inuse_objects', 'count'],
      ['inuse_space', 'bytes'],
    ],
  );
  const p = decode(encodeProfile(spec));
  it.each([
    [undefined, 3],
    ['', 3],
    ['0', 0],
    ['2', 2],
    ['4', -1],
    ['inuse_space', 3],
    ['alloc_objects', 0],
    ['nope', -1],
  ])('%s → %d', (spec, index) => expect(findSampleType(p, spec)).toBe(index));

  it('honours default_sample_type and the legacy inuse_ prefix', () => {
    const s2 = profileFromStacks(
      [[['main'], 1]],
      [
        ['objects', 'count'],
        ['space', 'bytes'],
      ],
    );
    s2.defaultSampleType = 'objects';
    const q = decode(encodeProfile(s2));
    expect(findSampleType(q, undefined)).toBe(0);
    expect(findSampleType(q, 'inuse_space')).toBe(1);
    expect(describeSampleTypes(q)).toBe('0: objects/count, 1: space/bytes');
    expect(sampleTotal(q, 1)).toBe(2);
  });
});
