// Filters and diffs on arbitrary input: only FilterError (invalid filters) and
// IncompatibleProfilesError (diffs of different kinds) may come out, never a crash.
import { describe, expect, it } from 'vitest';
import { filteredCallTree } from '../../../src/core/flame/filtered-tree';
import { sandwich } from '../../../src/core/flame/sandwich';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { diffTop, IncompatibleProfilesError } from '../../../src/core/pprof/diff';
import { diffCallTree } from '../../../src/core/flame/diff-tree';
import { FilterError, type ProfileFilter } from '../../../src/core/pprof/filter';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { fileCosts, lineCalls, sourceCosts } from '../../../src/core/pprof/source-costs';
import { topTable } from '../../../src/core/pprof/top';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks, rng } from '../../unit/pprof/encode';
import { randomSpec } from '../../unit/pprof/random-profiles';

const ALPHABET = [
  'a',
  'main',
  '.',
  '*',
  '+',
  '?',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '\\',
  '^',
  '$',
  '|',
  ',',
  '=',
  ':',
  '(?i)',
  '(?P<x>',
  '\\Q',
  '\\E',
  '[[:alpha:]]',
  '1kb',
  '-',
  '0',
];

function randomText(rand: () => number): string {
  let s = '';
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

describe('random filters on random profiles', () => {
  it('either work or throw FilterError, in every view', () => {
    const rand = rng(4242);
    let invalid = 0;
    let valid = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const index = indexProfile(decodeProfile(encodeProfile(randomSpec(seed)), gunzip));
      const keys: (keyof ProfileFilter)[] = [
        'focus',
        'ignore',
        'hide',
        'show',
        'showFrom',
        'pruneFrom',
      ];
      const filter: ProfileFilter = {};
      for (const k of keys)
        if (rand() < 0.3) (filter as Record<string, string>)[k] = randomText(rand);
      if (rand() < 0.3) filter.tagFocus = [randomText(rand)];
      if (rand() < 0.2) filter.tagIgnore = [randomText(rand)];
      if (rand() < 0.2) filter.pruneRuntime = true;
      const t = Math.floor(rand() * 2);
      try {
        filteredCallTree(index, { sampleType: t, filter }, { inverted: rand() < 0.5 });
        topTable(index, { sampleType: t, filter });
        sandwich(index, { sampleType: t, filter }, { name: index.funcName[0] ?? 'x' });
        const costs = sourceCosts(index, { sampleType: t, filter });
        for (const f of costs.files.keys()) {
          const fc = fileCosts(index, { sampleType: t, filter }, f)!;
          lineCalls(index, { sampleType: t, filter }, f, fc.lines[0]);
        }
        valid++;
      } catch (e) {
        if (!(e instanceof FilterError))
          throw new Error(`seed ${seed} ${JSON.stringify(filter)}: ${String(e)}`);
        expect(e.message).toMatch(/^invalid \S+ regexp "/);
        invalid++;
      }
    }
    expect(valid).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThan(10);
  });
});

describe('diffs of profiles of different shapes', () => {
  const shapes: [string, string][][] = [
    [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    [
      ['alloc_objects', 'count'],
      ['alloc_space', 'bytes'],
      ['inuse_objects', 'count'],
      ['inuse_space', 'bytes'],
    ],
    [
      ['contentions', 'count'],
      ['delay', 'nanoseconds'],
    ],
    [['goroutine', 'count']],
    [
      ['samples', 'count'],
      ['cpu', 'microseconds'],
    ],
  ];
  const profiles = shapes.map((types) =>
    indexProfile(
      decodeProfile(encodeProfile(profileFromStacks([[['main', 'a'], 2]], types)), gunzip),
    ),
  );

  it('compare equal shapes and refuse the others with IncompatibleProfilesError', () => {
    for (let i = 0; i < shapes.length; i++) {
      for (let j = 0; j < shapes.length; j++) {
        const run = () => {
          diffCallTree(profiles[i], profiles[j], { sampleType: 0, normalize: true });
          diffTop(profiles[i], profiles[j], { sampleType: 0 });
        };
        if (i === j) expect(run).not.toThrow();
        else expect(run).toThrow(IncompatibleProfilesError);
      }
    }
  });
});
